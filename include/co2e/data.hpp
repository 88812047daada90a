// The data tables (CPUs, GPUs, grid regions, cloud regions, PUE defaults, equivalences,
// constants): the built-in rows compiled from data/*.json at build time, plus rows from user
// files (--data FILE, CO2E_DATA) that add to or replace them. Rows are plain structs whose strings
// view either static storage (built-in) or storage owned by the Dataset (user files).
// The JSON schema is documented in docs/data-schema.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/error.hpp"

namespace co2e {

/// Where a row comes from: every number co2e prints can be traced to one of these.
struct Provenance {
  std::string_view source;   ///< citation or URL of the upstream figure
  int year = 0;              ///< year the figure refers to (0: not given in a user file)
  std::string_view licence;  ///< licence of the upstream data
  std::string_view origin;   ///< the file the row was read from: `data/cpus.json` or a user path
};

struct CpuModel {
  std::string_view name;
  std::string_view key;  ///< normalize_name(name), precomputed for matching
  double tdp_w = 0;      ///< whole chip
  int cores = 0;         ///< physical cores per chip
  std::string_view vendor;
  std::string_view aliases;  ///< `|`-separated, may be empty
  Provenance prov;
  [[nodiscard]] double watts_per_core() const { return tdp_w / cores; }
};

struct GpuModel {
  std::string_view name;
  std::string_view key;   ///< normalize_name(name), precomputed for matching
  double tdp_w = 0;       ///< per device
  std::string_view kind;  ///< gpu, tpu or accelerator
  std::string_view vendor;
  double memory_gb = 0;  ///< 0: unknown
  std::string_view aliases;
  Provenance prov;
};

/// The world, a country or a sub-national region with its average grid emission factor.
struct Region {
  std::string_view code;  ///< WORLD, FR, US-CA
  std::string_view name;
  std::string_view kind;     ///< world, country or subdivision
  std::string_view iso3;     ///< countries only
  std::string_view country;  ///< subdivisions only: alpha-2 of the country
  double intensity_g_per_kwh = 0;
  Provenance prov;
};

/// A cloud region, mapped to the grid region it draws from.
struct CloudRegion {
  std::string_view code;      ///< aws:eu-west-3
  std::string_view provider;  ///< aws, gcp, azure
  std::string_view name;
  std::string_view location;        ///< a Region code
  double intensity_g_per_kwh = -1;  ///< < 0: not published, use the location's
  double pue = 0;                   ///< 0: not published, use the provider's
  Provenance prov;
};

/// PUE default of a cloud provider or of a platform (local, personal, cloud).
struct Provider {
  std::string_view id;
  std::string_view name;
  std::string_view kind;  ///< cloud, platform or datacentre
  double pue = 1;
  std::string_view aliases;
  Provenance prov;
};

/// A reference emission to compare a footprint with (tree-months, car km, flights).
struct Equivalence {
  std::string_view id;
  std::string_view name;
  double g_per_unit = 0;
  Provenance prov;
};

/// A named constant such as memory_power_w_per_gb.
struct Constant {
  std::string_view id;
  double value = 0;
  std::string_view description;
  Provenance prov;
};

/// The constants the formula falls back on when no power or location is given. Each is a row of
/// data/constants.json (its value, source and year live there only): co2e_gen_tables refuses to
/// build without any of them, and a --data file can replace a row but not remove it.
enum class DefaultConstant : std::uint8_t {
  core_power_w,               ///< W per CPU core, model unknown (Green Algorithms "Any" CPU)
  gpu_power_w,                ///< W per GPU, model unknown (Green Algorithms "Any" GPU)
  memory_power_w_per_gb,      ///< W per GB of memory (Green Algorithms referenceValues)
  world_intensity_g_per_kwh,  ///< world average grid, when no WORLD region row is found
};

/// The ids of the DefaultConstant rows in data/constants.json, in enum order.
inline constexpr std::array<std::string_view, 4> kDefaultConstantIds{
    "default_core_power_w", "default_gpu_power_w", "memory_power_w_per_gb", "world_intensity_g_per_kwh"};

/// The tables a Dataset holds, as named in the JSON files and on the command line.
enum class Table { cpus, gpus, regions, cloud_regions, providers, equivalences, constants };

/// A grid region as the user named it: a country or subdivision, or a cloud region with the grid
/// region it maps to.
struct RegionMatch {
  const Region* grid = nullptr;        ///< always set
  const CloudRegion* cloud = nullptr;  ///< set when the user named a cloud region
  /// The emission factor to use: the cloud region's own figure when published, else the grid's.
  [[nodiscard]] double intensity_g_per_kwh() const {
    return cloud != nullptr && cloud->intensity_g_per_kwh >= 0 ? cloud->intensity_g_per_kwh : grid->intensity_g_per_kwh;
  }
  /// The row the intensity comes from.
  [[nodiscard]] const Provenance& intensity_prov() const {
    return cloud != nullptr && cloud->intensity_g_per_kwh >= 0 ? cloud->prov : grid->prov;
  }
};

/// The built-in tables plus user overrides, with name lookup. Cheap to create: built-in rows are
/// static; indexes are built on first lookup.
class Dataset {
 public:
  Dataset();
  ~Dataset();
  Dataset(Dataset&&) noexcept;
  Dataset& operator=(Dataset&&) noexcept;
  Dataset(const Dataset&) = delete;
  Dataset& operator=(const Dataset&) = delete;

  /// The built-in tables and the user files named in `paths` (later files win). Errors name the
  /// file, the table, the row number and the field.
  static Result<Dataset> load(const std::vector<std::string>& paths);

  /// Adds the rows of one JSON document (docs/data-schema.md); `origin` names it in errors and
  /// in provenance. Rows whose key matches an existing row replace it.
  Status add_json(std::string_view text, std::string_view origin);
  /// Reads `path` and calls add_json.
  Status add_file(const std::string& path);

  [[nodiscard]] std::span<const CpuModel> cpus() const;
  [[nodiscard]] std::span<const GpuModel> gpus() const;
  [[nodiscard]] std::span<const Region> regions() const;
  [[nodiscard]] std::span<const CloudRegion> cloud_regions() const;
  [[nodiscard]] std::span<const Provider> providers() const;
  [[nodiscard]] std::span<const Equivalence> equivalences() const;
  [[nodiscard]] std::span<const Constant> constants() const;

  /// A CPU by name or alias, insensitive to case, punctuation, ®/™, "CPU @ 2.50GHz" and a missing
  /// vendor prefix (`Xeon Gold 6248`). Unknown or ambiguous: a usage Error with suggestions.
  [[nodiscard]] Result<const CpuModel*> find_cpu(std::string_view query) const;
  [[nodiscard]] Result<const GpuModel*> find_gpu(std::string_view query) const;
  /// `FR`, `FRA`, `France`, `US-CA`, `aws:eu-west-3`, `gcp:europe-west1`, `azure:francecentral`
  /// (and a cloud region's bare name when only one provider has it).
  [[nodiscard]] Result<RegionMatch> find_region(std::string_view query) const;
  /// A provider or platform by id, name or alias (`gcp`, `google`, `local`).
  [[nodiscard]] Result<const Provider*> find_provider(std::string_view query) const;
  [[nodiscard]] const Equivalence* find_equivalence(std::string_view id) const;
  [[nodiscard]] const Constant* find_constant(std::string_view id) const;
  /// The value of a constant the formula needs (always present, see DefaultConstant).
  [[nodiscard]] double constant(DefaultConstant which) const;

  /// The user files loaded, in order.
  [[nodiscard]] const std::vector<std::string>& user_files() const;
  /// A one-line description of the built-in data: table sizes and newest years.
  [[nodiscard]] std::string version_summary() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The JSON key of a table (`cloud_regions`) and back.
std::string_view table_name(Table t);
std::optional<Table> table_from_name(std::string_view name);

/// The matching key of a name: lower case, ®/™/(R)/(TM), "CPU", "processor", "@ x GHz" removed,
/// every run of other punctuation or spaces turned into one space.
std::string normalize_name(std::string_view name);

/// Levenshtein distance between `a` and `b` as written (no normalization), or `bound + 1` as soon
/// as it must exceed `bound`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound);

/// Up to `max` candidates closest to `query` (by edit distance of normalized names), best first.
std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string_view>& candidates,
                                       std::size_t max = 5);

}  // namespace co2e
