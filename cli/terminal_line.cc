#include "cli/terminal_line.h"

namespace hprof {

void TerminalLine::draw(const std::string& text) {
  const std::size_t pad = width_ > text.size() ? width_ - text.size() : 0;
  *out_ << '\r' << text << std::string(pad, ' ');
  if (pad > 0) *out_ << '\r' << text;
  out_->flush();
  width_ = text.size();
}

void TerminalLine::erase() {
  if (width_ == 0) return;
  *out_ << '\r' << std::string(width_, ' ') << '\r';
  out_->flush();
  width_ = 0;
}

}  // namespace hprof
