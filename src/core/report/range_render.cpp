// Renderers of an estimate's range (issue 17): the phrase beside a figure, the text section
// listing each input's range with why, and the JSON `range` member.
#include "report/range_render.hpp"

#include <fmt/format.h>
#include <array>

#include "co2e/footprint.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"

namespace co2e {

namespace {

/// One uncertain input as the reports name it.
struct RangeRow {
  std::string_view key;    ///< JSON key, the result's name for the value
  std::string_view label;  ///< text
  std::string_view unit;   ///< after the numbers in text ("" for ratios)
  const InputRange InputRanges::*member;
  double (*central)(const EstimateResult&);
  bool (*applies)(const EstimateResult&);
};

bool has_cpu(const EstimateResult& r) { return r.cpu_power_source != PowerSource::none; }
bool has_gpu(const EstimateResult& r) { return r.gpu_power_source != PowerSource::none; }

bool has_embodied(const EstimateResult& r) { return r.footprint.embodied; }

constexpr std::array<RangeRow, 20> kRows{{
    {"core_power_w", "CPU power", "W per core", &InputRanges::core_power_w,
     [](const EstimateResult& r) { return r.core_power_w; }, has_cpu},
    {"cpu_usage", "CPU usage", "", &InputRanges::cpu_usage, [](const EstimateResult& r) { return r.cpu_usage; },
     has_cpu},
    {"gpu_power_w", "GPU power", "W per GPU", &InputRanges::gpu_power_w,
     [](const EstimateResult& r) { return r.gpu_power_w; }, has_gpu},
    {"gpu_usage", "GPU usage", "", &InputRanges::gpu_usage, [](const EstimateResult& r) { return r.gpu_usage; },
     has_gpu},
    {"memory_power_w_per_gb", "memory power", "W/GB", &InputRanges::memory_power_w_per_gb,
     [](const EstimateResult& r) { return r.memory_power_w_per_gb; },
     [](const EstimateResult& r) { return r.memory_gb > 0; }},
    {"known_kwh", "known energy", "kWh per run", &InputRanges::known_kwh,
     [](const EstimateResult& r) { return r.components.known_kwh; },
     [](const EstimateResult& r) { return r.energy_source == EnergySource::energy; }},
    {"known_power_w", "known power", "W", &InputRanges::known_power_w,
     [](const EstimateResult& r) { return r.power_w; },
     [](const EstimateResult& r) { return r.energy_source == EnergySource::power; }},
    {"pue", "PUE", "", &InputRanges::pue, [](const EstimateResult& r) { return r.pue; },
     [](const EstimateResult&) { return true; }},
    {"intensity_g_per_kwh", "grid", "gCO2e/kWh", &InputRanges::intensity_g_per_kwh,
     [](const EstimateResult& r) { return r.intensity_g_per_kwh; }, [](const EstimateResult&) { return true; }},
    // The whole footprint (issue 15):
    {"node_power_w", "node power", "W per node", &InputRanges::node_power_w,
     [](const EstimateResult& r) { return r.footprint.node_power_w; },
     [](const EstimateResult& r) { return r.footprint.node_power_source == NodePowerSource::flag; }},
    {"node_overhead_fraction", "node overhead", "of the chips' energy", &InputRanges::node_overhead_fraction,
     [](const EstimateResult& r) { return r.footprint.node_overhead_fraction; },
     [](const EstimateResult& r) { return r.footprint.node_power_source == NodePowerSource::fraction; }},
    {"storage_w_per_tb", "storage power", "W/TB", &InputRanges::storage_w_per_tb,
     [](const EstimateResult& r) { return r.footprint.storage_w_per_tb; },
     [](const EstimateResult& r) { return r.footprint.storage_tb > 0; }},
    {"network_kwh_per_gb", "network", "kWh/GB", &InputRanges::network_kwh_per_gb,
     [](const EstimateResult& r) { return r.footprint.network_kwh_per_gb; },
     [](const EstimateResult& r) { return r.footprint.transfer_gb > 0; }},
    {"embodied_gpu_kg", "GPU embodied", "kg per GPU", &InputRanges::embodied_gpu_kg,
     [](const EstimateResult& r) { return r.footprint.gpu.kg_each; },
     [](const EstimateResult& r) { return r.footprint.gpu.counted(); }},
    {"embodied_cpu_kg", "CPU embodied", "kg per chip", &InputRanges::embodied_cpu_kg,
     [](const EstimateResult& r) { return r.footprint.cpu.kg_each; },
     [](const EstimateResult& r) { return r.footprint.cpu.counted(); }},
    {"embodied_memory_kg", "memory embodied", "kg per GB", &InputRanges::embodied_memory_kg,
     [](const EstimateResult& r) { return r.footprint.memory.kg_each; },
     [](const EstimateResult& r) { return r.footprint.memory.counted(); }},
    {"embodied_server_kg", "server embodied", "kg per node", &InputRanges::embodied_server_kg,
     [](const EstimateResult& r) { return r.footprint.server.kg_each; },
     [](const EstimateResult& r) { return r.footprint.server.counted(); }},
    {"embodied_storage_kg", "storage embodied", "kg per TB", &InputRanges::embodied_storage_kg,
     [](const EstimateResult& r) { return r.footprint.storage.kg_each; },
     [](const EstimateResult& r) { return r.footprint.storage.counted(); }},
    {"lifetime_years", "lifetime", "years", &InputRanges::lifetime_years,
     [](const EstimateResult& r) { return r.footprint.lifetime_years; }, has_embodied},
    {"utilisation", "utilisation", "", &InputRanges::utilisation,
     [](const EstimateResult& r) { return r.footprint.utilisation; }, has_embodied},
}};

/// Why an input has its range, in words (docs/methodology.md, "Ranges", gives the sources).
std::string reason_words(RangeReason why, const Bounds& b, double central) {
  switch (why) {
    case RangeReason::exact:
      return "exact";
    case RangeReason::given:
      return fmt::format("given as a range; {} used (the middle)", format_sig(central, 4));
    case RangeReason::tdp_draw:
      return fmt::format("{} is a TDP: measured average draw lies between {} and {} x TDP", format_sig(central, 4),
                         format_sig(b.low / central, 3), format_sig(b.high / central, 3));
    case RangeReason::default_spread:
      return fmt::format("{} is a default for an unknown model: the table's spread of TDPs x measured draw",
                         format_sig(central, 4));
    case RangeReason::usage_default:
      return "not given, 1 used with a TDP: jobs often keep a chip busy only part of the time";
    case RangeReason::memory_default:
      return fmt::format("default {}: published figures run from {} to {}", format_sig(central, 4),
                         format_sig(b.low, 3), format_sig(b.high, 3));
    case RangeReason::pue_row:
      return fmt::format("{} from the data tables: its overhead (PUE - 1) halved to doubled", format_sig(central, 4));
    case RangeReason::grid_year:
      return fmt::format("{} from the data tables: annual factors move from year to year", format_sig(central, 5));
    case RangeReason::grid_basis:
      return fmt::format(
          "{} from the data tables: year to year, and its basis (lifecycle or direct) is not the one "
          "asked for",
          format_sig(central, 5));
    case RangeReason::world_spread:
      return fmt::format("no location: the world average {}, between the 5th and 95th percentile of the countries'",
                         format_sig(central, 4));
    case RangeReason::node_overhead_default:
      return fmt::format("default {}: a lower bound (the motherboard); fans, power supplies and NICs come on top",
                         format_sig(central, 3));
    case RangeReason::storage_default:
      return fmt::format("default {}: drives' power per TB varies with their size; replicas are not counted",
                         format_sig(central, 3));
    case RangeReason::network_default:
      return fmt::format("default {} (2015): today's figure is lower, down to data-centre links'",
                         format_sig(central, 3));
    case RangeReason::embodied_row:
      return fmt::format("{} from the data tables: the range its sources give", format_sig(central, 4));
    case RangeReason::embodied_default:
      return fmt::format("{} from the data tables: manufacturing figures differ by a factor of two between sources",
                         format_sig(central, 4));
    case RangeReason::lifetime_default:
      return fmt::format("default {}: cloud tools assume 4 years, BLOOM 6", format_sig(central, 3));
  }
  return "exact";
}

std::string bounds_text(const Bounds& b, std::string_view unit) {
  const std::string lo = format_sig(b.low, 3);
  const std::string hi = format_sig(b.high, 3);
  return unit.empty() ? fmt::format("{} to {}", lo, hi) : fmt::format("{} to {} {}", lo, hi, unit);
}

}  // namespace

std::string range_phrase_mass(const EstimateResult& r) {
  if (!r.range || r.range->co2e_kg.is_exact()) return {};  // every input exact: the figure is its range
  return fmt::format(", range {} to {}", format_mass(r.range->co2e_kg.low * 1000),
                     format_mass(r.range->co2e_kg.high * 1000));
}

std::string range_phrase_energy(const EstimateResult& r) {
  if (!r.range || r.range->energy_kwh.is_exact()) return {};
  return fmt::format(", range {} to {}", format_energy(r.range->energy_kwh.low),
                     format_energy(r.range->energy_kwh.high));
}

std::string range_phrase_embodied(const EstimateResult& r) {
  if (!r.range || r.range->embodied_kg.is_exact()) return {};
  return fmt::format(", range {} to {}", format_mass(r.range->embodied_kg.low * 1000),
                     format_mass(r.range->embodied_kg.high * 1000));
}

std::string range_phrase_total(const EstimateResult& r) {
  if (!r.range || r.range->total_co2e_kg.is_exact()) return {};
  return fmt::format(", range {} to {}", format_mass(r.range->total_co2e_kg.low * 1000),
                     format_mass(r.range->total_co2e_kg.high * 1000));
}

std::vector<std::string> range_lines(const EstimateResult& r) {
  std::vector<std::string> out;
  if (!r.range) return out;
  if (r.range->total_co2e_kg.is_exact() && r.range->energy_kwh.is_exact()) {
    out.emplace_back("Range: none; every input was given exactly, so the figure is exact (docs/methodology.md)");
    return out;
  }
  out.emplace_back("Range " + range_headline(r));
  const auto items = range_inputs(r);
  for (const RangeInputText& x : items) out.emplace_back(fmt::format("  {:<16} {:<26} {}", x.label, x.bounds, x.why));
  if (items.empty()) out.emplace_back("  every input was given exactly: the range is the figure itself");
  return out;
}

std::string range_headline(const EstimateResult& r) {
  if (!r.range || (r.range->total_co2e_kg.is_exact() && r.range->energy_kwh.is_exact())) return {};
  // With embodied emissions the headline is the total (operational + embodied).
  const Bounds& b = r.footprint.embodied ? r.range->total_co2e_kg : r.range->co2e_kg;
  return fmt::format(
      "{} to {} CO2e{}: the footprint if every input lies within its range (bounds, not a probability; "
      "docs/methodology.md)",
      format_mass(b.low * 1000), format_mass(b.high * 1000), r.footprint.embodied ? " in total" : "");
}

std::vector<RangeInputText> range_inputs(const EstimateResult& r) {
  std::vector<RangeInputText> out;
  if (!r.range) return out;
  for (const RangeRow& row : kRows) {
    if (!row.applies(r)) continue;
    const InputRange& x = r.range->inputs.*row.member;
    if (x.bounds.is_exact()) continue;
    out.push_back(
        {std::string(row.label), bounds_text(x.bounds, row.unit), reason_words(x.reason, x.bounds, row.central(r))});
  }
  return out;
}

nlohmann::ordered_json bounds_json(const Bounds& b) { return {{"low", b.low}, {"high", b.high}}; }

nlohmann::ordered_json range_json(const EstimateResult& r) {
  if (!r.range) return nullptr;
  nlohmann::ordered_json j{{"energy_kwh", bounds_json(r.range->energy_kwh)},
                           {"co2e_kg", bounds_json(r.range->co2e_kg)},
                           {"embodied_kg", bounds_json(r.range->embodied_kg)},
                           {"total_co2e_kg", bounds_json(r.range->total_co2e_kg)},
                           {"method", kRangeMethod},
                           {"coverage", kRangeCoverage}};
  nlohmann::ordered_json inputs = nlohmann::ordered_json::object();
  for (const RangeRow& row : kRows) {
    if (!row.applies(r)) continue;
    const InputRange& x = r.range->inputs.*row.member;
    inputs[std::string(row.key)] = {
        {"low", x.bounds.low}, {"high", x.bounds.high}, {"reason", range_reason_name(x.reason)}};
  }
  j["inputs"] = inputs;
  return j;
}

}  // namespace co2e
