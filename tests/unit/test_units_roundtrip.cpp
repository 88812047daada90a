// Property test (issue 12): every quantity co2e prints can be typed back into the flag that takes
// it and means the same value, within the printed precision, over magnitudes 10^-9 to 10^9. The
// text comes from the real formatters (format_energy, format_mass, format_duration, and format_sig
// with the unit words render.cpp writes); the parsing from the real flag parsers (parse_* for
// --budget, --max-energy, --interval, --grace, --expect; set_field for every estimate field).
#include <fmt/format.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "co2e/estimate.hpp"
#include "co2e/units.hpp"

namespace {

/// Mantissas that exercise rounding at 4 significant digits (9.9996 rounds up to the next unit).
const double kMantissas[] = {1, 1.234, 3.14159, 5.5, 9.9994, 9.9996};

/// Every value m x 10^e, e in [-9, 9].
std::vector<double> magnitudes() {
  std::vector<double> out;
  for (int e = -9; e <= 9; ++e)
    for (double m : kMantissas) out.push_back(m * std::pow(10.0, e));
  return out;
}

/// The micro prefix as a user may type it: the micro sign co2e prints, Greek mu, or ASCII u.
std::vector<std::string> micro_spellings(const std::string& text) {
  std::vector<std::string> out{text};
  const std::string micro = "µ";
  if (const auto at = text.find(micro); at != std::string::npos) {
    for (const char* other : {"\u03bc", "u"}) {
      std::string t = text;
      t.replace(at, micro.size(), other);
      out.push_back(t);
    }
  }
  return out;
}

/// Relative error allowed by `digits` significant digits: half a unit in the last place.
double rel_tolerance(int digits) { return 0.5 * std::pow(10.0, 1 - digits) * 1.0001; }

/// `back` equals `v` within what format_sig(v, digits) keeps: `digits` significant digits, but
/// never more than 12 decimals.
bool within_printed(double back, double v, int digits) {
  return std::fabs(back - v) <= std::max(std::fabs(v) * rel_tolerance(digits), 0.5e-12 * 1.0001);
}

double set(co2e::Field f, const std::string& text) {
  co2e::EstimateSpec s;
  const auto err = co2e::set_field(s, f, text);
  INFO(text);
  REQUIRE_FALSE(err.has_value());
  switch (f) {
    case co2e::Field::core_power:
      return *s.core_power_w;
    case co2e::Field::gpu_power:
      return *s.gpu_power_w;
    case co2e::Field::memory_power:
      return *s.memory_power_w_per_gb;
    case co2e::Field::intensity:
      return *s.intensity_g_per_kwh;
    case co2e::Field::memory:
      return *s.memory_gb;
    case co2e::Field::runtime:
      return s.runtime->count();
    default:
      FAIL("field not covered");
  }
  return 0;
}

}  // namespace

TEST_CASE("units round trip: format_energy -> parse_energy_kwh (--max-energy)", "[unit]") {
  for (double kwh : magnitudes()) {
    const std::string text = co2e::format_energy(kwh);
    for (const auto& typed : micro_spellings(text)) {
      auto back = co2e::parse_energy_kwh(typed);
      INFO(typed);
      REQUIRE(back.ok());
      CHECK(*back == Approx(kwh).epsilon(rel_tolerance(4)));
    }
  }
}

TEST_CASE("units round trip: format_mass -> parse_mass_g (--budget)", "[unit]") {
  for (double g : magnitudes()) {
    const std::string text = co2e::format_mass(g);
    for (const auto& typed : micro_spellings(text)) {
      for (const auto& with_suffix : {typed, typed + " CO2e", typed + "CO2e"}) {
        auto back = co2e::parse_mass_g(with_suffix);
        INFO(with_suffix);
        REQUIRE(back.ok());
        CHECK(*back == Approx(g).epsilon(rel_tolerance(4)));
      }
    }
  }
}

TEST_CASE("units round trip: format_duration -> parse_duration and --runtime", "[unit]") {
  for (double secs : magnitudes()) {
    const std::string text = co2e::format_duration(co2e::Seconds(secs));
    // Below a minute: 3 significant digits; below a day: whole seconds; above, whole minutes
    // (the seconds are dropped after rounding to a second).
    const double tol = secs < 60 ? secs * rel_tolerance(3) : secs < 86400 ? 0.5 : 60;
    auto back = co2e::parse_duration(text);
    INFO(text);
    REQUIRE(back.ok());
    CHECK(std::fabs(back->count() - secs) <= tol);
    CHECK(std::fabs(set(co2e::Field::runtime, text) - secs) <= tol);
  }
}

TEST_CASE("units round trip: the W, W/GB, GB and gCO2e/kWh that render.cpp prints", "[unit]") {
  // render.cpp: "{} W per core" / "{} W" (format_sig 4 or 6), "{} W/GB", "{} GB" (format_sig 4),
  // "{} gCO2e/kWh" (format_sig 5 or 6). The flags take the number with its unit.
  for (double v : magnitudes()) {
    if (v > 1e9) continue;  // above set_field's limit for watts
    const std::string w = co2e::format_sig(v, 4);
    CHECK(within_printed(set(co2e::Field::core_power, w + " W"), v, 4));
    CHECK(within_printed(set(co2e::Field::gpu_power, w + " W"), v, 4));
    CHECK(within_printed(set(co2e::Field::memory, w + " GB"), v, 4));
    if (v <= 1000) CHECK(within_printed(set(co2e::Field::memory_power, w + " W/GB"), v, 4));
    if (v <= 5000) {
      const std::string g = co2e::format_sig(v, 5);
      CHECK(within_printed(set(co2e::Field::intensity, g + " gCO2e/kWh"), v, 5));
    }
  }
}

TEST_CASE("units round trip: what a user copies from a report in another unit", "[unit]") {
  // A power printed in W, typed back in kW and mW; an emission factor per MWh.
  for (double v : magnitudes()) {
    if (v > 1e9) continue;
    CHECK(set(co2e::Field::gpu_power, fmt::format("{:.12g}kW", v / 1000)) == Approx(v).epsilon(1e-9));
    CHECK(set(co2e::Field::gpu_power, fmt::format("{:.12g}mW", v * 1000)) == Approx(v).epsilon(1e-9));
    if (v <= 5000) CHECK(set(co2e::Field::intensity, fmt::format("{:.12g}kg/MWh", v)) == Approx(v).epsilon(1e-9));
  }
}
