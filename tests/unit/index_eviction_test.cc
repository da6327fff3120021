// remove_superseded_indexes and index_origin: an index written for a new
// build of a file removes the indexes of its older builds at the same path,
// and nothing else.
#include "symbolize/index/index_eviction.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "symbolize/index/symbol_index.h"

namespace hprof {
namespace {

namespace fs = std::filesystem;

IndexKey key(std::string build_id, std::string file, std::string debug_file = "") {
  IndexKey k{std::move(build_id), {{std::move(file), 100, 200}}};
  if (!debug_file.empty()) k.sources.push_back({std::move(debug_file), 300, 400});
  k.sources.push_back({"/usr/local/bin/hprof-text", 500, 600});
  return k;
}

class IndexEviction : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("index-eviction-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes an (empty) index for `k` where hprof-text would, and returns its path.
  std::string write(const IndexKey& k) {
    const std::string path = index_path(dir_.string(), k);
    SymbolIndex::write(path, k, IndexContents{});
    return path;
  }
  std::set<std::string> files() const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.insert(entry.path().string());
    return names;
  }

  fs::path dir_;
};

TEST_F(IndexEviction, OriginIsTheBuildIdAndTheFirstSourcesPath) {
  const std::string path = write(key("aa11", "/usr/lib/libz.so.1", "/usr/lib/debug/.build-id/aa/11.debug"));
  std::optional<IndexOrigin> origin = index_origin(path);
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->build_id, "aa11");
  EXPECT_EQ(origin->file, "/usr/lib/libz.so.1");
}

TEST_F(IndexEviction, OriginOfWhatIsNotAnIndexIsNone) {
  std::ofstream(dir_ / "text.idx") << "not an index\n";
  std::ofstream(dir_ / "empty.idx");
  const std::string cut = write(key("aa11", "/usr/lib/libz.so.1"));
  fs::resize_file(cut, fs::file_size(cut) - 1);
  EXPECT_FALSE(index_origin((dir_ / "text.idx").string()));
  EXPECT_FALSE(index_origin((dir_ / "empty.idx").string()));
  EXPECT_FALSE(index_origin(cut));
  EXPECT_FALSE(index_origin((dir_ / "missing.idx").string()));
  EXPECT_FALSE(index_origin(dir_.string()));
}

TEST_F(IndexEviction, AnotherBuildAtTheSamePathIsRemoved) {
  const std::string old_build = write(key("aa11", "/opt/app/server", "/usr/lib/debug/.build-id/aa/11.debug"));
  const std::string new_build = write(key("bb22", "/opt/app/server", "/usr/lib/debug/.build-id/bb/22.debug"));
  remove_superseded_indexes(dir_.string(), key("bb22", "/opt/app/server", "/usr/lib/debug/.build-id/bb/22.debug"),
                            new_build);
  EXPECT_EQ(files(), std::set<std::string>{new_build});
  EXPECT_NE(old_build, new_build);
}

TEST_F(IndexEviction, TheResumePointsOfARemovedIndexGoWithItAndOthersStay) {
  const std::string old_build = write(key("aa11", "/opt/app/server"));
  const std::string other_file = write(key("cc33", "/opt/app/libother.so"));
  for (const std::string& index : {old_build, other_file}) std::ofstream(resume_points_path(index)) << "points\n";
  const std::string new_build = write(key("bb22", "/opt/app/server"));
  remove_superseded_indexes(dir_.string(), key("bb22", "/opt/app/server"), new_build);
  EXPECT_EQ(files(), (std::set<std::string>{new_build, other_file, resume_points_path(other_file)}));
}

TEST_F(IndexEviction, ABuildWithoutBuildIdSupersedesOneWithAndTheOtherWayRound) {
  const std::string with_id = write(key("aa11", "/opt/app/server"));
  const std::string without = write(key("", "/opt/app/server"));
  remove_superseded_indexes(dir_.string(), key("", "/opt/app/server"), without);
  EXPECT_EQ(files(), std::set<std::string>{without});
  const std::string again = write(key("cc33", "/opt/app/server"));
  remove_superseded_indexes(dir_.string(), key("cc33", "/opt/app/server"), again);
  EXPECT_EQ(files(), std::set<std::string>{again});
}

TEST_F(IndexEviction, OtherFilesTheSameBuildElsewhereAndItsOtherDebugFilesStay) {
  const IndexKey now = key("bb22", "/opt/app/server");
  const std::set<std::string> kept = {
      write(key("aa11", "/opt/app/libother.so")),                    // another file
      write(key("aa11", "/srv/prod/opt/app/server")),                // another path (a --lib_prefix copy)
      write(key("bb22", "/opt/app/server", "/elsewhere/server.debug")),  // the same build, another debug file
      write(now)};
  std::ofstream(dir_ / "notes.txt") << "mine\n";
  std::ofstream(dir_ / "broken.idx") << "HPROFIDX";
  remove_superseded_indexes(dir_.string(), now, index_path(dir_.string(), now));
  std::set<std::string> expected = kept;
  expected.insert((dir_ / "notes.txt").string());
  expected.insert((dir_ / "broken.idx").string());
  EXPECT_EQ(files(), expected);
}

TEST_F(IndexEviction, AMissingDirectoryIsNoError) {
  EXPECT_NO_THROW(remove_superseded_indexes((dir_ / "none").string(), key("aa11", "/x"), (dir_ / "none/a.idx").string()));
}

}  // namespace
}  // namespace hprof
