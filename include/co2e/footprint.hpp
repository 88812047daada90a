// The whole footprint beyond the chips (issue 15; docs/methodology.md, "The whole footprint"):
//   server overhead  = node power × node-hours (or a share of the chips' energy)   before PUE
//   storage          = TB kept × W per TB × runtime                                before PUE
//   network          = GB moved × kWh per GB                                       no PUE: outside the data centre
//   embodied share   = kg × hours used / (lifetime years × 8760 × utilisation)     no PUE, no grid
// BLOOM (Luccioni, Viguier, Ligozat, JMLR 24(253), 2023) is the worked example: servers at
// 2,500 kg for 8 GPUs, GPUs at 150 kg, 6 years at 85 % use, over 1,082,990 GPU-hours: 11.2 t.
// These types live apart from estimate.hpp so that the estimate's own steps stay small; the
// estimate calls the steps declared at the bottom.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "co2e/data.hpp"
#include "co2e/error.hpp"

namespace co2e {

struct EstimateSpec;
struct EstimateResult;
enum class Field : std::uint8_t;

/// What kind of storage `--storage` keeps: it sets the W per TB and the kg per TB.
enum class StorageMedia : std::uint8_t { ssd, hdd };
std::string_view storage_media_name(StorageMedia m);

/// The whole-footprint inputs of an EstimateSpec; every one may be missing, and when all are,
/// every figure is what it was before issue 15.
struct FootprintSpec {
  std::optional<bool> embodied;               ///< --embodied: count manufacturing emissions
  std::optional<double> lifetime_years;       ///< --lifetime
  std::optional<double> utilisation;          ///< --utilisation, in (0, 1]
  std::optional<std::string> server;          ///< --server MODEL (embodied table)
  std::optional<double> server_embodied_kg;   ///< --server-embodied KG per node
  std::optional<std::int64_t> nodes;          ///< --nodes
  std::optional<double> embodied_gpu_kg;      ///< --embodied-gpu KG per GPU
  std::optional<double> embodied_cpu_kg;      ///< --embodied-cpu KG per CPU chip
  std::optional<double> node_power_w;         ///< --node-power W per node beyond CPUs, GPUs, memory
  std::optional<double> storage_tb;           ///< --storage SIZE kept for the job's duration
  std::optional<StorageMedia> storage_media;  ///< --storage-type ssd|hdd
  std::optional<double> transfer_gb;          ///< --transfer SIZE moved over networks

  /// Any input that only makes sense with embodied emissions counted.
  [[nodiscard]] bool embodied_input() const {
    return server || server_embodied_kg || embodied_gpu_kg || embodied_cpu_kg || lifetime_years || utilisation;
  }
};

/// Where the server overhead power came from.
enum class NodePowerSource : std::uint8_t {
  none,      ///< not counted (no --nodes, no --node-power)
  flag,      ///< --node-power W × node-hours
  fraction,  ///< --nodes without --node-power: the constants' share of the chips' energy
};

/// One amortised part of the embodied emissions.
struct EmbodiedPart {
  double kg_each = 0;                 ///< kg CO2e per unit, GB or TB
  double unit_hours = 0;              ///< units (GPUs, chips, nodes, GB, TB) × hours, one run
  double kg = 0;                      ///< amortised share, all runs (× psf)
  const EmbodiedItem* row = nullptr;  ///< the data row, when kg_each came from one
  bool from_input = false;            ///< kg_each given (flag, variable, column)
  [[nodiscard]] bool counted() const { return unit_hours > 0 && kg_each > 0; }
};

/// Things the whole-footprint steps assumed, each rendered as one sentence.
enum class FootprintNote : std::uint8_t {
  one_node_assumed,           ///< node figures without --nodes or GPUs per server: 1 node
  nodes_from_server_gpus,     ///< nodes = GPUs / the server row's GPUs per node
  node_hours_from_gpu_hours,  ///< no runtime: node-hours = GPU-hours / GPUs per node
  storage_media_assumed,      ///< --storage without --storage-type: SSD
  cpu_in_server,              ///< a server figure covers the CPUs and memory: not counted apart
  cpu_needs_model,            ///< CPU embodied needs a CPU model's cores per chip: not counted
  gpu_default_row,            ///< no embodied row names this GPU: the default row's figure
  count_,
};

/// The whole-footprint figures of one estimate. Energies are one run, before PUE where the
/// comment says so; embodied kg are for all runs.
struct FootprintResult {
  // server overhead (in Components::server_kwh)
  std::int64_t nodes = 0;             ///< 0: not known (node-hours from GPU-hours)
  double node_hours = 0;              ///< one run
  double node_power_w = 0;            ///< per node, when source is flag
  double node_overhead_fraction = 0;  ///< when source is fraction
  NodePowerSource node_power_source = NodePowerSource::none;
  // storage (in Components::storage_kwh)
  double storage_tb = 0;
  StorageMedia storage_media = StorageMedia::ssd;
  double storage_w_per_tb = 0;
  // network: after PUE (not in Components)
  double transfer_gb = 0;
  double network_kwh_per_gb = 0;
  double network_kwh = 0;  ///< one run
  // embodied
  bool embodied = false;  ///< counted
  double lifetime_years = 0;
  double utilisation = 0;
  const EmbodiedItem* server_row = nullptr;
  EmbodiedPart gpu, cpu, memory, server, storage;
  double embodied_kg = 0;  ///< all runs: the sum of the parts
  std::uint32_t notes = 0;

  [[nodiscard]] bool has(FootprintNote n) const { return (notes >> static_cast<unsigned>(n)) & 1U; }
  void add(FootprintNote n) { notes |= 1U << static_cast<unsigned>(n); }
  /// Hours of a device's life the amortisation divides by: years × 8760 × utilisation.
  [[nodiscard]] double life_hours() const { return lifetime_years * 8760.0 * utilisation; }
};

/// The share of a manufacturing footprint a use carries (Luccioni et al. 2023): kg each × units ×
/// hours / (lifetime years × 8760 h × utilisation). The one formula of estimate, slurm and run.
[[nodiscard]] constexpr double amortised_kg(double kg_each, double unit_hours, double lifetime_years,
                                            double utilisation) noexcept {
  return kg_each * unit_hours / (lifetime_years * 8760.0 * utilisation);
}

/// Parses `text` into a whole-footprint field of `spec` (set_field's part for these fields).
Status set_footprint_field(FootprintSpec& spec, Field field, std::string_view text);
/// Whether a whole-footprint field of `spec` was given.
bool has_footprint_field(const FootprintSpec& spec, Field field);

/// Server overhead, storage and network energy: called by estimate() after the components and
/// before PUE; errors name inputs by input_name().
Status estimate_overheads(const EstimateSpec& spec, const Dataset& data, EstimateResult& r);
/// The amortised manufacturing emissions: called by estimate() after the totals.
Status estimate_embodied(const EstimateSpec& spec, const Dataset& data, EstimateResult& r);

}  // namespace co2e
