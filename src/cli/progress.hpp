// The progress line of long commands (batch, slurm): on stderr, only for a person watching.
#pragma once

#include <fmt/format.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace co2e::cli {

/// `co2e batch: 1200000 rows  410000 rows/s  0:03  (45%, ETA 0:04)`, redrawn in place at most
/// four times a second; the percentage and ETA only when the input's size is known (a regular
/// file). Never drawn when stderr is not a terminal or with --quiet, so logs and pipes never see
/// it. CO2E_PROGRESS_INTERVAL_MS (a testing seam, docs/cli.md) changes the redraw interval.
class ProgressLine {
 public:
  /// `label`: "co2e batch"; `unit`: "rows" or "lines"; `total_bytes`: 0 when unknown.
  ProgressLine(std::string label, std::string unit, bool quiet, std::uint64_t total_bytes)
      : label_(std::move(label)),
        unit_(std::move(unit)),
        enabled_(!quiet && ::isatty(STDERR_FILENO) == 1),
        total_(total_bytes) {
    if (const char* ms = std::getenv("CO2E_PROGRESS_INTERVAL_MS")) interval_ = std::chrono::milliseconds(std::atoi(ms));
  }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() { clear(); }

  /// Whether a redraw is due now: cheap enough to ask every thousand records.
  [[nodiscard]] bool due() const { return enabled_ && std::chrono::steady_clock::now() - last_ >= interval_; }

  /// Redraws the line when due: `count` records done, `bytes` of the input read.
  void update(std::uint64_t count, std::uint64_t bytes) {
    if (!due()) return;
    const auto now = std::chrono::steady_clock::now();
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string line = fmt::format("\r{}: {} {}", label_, count, unit_);
    if (elapsed > 0) line += fmt::format("  {:.0f} {}/s", static_cast<double>(count) / elapsed, unit_);
    line += "  " + clock(elapsed);
    if (total_ > 0 && bytes > 0) {
      const double done = static_cast<double>(bytes) / static_cast<double>(total_);
      line += fmt::format("  ({:.0f}%, ETA {})", 100 * std::min(done, 1.0), clock(elapsed * (1 / done - 1)));
    }
    line += "\033[K";
    std::fputs(line.c_str(), stderr);
    shown_ = true;
  }

  /// Erases the line, before anything else is written to stderr.
  void clear() {
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
  }

 private:
  static std::string clock(double seconds) {
    const auto s = std::llround(std::max(0.0, seconds));
    return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                     : fmt::format("{}:{:02}", s / 60, s % 60);
  }

  std::string label_, unit_;
  bool enabled_;
  std::uint64_t total_;
  bool shown_ = false;
  std::chrono::milliseconds interval_{250};
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace co2e::cli
