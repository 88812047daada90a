// co2e compare: the same computation under several options (regions, providers, hardware,
// runtimes), each estimated by the same estimate() as `co2e estimate`, ranked by CO2e.
//   options  = (each --option, or one empty option) × the combinations of the multi-valued fields
//   saving_kg = baseline.co2e_kg - option.co2e_kg    saving_pct = 100 × saving_kg / baseline.co2e_kg
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "co2e/batch.hpp"
#include "co2e/data.hpp"
#include "co2e/error.hpp"
#include "co2e/estimate.hpp"
#include "co2e/functional_unit.hpp"
#include "co2e/intensity_series.hpp"

namespace co2e {

/// One field given on the command line with its values, in the order given.
struct CompareAxis {
  Field field;
  std::vector<std::string> values;
};

/// A field's value inside one option.
using FieldValue = std::pair<Field, std::string>;

/// An intensity series for the options in one region (`--intensity-series FR=fr.csv`), or for
/// every option (`region` empty: allowed when the options share one grid region).
struct RegionSeries {
  std::string region;  ///< as given: `FR`, `aws:eu-west-3` (a grid region also covers its cloud regions)
  std::string name;    ///< the file, for the output
  const IntensitySeries* series = nullptr;
};

/// `--baseline current`: the option the plain flags name by themselves.
inline constexpr std::size_t kCurrentOption = 0;

/// What the user asked to compare.
struct CompareSpec {
  /// Every field given, each with one or more values; the options are their combinations (the
  /// first axis varies slowest).
  std::vector<CompareAxis> axes;
  /// `--option 'gpu=A100,gpus=8,runtime=100h'`: paired values that override the axes.
  std::vector<std::vector<FieldValue>> paired;
  /// A name for each paired option (an options file's `name` column; "" for none), or empty.
  std::vector<std::string> paired_names;
  /// The option the savings are measured against: its number (1-based, in the order given), or
  /// kCurrentOption. Unset: the current option when there is one, else option 1.
  std::optional<std::size_t> baseline;
  std::optional<FunctionalUnit> per;
  /// `--start`: each option's energy is spread over [start, start + runtime] and weighed by the
  /// series of its region (`estimate --start` semantics); options without one keep the annual factor.
  std::optional<TimePoint> start;
  std::vector<RegionSeries> series;
  bool no_range = false;  ///< --no-range: no bounds, no overlap marks (issue 17)
};

/// Refuses to build more options than this (a slip such as three region groups times four GPUs
/// times five runtimes should not run for minutes).
inline constexpr std::size_t kMaxCompareOptions = 100000;

/// One option and its estimate.
struct CompareOption {
  std::size_t index = 0;            ///< 1-based, in the order given; kCurrentOption for the current one
  std::string name;                 ///< from an options file's `name` column ("" when none)
  std::size_t rank = 0;             ///< 1 = lowest CO2e
  std::vector<FieldValue> inputs;   ///< every field that made this option, in Field order
  std::vector<FieldValue> varying;  ///< the fields that differ between options (the label)
  EstimateResult result;
  std::string series;                ///< the series file that weighed it (with --start); "" : the annual factor
  double saving_kg = 0;              ///< against the baseline; negative: more than the baseline
  std::optional<double> saving_pct;  ///< absent when the baseline's CO2e is 0
  /// Its CO2e range intersects the best option's (issue 17): within the stated input ranges the two
  /// cannot be told apart. True for the best itself; absent with --no-range.
  std::optional<bool> overlaps_best;
};

struct CompareResult {
  std::vector<CompareOption> options;  ///< ranked: lowest CO2e first, ties in the given order
  std::size_t baseline = 1;            ///< index of the baseline option (kCurrentOption: the current one)
  /// The current option's index: kCurrentOption when it is an option of its own, the index of the
  /// given option it equals, or nullopt when the plain flags name no whole job by themselves.
  std::optional<std::size_t> current;
  std::optional<FunctionalUnit> per;
  std::optional<TimePoint> start;
  std::vector<std::string> warnings;  ///< e.g. a region's series that no option used
};

/// Paired options from a table (`--options FILE`: CSV or JSON Lines, read by batch's
/// read_input_table): one option per row, its non-empty cells by column (estimate columns, as
/// --option's keys; a `name` column names the option, into `names`). An unknown column or a row
/// without a value is a usage Error naming the file (`file`), the row and the column.
Result<std::vector<std::vector<FieldValue>>> options_from_table(const InputTable& table, std::string_view file,
                                                                std::vector<std::string>& names);

/// Splits a flag's value at commas into trimmed values; empty values are a usage Error.
Result<std::vector<std::string>> split_values(std::string_view text);

/// Expands one `--region` value into region names: a plain name (FR, aws:eu-west-3) as itself,
/// a glob (`US-*`, `aws:eu-*`, `*:europe-*`; `*` and `?`), a group (`EU`, `europe`,
/// `north-america`, a cloud provider `aws`, `cloud`), or a provider and a group (`aws:europe`).
/// Unknown names and patterns that match nothing are usage Errors with suggestions.
Result<std::vector<std::string>> expand_region(std::string_view value, const Dataset& data);

/// The region groups, for help and docs: name and what it holds.
struct RegionGroup {
  std::string_view name;
  std::string_view description;
};
std::vector<RegionGroup> region_groups(const Dataset& data);

/// Parses one `--option` value: `key=value` pairs separated by commas, keys being estimate
/// columns (`gpu`, `gpus`, `runtime`, ...). A region value may be a name, not a pattern.
Result<std::vector<FieldValue>> parse_paired_option(std::string_view text);

/// Builds the options, estimates each and ranks them. An option that cannot be estimated is a usage
/// Error naming the option and its inputs.
Result<CompareResult> compare(const CompareSpec& spec, const Dataset& data);

/// The assumption sentences (render.hpp's assumptions()) that hold for every option: the defaults
/// and notes the options share, so that none is silent. Sentences that differ between options
/// (each region's row) are left to `co2e estimate` with that option's inputs.
std::vector<std::string> common_assumptions(const CompareResult& r, const Dataset& data);

/// Renderers (pure): a text table with a bar per option, JSON (schema_version 1), CSV, Markdown,
/// and an SVG bar chart of the ranking. `top` limits the options shown (0: all).
std::string render_compare_text(const CompareResult& r, const Dataset& data, std::size_t top = 0);
std::string render_compare_json(const CompareResult& r, const Dataset& data, std::size_t top = 0);
std::string render_compare_csv(const CompareResult& r, std::size_t top = 0);
std::string render_compare_markdown(const CompareResult& r, std::size_t top = 0);
std::string render_compare_svg(const CompareResult& r, std::size_t top = 0);

}  // namespace co2e
