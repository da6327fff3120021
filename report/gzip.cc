#include "report/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace hprof {

std::string gzip_compress(std::string_view bytes) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: cannot start compressing");
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> end(&stream, deflateEnd);
  // zlib counts in 32 bits: feed at most 1 GiB at a time.
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  std::string out;
  std::size_t used = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0) {
      const std::size_t n = std::min(bytes.size(), kChunk);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
      stream.avail_in = static_cast<uInt>(n);
      bytes.remove_prefix(n);
    }
    if (used == out.size()) out.resize(std::max<std::size_t>(out.size() * 2, deflateBound(&stream, stream.avail_in)));
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    stream.avail_out = static_cast<uInt>(std::min(out.size() - used, kChunk));
    const uInt room = stream.avail_out;
    status = deflate(&stream, bytes.empty() ? Z_FINISH : Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      throw std::runtime_error("zlib: compression failed");
    }
    used += room - stream.avail_out;
  }
  out.resize(used);
  return out;
}

}  // namespace hprof
