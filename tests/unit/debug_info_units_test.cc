// .debug_info kept in part: which units answer for an address (from
// .debug_aranges bytes written here), whether units stand alone (from
// .debug_abbrev bytes), and the streaming inflater on synthetic units, and
// the units inflated again from the resume points a stream recorded.
#include "symbolize/dwarf/debug_info_units.h"

#include <dwarf.h>
#include <gtest/gtest.h>
#include <libdeflate.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hprof {
namespace {

using Bytes = std::vector<unsigned char>;

template <typename T>
void put(Bytes& out, T value) {
  const auto* p = reinterpret_cast<const unsigned char*>(&value);
  out.insert(out.end(), p, p + sizeof value);
}

void put_uleb(Bytes& out, uint64_t value) {
  do {
    unsigned char byte = value & 0x7f;
    value >>= 7;
    out.push_back(byte | (value != 0 ? 0x80 : 0));
  } while (value != 0);
}

struct Range {
  uint64_t start, size;
};

// One .debug_aranges set for the unit at `unit`: 32-bit DWARF, 8-byte
// addresses, the tuples after padding, then the (0, 0) terminator.
Bytes arange_set(uint64_t unit, const std::vector<Range>& ranges) {
  Bytes body;
  put<uint16_t>(body, 2);
  put<uint32_t>(body, static_cast<uint32_t>(unit));
  body.push_back(8);  // address size
  body.push_back(0);  // segment selector size
  body.resize(12, 0);  // 4 (length) + 12 = 16: tuples start at a multiple of 16
  for (const Range& r : ranges) {
    put<uint64_t>(body, r.start);
    put<uint64_t>(body, r.size);
  }
  put<uint64_t>(body, 0);
  put<uint64_t>(body, 0);
  Bytes set;
  put<uint32_t>(set, static_cast<uint32_t>(body.size()));
  set.insert(set.end(), body.begin(), body.end());
  return set;
}

Bytes joined(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::set<uint64_t> units_at(const ArangeUnits& aranges, uint64_t address) {
  std::set<uint64_t> units;
  aranges.units_at(address, units);
  return units;
}

TEST(ArangeUnits, AnAddressBelongsToTheArangeWithTheGreatestStartAtOrBelowIt) {
  ArangeUnits aranges;
  ASSERT_TRUE(aranges.parse(joined({arange_set(0x0, {{0x1000, 0x100}}), arange_set(0x50, {{0x2000, 0x100}})})));
  EXPECT_EQ(units_at(aranges, 0x1000), (std::set<uint64_t>{0x0}));
  EXPECT_EQ(units_at(aranges, 0x10ff), (std::set<uint64_t>{0x0}));
  // Past its end, before the next: libdwfl's runs reach to the next one.
  EXPECT_EQ(units_at(aranges, 0x1800), (std::set<uint64_t>{0x0}));
  EXPECT_EQ(units_at(aranges, 0x2000), (std::set<uint64_t>{0x50}));
  EXPECT_EQ(units_at(aranges, 0x9000), (std::set<uint64_t>{0x50}));
  EXPECT_TRUE(units_at(aranges, 0xfff).empty());
}

TEST(ArangeUnits, ArangesStartingAtTheSameAddressGiveEachTheirUnit) {
  ArangeUnits aranges;
  ASSERT_TRUE(aranges.parse(joined({arange_set(0x0, {{0x3000, 0x10}}), arange_set(0x80, {{0x3000, 0x20}}),
                                    arange_set(0x100, {{0x2000, 0x10}})})));
  EXPECT_EQ(units_at(aranges, 0x3008), (std::set<uint64_t>{0x0, 0x80}));
}

TEST(ArangeUnits, AZeroPairInsideASetIsSkippedNotTheEnd) {
  Bytes set = arange_set(0x40, {{0x1000, 0x10}, {0, 0}, {0x5000, 0x10}});
  ArangeUnits aranges;
  ASSERT_TRUE(aranges.parse(set));
  EXPECT_EQ(units_at(aranges, 0x5000), (std::set<uint64_t>{0x40}));
  EXPECT_EQ(units_at(aranges, 0x1000), (std::set<uint64_t>{0x40}));
}

TEST(ArangeUnits, ASixtyFourBitSetIsRead) {
  Bytes body;
  put<uint16_t>(body, 2);
  put<uint64_t>(body, 0x1234);
  body.push_back(8);
  body.push_back(0);
  body.resize(20, 0);  // 12 (length) + 20 = 32: a multiple of 16
  put<uint64_t>(body, 0x7000);
  put<uint64_t>(body, 0x10);
  put<uint64_t>(body, 0);
  put<uint64_t>(body, 0);
  Bytes set;
  put<uint32_t>(set, 0xffffffff);
  put<uint64_t>(set, body.size());
  set.insert(set.end(), body.begin(), body.end());
  ArangeUnits aranges;
  ASSERT_TRUE(aranges.parse(set));
  EXPECT_EQ(units_at(aranges, 0x7008), (std::set<uint64_t>{0x1234}));
}

TEST(ArangeUnits, AMalformedSectionIsRefused) {
  Bytes set = arange_set(0, {{0x1000, 0x10}});
  ArangeUnits aranges;
  EXPECT_FALSE(aranges.parse(Bytes(set.begin(), set.end() - 1))) << "a set longer than the section";
  Bytes odd = set;
  odd[10] = 3;  // address size 3
  EXPECT_FALSE(aranges.parse(odd));
  EXPECT_TRUE(aranges.parse({})) << "no aranges at all is a valid, empty table";
  EXPECT_TRUE(aranges.empty());
}

struct Attribute {
  uint64_t name, form;
};

Bytes abbrev_entry(uint64_t code, uint64_t tag, const std::vector<Attribute>& attributes) {
  Bytes out;
  put_uleb(out, code);
  put_uleb(out, tag);
  out.push_back(DW_CHILDREN_yes);
  for (const Attribute& a : attributes) {
    put_uleb(out, a.name);
    put_uleb(out, a.form);
    if (a.form == DW_FORM_implicit_const) put_uleb(out, 300);  // its value: two bytes
  }
  out.push_back(0);
  out.push_back(0);
  return out;
}

TEST(UnitsStandAlone, UnitsWithOnlyUnitLocalReferencesStandAlone) {
  Bytes abbrev = joined({abbrev_entry(1, DW_TAG_compile_unit, {{DW_AT_name, DW_FORM_strp}}),
                         abbrev_entry(2, DW_TAG_subprogram,
                                      {{DW_AT_abstract_origin, DW_FORM_ref4}, {DW_AT_decl_file, DW_FORM_implicit_const}}),
                         Bytes{0}, abbrev_entry(1, DW_TAG_compile_unit, {{DW_AT_stmt_list, DW_FORM_sec_offset}}),
                         Bytes{0}});
  EXPECT_TRUE(units_stand_alone(abbrev));
}

TEST(UnitsStandAlone, AReferenceIntoAnotherUnitOrFileDoesNot) {
  for (uint64_t form : {DW_FORM_ref_addr, DW_FORM_ref_sig8, DW_FORM_GNU_ref_alt, DW_FORM_ref_sup4}) {
    Bytes abbrev = joined(
        {abbrev_entry(1, DW_TAG_compile_unit, {}), abbrev_entry(2, DW_TAG_subprogram, {{DW_AT_specification, form}}),
         Bytes{0}});
    EXPECT_FALSE(units_stand_alone(abbrev)) << "form 0x" << std::hex << form;
  }
}

TEST(UnitsStandAlone, PartialImportedTypeAndSkeletonUnitsDoNot) {
  for (uint64_t tag : {DW_TAG_partial_unit, DW_TAG_imported_unit, DW_TAG_type_unit, DW_TAG_skeleton_unit}) {
    EXPECT_FALSE(units_stand_alone(joined({abbrev_entry(1, tag, {}), Bytes{0}}))) << "tag 0x" << std::hex << tag;
  }
}

TEST(UnitsStandAlone, ATruncatedTableIsRefused) {
  Bytes abbrev = abbrev_entry(1, DW_TAG_compile_unit, {{DW_AT_name, DW_FORM_strp}});
  EXPECT_FALSE(units_stand_alone(Bytes(abbrev.begin(), abbrev.end() - 2)));
}

// Synthetic .debug_info: units of the given sizes (the length field
// included), each filled with a byte pattern of its own, zlib-compressed.
class SyntheticUnits : public ::testing::Test {
 protected:
  void make(const std::vector<uint64_t>& sizes) {
    plain_.clear();
    for (size_t i = 0; i < sizes.size(); ++i) {
      starts_.push_back(plain_.size());
      put<uint32_t>(plain_, static_cast<uint32_t>(sizes[i] - 4));
      for (uint64_t j = 4; j < sizes[i]; ++j) plain_.push_back(static_cast<unsigned char>(i * 31 + j * 7));
    }
    compress();
  }
  void compress() {
    libdeflate_compressor* c = libdeflate_alloc_compressor(6);
    zlib_.resize(libdeflate_zlib_compress_bound(c, plain_.size()));
    zlib_.resize(libdeflate_zlib_compress(c, plain_.data(), plain_.size(), zlib_.data(), zlib_.size()));
    libdeflate_free_compressor(c);
    map();
  }
  void map() {
    if (dest_ != nullptr) munmap(dest_, mapped_);
    mapped_ = plain_.size();
    dest_ = static_cast<unsigned char*>(
        mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    ASSERT_NE(dest_, MAP_FAILED);
  }
  void TearDown() override {
    if (dest_ != nullptr) munmap(dest_, mapped_);
    for (auto [stream, size] : streams_) munmap(stream, size);
  }
  // The stream as the inflater reads it in a run: a read-only mapping of a
  // file, whose pages it gives back once read (those of a heap buffer would
  // read as zeros from then on).
  const unsigned char* stream() {
    const int fd = memfd_create("zlib", MFD_CLOEXEC);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, zlib_.data(), zlib_.size()), static_cast<ssize_t>(zlib_.size()));
    void* mapped = mmap(nullptr, zlib_.size(), PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    EXPECT_NE(mapped, MAP_FAILED);
    streams_.emplace_back(mapped, zlib_.size());
    return static_cast<const unsigned char*>(mapped);
  }
  PartialDebugInfo partial() { return PartialDebugInfo(stream(), zlib_.size(), dest_, plain_.size()); }
  bool same(uint64_t begin, uint64_t end) const { return std::memcmp(dest_ + begin, plain_.data() + begin, end - begin) == 0; }

  Bytes plain_, zlib_;
  std::vector<uint64_t> starts_;
  unsigned char* dest_ = nullptr;
  size_t mapped_ = 0;
  std::vector<std::pair<void*, size_t>> streams_;
};

constexpr uint64_t kUnit = 256 << 10;

TEST_F(SyntheticUnits, KeepsTheWantedUnitsWholeAndTheHeadersOfTheOthers) {
  make({kUnit, kUnit, kUnit});
  PartialDebugInfo info = partial();
  ASSERT_TRUE(info.inflate({starts_[1]}));
  EXPECT_EQ(info.unit_count(), 3u);
  EXPECT_EQ(info.kept_unit_count(), 1u);
  EXPECT_EQ(info.unit_bytes(starts_[1]), kUnit);
  EXPECT_EQ(info.unit_bytes(starts_[0]), 0u);
  EXPECT_TRUE(same(starts_[1], starts_[1] + kUnit));
  EXPECT_TRUE(same(starts_[0], starts_[0] + PartialDebugInfo::kHeaderWindow));
  EXPECT_TRUE(same(starts_[2], starts_[2] + PartialDebugInfo::kHeaderWindow));
  EXPECT_EQ(info.kept_bytes(), kUnit + 2 * PartialDebugInfo::kHeaderWindow);
}

TEST_F(SyntheticUnits, ReadingAUnitThatWasNotKeptFaults) {
  make({kUnit, kUnit});
  PartialDebugInfo info = partial();
  ASSERT_TRUE(info.inflate({starts_[1]}));
  const volatile unsigned char* dropped = dest_ + starts_[0] + kUnit / 2;
  EXPECT_DEATH((void)*dropped, "");
  const volatile unsigned char* kept = dest_ + starts_[1] + kUnit / 2;
  EXPECT_EQ(*kept, plain_[starts_[1] + kUnit / 2]);
}

TEST_F(SyntheticUnits, InflatingAgainAddsUnitsAndKeepsTheEarlierOnes) {
  make({kUnit, kUnit, kUnit});
  PartialDebugInfo info = partial();
  ASSERT_TRUE(info.inflate({starts_[2]}));
  EXPECT_FALSE(info.holds(starts_[0]));
  ASSERT_TRUE(info.inflate({starts_[0]}));
  EXPECT_TRUE(info.holds(starts_[0]));
  EXPECT_TRUE(info.holds(starts_[2]));
  EXPECT_EQ(info.kept_unit_count(), 2u);
  EXPECT_TRUE(same(starts_[0], starts_[0] + kUnit));
  EXPECT_TRUE(same(starts_[2], starts_[2] + kUnit));
}

TEST_F(SyntheticUnits, EveryUnitCanBeKept) {
  make({kUnit, kUnit, kUnit});
  PartialDebugInfo info = partial();
  ASSERT_TRUE(info.inflate({starts_[1]}));
  ASSERT_TRUE(info.inflate_every_unit());
  EXPECT_EQ(info.kept_unit_count(), 3u);
  EXPECT_TRUE(info.holds(starts_[0]));
  EXPECT_TRUE(same(0, plain_.size()));
}

TEST_F(SyntheticUnits, UnitsShorterThanTheHeaderWindowAreFoundOneAfterAnother) {
  make({20, 100, 4, kUnit, 33});
  PartialDebugInfo info = partial();
  ASSERT_TRUE(info.inflate({starts_[4]}));
  EXPECT_EQ(info.unit_count(), 5u);
  EXPECT_EQ(info.unit_bytes(starts_[4]), 33u);
  EXPECT_TRUE(same(0, starts_[3] + PartialDebugInfo::kHeaderWindow));
}

TEST_F(SyntheticUnits, ASixtyFourBitUnitLengthIsRead) {
  for (uint64_t size : {kUnit, uint64_t{5000}}) {
    starts_.push_back(plain_.size());
    put<uint32_t>(plain_, 0xffffffff);
    put<uint64_t>(plain_, size - 12);
    for (uint64_t j = 12; j < size; ++j) plain_.push_back(static_cast<unsigned char>(j));
  }
  compress();
  PartialDebugInfo info = partial();
  ASSERT_TRUE(info.inflate({starts_[1]}));
  EXPECT_EQ(info.unit_count(), 2u);
  EXPECT_EQ(info.unit_bytes(starts_[1]), 5000u);
}

TEST_F(SyntheticUnits, AUnitRunningPastTheSectionIsRefused) {
  make({kUnit, kUnit});
  const uint32_t too_long = static_cast<uint32_t>(kUnit);  // 4 bytes more than remain
  std::memcpy(plain_.data() + starts_[1], &too_long, 4);
  compress();
  EXPECT_FALSE(partial().inflate({}));
}

TEST_F(SyntheticUnits, ACorruptStreamIsRefused) {
  make({kUnit, kUnit});
  zlib_[zlib_.size() / 2] ^= 0x55;
  zlib_[zlib_.size() / 2 + 1] ^= 0xaa;
  EXPECT_FALSE(partial().inflate({starts_[0]}));
}

TEST_F(SyntheticUnits, AStreamThatEndsEarlyIsRefused) {
  make({kUnit, kUnit});
  zlib_.resize(zlib_.size() / 2);
  EXPECT_FALSE(partial().inflate({starts_[0]}));
}

// Resume points: a stream records them; another PartialDebugInfo over the
// same stream inflates the units it wants from them, without the stream.
class ResumedUnits : public SyntheticUnits {
 protected:
  // Units of text-like bytes (words of a small vocabulary, in a random
  // order), which deflate codes in dynamic blocks as it does DWARF.
  void make_text(size_t units, uint64_t size) {
    uint64_t seed = 0x9e3779b97f4a7c15;
    auto next = [&] {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      return seed;
    };
    static const char* const kWords[] = {"DW_TAG_subprogram ", "inline ", "std::vector<int> ", "operator() ",
                                         "_ZN7hotspot ", "0x401000 ", "line 42 ", "abstract_origin "};
    plain_.clear();
    for (size_t i = 0; i < units; ++i) {
      starts_.push_back(plain_.size());
      put<uint32_t>(plain_, static_cast<uint32_t>(size - 4));
      while (plain_.size() < starts_.back() + size) {
        const char* word = kWords[next() % 8];
        plain_.insert(plain_.end(), word, word + std::strlen(word));
      }
      plain_.resize(starts_.back() + size);
    }
    compress();
  }
  // Records points every `spacing` bytes while streaming (keeping `kept`)
  // into an image of its own, which lives on as in a run (the points' unit
  // windows are in it), while dest_ is left for the run that resumes.
  const ResumePoints& record(uint64_t spacing, const std::set<uint64_t>& kept) {
    recorder_image_ = static_cast<unsigned char*>(
        mmap(nullptr, plain_.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    recorder_image_size_ = plain_.size();
    recorder_ = std::make_unique<PartialDebugInfo>(stream(), zlib_.size(), recorder_image_, plain_.size());
    recorder_->record_points(origin(), spacing);
    EXPECT_TRUE(recorder_->inflate(kept));
    static const ResumePoints kNone;
    return recorder_->recorded() != nullptr ? *recorder_->recorded() : kNone;
  }
  ResumePoints::Origin origin() const { return {1, 2, 3, zlib_.size(), plain_.size()}; }
  // Inflates `units` with `points` to resume from: whether it resumed
  // (rather than streamed) as `resumed` says, and those units whole.
  void expect_units_inflated(const ResumePoints& points, const std::vector<size_t>& units, bool resumed) {
    PartialDebugInfo info = partial();
    info.resume_from(&points);
    std::set<uint64_t> wanted;
    for (size_t unit : units) wanted.insert(starts_[unit]);
    ASSERT_TRUE(info.inflate(wanted));
    EXPECT_EQ(info.resumed(), resumed);
    EXPECT_EQ(info.kept_unit_count(), units.size());
    for (size_t unit : units) EXPECT_TRUE(same(starts_[unit], starts_[unit] + kUnit)) << "unit " << unit;
  }
  // A scratch file path, removed with its directory at the end.
  std::string scratch_file() {
    scratch_ = std::filesystem::temp_directory_path() / ("resume-points-" + std::to_string(getpid()));
    std::filesystem::create_directories(scratch_);
    return (scratch_ / "points.inflate").string();
  }
  void TearDown() override {
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_);
    recorder_.reset();
    if (recorder_image_ != nullptr) munmap(recorder_image_, recorder_image_size_);
    SyntheticUnits::TearDown();
  }

  std::unique_ptr<PartialDebugInfo> recorder_;
  unsigned char* recorder_image_ = nullptr;
  size_t recorder_image_size_ = 0;
  std::filesystem::path scratch_;
};

constexpr uint64_t kSpacing = 64 << 10;

TEST_F(ResumedUnits, AStreamRecordsAPointEverySpacingAndEveryUnitsFirstBytes) {
  make_text(12, kUnit);
  const ResumePoints& points = record(kSpacing, {starts_[5]});
  // The stream stops where its output buffer (1 MiB) or a kept unit ends:
  // a point at the first stop past every spacing, none at the end.
  ASSERT_GE(points.points.size(), 2u);
  for (size_t i = 1; i < points.points.size(); ++i) {
    EXPECT_GE(points.points[i].out_offset, points.points[i - 1].out_offset + kSpacing);
    EXPECT_GT(points.points[i].in_offset, points.points[i - 1].in_offset);
  }
  EXPECT_LT(points.points.back().out_offset, plain_.size());
  ASSERT_EQ(points.units.size(), 12u);
  for (size_t i = 0; i < 12; ++i) {
    EXPECT_EQ(points.units[i].offset, starts_[i]);
    EXPECT_EQ(points.units[i].size, kUnit);
    ASSERT_EQ(points.units[i].window.size(), PartialDebugInfo::kHeaderWindow);
    EXPECT_EQ(std::memcmp(points.units[i].window.data(), plain_.data() + starts_[i], PartialDebugInfo::kHeaderWindow), 0);
  }
}

TEST_F(ResumedUnits, UnitsInflatedFromThePointsAreTheStreamedOnes) {
  make_text(16, kUnit);
  const ResumePoints& points = record(kSpacing, {starts_[0]});
  ASSERT_GT(points.points.size(), 2u);
  // Units 3 and 4 follow each other (the second from where the first
  // ends), 10 and 15 each after a point.
  expect_units_inflated(points, {3, 4, 10, 15}, true);
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_TRUE(same(starts_[i], starts_[i] + PartialDebugInfo::kHeaderWindow)) << "unit " << i << "'s header";
  }
}

TEST_F(ResumedUnits, AUnitAfterAPointNeedsNoneOfTheStreamBeforeIt) {
  make_text(8, kUnit);
  const ResumePoints& points = record(kSpacing, {});
  const ResumePoints::Point* point = points.point_before(starts_[7]);
  ASSERT_NE(point, nullptr);
  ASSERT_GT(point->in_offset, ResumePoints::kInCheck);
  // Everything before the point but the bytes it checks, wiped.
  std::memset(zlib_.data(), 0, point->in_offset - ResumePoints::kInCheck);
  expect_units_inflated(points, {7}, true);
}

TEST_F(ResumedUnits, TheFirstUnitsAreInflatedFromTheStreamsStart) {
  make_text(6, kUnit);
  expect_units_inflated(record(kSpacing, {}), {0}, true);
}

TEST_F(ResumedUnits, PointsReadBackFromTheirFileResumeAlike) {
  make_text(8, kUnit);
  const ResumePoints& recorded = record(kSpacing, {});
  const std::string path = scratch_file();
  recorded.write(path);
  std::optional<ResumePoints> read = ResumePoints::read(path);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->origin, recorded.origin);
  ASSERT_EQ(read->points.size(), recorded.points.size());
  EXPECT_EQ(read->units.size(), recorded.units.size());
  expect_units_inflated(*read, {6}, true);
}

TEST_F(ResumedUnits, AFileWithAByteChangedIsNotRead) {
  make_text(4, kUnit);
  const ResumePoints& recorded = record(kSpacing, {});
  const std::string path = scratch_file();
  recorded.write(path);
  ASSERT_TRUE(ResumePoints::read(path).has_value());
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(200);
    file.put('\x5a');
  }
  EXPECT_FALSE(ResumePoints::read(path).has_value());
  std::filesystem::resize_file(path, 150);
  EXPECT_FALSE(ResumePoints::read(path).has_value()) << "truncated";
  std::filesystem::remove(path);
  EXPECT_FALSE(ResumePoints::read(path).has_value()) << "missing";
}

TEST_F(ResumedUnits, PointsWhoseStreamBytesDifferAreNotResumedFromButStreamed) {
  make_text(8, kUnit);
  const ResumePoints& recorded = record(kSpacing, {});
  ResumePoints points;
  points.origin = recorded.origin;
  points.points = recorded.points;
  points.units = recorded.units;
  ASSERT_FALSE(points.points.empty());
  for (ResumePoints::Point& point : points.points) point.in_crc ^= 1;  // as if the stream had changed
  expect_units_inflated(points, {7}, false);
}

TEST_F(ResumedUnits, PointsOfAnotherStreamAreNotResumedFromButStreamed) {
  make_text(8, kUnit);
  const ResumePoints& points = record(kSpacing, {});
  starts_.clear();
  make({kUnit, kUnit, kUnit});  // another section, of another size
  expect_units_inflated(points, {1}, false);
}

}  // namespace
}  // namespace hprof
