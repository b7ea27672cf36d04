#include "kg/core/progress.h"

#include <unistd.h>

#include <cmath>

#include <fmt/format.h>

namespace kg {

ProgressPrinter::ProgressPrinter(std::FILE* out, Mode mode, std::string verb)
    : out_(out), mode_(mode), verb_(std::move(verb)) {
  if (mode_ == Mode::kAuto) mode_ = isatty(fileno(out_)) ? Mode::kBar : Mode::kLines;
}

std::string ProgressPrinter::FormatBytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.2f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.1f} MB", bytes / 1e6);
  if (bytes >= 1e3) return fmt::format("{:.0f} kB", bytes / 1e3);
  return fmt::format("{:.0f} B", bytes);
}

std::string ProgressPrinter::FormatDuration(double seconds) {
  long s = std::lround(seconds);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  if (s >= 60) return fmt::format("{}:{:02}", s / 60, s % 60);
  return fmt::format("{}s", s);
}

std::string ProgressPrinter::Describe(const IngestCounters& c, bool bar) const {
  double rate = c.seconds > 0 ? static_cast<double>(c.articles_read) / c.seconds : 0;
  double mb_rate = c.seconds > 0 ? static_cast<double>(c.text_bytes) / c.seconds / 1e6 : 0;
  std::string line = fmt::format("{}: {} articles, {}, {:.0f} articles/s, {:.2f} MB/s", verb_,
                                 c.articles_read, FormatBytes(static_cast<double>(c.text_bytes)),
                                 rate, mb_rate);
  if (c.input_bytes_total && *c.input_bytes_total > 0) {
    double fraction = std::min(1.0, static_cast<double>(c.input_bytes_done) /
                                        static_cast<double>(*c.input_bytes_total));
    if (bar) {
      constexpr int kWidth = 20;
      int filled = static_cast<int>(fraction * kWidth);
      line += " [" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "]";
    }
    line += fmt::format(" {:.0f}%", fraction * 100);
    if (fraction > 0.01 && fraction < 1.0 && c.seconds > 1) {
      line += " ETA " + FormatDuration(c.seconds * (1 - fraction) / fraction);
    }
  }
  if (c.skipped_present + c.skipped_duplicate > 0) {
    line += fmt::format(", {} already stored", c.skipped_present + c.skipped_duplicate);
  }
  if (c.bad > 0) line += fmt::format(", {} bad", c.bad);
  return line;
}

void ProgressPrinter::Update(const IngestCounters& counters) {
  if (mode_ == Mode::kQuiet) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (mode_ == Mode::kBar) {
    if (now - last_print_ < std::chrono::milliseconds(100)) return;
    std::string line = Describe(counters, /*bar=*/true);
    size_t width = line.size();
    if (width < last_width_) line += std::string(last_width_ - width, ' ');
    std::fprintf(out_, "\r%s", line.c_str());
    std::fflush(out_);
    last_width_ = width;
    bar_visible_ = true;
  } else {
    if (last_print_ != std::chrono::steady_clock::time_point{} &&
        now - last_print_ < line_interval) {
      return;
    }
    std::fprintf(out_, "%s\n", Describe(counters, /*bar=*/false).c_str());
    std::fflush(out_);
  }
  last_print_ = now;
}

void ProgressPrinter::PrintLine(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (bar_visible_) {
    std::fprintf(out_, "\r%s\r", std::string(last_width_, ' ').c_str());
    bar_visible_ = false;
    last_print_ = {};
  }
  std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
}

void ProgressPrinter::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (bar_visible_) {
    std::fprintf(out_, "\n");
    std::fflush(out_);
    bar_visible_ = false;
  }
}

}  // namespace kg
