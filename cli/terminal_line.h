// One line of a terminal redrawn in place: what the progress lines of
// cli/progress.h and cli/progress_ticker.h draw and erase.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace hprof {

class TerminalLine {
 public:
  explicit TerminalLine(std::ostream& out) : out_(&out) {}

  // '\r' and `text`, blanks over the rest of a longer line drawn before, and
  // the cursor left after `text`.
  void draw(const std::string& text);
  // Blanks over the line, the cursor at its start; nothing when none is shown.
  void erase();
  bool shown() const { return width_ != 0; }
  std::ostream& out() { return *out_; }

 private:
  std::ostream* out_;
  std::size_t width_ = 0;  // columns of the line on screen; 0 when none
};

}  // namespace hprof
