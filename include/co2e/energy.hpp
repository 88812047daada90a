// The energy formula, once. Green Algorithms (Lannelongue, Grealey & Inouye 2021, Adv. Sci. 8,
// 2100707, eq. 1-2; METHODS.md) and Green Algorithms for HPC share it:
//   cpu_kwh    = core-hours × W per core × CPU usage / 1000
//   gpu_kwh    = GPU-hours × W per GPU × GPU usage / 1000
//   memory_kwh = GB × W per GB × hours / 1000
//   known_kwh  = a known energy per run (--energy), or a known average power × hours / 1000 (--power)
//   server_kwh = node-hours × W per node / 1000 + overhead share × (cpu + gpu + memory)  (issue 15)
//   storage_kwh = TB × W per TB × hours / 1000;   network_kwh = GB × kWh per GB
//   energy_kwh = PUE × PSF × (cpu_kwh + gpu_kwh + memory_kwh + known_kwh + server_kwh + storage_kwh)
//                + PSF × network_kwh (spent outside the data centre: no PUE)
//   co2e_g = energy_kwh × g/kWh
// Without the whole-footprint inputs the three added terms are exactly zero and every figure is
// the published formula's, to the last digit.
// A known energy replaces the three components (estimate() refuses both at once), so one of the
// two is zero and the sum is the published formula's, to the last digit.
// `estimate()` (and so each batch row), each SLURM job and `co2e run`'s model path (power per core
// × CPU time, W/GB × GB × Δt) call compute_energy(); nothing else multiplies watts by hours.
#pragma once

namespace co2e {

/// What the formula needs: amounts of use and the power of each unit, all already chosen (from a
/// flag, a data row or a default). A component left at zero hours or zero GB adds nothing.
struct PowerInputs {
  double core_hours = 0;    ///< CPU cores × hours (or CPU time in hours)
  double core_power_w = 0;  ///< W per core
  double cpu_usage = 1;     ///< in [0, 1]
  double gpu_hours = 0;     ///< GPUs × hours
  double gpu_power_w = 0;   ///< W per GPU
  double gpu_usage = 1;     ///< in [0, 1]
  double memory_gb = 0;     ///< memory allocated (or used), GB
  double memory_power_w_per_gb = 0;
  double memory_hours = 0;   ///< how long the memory was held
  double known_kwh = 0;      ///< a known energy of one run (--energy), kWh
  double known_power_w = 0;  ///< a known average power of the whole run (--power), W
  double known_hours = 0;    ///< how long that power was drawn
  // The whole footprint (include/co2e/footprint.hpp, docs/methodology.md):
  double node_hours = 0;              ///< server nodes × hours
  double node_power_w = 0;            ///< W per node beyond CPUs, GPUs and memory
  double node_overhead_fraction = 0;  ///< or: the node's overhead as a share of cpu + gpu + memory
  double storage_tb = 0;              ///< TB kept
  double storage_w_per_tb = 0;
  double storage_hours = 0;
  double transfer_gb = 0;  ///< GB moved over networks
  double network_kwh_per_gb = 0;
  double pue = 1;  ///< facility overhead, >= 1
  double psf = 1;  ///< pragmatic scaling factor: identical runs
  double intensity_g_per_kwh = 0;
};

/// The figures of one application of the formula.
struct EnergyFigures {
  double cpu_kwh = 0;      ///< one run, before PUE
  double gpu_kwh = 0;      ///< one run, before PUE
  double memory_kwh = 0;   ///< one run, before PUE
  double known_kwh = 0;    ///< one run, before PUE: the known energy, or known power × hours
  double server_kwh = 0;   ///< one run, before PUE
  double storage_kwh = 0;  ///< one run, before PUE
  double network_kwh = 0;  ///< one run; no PUE
  double energy_kwh = 0;   ///< all runs, PUE included
  double co2e_g = 0;       ///< energy_kwh × intensity
};

/// Applies the formula above. Inline: batch calls it once per row, millions of times. The order
/// of the operations is part of the contract (the published figures are reproduced to the last
/// digit): components as written above, then PUE × PSF × (cpu + gpu + memory + known).
[[nodiscard]] constexpr EnergyFigures compute_energy(const PowerInputs& in) noexcept {
  EnergyFigures e;
  e.cpu_kwh = in.core_hours * in.core_power_w * in.cpu_usage / 1000.0;
  e.gpu_kwh = in.gpu_hours * in.gpu_power_w * in.gpu_usage / 1000.0;
  e.memory_kwh = in.memory_gb * in.memory_power_w_per_gb * in.memory_hours / 1000.0;
  e.known_kwh = in.known_kwh + in.known_power_w * in.known_hours / 1000.0;
  e.server_kwh =
      in.node_hours * in.node_power_w / 1000.0 + in.node_overhead_fraction * (e.cpu_kwh + e.gpu_kwh + e.memory_kwh);
  e.storage_kwh = in.storage_tb * in.storage_w_per_tb * in.storage_hours / 1000.0;
  e.network_kwh = in.transfer_gb * in.network_kwh_per_gb;
  e.energy_kwh = in.pue * in.psf * (e.cpu_kwh + e.gpu_kwh + e.memory_kwh + e.known_kwh + e.server_kwh + e.storage_kwh) +
                 in.psf * e.network_kwh;
  e.co2e_g = e.energy_kwh * in.intensity_g_per_kwh;
  return e;
}

}  // namespace co2e
