#pragma once
// Progress of a long run on stderr: a live bar redrawn in place ('\r') when the stream is a
// terminal, plain periodic lines when it is not (logs, CI), nothing when quiet. Thread-safe: the
// pipeline calls Update() from its writer thread while problems are printed from others.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "kg/core/ingest_pipeline.h"

namespace kg {

class ProgressPrinter {
 public:
  enum class Mode { kAuto, kBar, kLines, kQuiet };
  // Borrows `out`. kAuto = kBar when `out` is a terminal, else kLines. `verb` starts each
  // report ("ingest", "extract").
  ProgressPrinter(std::FILE* out, Mode mode, std::string verb);

  // Redraws the bar (at most every 100 ms) or prints a line (at most every `line_interval`).
  void Update(const IngestCounters& counters);
  // Prints one message line (e.g. a skipped item) without garbling the bar.
  void PrintLine(const std::string& line);
  // Ends the bar's line so later output starts on a fresh line.
  void Finish();

  Mode mode() const { return mode_; }
  std::chrono::seconds line_interval{5};

  // "1.2 MB", "340 kB", "12 B".
  static std::string FormatBytes(double bytes);
  // "1:02:03", "2:03", "5s".
  static std::string FormatDuration(double seconds);

 private:
  std::string Describe(const IngestCounters& counters, bool bar) const;

  std::FILE* out_;
  Mode mode_;
  std::string verb_;
  std::mutex mu_;
  bool bar_visible_ = false;
  size_t last_width_ = 0;
  std::chrono::steady_clock::time_point last_print_{};
};

}  // namespace kg
