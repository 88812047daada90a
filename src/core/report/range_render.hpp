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
/// The text report's range section: what the bounds mean, then each input with a range and why
/// (exact inputs are left out); empty without a range.
std::vector<std::string> range_lines(const EstimateResult& r);
/// `{"low": ..., "high": ...}`.
nlohmann::ordered_json bounds_json(const Bounds& b);
/// The `range` member of estimate JSON: `{energy_kwh, co2e_kg, method, coverage, inputs}`; null
/// without a range (`--no-range`).
nlohmann::ordered_json range_json(const EstimateResult& r);

}  // namespace co2e
