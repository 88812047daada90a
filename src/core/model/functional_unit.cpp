// Functional units: the parser, the division and the output columns shared by estimate, batch and
// compare (include/co2e/functional_unit.hpp).
#include "co2e/functional_unit.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "co2e/csv.hpp"
#include "co2e/number.hpp"
#include "co2e/quote.hpp"
#include "co2e/units.hpp"

namespace co2e {

namespace {

/// `requests` → `request`, `queries` → `query`, `batches` → `batch`; a word without a plural `s`
/// as it is. Only for the words of a report ("per request"); outputs keep the unit as typed.
std::string singular(std::string_view w) {
  auto ends = [&](std::string_view s) { return w.size() > s.size() && w.ends_with(s); };
  if (ends("ies")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (ends("ches") || ends("shes") || ends("sses") || ends("xes")) return std::string(w.substr(0, w.size() - 2));
  if (ends("s") && !ends("ss") && !ends("us")) return std::string(w.substr(0, w.size() - 1));
  return std::string(w);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Units so small that one at a time reads as zero: figures are per 1,000 of them. Tokens are
/// quoted per 1,000 (or per million) in LLM inference pricing and energy studies (e.g. Luccioni
/// et al. 2024, "Power Hungry Processing", ACM FAccT: energy per 1,000 inferences).
constexpr std::array<std::string_view, 6> kTinyUnits{"token", "character", "char", "word", "byte", "pixel"};

constexpr std::array<PerUnitColumn, kPerUnitColumnCount> kColumns{{
    {"per_count", "count", "N of --per N UNIT: the units of work the computation served (all runs)"},
    {"per_unit", "name", "UNIT of --per N UNIT, as typed (requests, tokens, epoch)"},
    {"per_scale", "count",
     "the per-unit figures are per this many units: 1, or 1000 for tokens, characters, words, bytes and pixels"},
    {"co2e_g_per_unit", "g CO2e", "co2e_kg × 1000 × per_scale / per_count"},
    {"energy_wh_per_unit", "Wh", "energy_kwh × 1000 × per_scale / per_count (PUE included)"},
}};

}  // namespace

Result<FunctionalUnit> parse_functional_unit(std::string_view count, std::string_view unit) {
  count = trim(count);
  auto n = parse_number(count);
  if (!n || !std::isfinite(*n) || *n <= 0)
    return Error::usage(
        fmt::format("{}: the count must be a number above 0, e.g. 1e6 requests", quote_for_message(count)));
  unit = trim(unit);
  if (unit.empty())
    return Error::usage(fmt::format("{}: give the unit after the count, e.g. {} requests", quote_for_message(count),
                                    escape_for_message(count, 40)));
  const bool ok = unit.size() <= 40 && std::all_of(unit.begin(), unit.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == ' ' || c == '-' || c == '_' ||
                           c == '/' || c == '.';
                  });
  if (!ok)
    return Error::usage(
        fmt::format("{}: the unit must be a word such as requests, tokens or epochs (letters, digits, space, - _ / ., "
                    "at most 40)",
                    quote_for_message(unit)));
  FunctionalUnit u{*n, std::string(unit), 1};
  const std::string base = lower(singular(unit));
  if (std::find(kTinyUnits.begin(), kTinyUnits.end(), base) != kTinyUnits.end()) u.scale = 1000;
  return u;
}

Result<FunctionalUnit> parse_functional_unit(std::string_view text) {
  text = trim(text);
  const auto space = text.find_first_of(" \t");
  if (space == std::string_view::npos) return parse_functional_unit(text, "");
  return parse_functional_unit(text.substr(0, space), text.substr(space + 1));
}

std::string per_unit_label(const FunctionalUnit& u) {
  if (u.scale == 1) return singular(u.unit);
  const std::string one = singular(u.unit);
  // "1,000 tokens": the plural as typed, or made from a singular.
  return fmt::format("{} {}", u.scale == 1000 ? std::string("1,000") : format_sig(u.scale, 6),
                     one == u.unit ? u.unit + "s" : u.unit);
}

PerUnitFigures per_unit_figures(const FunctionalUnit& u, double energy_kwh, double co2e_kg) {
  const double k = u.scale / u.count;
  return {co2e_kg * 1000 * k, energy_kwh * 1000 * k};
}

std::span<const PerUnitColumn, kPerUnitColumnCount> per_unit_columns() { return kColumns; }

std::array<PerUnitValue, kPerUnitColumnCount> per_unit_values(const FunctionalUnit& u, double energy_kwh,
                                                              double co2e_kg) {
  const PerUnitFigures f = per_unit_figures(u, energy_kwh, co2e_kg);
  static_assert(kColumns[1].name == "per_unit", "the text column is the second");
  return {{{kColumns[0].name, u.count, {}, false},
           {kColumns[1].name, 0, u.unit, true},
           {kColumns[2].name, u.scale, {}, false},
           {kColumns[3].name, f.co2e_g, {}, false},
           {kColumns[4].name, f.energy_wh, {}, false}}};
}

void append_per_unit_csv(std::string& out, const FunctionalUnit* u, double energy_kwh, double co2e_kg, char sep) {
  if (u == nullptr) {
    out.append(kPerUnitColumnCount, sep);
    return;
  }
  for (const PerUnitValue& v : per_unit_values(*u, energy_kwh, co2e_kg)) {
    out += sep;
    if (v.is_text)
      append_csv_field(out, v.text, sep);
    else
      append_number(out, v.number);
  }
}

void append_per_unit_json(std::string& out, const FunctionalUnit* u, double energy_kwh, double co2e_kg) {
  if (u == nullptr) {
    for (const PerUnitColumn& c : kColumns) {
      out += ',';
      append_json_string(out, c.name);
      out += ":null";
    }
    return;
  }
  for (const PerUnitValue& v : per_unit_values(*u, energy_kwh, co2e_kg)) {
    out += ',';
    append_json_string(out, v.name);
    out += ':';
    if (v.is_text)
      append_json_string(out, v.text);
    else
      append_number(out, v.number);
  }
}

std::string per_unit_text(const FunctionalUnit& u, double energy_kwh, double co2e_kg) {
  const PerUnitFigures f = per_unit_figures(u, energy_kwh, co2e_kg);
  return fmt::format("Per {}  {} CO2e, {}  ({} {} in all)", per_unit_label(u), format_mass(f.co2e_g),
                     format_energy(f.energy_wh / 1000), format_sig(u.count, 6), u.unit);
}

}  // namespace co2e
