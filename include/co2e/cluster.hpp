// The cluster description for `co2e slurm`: per partition the power of a core and of a GPU (from
// a model in the data tables or given in watts) and the memory of a node; for the cluster its
// PUE (or provider), grid region (or intensity) and the granularity of memory requests. JSON,
// documented with a full example in docs/cluster.md; keys starting with `_` are comments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/error.hpp"
#include "co2e/estimate.hpp"

namespace co2e {

/// The powers of one partition, resolved against the data tables.
struct PartitionPower {
  std::string name;
  double core_power_w = 0;           ///< per core
  double gpu_power_w = 0;            ///< per GPU
  double node_memory_gb = 0;         ///< 0: not given (ReqMem 0 jobs then count no memory)
  double node_power_w = 0;           ///< per node beyond CPUs, GPUs and memory (issue 15); 0: not counted
  double embodied_kg_per_node = -1;  ///< a node's manufacturing footprint, GPUs excluded; < 0: not given
  double embodied_kg_per_gpu = -1;   ///< a GPU's manufacturing footprint; < 0: not given
  const CpuModel* cpu = nullptr;
  const GpuModel* gpu = nullptr;
  bool described = true;  ///< false for the fallback used for unknown partitions
  /// The powers' ranges (issue 17): exact when given in watts, a TDP's or a default's range else.
  InputRange core_power_range;
  InputRange gpu_power_range;
};

/// A figure of the file that a command-line input replaced, so that the report can say so.
struct ClusterOverride {
  Origin by;               ///< the flag or variable that won
  std::string key;         ///< the file's key: `pue`, `region`, ...
  std::string file_value;  ///< the file's value, as JSON text
};

/// The whole description, resolved: every figure a job's footprint needs.
struct Cluster {
  std::string name;
  std::string origin;  ///< the file it came from, or empty for the defaults
  std::vector<PartitionPower> partitions;
  PartitionPower fallback;  ///< for partitions not described: `default` entry or co2e's defaults
  double pue = 1;
  PueSource pue_source = PueSource::default_local;
  const Provider* provider = nullptr;
  Origin pue_origin;  ///< the input that decided the PUE (pue or provider): flag, env or the file's key
  double intensity_g_per_kwh = 0;
  IntensitySource intensity_source = IntensitySource::default_world;
  std::optional<RegionMatch> region;
  Origin intensity_origin;  ///< the input that decided the intensity (intensity or region)
  std::vector<ClusterOverride> overrides;
  double memory_power_w_per_gb = 0;
  double memory_granularity_gb = 0;  ///< smallest memory request step; 0: any size
  /// The ranges of pue, intensity_g_per_kwh and memory_power_w_per_gb (issue 17,
  /// docs/methodology.md "Ranges"): exact when given, a table figure's or a default's range else.
  InputRange pue_range;
  InputRange intensity_range;
  InputRange memory_power_range;
  /// Embodied emissions (issue 15): counted when a partition gives a kg figure; amortised as
  /// kg × (node-hours or GPU-hours) / (lifetime years × 8760 × utilisation).
  bool embodied = false;
  double lifetime_years = 6;  ///< `lifetime_years`, else data/constants.json's default
  double utilisation = 0.85;  ///< `utilisation`, else data/constants.json's default
  Origin lifetime_origin;     ///< the file's key, or default
  Origin utilisation_origin;

  /// The partition named `name`, or nullptr.
  [[nodiscard]] const PartitionPower* find(std::string_view partition_name) const;
};

/// Command-line figures that win over the file's, each with its origin (flag or variable).
struct ClusterOverrides {
  std::optional<double> pue;
  std::optional<std::string> provider;
  std::optional<std::string> region;
  std::optional<double> intensity_g_per_kwh;
  std::optional<Basis> intensity_basis;             ///< --intensity-basis, wins over the file's key
  std::optional<IntensityOrigin> intensity_source;  ///< --intensity-source
  Origin pue_origin = Origin::flag("--pue");
  Origin provider_origin = Origin::flag("--provider");
  Origin region_origin = Origin::flag("--region");
  Origin intensity_origin = Origin::flag("--intensity");
};

/// Parses and resolves a description. An empty `origin` means "no file": co2e's defaults for every
/// partition (an average data centre's PUE, the world's grid); a file that is empty or only
/// whitespace is an error (a truncated file must not turn into defaults). Errors name `origin`,
/// the key and the accepted values; an unknown key is an error (typos would silently change the
/// figures). The Cluster's Origins point into `origin` and `ov`, which must outlive it.
Result<Cluster> load_cluster(std::string_view json, std::string_view origin, const ClusterOverrides& overrides,
                             const Dataset& data);

/// One partition as `sinfo` reports it, for `co2e slurm init`.
struct SinfoPartition {
  std::string name;
  long long cpus_per_node = 0;
  long long memory_mb = 0;  ///< per node, SLURM's MB (MiB)
  long long gpus_per_node = 0;
};
/// Parses `sinfo --noheader --format=%R|%c|%m|%G` (one line per node group; merged by name).
std::vector<SinfoPartition> parse_sinfo(std::string_view text);
/// The `sinfo` command line that parse_sinfo reads.
std::vector<std::string> sinfo_argv();

/// A commented JSON template of a description, with one entry per partition given (an example
/// `cpu` and `gpu` pair when none).
std::string cluster_template(const std::vector<SinfoPartition>& partitions);

}  // namespace co2e
