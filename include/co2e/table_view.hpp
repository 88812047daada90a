// Data tables as plain rows of cells, for `co2e list` and `co2e show`, rendered as aligned text,
// JSON or CSV.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/render.hpp"

namespace co2e {

/// One cell: text, a number, an integer, or empty.
using Cell = std::variant<std::monostate, std::string, double, std::int64_t>;

struct TableView {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

/// The rows of `table` (cpus, gpus, regions, providers, equivalences) whose name or code
/// contains `match` after normalization (empty: all rows). Regions include cloud regions.
Result<TableView> list_table(const Dataset& data, std::string_view table, std::string_view match);

/// The one row that `name` resolves to in `kind` (cpu, gpu, region, provider), with every field
/// and its provenance. Unknown names give the lookup's error with suggestions.
Result<TableView> show_row(const Dataset& data, std::string_view kind, std::string_view name);

/// Names of `kind` (cpu, gpu, region, provider) that start with `prefix`, ignoring case, sorted
/// and without duplicates: for shell completion (`co2e __complete gpu H1`). A CPU or GPU offers its
/// name, its aliases and its name without the vendor word ("H100 SXM5 80GB"); a region its code
/// (grid and cloud: "GB", "aws:eu-west-1"); a provider its id and aliases. An unknown kind: none.
std::vector<std::string> complete_names(const Dataset& data, std::string_view kind, std::string_view prefix);

/// Text: aligned columns (with `single`, one `field: value` line each); JSON: an array of objects
/// (with `single`, one object); CSV: a header and the rows.
std::string render_table(const TableView& t, Format format, bool single = false);

}  // namespace co2e
