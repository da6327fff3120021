// The batch mode's progress line on stderr, e.g.
//   hprof-text: [##########          ] 3/6 rec.0003.heap
// redrawn in place with '\r' and erased at the end; nothing at all when
// stderr is not a terminal.  Diagnostics go through stream(), which erases
// the line before any message so that messages never mix with it.
#pragma once

#include <cstddef>
#include <ostream>
#include <streambuf>
#include <string>

#include "cli/terminal_line.h"

namespace hprof {

class ProgressLine {
 public:
  // `enabled`: stderr is a terminal.  `total`: the number of files.
  ProgressLine(std::ostream& err, bool enabled, std::size_t total);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Shows that the `index`-th file (1-based) is being worked on.
  void show(std::size_t index, const std::string& path);
  // Erases the line, if shown.
  void clear();

  // `err`, erasing the line before anything is written to it.
  std::ostream& stream() { return stream_; }

 private:
  class ClearingBuf : public std::streambuf {
   public:
    explicit ClearingBuf(ProgressLine& line) : line_(&line) {}

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    ProgressLine* line_;
  };

  TerminalLine line_;
  bool enabled_;
  std::size_t total_;
  ClearingBuf buf_;
  std::ostream stream_;
};

// The line's text for the `index`-th of `total` files (no '\r'), at most 79
// columns: the bar is 20 columns, the file's base name is cut on the left.
std::string progress_text(std::size_t index, std::size_t total, const std::string& path);

}  // namespace hprof
