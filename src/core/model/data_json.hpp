// Reads data tables from JSON (docs/data-schema.md) into rows whose strings live in a TableSet.
// Shared by the build-time table compiler (src/gen) and by user files at run time, so that the
// built-in data and user data obey exactly the same rules.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/error.hpp"

namespace co2e::detail {

/// The rows of every table, one vector per table; their strings live elsewhere (a TableSet, the
/// built-in literals).
struct Rows {
  std::vector<CpuModel> cpus;
  std::vector<GpuModel> gpus;
  std::vector<Region> regions;
  std::vector<CloudRegion> cloud_regions;
  std::vector<Provider> providers;
  std::vector<Equivalence> equivalences;
  std::vector<Constant> constants;
  std::vector<CloudInstance> instances;
  std::vector<EmbodiedItem> embodied;
};

/// Rows of every table plus the storage their string_views point into.
struct TableSet {
  Rows rows;
  std::string_view data_release;    ///< top-level `data_release` (co2e's own data/ only)
  std::deque<std::string> strings;  ///< deque: growth never moves existing strings

  /// Copies `s` into the set's storage and returns a view of the copy.
  std::string_view keep(std::string_view s);
};

/// Parses one JSON document into `out`. With `require_provenance`, every row must carry source,
/// year and licence (the rule for data/*.json); otherwise source defaults to `origin`.
/// Errors name `origin`, the table, the row number (1-based) and the field.
Status parse_tables_json(std::string_view text, std::string_view origin, bool require_provenance, TableSet& out);

}  // namespace co2e::detail
