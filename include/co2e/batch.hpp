// co2e batch: many computations in (CSV or JSON Lines, one per row), one estimate per row out.
// Each row becomes an EstimateSpec (the command line's defaults, then the row's cells through
// set_field), goes through the same estimate() as `co2e estimate`, and is written at once (CSV or
// JSON Lines) while totals per group accumulate for the reports (Markdown, LaTeX + BibTeX).
// Memory is bounded by the longest row and the number of groups, never by the number of rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/chart.hpp"
#include "co2e/csv.hpp"
#include "co2e/data.hpp"
#include "co2e/error.hpp"
#include "co2e/estimate.hpp"
#include "co2e/functional_unit.hpp"
#include "co2e/intensity_series.hpp"
#include "co2e/plausibility.hpp"

namespace co2e {

enum class BatchFormat { csv, jsonl, markdown, latex };

/// `csv`, `jsonl`, `markdown` (or `md`), `latex` (or `tex`); anything else is a usage Error.
Result<BatchFormat> parse_batch_format(std::string_view text);

struct BatchOptions {
  EstimateSpec defaults;              ///< from the estimate flags: used where a cell is missing or empty
  std::vector<std::string> group_by;  ///< input column names
  BatchFormat format = BatchFormat::csv;
  bool strict = false;                ///< stop at the first bad row (an Error naming it)
  std::string input_name = "-";       ///< for messages: the file name, or "-" for stdin
  std::size_t max_report_rows = 200;  ///< reports list rows one by one up to this many
  /// --intensity-series: rows with a `start` cell are weighed over [start, start + runtime]
  /// against it (estimate --start semantics); without it a `start` column is carried.
  const IntensitySeries* series = nullptr;
  /// --per N UNIT: the functional unit of rows without `per` cells; with it (or a `per` column),
  /// every row has the per-unit columns (functional_unit.hpp) after the result columns.
  std::optional<FunctionalUnit> per;
  /// Sum each part's kWh and kg CO2e (BatchTotals::energy_parts, co2e_parts) for the reports and
  /// --plot; false (CSV or JSON Lines without a chart) leaves them 0 and saves ~300 instructions a
  /// row (issue 18).
  bool part_sums = true;
};

/// What a column of the input means.
enum class ColumnRole : std::uint8_t {
  carried,       ///< not an input of the estimate: copied to the output untouched
  field,         ///< an estimate field (`cores`, `runtime`, ...), parsed by set_field
  hours,         ///< a bare number of hours (runtime_h, Green Algorithms runTime_hour)
  minutes,       ///< Green Algorithms runTime_min, added to the hours
  ga_cpus,       ///< Green Algorithms numberCPUs (0: no CPU)
  ga_cpu_tdp,    ///< Green Algorithms tdpCPU: chip TDP, divided by CPU_model_n_cores when given
  ga_cpu_cores,  ///< Green Algorithms CPU_model_n_cores
  ga_cpu_usage,  ///< Green Algorithms usageCPU
  ga_gpus,       ///< Green Algorithms numberGPUs (0: no GPU)
  ga_gpu_tdp,    ///< Green Algorithms tdpGPU (per GPU)
  ga_gpu_usage,  ///< Green Algorithms usageGPU
  ga_core_type,  ///< Green Algorithms coreType: CPU, GPU or Both
  start,         ///< ISO 8601 start time, weighed against BatchOptions::series
  per,           ///< `per`: N of a functional unit, or `N UNIT`
  per_unit,      ///< `per_unit`: the functional unit's UNIT
};

struct ColumnBinding {
  std::size_t index = 0;
  std::string name;  ///< as written in the header
  ColumnRole role = ColumnRole::carried;
  Field field = Field::runtime;  ///< for ColumnRole::field
};

/// How the input's columns map to the estimate; built from the header.
struct ColumnMap {
  std::vector<ColumnBinding> columns;  ///< one per header column, in order
  std::vector<std::size_t> group_columns;
  bool green_algorithms = false;         ///< the header is a Green Algorithms calculator export
  std::vector<std::string> field_names;  ///< per Field: the header name that gives it ("" if none)
  bool per_columns = false;              ///< the output has the per-unit columns (--per or a per column)
  /// The header name that gives `f` (for error messages), or its canonical column name.
  [[nodiscard]] std::string_view name_of(Field f) const;
};

/// Binds `header` to roles. Errors (usage): an empty header, two columns for the same input
/// (`memory` and `memory_gb`) or with the same name, a --group-by column that is missing, and no
/// way to know each run's time (no runtime / core_hours / gpu_hours column and no default).
Result<ColumnMap> bind_columns(const std::vector<std::string_view>& header, const BatchOptions& opts);

/// The input names batch understands beyond the estimate's own column names.
struct ColumnAlias {
  std::string_view name;
  std::string_view meaning;
};
std::span<const ColumnAlias> column_aliases();

/// Sums of the rows' result columns: all runs (PSF); energy_kwh with PUE, components before it.
struct BatchTotals {
  std::uint64_t rows = 0;    ///< rows read (good and bad)
  std::uint64_t failed = 0;  ///< rows with status=error
  double energy_kwh = 0;     ///< PUE included
  double co2e_kg = 0;
  double cpu_kwh = 0;  ///< before PUE: PSF × CPU component
  double gpu_kwh = 0;
  double memory_kwh = 0;
  double server_kwh = 0;      ///< before PUE (issue 15)
  double storage_kwh = 0;     ///< before PUE
  double network_kwh = 0;     ///< no PUE
  double embodied_kg = 0;     ///< manufacturing emissions, apart from co2e_kg
  double runs = 0;            ///< Σ PSF
  PartValues energy_parts{};  ///< kWh by part (split_energy, all runs); the embodied part is 0
  PartValues co2e_parts{};    ///< kg CO2e by part (split_co2e), embodied included: the charts' stacks
  /// Σ of the rows' bounds (issue 17): the bound of a sum is the sum of the bounds. Only
  /// meaningful while `ranged`: every good row had a range (none with --no-range).
  double energy_kwh_low = 0, energy_kwh_high = 0;
  double co2e_kg_low = 0, co2e_kg_high = 0;
  double embodied_kg_low = 0, embodied_kg_high = 0;
  bool ranged = true;
  /// `parts`: also energy_parts and co2e_parts (BatchOptions::part_sums).
  void add(const EstimateResult& r, bool parts);
  [[nodiscard]] double total_co2e_kg() const { return co2e_kg + embodied_kg; }
  [[nodiscard]] double total_co2e_kg_low() const { return co2e_kg_low + embodied_kg_low; }
  [[nodiscard]] double total_co2e_kg_high() const { return co2e_kg_high + embodied_kg_high; }
  /// Any part of the whole footprint beyond CPU, GPU and memory was counted.
  [[nodiscard]] bool whole_footprint() const {
    return server_kwh > 0 || storage_kwh > 0 || network_kwh > 0 || embodied_kg > 0;
  }
};

/// One row as the reports list it (only the first max_report_rows rows are kept).
struct BatchRowBrief {
  std::uint64_t row = 0;
  std::size_t group = 0;  ///< index into BatchSummary::groups
  std::string label;      ///< the first carried column that is not a group column
  bool ok = false;
  double energy_kwh = 0;
  double co2e_kg = 0;
  std::string error;
};

struct BatchGroup {
  std::vector<std::string> key;  ///< the group-by cells, in --group-by order
  BatchTotals totals;
  std::vector<BatchRowBrief> rows;  ///< the group's rows among the first max_report_rows
};

/// A data-table source as the reports cite it: a BibTeX @misc and a Markdown reference line. Every
/// citation has an author (an organisation when no person), a title, a year and a URL where the
/// source names one (cite_source()).
struct Citation {
  std::string author;  ///< e.g. `NVIDIA`, `Ember and Our World in Data`, `Jouppi and others`, `Tannu, Nair`
  std::string title;
  int year = 0;
  std::string url;       ///< empty only when neither the row nor the source's publisher gives one
  std::string note;      ///< licence and retrieval date (and where in a paper, for a paper)
  bool persons = false;  ///< `author` lists people (`Tannu, Nair`; BibTeX: `Tannu and Nair`), not one organisation
};
struct SourceUse {
  Citation cite;
  std::uint64_t rows = 0;
};
/// The citation of a data row's Provenance: the title is the release when the row names one, else
/// the quoted title of a source written `Names, 'Title', ...`, else the source text without its
/// URL, else (a bare URL) `fallback_title` (e.g. "Specifications of NVIDIA Tesla P4"); the URL is
/// the row's, else the first in the text, else its publisher's, else its arXiv or DOI address; the
/// author is the names before a quoted title (`Aslan, Mayers, ...`), else the publisher, from a
/// table of the publishers the data tables cite, else a GitHub repository's owner, else the host.
Citation cite_source(const Provenance& p, std::string_view fallback_title);

/// Figures and sources used by the good rows, for the methodology paragraph.
struct BatchMethods {
  double pue_min = 0, pue_max = 0;
  double intensity_min = 0, intensity_max = 0;
  double memory_power_min = 0, memory_power_max = 0;
  bool any_memory = false;
  std::uint64_t pue_given = 0, pue_from_tables = 0;
  std::uint64_t intensity_given = 0, intensity_from_tables = 0;
  /// Of intensity_from_tables: the basis of the figures used (issue 14: a report says whether it
  /// mixed bases), how many fell back to the other basis, how many were a provider's own figure.
  std::uint64_t basis_lifecycle = 0, basis_direct = 0, basis_unstated = 0, basis_fallback = 0, provider_figure = 0;
  std::uint64_t cpu_from_model = 0, gpu_from_model = 0, power_given = 0, power_default = 0;
  std::uint64_t embodied_rows = 0;  ///< rows whose embodied emissions were counted
  /// Rows whose energy was given, not modelled (--energy / --power, the energy / power columns):
  /// the methodology says so, as their CPU, GPU and memory terms are not the formula's.
  std::uint64_t known_energy_rows = 0, known_power_rows = 0;
  std::uint64_t facility_rows = 0;  ///< of those: at facility scope (PUE already in the figure)
  /// Distinct data-table rows' sources (source text → its citation and the rows that used it).
  std::map<std::string, SourceUse> sources;
};

/// A plausibility finding in a batch: the first row that had it, and how many rows did; one per
/// kind, so that a million rows with `memory` 64000 give one warning, not a million.
struct BatchPlausibility {
  Plausibility first;
  std::uint64_t row = 0;   ///< 1-based data row of the first occurrence
  std::uint64_t rows = 0;  ///< rows with this kind of finding
};

struct BatchSummary {
  BatchTotals total;
  std::vector<BatchGroup> groups;  ///< first-seen order; one group ("all") without --group-by
  std::vector<std::string> group_by;
  std::string label_column;     ///< the column BatchRowBrief::label comes from ("" when none)
  bool rows_truncated = false;  ///< more rows than max_report_rows
  BatchMethods methods;
  /// The first kListedFailures failed rows (any format), for the reports and the stderr summary;
  /// total.failed counts them all.
  std::vector<BatchRowBrief> failures;
  static constexpr std::size_t kListedFailures = 20;
  std::uint64_t empty_rows = 0;                 ///< rows whose every cell is empty (Excel's trailing `,,,`): skipped
  std::vector<std::string> warnings;            ///< e.g. "no rows after the header"
  std::vector<BatchPlausibility> plausibility;  ///< see check_plausibility(); printed by the CLI on stderr
  char separator = ',';
  bool json_lines = false;
};

/// Called now and then with the rows and bytes read so far.
using BatchProgress = std::function<void(std::uint64_t rows, std::uint64_t bytes)>;
/// Receives the output as it is produced, in chunks of up to ~256 KiB.
using BatchWriter = std::function<Status(std::string_view)>;

/// The names batch writes for the input's columns (CSV header, JSON Lines keys), so that no two
/// output columns share a name: a column named like a result column (`energy_kwh` ... `gpu_model`),
/// a per-unit column (`per_count` ... `energy_wh_per_unit`) or `status` / `error` is written as `input_<name>`
/// (`input_` repeated while that is taken too), and a column without a name as `column_<N>` (N: its position, from 1).
/// Others keep their names.
std::vector<std::string> batch_output_names(const std::vector<std::string>& header);

/// Reads every row from `in`, estimates it, writes CSV or JSON Lines rows to `out` as it goes
/// (reports are rendered afterwards from the summary), and returns the totals. Errors: empty
/// input or a bad header (usage), unreadable input or a failed write (data), the first bad row
/// with `strict` (usage). Bad rows otherwise become status=error rows and are counted.
Result<BatchSummary> run_batch(CsvReader& in, const Dataset& data, const BatchOptions& opts, const BatchWriter& out,
                               const BatchProgress& progress = {});

/// A small input read whole by batch's row source (the same CSV and JSON Lines rules: separators,
/// quotes, BOM, JSON Lines objects with the estimate keys as hidden columns): `compare --options`.
struct InputTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< one cell per header column (missing: "")
};
/// Reads every row of `in` (at most `max_rows`: more is a usage Error). Errors name `name`: an
/// empty input, a malformed row (with its row and line), a read failure.
Result<InputTable> read_input_table(CsvReader& in, std::string_view name, std::size_t max_rows);

/// How the reports refer to a chart written with --plot: the SVG file's name for the Markdown
/// report to link; the LaTeX report draws the same chart itself (pgfplots) when `latex_chart`.
struct ReportOptions {
  std::string svg_link;  ///< empty: no link
  bool latex_chart = true;
};

/// The Markdown report: per-group table, total, failed rows with their reasons, equivalences,
/// methodology, references.
std::string render_batch_markdown(const BatchSummary& s, const Dataset& data, const ReportOptions& o = {});
/// A complete LaTeX document (article) with the same content and the chart as a pgfplots figure;
/// the BibTeX entries are embedded with filecontents (co2e-references.bib) and cited. Needs
/// booktabs, tabularx (tools) and pgfplots (Debian: texlive-latex-base, -latex-recommended,
/// -pictures).
std::string render_batch_latex(const BatchSummary& s, const Dataset& data, const ReportOptions& o = {});
/// The chart of a batch: CO2e per value of the first --group-by column (all rows without one),
/// stacked by part; a value whose rows failed says how many in its label.
StackedBars batch_chart(const BatchSummary& s);

/// A one-row summary of a single estimate, so that `co2e estimate --format markdown|latex` cites
/// its sources with the batch reports' code.
BatchSummary summarize_estimate(const EstimateResult& r, const Dataset& data);
/// `co2e estimate --format markdown` (`latex`: false) or `latex`: the figure, its breakdown by
/// part, the methodology paragraph and the references.
/// `per` (--per N UNIT) adds the per-unit row to the Markdown summary table.
std::string render_estimate_report(const EstimateResult& r, const Dataset& data, bool latex,
                                   const FunctionalUnit* per = nullptr);
/// The BibTeX entries for the sources of a batch: Lannelongue et al. 2021, Our World in Data /
/// Ember, co2e, and one @misc per data-table source the rows used (cite_source()); titles double-
/// braced so that BibTeX keeps their case.
std::string batch_bibtex(const BatchSummary& s, const Dataset& data);

/// The stderr summary: `co2e batch: 12 rows, 11 ok, 1 failed; 25.6 kWh, 5.3 kg CO2e`, then, when
/// rows failed, the first few of them (row and reason) on lines of their own.
std::string batch_summary_line(const BatchSummary& s);

}  // namespace co2e
