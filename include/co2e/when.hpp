// The best time to run: the start times that minimise a job's emissions against an intensity
// series, for a job of known length and constant power, optionally between --after and a
// deadline (--before). One linear sweep over the series (docs/intensity-series.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "co2e/error.hpp"
#include "co2e/intensity_series.hpp"

namespace co2e {

/// What `co2e when` is asked.
struct WhenSpec {
  std::chrono::seconds runtime{0};  ///< the job's length (> 0)
  double energy_kwh = 0;            ///< the job's energy, spread evenly over its runtime
  /// Manufacturing emissions (--embodied, issue 15), kg: the same at any start, so shown beside
  /// the ranking (total_co2e_kg = co2e_kg + this) and not in it.
  double embodied_kg = 0;
  std::optional<TimePoint> after;   ///< earliest start; default: now
  std::optional<TimePoint> before;  ///< deadline: the job must finish by then
  TimePoint now;                    ///< the clock (a seam for tests)
  std::size_t top = 3;              ///< how many non-overlapping windows to return
};

/// One candidate window for the job.
struct WhenWindow {
  TimePoint start;
  TimePoint end;
  double average_g_per_kwh = 0;
  double co2e_g = 0;
};

/// Where the comparison start comes from.
enum class ReferenceKind { now, after, series_start };

struct WhenResult {
  std::vector<WhenWindow> best;         ///< lowest emissions first; pairwise non-overlapping
  std::optional<WhenWindow> reference;  ///< starting as early as allowed; nullopt if that window has a gap
  ReferenceKind reference_kind = ReferenceKind::now;
  TimePoint earliest;  ///< the range of starts searched
  TimePoint latest;
  double power_kw = 0;         ///< energy / runtime
  std::size_t candidates = 0;  ///< start times evaluated
};

/// Finds the `top` best non-overlapping start times in [max(after or now, series start),
/// min(before, series end) - runtime]. The emissions of a start s are P × ∫_s^{s+D} intensity; as a
/// function of s this is piecewise linear with breaks where s or s + D crosses an interval edge,
/// so its minimum is at one of those points: they are evaluated in one merged sweep, O(n).
/// Windows that touch a gap are skipped. A usage Error explains an empty range.
Result<WhenResult> best_start_times(const IntensitySeries& series, const WhenSpec& spec);

/// The saving of `w` against the reference, in grams (positive: less carbon).
double saving_g(const WhenResult& r, const WhenWindow& w);

// Renderers (pure): text with a terminal plot, JSON (schema_version 1), CSV, SVG.

struct WhenRenderInfo {
  std::string series_name;  ///< file name
  std::string series_format;
  std::string series_column;
  std::vector<SeriesNote> notes;
};

/// A one-line plot of the series over [from, to) in `width` columns of ▁▂▃▄▅▆▇█ (column averages;
/// a space where there is no data), and a second line marking [mark_start, mark_end) with ▀.
std::string sparkline(const IntensitySeries& series, TimePoint from, TimePoint to, std::size_t width,
                      std::optional<WhenWindow> mark);

std::string render_when_text(const WhenResult& r, const WhenSpec& spec, const IntensitySeries& series,
                             const WhenRenderInfo& info);
std::string render_when_json(const WhenResult& r, const WhenSpec& spec, const IntensitySeries& series,
                             const WhenRenderInfo& info);
std::string render_when_csv(const WhenResult& r);
/// A standalone SVG: the series as a step line over the searched range, the best windows shaded.
std::string render_when_svg(const WhenResult& r, const WhenSpec& spec, const IntensitySeries& series,
                            const WhenRenderInfo& info);

}  // namespace co2e
