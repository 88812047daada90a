// Where a value came from: a flag typed on the command line, an environment variable, a batch
// column, the cluster file, a data-table row or a default. Every input that enters a figure
// carries one, so reports can say "PUE 2 from CO2E_PUE" rather than blame a flag that was never
// typed (a stale `export` changes results), and errors can name the input the way the user gave it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace co2e {

/// The kinds of origin, named in JSON by origin_kind_name().
enum class OriginKind : std::uint8_t {
  default_value,  ///< not given: a default or a data-table figure (see the result's *_source)
  flag,           ///< typed on the command line: name = `--pue`
  env,            ///< an environment variable: name = `CO2E_PUE`
  column,         ///< a batch input column: name = the header's name, row = the row (1-based)
  cluster,        ///< the cluster description: name = the key, file = its path
  table,          ///< a data-table row: name = the row's id or source
};

/// Where one value came from. The strings are not owned: they point into static tables, the
/// command line, a batch ColumnMap or a Cluster, which outlive the results that carry them (batch
/// copies origins per row, so they must cost no allocation).
struct Origin {
  OriginKind kind = OriginKind::default_value;
  std::string_view name;  ///< flag, variable, column or key
  std::string_view file;  ///< cluster file path (kind cluster)
  std::uint64_t row = 0;  ///< batch row (kind column), 0 when not known

  [[nodiscard]] bool given() const { return kind != OriginKind::default_value && kind != OriginKind::table; }

  static Origin flag(std::string_view name) { return {OriginKind::flag, name, {}, 0}; }
  static Origin env(std::string_view name) { return {OriginKind::env, name, {}, 0}; }
  static Origin column(std::string_view name, std::uint64_t row = 0) { return {OriginKind::column, name, {}, row}; }
  static Origin cluster(std::string_view file, std::string_view key) { return {OriginKind::cluster, key, file, 0}; }
  static Origin table(std::string_view name) { return {OriginKind::table, name, {}, 0}; }
};

/// `default`, `flag`, `env`, `column`, `cluster`, `table`: the `origin` key in JSON.
std::string_view origin_kind_name(OriginKind k);

/// The input as the user gave it, to name it in a message: `--pue`, `CO2E_PUE`, `pue` (a batch
/// column), `cluster.json: pue`, or the table row's name.
std::string origin_label(const Origin& o);

/// How a report says where a value came from: `given with --pue`, `from CO2E_PUE`, `from column
/// pue`, `from cluster.json (pue)`, `from the data tables (NAME)`, `default`.
std::string origin_phrase(const Origin& o);

}  // namespace co2e
