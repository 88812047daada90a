// Carbon intensity over time: a series of gCO2e/kWh read from the files users already have (a plain
// CSV, an Electricity Maps export, the UK National Grid carbon intensity API's JSON), and the
// integral of a job's power against it. Semantics and formats: docs/intensity-series.md.
//
// Step function: each value holds from its timestamp until the next one, but for at most the
// series' step (the median spacing of its timestamps, or the API's `to`). Time not covered by any
// interval is a gap: integrating over it is an error, never a guess.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/error.hpp"
#include "co2e/estimate.hpp"

namespace co2e {

/// An instant, in whole seconds of UTC.
using TimePoint = std::chrono::sys_seconds;

/// ISO 8601 date-time: `2024-03-31T01:30:00Z`, `2024-03-31T02:30+01:00`, `2024-03-31 01:30:00.000+0100`,
/// `2024-03-31T01:30Z`. Without `Z` or an offset it is an error (the time would be ambiguous) unless
/// `assume_utc` is set (for columns that say UTC in their name). `offset_minutes`, when given,
/// receives the offset that was written.
Result<TimePoint> parse_timestamp(std::string_view text, bool assume_utc = false, int* offset_minutes = nullptr);

/// `2024-03-31T01:30:00Z`; seconds are left out when zero: `2024-03-31T01:30Z`.
std::string format_timestamp(TimePoint t);

/// One value of the series and the time it holds for, [start, end).
struct SeriesInterval {
  TimePoint start;
  TimePoint end;
  double g_per_kwh = 0;
  std::size_t line = 0;  ///< line of the file it came from (1-based; 0 when unknown)
};

/// Part of a requested window that the series does not cover.
struct MissingSpan {
  TimePoint start;
  TimePoint end;
};

/// Energy used over [start, end): one sample of a measured power profile (`co2e run`).
struct EnergySample {
  TimePoint start;
  TimePoint end;
  double energy_kwh = 0;
};

/// A step function of carbon intensity: sorted, non-overlapping intervals, possibly with gaps.
class IntensitySeries {
 public:
  IntensitySeries() = default;
  /// From intervals sorted by start that do not overlap (an Error names the lines if they do).
  static Result<IntensitySeries> from_intervals(std::vector<SeriesInterval> intervals);

  [[nodiscard]] std::span<const SeriesInterval> intervals() const { return iv_; }
  [[nodiscard]] bool empty() const { return iv_.empty(); }
  [[nodiscard]] TimePoint begin() const { return iv_.front().start; }  ///< first covered instant
  [[nodiscard]] TimePoint end() const { return iv_.back().end; }       ///< end of the last interval

  /// The intensity in force at `t`; nullopt in a gap or outside the series.
  [[nodiscard]] std::optional<double> at(TimePoint t) const;
  /// The first part of [start, end) that the series does not cover, if any.
  [[nodiscard]] std::optional<MissingSpan> first_missing(TimePoint start, TimePoint end) const;
  /// ∫ intensity dt over [start, end), in gCO2e/kWh × hours: a constant power P kW emits
  /// P × integrate() grams. A usage Error names the missing part if the window is not covered.
  [[nodiscard]] Result<double> integrate(TimePoint start, TimePoint end) const;
  /// The time-weighted average intensity over [start, end) (at(start) when start == end).
  [[nodiscard]] Result<double> average(TimePoint start, TimePoint end) const;
  /// Σ energy × average intensity over each sample's interval, in grams: a power profile
  /// integrated against the series (`co2e run --intensity-series`).
  [[nodiscard]] Result<double> emissions_g(std::span<const EnergySample> samples) const;

  /// Running integrals at `t`, for linear sweeps (`when`): ∫ intensity (g/kWh × s) and covered
  /// seconds from begin() to t. `hint` is an interval index; pass increasing `t` to keep it O(1).
  struct Cumulative {
    double integral = 0;         ///< gCO2e/kWh × seconds
    std::int64_t covered_s = 0;  ///< seconds with data
  };
  [[nodiscard]] Cumulative cumulative(TimePoint t, std::size_t& hint) const;

 private:
  std::vector<SeriesInterval> iv_;
  std::vector<double> cum_integral_;       ///< at iv_[i].start
  std::vector<std::int64_t> cum_covered_;  ///< at iv_[i].start
};

/// The file formats read_intensity_series() knows.
enum class SeriesFormat { detect, plain_csv, electricity_maps, uk_grid_json };
/// Electricity Maps exports give two figures: direct (operational, GHG Protocol scope 2) and
/// life-cycle (LCA, includes building and fuel supply). Default: life-cycle.
enum class IntensityKind { lca, direct };

/// `lca` or `direct`; anything else is a usage Error.
Result<IntensityKind> parse_intensity_kind(std::string_view text);
std::string_view series_format_name(SeriesFormat f);

/// Something in the file that was handled and that the user should know about.
struct SeriesNote {
  std::size_t line = 0;  ///< 0: the file as a whole
  std::string message;
};

/// A series and what the reader noticed while reading it.
struct LoadedSeries {
  IntensitySeries series;
  SeriesFormat format = SeriesFormat::plain_csv;
  std::string column;             ///< the column or field the values came from
  std::vector<SeriesNote> notes;  ///< gaps, offset (DST) changes, sorted rows, forecasts used
};

struct SeriesOptions {
  SeriesFormat format = SeriesFormat::detect;
  IntensityKind kind = IntensityKind::lca;
  std::string name = "series";  ///< file name, for messages
};

/// Reads a series from the text of a file. Errors (data kind) start with `name:LINE:`.
Result<LoadedSeries> read_intensity_series(std::string_view text, const SeriesOptions& options);
/// Reads a series from a file (`-` is not accepted: a series is read whole, twice is fine).
Result<LoadedSeries> load_intensity_series(const std::string& path, SeriesOptions options);

/// Replaces the annual emission factor of an estimate by the series' average over the job's
/// window [start, start + runtime): energy spread evenly (the estimate is constant power). The
/// annual figure is kept in `r.window` for comparison. Needs a runtime; a usage Error names the
/// part of the window the series does not cover.
Status apply_intensity_series(EstimateResult& r, const IntensitySeries& series, TimePoint start);

}  // namespace co2e
