// The progress line of a single run on a terminal: when a run takes longer
// than a second, one line on stderr says what it is doing (common/activity.h),
//   hprof-text: reading the debug info of libjvm.so ...
// redrawn in place as that changes, erased before anything else is written
// to stderr, before the report goes to stdout (which may be the same
// terminal), and when the run ends.  Nothing at all, and no thread, when
// stderr is not a terminal.  (--output-suffix draws its own: cli/progress.h.)
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>

#include "cli/terminal_line.h"

namespace hprof {

class ProgressTicker {
 public:
  // `enabled`: stderr is a terminal.  `delay`: how long a run goes unseen.
  ProgressTicker(std::ostream& err, bool enabled, std::chrono::milliseconds delay = std::chrono::seconds(1));
  ~ProgressTicker();  // erases the line; the thread ends
  ProgressTicker(const ProgressTicker&) = delete;
  ProgressTicker& operator=(const ProgressTicker&) = delete;

  // Erases the line and draws none until resume(): the report is being written.
  void pause();
  void resume();

  // `err`, erasing the line before anything is written to it.
  std::ostream& stream() { return stream_; }

 private:
  class ClearingBuf : public std::streambuf {
   public:
    explicit ClearingBuf(ProgressTicker& ticker) : ticker_(&ticker) {}

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    ProgressTicker* ticker_;
  };

  void tick();

  TerminalLine line_;
  std::chrono::milliseconds delay_;
  std::mutex mutex_;  // line_ and its stream, and the state below
  std::condition_variable wake_;
  bool stopping_ = false;
  bool paused_ = false;
  bool message_open_ = false;    // a message on stderr has not ended its line: no drawing over it
  uint64_t shown_generation_ = 0;
  ClearingBuf buf_;
  std::ostream stream_;
  std::thread thread_;  // last: started once the rest is ready
};

// The line's text for `what` (no '\r'), at most 79 columns: "hprof-text: "
// WHAT " ...", cut on the right.
std::string ticker_text(const std::string& what);

}  // namespace hprof
