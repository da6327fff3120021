// gzip compression (zlib), for pprof's profile.proto, which is stored
// gzip-compressed on disk.
#pragma once

#include <string>
#include <string_view>

namespace hprof {

// `bytes` as one gzip member (RFC 1952) at zlib's default level, as Go's
// gzip.NewWriter writes it.  Throws std::runtime_error only if zlib fails
// (out of memory).
std::string gzip_compress(std::string_view bytes);

}  // namespace hprof
