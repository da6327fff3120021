// The profile.proto that --proto writes (build_pprof_profile), read back
// with libprotobuf: what pprof and other readers of the format get.
#include "report/pprof_profile.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pprof_decoding.h"
#include "profile_builder.h"

namespace hprof {
namespace {

using testing::at;
using testing::bytes;
using testing::fn;
using testing::frame_names;
using testing::location_by_id;
using testing::ProfileBuilder;
using testing::src;
using testing::str;
using testing::structure_errors;
namespace pb = perftools::profiles;

MappedObject mapped(uint64_t start, uint64_t limit, uint64_t offset, std::string path, bool symbolized = true) {
  MappedObject m;
  m.start = start;
  m.limit = limit;
  m.offset = offset;
  m.path = std::move(path);
  m.symbolized = symbolized;
  return m;
}

HeapValues values(int64_t alloc_objects, int64_t alloc_bytes, int64_t inuse_objects, int64_t inuse_bytes) {
  HeapValues v;
  v.alloc_objects = alloc_objects;
  v.alloc_bytes = alloc_bytes;
  v.inuse_objects = inuse_objects;
  v.inuse_bytes = inuse_bytes;
  return v;
}

pb::Profile pprof_of(const std::vector<const ReportProfile*>& profiles,
                     HeapValue default_type = HeapValue::kInuseSpace) {
  pb::Profile p = build_pprof_profile(profiles, heap_sample_type(default_type)).profile;
  EXPECT_EQ(structure_errors(p), std::vector<std::string>{});
  return p;
}

pb::Profile pprof_of(const ReportProfile& profile) { return pprof_of(std::vector<const ReportProfile*>{&profile}); }

std::vector<int64_t> values_of(const pb::Sample& s) { return {s.value().begin(), s.value().end()}; }

// A profile of one library, /lib/libwork.so, mapped at `base` + 0x1000 from
// file offset 0x1000; `work` allocates 3000 bytes from `main`.
ReportProfile library_profile(uint64_t base, int64_t work_bytes) {
  ReportProfile p = ProfileBuilder()
                          .sample_at(work_bytes, {at(base + 0x1100, {"/lib/libwork.so", 0x1100}, {fn("work")}),
                                                  at(base + 0x1200, {"/lib/libwork.so", 0x1200}, {fn("main")})})
                          .build();
  p.mappings = {mapped(base + 0x1000, base + 0x3000, 0x1000, "/lib/libwork.so")};
  return p;
}

TEST(PprofProfile, GzippedBytesAreOneGzipMemberHoldingTheProfile) {
  const ReportProfile profile = library_profile(0x7f0000000000, 3000);
  const pb::Profile built = pprof_of(profile);
  const std::string gz = gzipped_pprof(built);
  ASSERT_GE(gz.size(), 3u);
  EXPECT_EQ(gz.substr(0, 3), std::string("\x1f\x8b\x08", 3));  // gzip magic, deflate
  EXPECT_EQ(testing::decode_pprof(gz).SerializeAsString(), built.SerializeAsString());
}

TEST(PprofProfile, SampleTypesAreGosHeapTypesWithTheChosenOneAsDefault) {
  const ReportProfile profile = library_profile(0x7f0000000000, 3000);
  const std::pair<HeapValue, const char*> cases[] = {{HeapValue::kInuseSpace, "inuse_space"},
                                                     {HeapValue::kInuseObjects, "inuse_objects"},
                                                     {HeapValue::kAllocSpace, "alloc_space"},
                                                     {HeapValue::kAllocObjects, "alloc_objects"}};
  for (const auto& [index, name] : cases) {
    const pb::Profile p = pprof_of({&profile}, index);
    std::vector<std::string> types;
    for (const pb::ValueType& t : p.sample_type()) types.push_back(str(p, t.type()) + "/" + str(p, t.unit()));
    EXPECT_EQ(types, (std::vector<std::string>{"alloc_objects/count", "alloc_space/bytes", "inuse_objects/count",
                                               "inuse_space/bytes"}));
    EXPECT_EQ(str(p, p.default_sample_type()), name);
    EXPECT_EQ(str(p, p.period_type().type()), "space");
    EXPECT_EQ(str(p, p.period_type().unit()), "bytes");
  }
}

TEST(PprofProfile, PeriodIsTheLargestOfTheProfiles) {
  ReportProfile a = library_profile(0x7f0000000000, 3000);
  ReportProfile b = library_profile(0x7f0000000000, 1000);
  a.period = 1;
  b.period = 524288;
  EXPECT_EQ(pprof_of({&a, &b}).period(), 524288);
}

TEST(PprofProfile, ValuesAreTheFourNumbersAllocBeforeInuse) {
  const ReportProfile profile = ProfileBuilder().sample(values(5, 5000, 2, 2000), {{fn("f")}}).build();
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.sample_size(), 1);
  EXPECT_EQ(values_of(p.sample(0)), (std::vector<int64_t>{5, 5000, 2, 2000}));
}

TEST(PprofProfile, InlineFramesAreLinesOfOneLocationInnermostFirst) {
  const ReportProfile profile =
      ProfileBuilder()
          .sample(1000, {{src("leak_malloc", "/src/leak.cc", 7, true), src("main", "/src/leak.cc", 21)}})
          .build();
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.sample_size(), 1);
  ASSERT_EQ(p.sample(0).location_id_size(), 1);
  const pb::Location& location = location_by_id(p, p.sample(0).location_id(0));
  ASSERT_EQ(location.line_size(), 2);
  EXPECT_EQ(location.line(0).line(), 7);
  EXPECT_EQ(location.line(1).line(), 21);
  EXPECT_EQ(frame_names(p, p.sample(0)), (std::vector<std::string>{"leak_malloc", "main"}));
  EXPECT_EQ(str(p, testing::function_by_id(p, location.line(0).function_id()).filename()), "/src/leak.cc");
}

TEST(PprofProfile, OneLocationPerPcAddressedAtThePcMinusOne) {
  // Two stacks through the same caller pc share its location.
  const ReportProfile profile =
      ProfileBuilder()
          .sample_at(1000, {at(0x10ff, {}, {fn("a")}), at(0x20ff, {}, {fn("main")})})
          .sample_at(2000, {at(0x11ff, {}, {fn("b")}), at(0x20ff, {}, {fn("main")})})
          .build();
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.sample_size(), 2);
  EXPECT_EQ(p.location_size(), 3);
  EXPECT_EQ(p.sample(0).location_id(1), p.sample(1).location_id(1));
  EXPECT_EQ(location_by_id(p, p.sample(0).location_id(0)).address(), 0x10ffu);
  EXPECT_EQ(location_by_id(p, p.sample(0).location_id(1)).address(), 0x20ffu);
}

TEST(PprofProfile, FunctionsAreOnePerNameAndSourceFileWithNoSystemName) {
  const ReportProfile profile = ProfileBuilder()
                                      .sample(1000, {{src("f", "/src/a.cc", 3)}})
                                      .sample(2000, {{src("f", "/src/a.cc", 9)}})
                                      .sample(4000, {{src("f", "/src/b.cc", 3)}})
                                      .build();
  const pb::Profile p = pprof_of(profile);
  std::vector<std::string> functions;
  for (const pb::Function& f : p.function()) {
    functions.push_back(str(p, f.name()) + " " + str(p, f.filename()));
    // Left empty: the Go pprof demangles a function whose name equals its system name again.
    EXPECT_EQ(str(p, f.system_name()), "");
  }
  EXPECT_EQ(functions, (std::vector<std::string>{"f /src/a.cc", "f /src/b.cc"}));
  EXPECT_EQ(p.location_size(), 3);
}

TEST(PprofProfile, MappingsCarryTheirFileBuildIdAndRangeWithTheMainExecutableFirst) {
  // A library mapped below the program: the main executable still comes first.
  ReportProfile profile = ProfileBuilder()
                                .sample_at(1000, {at(0x1001100, {"/lib/libc.so.6", 0x1100}, {fn("malloc")}),
                                                  at(0x555500001100, {"/bin/app", 0x1100}, {fn("main")})})
                                .build();
  profile.mappings = {mapped(0x1001000, 0x1003000, 0x1000, "/lib/libc.so.6"),
                      mapped(0x555500001000, 0x555500002000, 0x1000, "/bin/app")};
  profile.mappings[0].build_id = "bb02";
  profile.mappings[1].build_id = "aa01";
  profile.mappings[1].main = true;
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.mapping_size(), 2);
  const pb::Mapping& main = p.mapping(0);
  EXPECT_EQ(str(p, main.filename()), "/bin/app");
  EXPECT_EQ(str(p, main.build_id()), "aa01");
  EXPECT_EQ(main.memory_start(), 0x555500001000u);
  EXPECT_EQ(main.memory_limit(), 0x555500002000u);
  EXPECT_EQ(main.file_offset(), 0x1000u);
  const pb::Mapping& libc = p.mapping(1);
  EXPECT_EQ(str(p, libc.filename()), "/lib/libc.so.6");
  EXPECT_EQ(str(p, libc.build_id()), "bb02");
  EXPECT_EQ(location_by_id(p, p.sample(0).location_id(0)).mapping_id(), libc.id());
  EXPECT_EQ(location_by_id(p, p.sample(0).location_id(1)).mapping_id(), main.id());
}

TEST(PprofProfile, EveryMappingHasFunctionsAndOnlyReadFilesClaimLinesAndInlines) {
  // has_functions everywhere (placeholders are names too): the Go pprof then
  // never runs its own symbolizer over our names.
  ReportProfile profile = ProfileBuilder()
                                .sample_at(1000, {at(0x7f0000001100, {"/gone/libx.so", 0x1100}, {fn("[libx.so]")}),
                                                  at(0x555500001100, {"/bin/app", 0x1100}, {fn("main")})})
                                .build();
  profile.mappings = {mapped(0x555500001000, 0x555500002000, 0x1000, "/bin/app"),
                      mapped(0x7f0000001000, 0x7f0000002000, 0x1000, "/gone/libx.so", false)};
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.mapping_size(), 2);
  for (const pb::Mapping& m : p.mapping()) {
    const bool read = str(p, m.filename()) == "/bin/app";
    EXPECT_TRUE(m.has_functions());
    EXPECT_EQ(m.has_filenames(), read);
    EXPECT_EQ(m.has_line_numbers(), read);
    EXPECT_EQ(m.has_inline_frames(), read);
  }
}

TEST(PprofProfile, AddressOutsideEveryMappingHasNoMapping) {
  ReportProfile profile = library_profile(0x7f0000000000, 3000);
  profile.samples[0].locations.push_back(
      static_cast<uint32_t>(profile.locations.size()));  // a caller nobody mapped
  profile.locations.push_back(at(0x40ff, {}, {fn("<unknown>")}));
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.sample(0).location_id_size(), 3);
  EXPECT_EQ(location_by_id(p, p.sample(0).location_id(2)).mapping_id(), 0u);
  EXPECT_NE(location_by_id(p, p.sample(0).location_id(0)).mapping_id(), 0u);
}

TEST(PprofProfile, SameFileOfAnotherRunIsOneMappingItsAddressesRelocated) {
  const ReportProfile first = library_profile(0x7f0000000000, 3000);
  const ReportProfile other_run = library_profile(0x7f5500000000, 1000);
  const pb::Profile p = pprof_of({&first, &other_run});
  EXPECT_EQ(p.mapping_size(), 1);
  EXPECT_EQ(p.location_size(), 2);
  ASSERT_EQ(p.sample_size(), 1);  // the same stack
  EXPECT_EQ(p.sample(0).value(3), 4000);
  EXPECT_EQ(location_by_id(p, p.sample(0).location_id(0)).address(), 0x7f0000001100u);
}

TEST(PprofProfile, AnonymousMemoryElsewhereIsAnotherMapping) {
  // JIT code has no file: only the same addresses are the same code.
  auto jit_profile = [](uint64_t base) {
    ReportProfile p = ProfileBuilder().sample_at(1000, {at(base + 0x100, {"[anon:jit]", base + 0x100}, {fn("[anon:jit]")})}).build();
    p.mappings = {mapped(base, base + 0x1000, 0, "", false)};
    return p;
  };
  const ReportProfile a = jit_profile(0x7f0000000000);
  const ReportProfile b = jit_profile(0x7f5500000000);
  const ReportProfile a_again = jit_profile(0x7f0000000000);
  const pb::Profile p = pprof_of({&a, &b, &a_again});
  EXPECT_EQ(p.mapping_size(), 2);
  EXPECT_EQ(p.location_size(), 2);
}

TEST(PprofProfile, BaseCancelsOnEqualStacksAndAllZeroSamplesAreLeftOut) {
  const ReportProfile now = ProfileBuilder()
                                  .sample(values(3, 3000, 3, 3000), {{fn("grew")}, {fn("main")}})
                                  .sample(values(1, 1000, 1, 1000), {{fn("same")}, {fn("main")}})
                                  .build();
  ReportProfile base = ProfileBuilder()
                             .sample(values(1, 1000, 1, 1000), {{fn("grew")}, {fn("main")}})
                             .sample(values(1, 1000, 1, 1000), {{fn("same")}, {fn("main")}})
                             .build();
  negate_values(base);
  const pb::Profile p = pprof_of({&now, &base});
  ASSERT_EQ(p.sample_size(), 1);
  EXPECT_EQ(frame_names(p, p.sample(0)), (std::vector<std::string>{"grew", "main"}));
  EXPECT_EQ(values_of(p.sample(0)), (std::vector<int64_t>{2, 2000, 2, 2000}));
}

TEST(PprofProfile, SamplesFocusDropsAreLeftOutAndEmptyStacksStay) {
  ReportProfile profile = ProfileBuilder()
                                .sample(1000, {{fn("kept")}})
                                .sample(2000, {{fn("dropped")}})
                                .sample(4000, {})
                                .build();
  profile.kept = {1, 0, 1};
  const PprofProfile built = build_pprof_profile({&profile}, heap_sample_type(HeapValue::kInuseSpace));
  const pb::Profile& p = built.profile;
  ASSERT_EQ(p.sample_size(), 2);
  EXPECT_EQ(frame_names(p, p.sample(0)), std::vector<std::string>{"kept"});
  EXPECT_EQ(p.sample(1).location_id_size(), 0);  // counts in pprof's total, as in ours
  EXPECT_EQ(p.sample(1).value(3), 4000);
  EXPECT_EQ(built.empty_stack_records, 1);
}

TEST(PprofProfile, LocationPrunedToNoFrameIsLeftOutOfTheStack) {
  ReportProfile profile = ProfileBuilder().sample(1000, {{fn("operator new")}, {fn("make")}}).build();
  profile.locations[0].frames.clear();
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.sample_size(), 1);
  EXPECT_EQ(frame_names(p, p.sample(0)), std::vector<std::string>{"make"});
}

TEST(PprofProfile, BytesLabelIsTheAverageObjectSizeInUseElseAllocated) {
  const ReportProfile profile = ProfileBuilder()
                                      .sample(values(9, 9000, 3, 3000), {{fn("in_use")}})
                                      .sample(values(4, 400, 0, 0), {{fn("freed")}})
                                      .build();
  const pb::Profile p = pprof_of(profile);
  ASSERT_EQ(p.sample_size(), 2);
  std::vector<int64_t> sizes;
  for (const pb::Sample& s : p.sample()) {
    ASSERT_EQ(s.label_size(), 1);
    EXPECT_EQ(str(p, s.label(0).key()), "bytes");
    EXPECT_EQ(str(p, s.label(0).num_unit()), "bytes");
    sizes.push_back(s.label(0).num());
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{1000, 100}));
}

TEST(PprofProfile, EqualStacksOfEqualObjectSizeAreOneSample) {
  const ReportProfile a = ProfileBuilder().sample(values(1, 64, 1, 64), {{fn("f")}}).build();
  const ReportProfile b = ProfileBuilder()
                                .sample(values(2, 128, 2, 128), {{fn("f")}})
                                .sample(values(1, 32, 1, 32), {{fn("f")}})  // another size: another sample
                                .build();
  const pb::Profile p = pprof_of({&a, &b});
  ASSERT_EQ(p.sample_size(), 2);
  EXPECT_EQ(values_of(p.sample(0)), (std::vector<int64_t>{3, 192, 3, 192}));
  EXPECT_EQ(values_of(p.sample(1)), (std::vector<int64_t>{1, 32, 1, 32}));
}

}  // namespace
}  // namespace hprof
