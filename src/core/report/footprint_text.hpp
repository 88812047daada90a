// The whole footprint as rows and sentences (issue 15): one table of rows, read by the text,
// Markdown and JSON renderers of an estimate and by the batch reports, so that each says the same.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "co2e/estimate.hpp"

namespace co2e {

/// One part of the whole footprint beyond CPU, GPU and memory energy.
struct FootprintRow {
  std::string_view key;    ///< server, storage, network; embodied_gpu, embodied_cpu, ...
  std::string_view label;  ///< `Server`, `Embodied GPUs`
  std::string_view unit;   ///< `kWh` (one run, before PUE except network) or `kg CO2e` (all runs)
  double value = 0;
  std::string detail;  ///< how it was computed: `48 nodes x 1,896 W x 2,820 h`
};

/// The server overhead, storage and network energies of one run that were counted.
std::vector<FootprintRow> footprint_energy_rows(const EstimateResult& r);
/// The embodied parts that were counted (all runs).
std::vector<FootprintRow> footprint_embodied_rows(const EstimateResult& r);
/// The sentences: each default, row and figure used, with its source and its uncertainty.
std::vector<std::string> footprint_assumptions(const EstimateResult& r, const Dataset& data);

}  // namespace co2e
