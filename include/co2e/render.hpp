// Renderers: pure functions from an EstimateResult to text, JSON or CSV. No computation here.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"
#include "co2e/functional_unit.hpp"
#include "co2e/number.hpp"  // append_number: the formatter of every machine output

namespace co2e {

enum class Format { text, json, csv };

/// `text`, `json`, `csv`; anything else is a usage Error listing those.
Result<Format> parse_format(std::string_view text, std::string_view accepted = "text, json, csv");

/// The sentences behind an estimate: defaults applied, rows used (with source and year), notes.
std::vector<std::string> assumptions(const EstimateResult& r, const Dataset& data);

/// The sentences about a region's emission factor: the figure, its basis and source, a basis
/// fallback, the provider's figure beside a cloud region's location figure (or the other way
/// round), an assumed location. Shared by estimate, run and slurm.
std::vector<std::string> grid_sentences(const RegionMatch& m);
/// The basis of the figure a region match uses, as words: `lifecycle basis`, `direct basis,
/// published by gcp`, `basis not stated`.
std::string grid_basis_label(const RegionMatch& m);

/// The equivalents worth a line of text: those of at least 0.001 of their unit, since smaller ones
/// read as zero (`0.000000000146 tree-months`). JSON keeps them all.
std::vector<Equivalent> text_equivalents(double co2e_g, const Dataset& data);

/// The human report: energy, CO2e, breakdown with shares, PUE overhead, equivalences, assumptions.
/// `per` (--per N UNIT) adds the per-unit line under the totals; so for the other renderers.
std::string render_text(const EstimateResult& r, const Dataset& data, const FunctionalUnit* per = nullptr);
/// A compact Markdown summary (a two-column table, then the assumptions in a collapsed <details>
/// block), for CI step summaries and pull-request comments (`estimate --format markdown`).
std::string render_markdown(const EstimateResult& r, const Dataset& data, const FunctionalUnit* per = nullptr);
/// `s` safe inside a Markdown table cell: `|` escaped, line breaks turned into spaces.
std::string markdown_cell(std::string_view s);
/// One JSON document (schema_version 2): the result columns at the top level, then `inputs`,
/// `equivalents`, `assumptions`, `data_version` (docs/cli.md, docs/schemas/estimate.schema.json).
/// With `per`, the per-unit columns (functional_unit.hpp) follow the result columns.
std::string render_json(const EstimateResult& r, const Dataset& data, const FunctionalUnit* per = nullptr);

/// One column of an estimate's machine-readable result. The same name is the CSV column, the
/// JSON Lines key and the top-level JSON key in every command that writes estimates (estimate,
/// batch); docs/cli.md's "Output contract" lists them (a test keeps the two in step).
struct ResultColumn {
  std::string_view name;
  std::string_view unit;     ///< as documented: "kWh", "kg CO2e", "ratio", "count", "name", ...
  std::string_view meaning;  ///< one line for the documentation
  /// A number (NaN when absent: an empty CSV cell, JSON null); null for a text column.
  double (*number)(const EstimateResult&) = nullptr;
  /// A name ("" when absent: an empty CSV cell, JSON null); null for a number column.
  std::string_view (*text)(const EstimateResult&) = nullptr;
};
/// The result columns, in output order.
inline constexpr std::size_t kResultColumnCount = 25;
std::span<const ResultColumn, kResultColumnCount> result_columns();
/// Names that follow the result columns in batch output: `status` (`ok`, `error`) and `error`.
inline constexpr std::array<std::string_view, 2> kBatchStatusColumns{"status", "error"};
/// The key of each JSON Lines row's input origins (`inputs.origins`, as in estimate's JSON): a
/// carried input column of that name is renamed like a result column.
inline constexpr std::string_view kBatchInputsKey = "inputs";

/// The result columns' values for one result, CSV-escaped and joined by `sep`, written at `p`,
/// which has csv_result_values_bound(r) bytes free; returns the end. Without a result (a bad
/// row), the same number of empty cells. Batch calls it once per row.
char* write_csv_result_values(char* p, const EstimateResult* r, char sep = ',');
std::size_t csv_result_values_bound(const EstimateResult* r);
/// The same appended to `out`.
void append_csv_result_values(std::string& out, const EstimateResult* r, char sep = ',');
/// The result columns as JSON members (`"energy_kwh":2.13,...`, no braces), appended to `out`;
/// without a result, every value null.
void append_json_result_members(std::string& out, const EstimateResult* r);
/// A header line and a row: render of `estimate --format csv` (with `per`, the per-unit columns last).
std::string render_csv(const EstimateResult& r, const FunctionalUnit* per = nullptr);

/// RFC 4180 quoting when `field` holds `sep`, a quote or a line break.
std::string csv_escape(std::string_view field, char sep = ',');

}  // namespace co2e
