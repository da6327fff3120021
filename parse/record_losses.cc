#include "parse/record_losses.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace hprof::parse_internal {
namespace {

// "in-use 119921561 of 126044944 bytes (4.9% lost)".
std::string compare(const char* what, int64_t records, int64_t header) {
  std::string text = fmt::format("{} {} of {} bytes", what, records, header);
  if (records == header) return text + " (all there)";
  if (header == 0) return text + " (more)";
  const double share = 100.0 * std::abs(static_cast<double>(header) - static_cast<double>(records)) /
                       static_cast<double>(header);
  const std::string percent = share < 0.05 ? std::string("<0.1") : fmt::format("{:.1f}", share);
  return fmt::format("{} ({}% {})", text, percent, records < header ? "lost" : "more");
}

}  // namespace

bool fills_gperftools_buffer(std::size_t size) {
  return size < kGperftoolsDumpBuffer && size + kLongestGperftoolsRecord >= kGperftoolsDumpBuffer;
}

void warn_about_lost_records(const HeapProfile& profile, Diagnostics& diags) {
  const HeapHeader& header = profile.header;
  if (!header.has_totals) return;
  const WrittenBytes& records = profile.written;
  const int64_t inuse = header.totals.inuse_bytes, alloc = header.totals.alloc_bytes;
  if (records.inuse == inuse && records.alloc == alloc) return;
  const bool less = records.inuse < inuse || records.alloc < alloc;
  const bool more = records.inuse > inuse || records.alloc > alloc;
  const char* sum = less && more ? "do not add up to" : less ? "add up to less than" : "add up to more than";
  std::string why;
  if (less && !profile.has_maps_section) {
    // Both writers end a dump with its memory map: a dump without one was cut.
    why = "the dump was cut short before its memory map: the records after the cut are missing";
  } else if (less && header.format == ProfileFormat::kGperftools && fills_gperftools_buffer(profile.size)) {
    why = fmt::format(
        "the dump is {} bytes, gperftools' limit: up to 2.15 it writes at most 1 MiB per dump and leaves out the "
        "records with the least in-use bytes, those whose objects are all freed first, so allocated figures "
        "(--alloc_space) lack more than in-use ones",
        profile.size);
  } else if (less) {
    why = "lines are missing from the dump: a damaged or edited copy?";
  } else {
    why = "the header does not count them all: records added by hand, or gperftools' HEAP_PROFILE_MMAP, whose "
          "mmap records the header leaves out";
  }
  diags.warn_once(fmt::format("{}: the records {} the header's totals: {}, {}; the report shows the records ({})",
                              profile.source, sum, compare("in-use", records.inuse, inuse),
                              compare("allocated", records.alloc, alloc), why));
}

}  // namespace hprof::parse_internal
