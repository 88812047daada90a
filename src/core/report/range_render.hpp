// Renderers of an estimate's range (issue 17), shared by the estimate's text, Markdown and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "co2e/estimate.hpp"

namespace co2e {

/// `, range 18.2 kg to 36.1 kg`: the CO2e bounds after the figure; "" without a range.
std::string range_phrase_mass(const EstimateResult& r);
/// `, range 40.1 kWh to 80.3 kWh`; "" without a range.
std::string range_phrase_energy(const EstimateResult& r);
/// The same for embodied_kg and total_co2e_kg.
std::string range_phrase_embodied(const EstimateResult& r);
std::string range_phrase_total(const EstimateResult& r);
/// The text report's range section: what the bounds mean, then each input with a range and why
/// (exact inputs are left out); empty without a range.
std::vector<std::string> range_lines(const EstimateResult& r);
/// `711.1 g to 4.597 kg CO2e in total: the footprint if ...`: what the range section starts with;
/// "" when there is no range or every input is exact.
std::string range_headline(const EstimateResult& r);
/// Each input with a range (exact ones left out): its label, bounds with unit, and why.
struct RangeInputText {
  std::string label;
  std::string bounds;
  std::string why;
};
std::vector<RangeInputText> range_inputs(const EstimateResult& r);
/// `{"low": ..., "high": ...}`.
nlohmann::ordered_json bounds_json(const Bounds& b);
/// The `range` member of estimate JSON: `{energy_kwh, co2e_kg, embodied_kg, total_co2e_kg, method,
/// coverage, inputs}`; null
/// without a range (`--no-range`).
nlohmann::ordered_json range_json(const EstimateResult& r);

}  // namespace co2e
