// SymbolTable: which symbol names an address when symbols share a start,
// nest, or leave gaps.
#include "symbolize/elf/symbol_table.h"

#include <gtest/gtest.h>

#include <string>

namespace hprof {
namespace {

std::string name_at(const SymbolTable& table, uint64_t address) {
  const SymbolTable::Symbol* symbol = table.find(address);
  return symbol != nullptr ? symbol->name : "(none)";
}

TEST(SymbolTable, KeepsTheLargestOfSymbolsAtOneAddress) {
  SymbolTable table;
  table.add({0x1000, 0x10, "small"});
  table.add({0x1000, 0x40, "large"});
  table.add({0x1000, 0x20, "middle"});
  table.finish();
  EXPECT_EQ(name_at(table, 0x1000), "large");
  EXPECT_EQ(name_at(table, 0x1008), "large");
  // Past the smaller ones' ends, still inside the largest.
  EXPECT_EQ(name_at(table, 0x1030), "large");
  EXPECT_EQ(name_at(table, 0x1040), "(none)");
}

TEST(SymbolTable, AmongEqualSizesAtOneAddressKeepsTheLastAdded) {
  SymbolTable table;
  table.add({0x1000, 0x10, "local_alias"});
  table.add({0x1000, 0x10, "global"});
  table.finish();
  EXPECT_EQ(name_at(table, 0x1004), "global");
}

TEST(SymbolTable, NestedSymbolsGiveTheSmallestHolder) {
  SymbolTable table;
  table.add({0x1000, 0x100, "outer"});
  table.add({0x1040, 0x20, "inner"});
  table.add({0x1048, 0x8, "innermost"});
  table.add({0x1200, 0x10, "after"});
  table.finish();
  EXPECT_EQ(name_at(table, 0x1000), "outer");
  EXPECT_EQ(name_at(table, 0x1044), "inner");
  EXPECT_EQ(name_at(table, 0x104c), "innermost");
  EXPECT_EQ(name_at(table, 0x1050), "inner");     // past innermost, inside inner
  EXPECT_EQ(name_at(table, 0x1080), "outer");     // past inner: the outer one holds it again
  EXPECT_EQ(name_at(table, 0x1204), "after");
}

TEST(SymbolTable, OnlySizedSymbolsClaimAddresses) {
  SymbolTable table;
  table.add({0x1000, 0x10, "sized"});
  table.add({0x2000, 0, "unsized"});
  table.finish();
  EXPECT_EQ(name_at(table, 0x1000), "sized");
  EXPECT_EQ(name_at(table, 0x100f), "sized");
  // No nearest-symbol guess: past the end, in a gap, at an unsized symbol,
  // before the first symbol.
  EXPECT_EQ(name_at(table, 0x1010), "(none)");
  EXPECT_EQ(name_at(table, 0x1800), "(none)");
  EXPECT_EQ(name_at(table, 0x2000), "(none)");
  EXPECT_EQ(name_at(table, 0x2004), "(none)");
  EXPECT_EQ(name_at(table, 0x0fff), "(none)");
}

TEST(SymbolTable, EmptyTableFindsNothing) {
  SymbolTable table;
  table.finish();
  EXPECT_EQ(table.find(0), nullptr);
  EXPECT_EQ(table.find(0x1000), nullptr);
}

}  // namespace
}  // namespace hprof
