// Reading hprof-text's --proto output back, for the tests: zlib's gunzip,
// then libprotobuf, then the checks every profile.proto must pass.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report/proto/profile.pb.h"

namespace hprof::testing {

namespace pb = perftools::profiles;

// The bytes of a gzip stream, inflated by zlib (windowBits 15 + 16: gzip
// only, so zlib or raw deflate data is an error).
inline std::string gunzip(std::string_view gz) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buf[65536];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buf);
    stream.avail_out = sizeof buf;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buf, sizeof buf - stream.avail_out);
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("not a whole gzip stream");
  return out;
}

inline pb::Profile decode_pprof(std::string_view gz) {
  pb::Profile profile;
  if (!profile.ParseFromString(gunzip(gz))) throw std::runtime_error("not a profile.proto");
  return profile;
}

inline const std::string& str(const pb::Profile& p, int64_t index) { return p.string_table(static_cast<int>(index)); }

// What profile.proto requires and the Go pprof checks (CheckValid): each
// violation as a sentence; empty when the profile is well formed.
inline std::vector<std::string> structure_errors(const pb::Profile& p) {
  std::vector<std::string> errors;
  if (p.string_table_size() == 0 || !p.string_table(0).empty()) errors.push_back("string_table[0] is not \"\"");
  auto string_ok = [&](int64_t i) { return i >= 0 && i < p.string_table_size(); };
  std::set<uint64_t> mappings, functions, locations;
  for (const pb::Mapping& m : p.mapping()) {
    if (m.id() == 0 || !mappings.insert(m.id()).second) errors.push_back("mapping id 0 or repeated");
    if (!string_ok(m.filename()) || !string_ok(m.build_id())) errors.push_back("mapping string out of range");
  }
  for (const pb::Function& f : p.function()) {
    if (f.id() == 0 || !functions.insert(f.id()).second) errors.push_back("function id 0 or repeated");
    if (!string_ok(f.name()) || !string_ok(f.system_name()) || !string_ok(f.filename())) {
      errors.push_back("function string out of range");
    }
  }
  for (const pb::Location& l : p.location()) {
    if (l.id() == 0 || !locations.insert(l.id()).second) errors.push_back("location id 0 or repeated");
    if (l.mapping_id() != 0 && mappings.count(l.mapping_id()) == 0) errors.push_back("location names no mapping");
    for (const pb::Line& line : l.line()) {
      if (functions.count(line.function_id()) == 0) errors.push_back("line names no function");
    }
  }
  for (const pb::Sample& s : p.sample()) {
    if (s.value_size() != p.sample_type_size()) errors.push_back("sample has not one value per sample type");
    for (uint64_t id : s.location_id()) {
      if (locations.count(id) == 0) errors.push_back("sample names no location");
    }
  }
  return errors;
}

inline const pb::Location& location_by_id(const pb::Profile& p, uint64_t id) {
  for (const pb::Location& l : p.location()) {
    if (l.id() == id) return l;
  }
  throw std::out_of_range("no location " + std::to_string(id));
}

inline const pb::Function& function_by_id(const pb::Profile& p, uint64_t id) {
  for (const pb::Function& f : p.function()) {
    if (f.id() == id) return f;
  }
  throw std::out_of_range("no function " + std::to_string(id));
}

// The function names of a sample's frames, leaf first, inline frames before
// the function they are inlined in.
inline std::vector<std::string> frame_names(const pb::Profile& p, const pb::Sample& s) {
  std::vector<std::string> names;
  for (uint64_t id : s.location_id()) {
    for (const pb::Line& line : location_by_id(p, id).line()) {
      names.push_back(str(p, function_by_id(p, line.function_id()).name()));
    }
  }
  return names;
}

}  // namespace hprof::testing
