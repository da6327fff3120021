#include "symbolize/index/object_index.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/diagnostics.h"
#include "symbolize/index/index_eviction.h"

namespace hprof {

std::optional<IndexKey> ObjectIndex::key() {
  std::optional<IndexSource> file = index_source_of(module_->path());
  if (!file) return std::nullopt;
  IndexKey key;
  key.build_id = module_->build_id();
  key.sources.push_back(std::move(*file));
  if (const std::string& debug_path = module_->debug_file_path(); !debug_path.empty()) {
    std::optional<IndexSource> debug = index_source_of(debug_path);
    if (!debug) return std::nullopt;
    key.sources.push_back(std::move(*debug));
  }
  // The answers are also this program's: another build of it may name
  // things otherwise, so its index is not this one's.
  static const std::optional<IndexSource> self = [] {
    std::error_code ec;  // no /proc: no index rather than an exception
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::nullopt : index_source_of(exe);
  }();
  if (!self) return std::nullopt;
  key.sources.push_back(*self);
  return key;
}

const SymbolIndex* ObjectIndex::read() {
  if (state_ != State::kUnchecked) return index_.get();
  key_ = key();
  if (!key_) {
    state_ = State::kOff;
    return nullptr;
  }
  const std::string path = index_path(dir_, *key_);
  SymbolIndex::Opened opened = SymbolIndex::open(path, *key_);
  if (opened.index) {
    index_ = std::move(opened.index);
    state_ = State::kRead;
    return index_.get();
  }
  state_ = State::kWanted;
  warn_rejected(opened, path);
  return nullptr;
}

void ObjectIndex::warn_rejected(const SymbolIndex::Opened& opened, const std::string& path) const {
  Diagnostics* diags = module_->search().diags;
  if (opened.rejection == IndexRejection::kMissing || diags == nullptr) return;
  if (opened.changed_source == key_->sources.size() - 1) {
    // hprof-text itself (the key's last source) was rebuilt: one cause for
    // every index of the directory, said once.
    diags->warn_once("index-self", fmt::format("{}: symbol indexes written by another build of {} are not used; "
                                               "they are rebuilt",
                                               dir_, key_->sources.back().path));
    return;
  }
  if (opened.rejection == IndexRejection::kVersion) {
    // Written by an hprof-text of another index format (an upgrade): every
    // index of the directory, one cause, said once.
    diags->warn_once("index-version", fmt::format("{}: symbol indexes in another format are not used ({}); they are "
                                                  "rebuilt",
                                                  dir_, opened.reason));
    return;
  }
  if (opened.rejection == IndexRejection::kUnreadable) {
    // Permissions or I/O: the directory's, most likely; said once.
    diags->warn_once("index-unreadable",
                     fmt::format("{}: symbol index not readable ({}); it is rebuilt", path, opened.reason));
    return;
  }
  diags->warn_once("index:" + path, fmt::format("{}: symbol index not used ({}); it is rebuilt for {}", path,
                                                opened.reason, module_->path()));
}

void ObjectIndex::write(const NameSources& sources) {
  if ((state_ != State::kWanted && state_ != State::kRead) || !key_) return;
  IndexContents contents;
  const std::array<NameSource*, kIndexParts> in_order = sources.all();
  for (size_t part = 0; part < kIndexParts; ++part) in_order[part]->save(contents, contents.parts[part]);
  const std::string path = index_path(dir_, *key_);
  SymbolIndex::write(path, *key_, contents);
  state_ = State::kWritten;
  remove_superseded_indexes(dir_, *key_, path);
}

std::string ObjectIndex::resume_points_path() const {
  if (state_ == State::kOff || state_ == State::kUnchecked || !key_) return {};
  return hprof::resume_points_path(index_path(dir_, *key_));
}

std::string ObjectIndex::description() const {
  switch (state_) {
    case State::kOff:
    case State::kUnchecked:
      return "off";
    case State::kRead:
      return "read:" + index_path(dir_, *key_);
    case State::kWanted:
    case State::kWritten:
      return "to-write:" + index_path(dir_, *key_);
  }
  return "off";
}

}  // namespace hprof
