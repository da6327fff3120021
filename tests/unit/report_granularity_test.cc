// What one row stands for under --lines, --addresses and --files: the names
// the Go pprof's NameComponents gives, " (inline)" after the whole name, and
// cum counting each row once per stack in every mode.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "profile_builder.h"
#include "report/report.h"

namespace hprof {
namespace {

using ::hprof::testing::at;
using ::hprof::testing::fn;
using ::hprof::testing::names;
using ::hprof::testing::ProfileBuilder;
using ::hprof::testing::row;
using ::hprof::testing::src;

Report build(const std::vector<ReportProfile>& profiles, Granularity granularity) {
  ReportOptions o;
  o.granularity = granularity;
  return build_report(profiles, o);
}
Report build(const ProfileBuilder& b, Granularity granularity) { return build({b.build()}, granularity); }

// --- --lines -----------------------------------------------------------------

TEST(Lines, RowIsFunctionFileAndLine) {
  ProfileBuilder b;
  b.sample(64, {{src("leak", "/src/a.cc", 12)}, {src("main", "/src/a.cc", 40)}});
  Report r = build(b, Granularity::kLines);
  EXPECT_EQ(names(r), (std::vector<std::string>{"leak /src/a.cc:12", "main /src/a.cc:40"}));
}

TEST(Lines, InlineMarkComesAfterTheWholeName) {
  ProfileBuilder b;
  b.sample(64, {{src("leak_malloc", "/src/workload.cc", 31, true), src("main", "/src/workload.cc", 50)}});
  Report r = build(b, Granularity::kLines);
  ASSERT_TRUE(row(r, "leak_malloc /src/workload.cc:31 (inline)"));
  EXPECT_EQ(row(r, "leak_malloc /src/workload.cc:31 (inline)")->flat, 64);
  EXPECT_EQ(row(r, "main /src/workload.cc:50")->cum, 64);
}

TEST(Lines, FileWithoutLineIsNameAndFile) {
  ProfileBuilder b;
  b.sample(5, {{src("f", "/src/a.cc", 0)}});
  EXPECT_EQ(names(build(b, Granularity::kLines)), (std::vector<std::string>{"f /src/a.cc"}));
}

TEST(Lines, FramesWithoutSourceAndPlaceholdersKeepTheirName) {
  ProfileBuilder b;
  b.sample(4, {{fn("deflateInit2_")}}).sample(3, {{fn("[libz.so.1]")}}).sample(2, {{fn("libz.so.1+0xab40")}});
  b.sample(1, {{fn("[anon:jit]")}}).sample(1, {{fn("<unknown>")}});
  EXPECT_EQ(names(build(b, Granularity::kLines)),
            (std::vector<std::string>{"deflateInit2_", "[libz.so.1]", "libz.so.1+0xab40", "<unknown>", "[anon:jit]"}));
}

TEST(Lines, FileNamesAreCleanedLikeGo) {
  ProfileBuilder b;
  b.sample(3, {{src("_IO_doallocbuf", "./libio/genops.c", 342)}})
      .sample(2, {{src("f", "/a//b/./c/../d.cc", 7)}})
      .sample(1, {{src("g", "../elf/dl-tls.c", 401)}});
  EXPECT_EQ(names(build(b, Granularity::kLines)),
            (std::vector<std::string>{"_IO_doallocbuf libio/genops.c:342", "f /a/b/d.cc:7", "g ../elf/dl-tls.c:401"}));
}

TEST(Lines, CleaningEdgeCasesAreGos) {
  // filepath.Clean: "." stays ".", anything that cancels out is ".", and
  // ".." above the root is the root.
  ProfileBuilder b;
  b.sample(6, {{src("a", ".", 1)}})
      .sample(5, {{src("b", "x/..", 2)}})
      .sample(4, {{src("c", "/..", 3)}})
      .sample(3, {{src("d", "/../../e.cc", 4)}})
      .sample(2, {{src("f", "../../g.cc", 5)}})
      .sample(1, {{src("h", "i/../../j.cc/", 6)}});
  EXPECT_EQ(names(build(b, Granularity::kLines)),
            (std::vector<std::string>{"a .:1", "b .:2", "c /:3", "d /e.cc:4", "f ../../g.cc:5", "h ../j.cc:6"}));
}

TEST(Lines, EachCallSiteOfAFunctionIsItsOwnRow) {
  ProfileBuilder b;
  b.sample(10, {{src("leak", "/a.cc", 3)}, {src("main", "/a.cc", 50)}})
      .sample(7, {{src("leak", "/a.cc", 3)}, {src("main", "/a.cc", 56)}});
  Report r = build(b, Granularity::kLines);
  EXPECT_EQ(row(r, "leak /a.cc:3")->flat, 17);
  EXPECT_EQ(row(r, "main /a.cc:50")->cum, 10);
  EXPECT_EQ(row(r, "main /a.cc:56")->cum, 7);
}

TEST(Lines, CumCountsALineOncePerStack) {
  // Recursion through the same call site: the line is in the stack 3 times.
  ProfileBuilder b;
  b.sample(8, {{src("recurse", "/a.cc", 36)}, {src("recurse", "/a.cc", 35)}, {src("recurse", "/a.cc", 35)}});
  Report r = build(b, Granularity::kLines);
  EXPECT_EQ(row(r, "recurse /a.cc:35")->cum, 8);
  EXPECT_EQ(row(r, "recurse /a.cc:36")->flat, 8);
}

// --- --addresses -------------------------------------------------------------

TEST(Addresses, RowIsTheLookedUpAddressThenTheLineName) {
  ProfileBuilder b;
  b.sample_at(64, {at(0x5560'41a9'70e9, {"/bin/w", 0x10e9}, {src("main", "/src/w.cc", 50)})});
  EXPECT_EQ(names(build(b, Granularity::kAddresses)),
            (std::vector<std::string>{"0x0000556041a970e9 main /src/w.cc:50"}));
}

TEST(Addresses, SameFunctionAtTwoPcsIsTwoRows) {
  ProfileBuilder b;
  b.sample_at(80, {at(0x7f00'0000'1159, {"/lib/libw.so", 0x1159}, {src("Pool::grab", "/w.cc", 11)})});
  b.sample_at(16, {at(0x7f00'0000'1189, {"/lib/libw.so", 0x1189}, {src("Pool::grab", "/w.cc", 11)})});
  Report r = build(b, Granularity::kAddresses);
  EXPECT_EQ(names(r), (std::vector<std::string>{"0x00007f0000001159 Pool::grab /w.cc:11",
                                                "0x00007f0000001189 Pool::grab /w.cc:11"}));
}

TEST(Addresses, InlinedFramesAtOnePcAreSeparateRowsWithTheSameAddress) {
  ProfileBuilder b;
  b.sample_at(64, {at(0x10e9, {"/bin/w", 0x10e9},
                      {src("leak_malloc", "/w.cc", 31, true), src("main", "/w.cc", 50)})});
  Report r = build(b, Granularity::kAddresses);
  EXPECT_EQ(row(r, "0x00000000000010e9 leak_malloc /w.cc:31 (inline)")->flat, 64);
  EXPECT_EQ(row(r, "0x00000000000010e9 main /w.cc:50")->cum, 64);
}

TEST(Addresses, AnotherRunAtAnotherAddressLandsOnTheFirstProfilesRow) {
  // Same object and file offset, loaded elsewhere (ASLR).
  ProfileBuilder first, second;
  first.sample_at(10, {at(0x5560'0000'10e9, {"/bin/w", 0x10e9}, {src("main", "/w.cc", 50)})});
  second.sample_at(5, {at(0x5599'0000'10e9, {"/bin/w", 0x10e9}, {src("main", "/w.cc", 50)})});
  Report r = build({first.build(), second.build()}, Granularity::kAddresses);
  EXPECT_EQ(names(r), (std::vector<std::string>{"0x00005560000010e9 main /w.cc:50"}));
  EXPECT_EQ(r.rows[0].flat, 15);
}

TEST(Addresses, SameOffsetInAnotherObjectIsAnotherRow) {
  ProfileBuilder b;
  b.sample_at(10, {at(0x1000, {"/lib/liba.so", 0x40}, {fn("f")})});
  b.sample_at(5, {at(0x2000, {"/lib/libb.so", 0x40}, {fn("f")})});
  EXPECT_EQ(build(b, Granularity::kAddresses).rows.size(), 2u);
}

TEST(Addresses, CumCountsAPcOncePerStack) {
  ProfileBuilder b;
  const ProfileLocation call = at(0x200, {"/bin/w", 0x200}, {fn("recurse")});
  b.sample_at(8, {at(0x100, {"/bin/w", 0x100}, {fn("recurse")}), call, call});
  Report r = build(b, Granularity::kAddresses);
  EXPECT_EQ(row(r, "0x0000000000000200 recurse")->cum, 8);
}

// --- --files -----------------------------------------------------------------

TEST(Files, RowIsTheSourceFile) {
  ProfileBuilder b;
  b.sample(7, {{src("lib_leak", "/src/libwork.cc", 19)}, {src("main", "/src/workload.cc", 56)}})
      .sample(3, {{src("grab", "/src/libwork.cc", 11)}, {src("main", "/src/workload.cc", 53)}});
  Report r = build(b, Granularity::kFiles);
  EXPECT_EQ(row(r, "/src/libwork.cc")->flat, 10);
  EXPECT_EQ(row(r, "/src/workload.cc")->cum, 10);
  EXPECT_EQ(r.rows.size(), 2u);
}

TEST(Files, CodeWithoutSourceIsItsObjectInBrackets) {
  ProfileBuilder b;
  b.sample_at(9, {at(0x7f00'0000'4000, {"/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", 0x4000}, {fn("deflateInit2_")})});
  b.sample_at(1, {at(0x7f00'0000'5000, {"/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", 0x5000},
                     {fn("libz.so.1.2.13+0xab40")})});
  EXPECT_EQ(names(build(b, Granularity::kFiles)), (std::vector<std::string>{"[libz.so.1.2.13]"}));
}

TEST(Files, CodeOutsideAnyFileKeepsItsPlaceholder) {
  ProfileBuilder b;
  b.sample_at(3, {at(0x7f00'0000'0100, {"", 0x7f00'0000'0100}, {fn("[anon:jit]")})});
  b.sample_at(2, {at(0x7f00'0000'0200, {"[vdso]", 0x200}, {fn("[vdso]")})});
  b.sample_at(1, {at(0x10, {"", 0x10}, {fn("<unknown>")})});
  EXPECT_EQ(names(build(b, Granularity::kFiles)), (std::vector<std::string>{"[anon:jit]", "[vdso]", "<unknown>"}));
}

TEST(Files, AFrameWithNoNameAndNoFileOutsideAnyObjectIsUnknown) {
  ProfileBuilder b;
  b.sample_at(1, {at(0x10, {"", 0x10}, {fn("")})});
  EXPECT_EQ(names(build(b, Granularity::kFiles)), (std::vector<std::string>{"<unknown>"}));
}

TEST(Files, InlinedCodeKeepsTheInlineMark) {
  ProfileBuilder b;
  b.sample(64, {{src("leak_malloc", "/w.cc", 31, true), src("main", "/w.cc", 50)}});
  Report r = build(b, Granularity::kFiles);
  EXPECT_EQ(row(r, "/w.cc (inline)")->flat, 64);
  EXPECT_EQ(row(r, "/w.cc")->flat, 0);
  EXPECT_EQ(row(r, "/w.cc")->cum, 64);
}

TEST(Files, CumCountsAFileOncePerStack) {
  ProfileBuilder b;
  b.sample(8, {{src("a", "/x.cc", 1)}, {src("b", "/y.cc", 2)}, {src("c", "/x.cc", 3)}});
  Report r = build(b, Granularity::kFiles);
  EXPECT_EQ(row(r, "/x.cc")->cum, 8);
  EXPECT_EQ(row(r, "/x.cc")->flat, 8);
  EXPECT_EQ(row(r, "/y.cc")->cum, 8);
}

TEST(Functions, SourcePositionsDoNotSplitAFunction) {
  ProfileBuilder b;
  b.sample(10, {{src("leak", "/a.cc", 3)}, {src("main", "/a.cc", 50)}})
      .sample(7, {{src("leak", "/a.cc", 4)}, {src("main", "/a.cc", 56)}});
  Report r = build(b, Granularity::kFunctions);
  EXPECT_EQ(names(r), (std::vector<std::string>{"leak", "main"}));
  EXPECT_EQ(row(r, "main")->cum, 17);
}

}  // namespace
}  // namespace hprof
