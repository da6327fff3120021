#include "cli/progress.h"

#include <fmt/format.h>

#include "common/paths.h"

namespace hprof {

namespace {
constexpr std::size_t kBarWidth = 20;
constexpr std::size_t kMaxColumns = 79;  // one column short of 80, so the line never wraps
}  // namespace

std::string progress_text(std::size_t index, std::size_t total, const std::string& path) {
  std::size_t filled = total == 0 ? kBarWidth : index * kBarWidth / total;
  std::string name = basename_of(path);
  std::string text = fmt::format("hprof-text: [{}{}] {}/{} ", std::string(filled, '#'),
                                 std::string(kBarWidth - filled, ' '), index, total);
  if (text.size() + name.size() > kMaxColumns) {
    std::size_t room = kMaxColumns > text.size() + 3 ? kMaxColumns - text.size() - 3 : 0;
    name = "..." + name.substr(name.size() - room);
  }
  return text + name;
}

ProgressLine::ProgressLine(std::ostream& err, bool enabled, std::size_t total)
    : line_(err), enabled_(enabled), total_(total), buf_(*this), stream_(&buf_) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::show(std::size_t index, const std::string& path) {
  if (!enabled_) return;
  line_.draw(progress_text(index, total_, path));
}

void ProgressLine::clear() { line_.erase(); }

ProgressLine::ClearingBuf::int_type ProgressLine::ClearingBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  line_->clear();
  line_->line_.out().put(traits_type::to_char_type(c));
  return line_->line_.out().good() ? c : traits_type::eof();
}

std::streamsize ProgressLine::ClearingBuf::xsputn(const char* s, std::streamsize n) {
  line_->clear();
  line_->line_.out().write(s, n);
  return line_->line_.out().good() ? n : 0;
}

int ProgressLine::ClearingBuf::sync() {
  line_->line_.out().flush();
  return line_->line_.out().good() ? 0 : -1;
}

}  // namespace hprof
