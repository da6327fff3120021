// --proto: pprof's profile.proto, gzip-compressed.
#include "driver/output_format.h"

namespace hprof {
namespace {

std::string render(const Rendering& r) { return gzipped_pprof(r.pprof->profile); }

}  // namespace

extern const OutputFormat kProtoFormat{
    "--proto", "Write pprof's profile.proto, gzip-compressed, for pprof and its web UI (binary: redirect stdout)",
    ReportModel::kPprof, render, true};

}  // namespace hprof
