// Functional units (issue 16): a footprint per request, per epoch or per 1,000 tokens, so that
// options that serve the same work are compared per unit of work, not per hour. One definition
// for `estimate`, `batch` and `compare`: the parser, the division, and the output columns.
//   co2e_g_per_unit    = co2e_kg × 1000 × per_scale / per_count
//   energy_wh_per_unit = energy_kwh × 1000 × per_scale / per_count
// per_scale is 1, or 1000 for units too small to read one at a time (tokens, characters, ...):
// "g CO2e per 1,000 tokens", as the per-token figures of LLM inference are usually quoted.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "co2e/error.hpp"

namespace co2e {

/// `--per 1e6 requests`: the units of work the whole computation (all runs) served.
struct FunctionalUnit {
  double count = 1;  ///< N, above 0
  std::string unit;  ///< as typed: `requests`, `tokens`, `epoch`
  double scale = 1;  ///< figures are per this many units: 1, or 1000 for a tiny unit (tokens)
};

/// Parses a count (`1e6`, `2e9`, `1`) and a unit word (letters, digits, space, `-_/.`, at most 40
/// bytes). The scale comes from the unit: 1000 for tokens, characters, words, bytes and pixels
/// (singular or plural, any case), else 1. Errors (usage) say what is accepted; the caller adds
/// the flag or the column in front.
Result<FunctionalUnit> parse_functional_unit(std::string_view count, std::string_view unit);
/// The same from one text, `1e6 requests` (the count, spaces, the unit).
Result<FunctionalUnit> parse_functional_unit(std::string_view text);

/// The unit in words for "per ...": `request` (a plural `s` dropped) or `1,000 tokens`.
std::string per_unit_label(const FunctionalUnit& u);

/// The per-unit figures of a result with `energy_kwh` and `co2e_kg` (all runs).
struct PerUnitFigures {
  double co2e_g = 0;     ///< g CO2e per `scale` units
  double energy_wh = 0;  ///< Wh per `scale` units
};
PerUnitFigures per_unit_figures(const FunctionalUnit& u, double energy_kwh, double co2e_kg);

/// One output column of the per-unit figures. The same names are CSV columns, JSON Lines keys and
/// JSON members in estimate, batch and compare (docs/cli.md, "Output contract").
struct PerUnitColumn {
  std::string_view name;
  std::string_view unit;     ///< as documented
  std::string_view meaning;  ///< one line for the documentation
};
inline constexpr std::size_t kPerUnitColumnCount = 5;
/// per_count, per_unit, per_scale, co2e_g_per_unit, energy_wh_per_unit, in output order.
std::span<const PerUnitColumn, kPerUnitColumnCount> per_unit_columns();

/// One column's value for one result: a number, or a text (per_unit).
struct PerUnitValue {
  std::string_view name;
  double number = 0;
  std::string_view text;  ///< set for the text column only
  bool is_text = false;
};
/// The columns' values for a result (`text` points into `u`).
std::array<PerUnitValue, kPerUnitColumnCount> per_unit_values(const FunctionalUnit& u, double energy_kwh,
                                                              double co2e_kg);

/// The per-unit columns' values, CSV-escaped, each preceded by `sep` (so they follow other
/// columns); empty cells when `u` is null (a row without a unit, or a bad row).
void append_per_unit_csv(std::string& out, const FunctionalUnit* u, double energy_kwh, double co2e_kg, char sep = ',');
/// The per-unit columns as JSON members, each preceded by `,` (`,"per_count":1000000,...`); null
/// values when `u` is null.
void append_per_unit_json(std::string& out, const FunctionalUnit* u, double energy_kwh, double co2e_kg);

/// The line of a human report: `Per request        40 mg CO2e, 400 mWh  (1e+06 requests)`.
std::string per_unit_text(const FunctionalUnit& u, double energy_kwh, double co2e_kg);

}  // namespace co2e
