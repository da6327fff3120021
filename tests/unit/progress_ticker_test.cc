// A single run's progress line on a terminal (cli/progress_ticker.h) and
// the activity it shows (common/activity.h).
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>

#include "cli/progress_ticker.h"
#include "common/activity.h"

namespace hprof {
namespace {

using std::chrono::milliseconds;

// A terminal stand-in that the ticker's thread and the test read and write at once.
class TerminalSink : public std::streambuf {
 public:
  std::string text() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }
  // Waits (up to 10 s) until the text contains `needle`.
  bool shows(const std::string& needle) {
    for (int i = 0; i < 1000; ++i) {
      if (text().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

 protected:
  int_type overflow(int_type c) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!traits_type::eq_int_type(c, traits_type::eof())) text_ += traits_type::to_char_type(c);
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::mutex mutex_;
  std::string text_;
};

const std::string kLine = "\rhprof-text: reading rec.0001.heap ...";
const std::string kErased = "\r" + std::string(kLine.size() - 1, ' ') + "\r";

TEST(Activity, IsWhatTheInnermostScopeSaysAndComesBackWhenItEnds) {
  EXPECT_EQ(Activity::current().what, "");
  {
    const Activity outer("reading rec.0001.heap");
    {
      const Activity inner("writing the symbol index of libjvm.so");
      EXPECT_EQ(Activity::current().what, "writing the symbol index of libjvm.so");
    }
    EXPECT_EQ(Activity::current().what, "reading rec.0001.heap");
  }
  EXPECT_EQ(Activity::current().what, "");
}

TEST(Activity, EveryChangeIsANewGeneration) {
  const uint64_t before = Activity::current().generation;
  { const Activity a("x"); }
  EXPECT_EQ(Activity::current().generation, before + 2);
}

TEST(ProgressTicker, ARunShorterThanTheDelayDrawsNothing) {
  TerminalSink terminal;
  std::ostream err(&terminal);
  {
    ProgressTicker ticker(err, true, std::chrono::hours(1));
    const Activity reading("reading rec.0001.heap");
  }
  EXPECT_EQ(terminal.text(), "");
}

TEST(ProgressTicker, ALongRunShowsWhatItDoesAndErasesItAtTheEnd) {
  TerminalSink terminal;
  std::ostream err(&terminal);
  {
    ProgressTicker ticker(err, true, milliseconds(0));
    const Activity reading("reading rec.0001.heap");
    ASSERT_TRUE(terminal.shows(kLine)) << terminal.text();
  }
  EXPECT_EQ(terminal.text(), kLine + kErased);
}

TEST(ProgressTicker, NotOnATerminalNothingIsDrawn) {
  TerminalSink terminal;
  std::ostream err(&terminal);
  {
    ProgressTicker ticker(err, false, milliseconds(0));
    const Activity reading("reading rec.0001.heap");
    std::this_thread::sleep_for(milliseconds(300));
    ticker.stream() << "hprof-text: warning: w\n";
  }
  EXPECT_EQ(terminal.text(), "hprof-text: warning: w\n");
}

TEST(ProgressTicker, AMessageErasesTheLineFirstAndTheLineComesBackUnderIt) {
  TerminalSink terminal;
  std::ostream err(&terminal);
  ProgressTicker ticker(err, true, milliseconds(0));
  const Activity reading("reading rec.0001.heap");
  ASSERT_TRUE(terminal.shows(kLine));
  ticker.stream() << "hprof-text: warning: " << "w" << "\n";
  ASSERT_TRUE(terminal.shows("w\n" + kLine)) << terminal.text();
  EXPECT_EQ(terminal.text(), kLine + kErased + "hprof-text: warning: w\n" + kLine);
}

TEST(ProgressTicker, PauseErasesTheLineForTheReport) {
  TerminalSink terminal;
  std::ostream err(&terminal);
  ProgressTicker ticker(err, true, milliseconds(0));
  const Activity reading("reading rec.0001.heap");
  ASSERT_TRUE(terminal.shows(kLine));
  ticker.pause();
  EXPECT_EQ(terminal.text(), kLine + kErased);
  std::this_thread::sleep_for(milliseconds(300));  // several redraw periods
  EXPECT_EQ(terminal.text(), kLine + kErased) << "drawn while paused";
  ticker.resume();
  EXPECT_TRUE(terminal.shows(kErased + kLine)) << terminal.text();
}

TEST(ProgressTicker, ANewActivityRedrawsTheLineOverTheLongerOne) {
  TerminalSink terminal;
  std::ostream err(&terminal);
  ProgressTicker ticker(err, true, milliseconds(0));
  std::optional<Activity> reading;
  reading.emplace("reading rec.0001.heap");
  ASSERT_TRUE(terminal.shows(kLine));
  reading.reset();
  const Activity naming("naming");
  // Blanks over the longer line's rest, then the line again so the cursor ends after it.
  const std::string shorter = "\rhprof-text: naming ...";
  const std::string pad(kLine.size() - shorter.size(), ' ');
  EXPECT_TRUE(terminal.shows(kLine + shorter + pad + shorter)) << terminal.text();
}

TEST(ProgressTicker, TheTextIsCutToSeventyNineColumns) {
  EXPECT_EQ(ticker_text("reading a.heap"), "hprof-text: reading a.heap ...");
  const std::string cut = ticker_text("reading " + std::string(200, 'x'));
  EXPECT_EQ(cut.size(), 79u);
  EXPECT_TRUE(cut.ends_with("xxx...")) << cut;
}

}  // namespace
}  // namespace hprof
