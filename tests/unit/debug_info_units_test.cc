// .debug_info kept in part: which units answer for an address (from
// .debug_aranges bytes written here), whether units stand alone (from
// .debug_abbrev bytes), and the streaming inflater on synthetic units.
#include "symbolize/dwarf/debug_info_units.h"

#include <dwarf.h>
#include <gtest/gtest.h>
#include <libdeflate.h>
#include <sys/mman.h>

#include <cstring>
#include <set>
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
    if (dest_ != nullptr) munmap(dest_, plain_.size());
    dest_ = static_cast<unsigned char*>(
        mmap(nullptr, plain_.size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    ASSERT_NE(dest_, MAP_FAILED);
  }
  void TearDown() override {
    if (dest_ != nullptr) munmap(dest_, plain_.size());
  }
  PartialDebugInfo partial() { return PartialDebugInfo(zlib_.data(), zlib_.size(), dest_, plain_.size()); }
  bool same(uint64_t begin, uint64_t end) const { return std::memcmp(dest_ + begin, plain_.data() + begin, end - begin) == 0; }

  Bytes plain_, zlib_;
  std::vector<uint64_t> starts_;
  unsigned char* dest_ = nullptr;
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

}  // namespace
}  // namespace hprof
