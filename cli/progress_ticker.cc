#include "cli/progress_ticker.h"

#include "common/activity.h"

namespace hprof {
namespace {
constexpr std::size_t kMaxColumns = 79;  // one column short of 80, so the line never wraps
constexpr std::chrono::milliseconds kRedraw{100};
}  // namespace

std::string ticker_text(const std::string& what) {
  std::string text = "hprof-text: " + what + " ...";
  if (text.size() > kMaxColumns) text = text.substr(0, kMaxColumns - 3) + "...";
  return text;
}

ProgressTicker::ProgressTicker(std::ostream& err, bool enabled, std::chrono::milliseconds delay)
    : line_(err), delay_(delay), buf_(*this), stream_(&buf_) {
  if (enabled) thread_ = std::thread([this] { tick(); });
}

ProgressTicker::~ProgressTicker() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  line_.erase();  // the thread is gone: nothing else draws
}

void ProgressTicker::pause() {
  const std::lock_guard<std::mutex> lock(mutex_);
  paused_ = true;
  line_.erase();
}

void ProgressTicker::resume() {
  const std::lock_guard<std::mutex> lock(mutex_);
  paused_ = false;
}

void ProgressTicker::tick() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wake_.wait_for(lock, delay_, [this] { return stopping_; })) return;
  while (!stopping_) {
    const Activity::Snapshot now = Activity::current();
    if (!paused_ && !message_open_ && !now.what.empty() &&
        (!line_.shown() || now.generation != shown_generation_)) {
      line_.draw(ticker_text(now.what));
      shown_generation_ = now.generation;
    }
    wake_.wait_for(lock, kRedraw, [this] { return stopping_; });
  }
}

ProgressTicker::ClearingBuf::int_type ProgressTicker::ClearingBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const std::lock_guard<std::mutex> lock(ticker_->mutex_);
  ticker_->line_.erase();
  ticker_->line_.out().put(traits_type::to_char_type(c));
  ticker_->message_open_ = traits_type::to_char_type(c) != '\n';
  return ticker_->line_.out().good() ? c : traits_type::eof();
}

std::streamsize ProgressTicker::ClearingBuf::xsputn(const char* s, std::streamsize n) {
  const std::lock_guard<std::mutex> lock(ticker_->mutex_);
  ticker_->line_.erase();
  ticker_->line_.out().write(s, n);
  if (n > 0) ticker_->message_open_ = s[n - 1] != '\n';
  return ticker_->line_.out().good() ? n : 0;
}

int ProgressTicker::ClearingBuf::sync() {
  const std::lock_guard<std::mutex> lock(ticker_->mutex_);
  ticker_->line_.out().flush();
  return ticker_->line_.out().good() ? 0 : -1;
}

}  // namespace hprof
