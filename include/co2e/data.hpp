// The data tables (CPUs, GPUs, grid regions, cloud regions, PUE defaults, equivalences,
// constants): the built-in rows compiled from data/*.json at build time, plus rows from user
// files (--data FILE, CO2E_DATA) that add to or replace them. Rows are plain structs whose strings
// view either static storage (built-in) or storage owned by the Dataset (user files).
// The JSON schema is documented in docs/data-schema.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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
  std::string_view source;     ///< citation or URL of the upstream figure
  int year = 0;                ///< year the figure refers to (0: not given in a user file)
  std::string_view licence;    ///< licence of the upstream data
  std::string_view origin;     ///< the file the row was read from: `data/cpus.json` or a user path
  std::string_view release;    ///< the dataset release the figure was taken from (`eGRID2023 rev2`); may be empty
  std::string_view url;        ///< where that release is published; may be empty
  std::string_view retrieved;  ///< date the release was read (YYYY-MM-DD); may be empty
  std::string_view note;       ///< e.g. "year imputed from the series launch"; may be empty
};

/// What a grid emission factor counts (docs/methodology.md, "Bases"): `lifecycle` adds upstream
/// fuel supply, plant construction and methane leaks to combustion (OWID/Ember, IPCC AR5
/// lifecycle factors); `direct` is combustion at the plant only (GHG Protocol scope 2
/// location-based, EPA eGRID, NGA scope 2).
enum class Basis : std::uint8_t { lifecycle, direct };

/// `lifecycle` or `direct`.
std::string_view basis_name(Basis b);
/// Parses `lifecycle` / `direct`; nullopt otherwise.
std::optional<Basis> basis_from_name(std::string_view name);

/// Which figure a cloud region uses (--intensity-source): its location's grid figure (default,
/// so two providers in one grid agree) or the figure its provider publishes.
enum class IntensityOrigin : std::uint8_t { location, provider };
std::string_view intensity_origin_name(IntensityOrigin o);

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

/// The world, a group of countries (an `aggregate` such as Ember's EU-27), a country or a
/// sub-national region, with its average grid emission factor.
struct Region {
  std::string_view code;  ///< WORLD, FR, US-CA
  std::string_view name;
  std::string_view kind;           ///< world, aggregate, country or subdivision
  std::string_view iso3;           ///< countries only
  std::string_view country;        ///< subdivisions only: alpha-2 of the country
  double intensity_g_per_kwh = 0;  ///< on `basis`
  std::string_view basis;          ///< `lifecycle` or `direct`; empty: not stated (user files only)
  double other_g_per_kwh = -1;     ///< the figure on the other basis from the same source; < 0: none
  Provenance prov;
  /// The figure on basis `b`, or < 0 when this row has none. A row whose basis is not stated
  /// answers for either basis (the output says the basis was not stated).
  [[nodiscard]] double on_basis(Basis b) const {
    if (basis.empty()) return intensity_g_per_kwh;
    return basis == basis_name(b) ? intensity_g_per_kwh : other_g_per_kwh;
  }
};

/// A cloud region, mapped to the grid region it draws from.
struct CloudRegion {
  std::string_view code;      ///< aws:eu-west-3
  std::string_view provider;  ///< aws, gcp, azure
  std::string_view name;
  std::string_view location;         ///< a Region code
  double intensity_g_per_kwh = -1;   ///< the provider's published figure; < 0: none
  std::string_view intensity_basis;  ///< basis of the provider's figure (empty: not stated)
  Provenance intensity_prov;         ///< where the provider's figure comes from
  std::string_view location_note;    ///< set when the location is an assumption, saying why
  double pue = 0;                    ///< 0: not published, use the provider's
  Provenance prov;                   ///< the region and its location mapping
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

/// A cloud instance type: its accelerators, vCPUs and memory, as the provider documents them.
struct CloudInstance {
  std::string_view code;      ///< aws:p4d.24xlarge, gcp:a2-highgpu-8g, azure:Standard_ND96asr_v4
  std::string_view provider;  ///< aws, gcp, azure
  int vcpus = 0;
  std::string_view cpu;  ///< a CpuModel name; empty when the provider does not name the chip
  double memory_gb = 0;  ///< as the provider states it (AWS and Azure say GiB; the figure is used as GB)
  int gpus = 0;
  std::string_view gpu;  ///< a GpuModel name; empty without GPUs
  Provenance prov;
};

/// A manufacturing (embodied) footprint: kg CO2e per unit, per GB or per TB of a kind of hardware
/// (data/embodied.json; docs/methodology.md, "Embodied emissions"). Amortised over a job by
/// kg × hours used / (lifetime hours × utilisation).
struct EmbodiedItem {
  std::string_view id;          ///< hpe_apollo_6500, a100_bloom, ...
  std::string_view name;        ///< what `--server` matches (with aliases)
  std::string_view key;         ///< normalize_name(name), precomputed for matching
  std::string_view kind;        ///< gpu, cpu, memory, ssd, hdd, server, laptop
  std::string_view per;         ///< unit, GB or TB: what `kg` is per
  double kg = 0;                ///< kg CO2e per `per`
  double low_kg = -1;           ///< the low end of the source's range; < 0: none given
  double high_kg = -1;          ///< the high end; < 0: none given
  int gpus = 0;                 ///< servers: GPUs per node the figure was made for (0: none or unknown)
  bool is_default = false;      ///< the figure used for its kind when no row names the model
  std::string_view scope;       ///< what the figure covers (cradle to gate, GPUs excluded, ...)
  std::string_view applies_to;  ///< gpu/cpu rows: `|`-separated model names (gpus.json, cpus.json)
  std::string_view aliases;
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
  // The whole footprint (issue 15; docs/methodology.md): sourced defaults of its inputs.
  embodied_lifetime_years,  ///< years over which manufacturing is amortised (BLOOM: 6)
  embodied_utilisation,     ///< share of its life hardware is busy (BLOOM: 0.85)
  node_overhead_fraction,   ///< node power beyond the chips, as a share of theirs (--nodes alone)
  storage_ssd_w_per_tb,     ///< W per TB of SSD kept
  storage_hdd_w_per_tb,     ///< W per TB of HDD kept
  network_kwh_per_gb,       ///< kWh per GB moved over networks (2015 figure)
};

/// The ids of the DefaultConstant rows in data/constants.json, in enum order.
inline constexpr std::array<std::string_view, 10> kDefaultConstantIds{
    "default_core_power_w",    "default_gpu_power_w",  "memory_power_w_per_gb",  "world_intensity_g_per_kwh",
    "embodied_lifetime_years", "embodied_utilisation", "node_overhead_fraction", "storage_ssd_w_per_tb",
    "storage_hdd_w_per_tb",    "network_kwh_per_gb"};

/// The tables a Dataset holds, as named in the JSON files and on the command line.
enum class Table { cpus, gpus, regions, cloud_regions, providers, equivalences, constants, instances, embodied };

/// A grid region as the user named it: a country or subdivision, or a cloud region with the grid
/// region it maps to; plus the basis and origin asked for, which decide the figure used.
/// The rule (docs/methodology.md): the location's figure on the chosen basis; where the location
/// has none, its figure on the other basis, flagged by basis_fallback(). With
/// IntensityOrigin::provider, a cloud region's published figure when there is one, else the
/// location's (provider_fallback()).
struct RegionMatch {
  const Region* grid = nullptr;        ///< always set
  const CloudRegion* cloud = nullptr;  ///< set when the user named a cloud region
  Basis basis = Basis::lifecycle;      ///< the basis asked for
  IntensityOrigin origin = IntensityOrigin::location;

  /// Whether the provider's published figure is the one used.
  [[nodiscard]] bool uses_provider_figure() const {
    return origin == IntensityOrigin::provider && cloud != nullptr && cloud->intensity_g_per_kwh >= 0;
  }
  /// The provider's figure was asked for but this cloud region (or a grid region) has none.
  [[nodiscard]] bool provider_fallback() const {
    return origin == IntensityOrigin::provider && !uses_provider_figure();
  }
  /// The emission factor to use.
  [[nodiscard]] double intensity_g_per_kwh() const {
    if (uses_provider_figure()) return cloud->intensity_g_per_kwh;
    const double v = grid->on_basis(basis);
    return v >= 0 ? v : grid->intensity_g_per_kwh;
  }
  /// The basis of the figure used: `lifecycle`, `direct` or empty (not stated).
  [[nodiscard]] std::string_view intensity_basis() const {
    if (uses_provider_figure()) return cloud->intensity_basis;
    if (grid->basis.empty()) return {};
    return grid->on_basis(basis) >= 0 ? basis_name(basis) : grid->basis;
  }
  /// The location has no figure on the basis asked for: the other basis was used.
  [[nodiscard]] bool basis_fallback() const {
    return !uses_provider_figure() && !grid->basis.empty() && grid->on_basis(basis) < 0;
  }
  /// The row the intensity comes from.
  [[nodiscard]] const Provenance& intensity_prov() const {
    return uses_provider_figure() ? cloud->intensity_prov : grid->prov;
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
  [[nodiscard]] std::span<const CloudInstance> instances() const;
  [[nodiscard]] std::span<const EmbodiedItem> embodied() const;

  /// A CPU by name or alias, insensitive to case, punctuation, ®/™, "CPU @ 2.50GHz" and a missing
  /// vendor prefix (`Xeon Gold 6248`). Unknown or ambiguous: a usage Error with suggestions.
  [[nodiscard]] Result<const CpuModel*> find_cpu(std::string_view query) const;
  [[nodiscard]] Result<const GpuModel*> find_gpu(std::string_view query) const;
  /// The other rows that `query` also names when find_gpu(query) gave `chosen`: the PCIe and
  /// 80 GB variants of a bare `A100`. Empty when the query names one row only.
  [[nodiscard]] std::vector<const GpuModel*> gpu_variants(std::string_view query, const GpuModel* chosen) const;
  /// A cloud instance type: `aws:p4d.24xlarge`, `gcp:a2-highgpu-8g`, `azure:Standard_ND96asr_v4`,
  /// or the bare type when one provider has it (`p4d.24xlarge`, `ND96asr_v4`).
  [[nodiscard]] Result<const CloudInstance*> find_instance(std::string_view query) const;
  /// `FR`, `FRA`, `France`, `US-CA`, `aws:eu-west-3`, `gcp:europe-west1`, `azure:francecentral`
  /// (and a cloud region's bare name when only one provider has it).
  [[nodiscard]] Result<RegionMatch> find_region(std::string_view query) const;
  /// A provider or platform by id, name or alias (`gcp`, `google`, `local`).
  [[nodiscard]] Result<const Provider*> find_provider(std::string_view query) const;
  [[nodiscard]] const Equivalence* find_equivalence(std::string_view id) const;
  [[nodiscard]] const Constant* find_constant(std::string_view id) const;
  /// A server (kind `server` or `laptop`) of the embodied table by id, name or alias, insensitive
  /// to case and punctuation, or by a unique word-prefix of its name (`HPE Apollo 6500`).
  /// Unknown or ambiguous: a usage Error with suggestions.
  [[nodiscard]] Result<const EmbodiedItem*> find_server(std::string_view query) const;
  /// The embodied row for a device of `kind` named `model` (a row whose applies_to lists it), else
  /// the kind's default row, else nullptr.
  [[nodiscard]] const EmbodiedItem* find_embodied(std::string_view kind, std::string_view model = {}) const;
  /// The value of a constant the formula needs (always present, see DefaultConstant).
  [[nodiscard]] double constant(DefaultConstant which) const;

  /// The user files loaded, in order.
  [[nodiscard]] const std::vector<std::string>& user_files() const;
  /// A one-line description of the built-in data: table sizes and newest years.
  [[nodiscard]] std::string version_summary() const;

 private:
  /// The code of the instance type `query` names (`c7g.16xlarge` -> `aws:c7g.16xlarge`), else empty.
  [[nodiscard]] std::string instance_code(std::string_view query) const;
  /// The instance types `query` names, ignoring case, the provider's other names and "Standard_".
  [[nodiscard]] std::vector<const CloudInstance*> instance_hits(std::string_view query) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The identifier of the built-in data release (`data_release` in data/constants.json's
/// `_meta`, e.g. `2026-11`): what a paper cites to name the exact figures used.
std::string_view data_release();

/// The JSON key of a table (`cloud_regions`) and back.
std::string_view table_name(Table t);
std::optional<Table> table_from_name(std::string_view name);

/// The matching key of a name: lower case, ®/™/(R)/(TM), "CPU", "processor", "@ x GHz" removed,
/// every run of other punctuation or spaces turned into one space.
std::string normalize_name(std::string_view name);

/// A normalized key without the words that do not tell models apart (vendors, brand lines such as
/// Tesla/GeForce, memory types such as HBM3, "12th Gen", "with Radeon Graphics", "Tensor Core GPU"):
/// `nvidia h100 80gb hbm3` -> `h100 80gb`.
std::string relaxed_name(std::string_view key);
/// `s` with the letters people type for digits read as digits: `h1oo` -> `h100` (o -> 0, i and l -> 1).
std::string look_alike_digits(std::string s);
/// `s` without spaces: `rtx 4090` and `rtx4090` meet as `rtx4090`.
std::string compact_name(std::string_view s);
/// The size in GB of a memory word of a model name (`24gb`, `80g`, `16gib`), else nullopt.
std::optional<double> memory_word_gb(std::string_view word);

/// Levenshtein distance between `a` and `b` as written (no normalization), or `bound + 1` as soon
/// as it must exceed `bound`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound);

/// `; did you mean "gpus"?` for the one of `choices` (a fixed list of accepted values) within a
/// slip or two of `word`, else empty: for every argument that takes one of a list.
std::string nearest_hint(std::string_view word, std::initializer_list<std::string_view> choices);

/// Up to `max` candidates closest to `query` (by edit distance of normalized names), best first.
std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string_view>& candidates,
                                       std::size_t max = 5);

}  // namespace co2e
