// Unit tests of the quantity parsers and formatters (include/co2e/units.hpp).
#include <catch2/catch.hpp>

#include "co2e/units.hpp"

using Catch::Matchers::Contains;
using co2e::parse_duration;

namespace {
double hours(std::string_view text) {
  auto r = parse_duration(text);
  REQUIRE(r.ok());
  return co2e::to_hours(*r);
}
std::string duration_error(std::string_view text) {
  auto r = parse_duration(text);
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}
}  // namespace

TEST_CASE("parse_duration", "[unit]") {
  SECTION("unit forms") {
    CHECK(hours("90s") == Approx(0.025));
    CHECK(hours("45m") == Approx(0.75));
    CHECK(hours("12h") == Approx(12));
    CHECK(hours("2d") == Approx(48));
    CHECK(hours("1w") == Approx(168));
    CHECK(hours("1.5h") == Approx(1.5));
    CHECK(hours("79.2h") == Approx(79.2));
    CHECK(hours("1d2h30m") == Approx(26.5));
    CHECK(hours("1d 2h 30m 36s") == Approx(26.51));
    CHECK(hours("  3 hours ") == Approx(3));
    CHECK(hours("10min") == Approx(10.0 / 60));
    CHECK(hours("1e3s") == Approx(1000.0 / 3600));
  }
  SECTION("clock forms") {
    CHECK(hours("01:30:00") == Approx(1.5));
    CHECK(hours("00:00:36") == Approx(0.01));
    CHECK(hours("90:00") == Approx(1.5));  // MM:SS, as SLURM
    CHECK(hours("2-03:00:00") == Approx(51));
    CHECK(hours("1-00") == Approx(24));       // D-HH
    CHECK(hours("1-01:30") == Approx(25.5));  // D-HH:MM
    CHECK(hours("00:01:30.500") == Approx(90.5 / 3600));
    CHECK(hours("100:00:00") == Approx(100));
  }
  SECTION("a bare number asks for a unit") {
    CHECK_THAT(duration_error("12"), Contains("\"12\": add a unit, e.g. 12h"));
    CHECK_THAT(duration_error("0.5"), Contains("add a unit"));
  }
  SECTION("bad input") {
    CHECK_THAT(duration_error(""), Contains("empty duration"));
    CHECK_THAT(duration_error("-3h"), Contains("cannot be negative"));
    CHECK_THAT(duration_error("--3h"), Contains("cannot be negative"));
    CHECK_THAT(duration_error("-0.5s"), Contains("cannot be negative"));
    CHECK(co2e::parse_duration("-0h")->count() == 0);  // negative zero is zero, as for every quantity
    CHECK(co2e::parse_duration("-0m0s")->count() == 0);
    CHECK_THAT(duration_error("12x"), Contains("unknown time unit \"x\""));
    CHECK_THAT(duration_error("h"), Contains("is not a duration"));
    CHECK_THAT(duration_error("1:2:3:4"), Contains("is not a duration"));
    CHECK_THAT(duration_error("01:75:00"), Contains("is not a duration"));
    CHECK_THAT(duration_error("nanh"), Contains("is not a duration"));
    CHECK_THAT(duration_error("infh"), Contains("is not a duration"));
    CHECK_THAT(duration_error("1e308d"), Contains("too large"));
    CHECK_THAT(duration_error("12h30"), Contains("is not a duration"));
  }
}

TEST_CASE("parse_slurm_duration", "[unit]") {
  CHECK(co2e::to_hours(*co2e::parse_slurm_duration("1-02:03:04")) == Approx(26 + 3.0 / 60 + 4.0 / 3600));
  CHECK(co2e::parse_slurm_duration("05:30.250")->count() == Approx(330.25));
  CHECK_FALSE(co2e::parse_slurm_duration("Unknown").ok());
  CHECK_FALSE(co2e::parse_slurm_duration("").ok());
  CHECK_FALSE(co2e::parse_slurm_duration("12h").ok());
}

TEST_CASE("parse_size_gb", "[unit]") {
  CHECK(*co2e::parse_size_gb("64G") == Approx(64));
  CHECK(*co2e::parse_size_gb("64GB") == Approx(64));
  CHECK(*co2e::parse_size_gb("64") == Approx(64));  // bare number: GB
  CHECK(*co2e::parse_size_gb("1.5T") == Approx(1500));
  CHECK(*co2e::parse_size_gb("512MiB") == Approx(0.536870912));
  CHECK(*co2e::parse_size_gb("1GiB") == Approx(1.073741824));
  CHECK(*co2e::parse_size_gb("2048M") == Approx(2.048));
  CHECK(*co2e::parse_size_gb("8 gb") == Approx(8));
  CHECK_THAT(co2e::parse_size_gb("-1G").error().message, Contains("cannot be negative"));
  CHECK_THAT(co2e::parse_size_gb("12Q").error().message, Contains("unknown size unit \"Q\""));
  CHECK_THAT(co2e::parse_size_gb("lots").error().message, Contains("is not a memory size"));
}

// Data on a network is counted in bits as often as in bytes: a capital prefix with a small b is
// refused for --storage and --transfer, never read as bytes (8 times too much).
TEST_CASE("parse_data_size_gb refuses bits", "[unit]") {
  CHECK(*co2e::parse_data_size_gb("10GB") == Approx(10));
  CHECK(*co2e::parse_data_size_gb("10gb") == Approx(10));  // informal, no capital: bytes
  CHECK(*co2e::parse_data_size_gb("500M") == Approx(0.5));
  CHECK(*co2e::parse_data_size_gb("2TiB") == Approx(2199.023255552));  // 2 x 2^40 bytes
  CHECK(*co2e::parse_data_size_gb("7") == Approx(7));
  for (const char* bits : {"10Gb", "100Mb", "1Tb", "5 Kb", "2Pb"}) {
    INFO(bits);
    auto r = co2e::parse_data_size_gb(bits);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Contains("bits") && Contains("bytes"));
  }
  CHECK_THAT(co2e::parse_data_size_gb("10Gb").error().message, Contains("10GB") && Contains("1.25GB"));
  CHECK_THAT(co2e::parse_data_size_gb("-1G").error().message, Contains("cannot be negative"));
}

TEST_CASE("parse_mass_g", "[unit]") {
  CHECK(*co2e::parse_mass_g("300g") == Approx(300));
  CHECK(*co2e::parse_mass_g("5kg") == Approx(5000));
  CHECK(*co2e::parse_mass_g("1.2t") == Approx(1.2e6));
  CHECK(*co2e::parse_mass_g("2lb") == Approx(907.18474));
  CHECK(*co2e::parse_mass_g("5 kgCO2e") == Approx(5000));
  CHECK_THAT(co2e::parse_mass_g("300").error().message, Contains("add a unit"));
  CHECK_THAT(co2e::parse_mass_g("3 stone").error().message, Contains("unknown mass unit"));
  CHECK_THAT(co2e::parse_mass_g("-1kg").error().message, Contains("cannot be negative"));
}

TEST_CASE("parse_energy_kwh", "[unit]") {
  CHECK(*co2e::parse_energy_kwh("5kWh") == Approx(5));
  CHECK(*co2e::parse_energy_kwh("300Wh") == Approx(0.3));
  CHECK(*co2e::parse_energy_kwh("1.2MWh") == Approx(1200));
  CHECK(*co2e::parse_energy_kwh("3.6MJ") == Approx(1));
  CHECK(*co2e::parse_energy_kwh("3600J") == Approx(0.001));
  CHECK_THAT(co2e::parse_energy_kwh("5").error().message, Contains("add a unit"));
}

TEST_CASE("parse_number and friends", "[unit]") {
  CHECK(*co2e::parse_number("7.5") == 7.5);
  CHECK(*co2e::parse_number(" +1e3 ") == 1000);
  CHECK_FALSE(co2e::parse_number("nan").ok());
  CHECK_FALSE(co2e::parse_number("inf").ok());
  CHECK_FALSE(co2e::parse_number("1e999").ok());
  CHECK_THAT(co2e::parse_number("1e999").error().message, Contains("number too large"));
  CHECK_THAT(co2e::parse_number("-1e999").error().message, Contains("number too large"));
  CHECK_THAT(co2e::parse_number("-nan").error().message, Contains("\"-nan\" is not a number"));
  CHECK_THAT(co2e::parse_number("-inf").error().message, Contains("\"-inf\" is not a number"));
  CHECK_THAT(co2e::parse_number("-").error().message, Contains("is not a number"));
  // Too small for a double is zero (it was reported as "too large").
  CHECK(*co2e::parse_number("1e-999") == 0);
  CHECK(co2e::parse_duration("1e-999h")->count() == 0);
  CHECK_FALSE(co2e::parse_number("7.5W").ok());
  CHECK_FALSE(co2e::parse_number("").ok());
  CHECK(*co2e::parse_fraction("0.5") == 0.5);
  CHECK(*co2e::parse_fraction("50%") == Approx(0.5));
  CHECK_THAT(co2e::parse_fraction("1.5").error().message, Contains("must be between 0 and 1"));
  CHECK_THAT(co2e::parse_fraction("-0.1").error().message, Contains("must be between 0 and 1"));
  CHECK(*co2e::parse_integer("12", 1) == 12);
  CHECK_THAT(co2e::parse_integer("0", 1).error().message, Contains("must be at least 1"));
  CHECK_THAT(co2e::parse_integer("2.5", 1).error().message, Contains("not a whole number"));
  CHECK_THAT(co2e::parse_integer("99999999999999999999", 1).error().message, Contains("too large"));
}

TEST_CASE("format helpers", "[unit]") {
  CHECK(co2e::format_sig(2.1310848, 3) == "2.13");
  CHECK(co2e::format_sig(1507.0, 3) == "1507");
  CHECK(co2e::format_sig(0.000123456, 3) == "0.000123");
  CHECK(co2e::format_energy(2.1310848) == "2.131 kWh");
  CHECK(co2e::format_energy(0.286) == "286 Wh");
  CHECK(co2e::format_energy(1506.8) == "1.507 MWh");
  CHECK(co2e::format_mass(492.54) == "492.5 g");
  CHECK(co2e::format_mass(652000) == "652 kg");
  CHECK(co2e::format_mass(24.7e6) == "24.7 t");
}

TEST_CASE("format_energy", "[unit]") {
  CHECK(co2e::format_energy(0) == "0 Wh");
  CHECK(co2e::format_energy(1.937e-9) == "1.937 µWh");  // 1.937e-9 kWh = 1.937e-6 Wh
  CHECK(co2e::format_energy(3.021e-9) == "3.021 µWh");
  CHECK(co2e::format_energy(2.5e-6) == "2.5 mWh");  // 2.5e-3 Wh
  CHECK(co2e::format_energy(4.2e-4) == "420 mWh");
  CHECK(co2e::format_energy(0.001) == "1 Wh");
  CHECK(co2e::format_energy(1e-13) == "0.0001 µWh");  // below the smallest unit
  CHECK(co2e::format_energy(-5e-4) == "-500 mWh");
  CHECK(co2e::format_energy(2.5e9) == "2500 GWh");  // above the largest
  // A value that rounds up to the next unit is written in it.
  CHECK(co2e::format_energy(0.99996) == "1 kWh");
  CHECK(co2e::format_energy(0.99994) == "999.9 Wh");
  CHECK(co2e::format_energy(9.99996e-7) == "1 mWh");
}

TEST_CASE("format_mass", "[unit]") {
  CHECK(co2e::format_mass(0) == "0 g");
  CHECK(co2e::format_mass(1.335e-7) == "0.1335 µg");  // below the smallest unit
  CHECK(co2e::format_mass(1.335e-4) == "133.5 µg");
  CHECK(co2e::format_mass(0.4753) == "475.3 mg");
  CHECK(co2e::format_mass(0.0012) == "1.2 mg");
  CHECK(co2e::format_mass(999.96) == "1 kg");
  CHECK(co2e::format_mass(999.94) == "999.9 g");
  CHECK(co2e::format_duration(co2e::Seconds(26.5 * 3600)) == "1 d 2 h 30 min");
  CHECK(co2e::format_duration(co2e::Seconds(45)) == "45 s");
}

// Issue 12: `m` is milli and `M` is mega. Until this change `5mWh` fell back to a case-insensitive
// match of MWh: 5,000 kWh instead of 5e-6 kWh, 10^9 times too much.
TEST_CASE("parse_energy_kwh: SI prefixes are case-sensitive", "[unit]") {
  CHECK(*co2e::parse_energy_kwh("5mWh") == Approx(5e-6));  // 5 mWh = 0.005 Wh = 5e-6 kWh
  CHECK(*co2e::parse_energy_kwh("5MWh") == Approx(5000));
  CHECK(*co2e::parse_energy_kwh("3.6mJ") == Approx(1e-9));  // 3.6e-3 J / 3.6e6 J per kWh
  CHECK(*co2e::parse_energy_kwh("3.6MJ") == Approx(1));
  CHECK(*co2e::parse_energy_kwh("2µWh") == Approx(2e-9));       // U+00B5 micro sign
  CHECK(*co2e::parse_energy_kwh("2\u03bcWh") == Approx(2e-9));  // U+03BC Greek mu
  CHECK(*co2e::parse_energy_kwh("2uWh") == Approx(2e-9));
  CHECK(*co2e::parse_energy_kwh("2 TWh") == Approx(2e9));
  SECTION("letters other than m/M may be in any case; K is kilo") {
    CHECK(*co2e::parse_energy_kwh("5kwh") == Approx(5));
    CHECK(*co2e::parse_energy_kwh("5KWh") == Approx(5));
    CHECK(*co2e::parse_energy_kwh("5KWH") == Approx(5));
    CHECK(*co2e::parse_energy_kwh("300wh") == Approx(0.3));
    CHECK(*co2e::parse_energy_kwh("2gwh") == Approx(2e6));
    CHECK(*co2e::parse_energy_kwh("3600j") == Approx(0.001));
  }
  SECTION("a spelling that only matches by changing an m/M is refused with both candidates") {
    for (const char* text : {"5mwh", "5MWH", "5Mwh", "5mWH"})
      CHECK_THAT(co2e::parse_energy_kwh(text).error().message, Contains("did you mean mWh or MWh?"));
    CHECK_THAT(co2e::parse_energy_kwh("5mj").error().message, Contains("did you mean mJ or MJ?"));
    CHECK_THAT(co2e::parse_energy_kwh("5mwh").error().message, Contains("m is milli, M is mega"));
  }
  SECTION("unknown units list what is accepted") {
    CHECK_THAT(co2e::parse_energy_kwh("5kW").error().message,
               Contains("\"5kW\": unknown energy unit \"kW\" (accepted: µWh (or uWh), mWh, Wh, kWh"));
  }
}

TEST_CASE("parse_mass_g: SI prefixes are case-sensitive", "[unit]") {
  CHECK(*co2e::parse_mass_g("133.5 mg") == Approx(0.1335));
  CHECK(*co2e::parse_mass_g("2µg") == Approx(2e-6));
  CHECK(*co2e::parse_mass_g("2ug") == Approx(2e-6));
  CHECK(*co2e::parse_mass_g("2kt") == Approx(2e9));
  CHECK(*co2e::parse_mass_g("2Mt") == Approx(2e12));
  CHECK(*co2e::parse_mass_g("5KG") == Approx(5000));
  CHECK(*co2e::parse_mass_g("5 KgCO2e") == Approx(5000));
  CHECK(*co2e::parse_mass_g("5 g CO2e") == Approx(5));
  // "mt" was read as megatonnes (10^12 g); a user who writes "mt" may mean metric tons (10^6 g).
  CHECK_THAT(co2e::parse_mass_g("5mt").error().message, Contains("did you mean Mt?"));
  CHECK_THAT(co2e::parse_mass_g("5MT").error().message, Contains("a metric ton (tonne) is t"));
  CHECK(*co2e::parse_mass_g("5 Grams") == Approx(5));  // no m/M prefix: case is free
  CHECK_THAT(co2e::parse_mass_g("5MG").error().message, Contains("did you mean mg?"));
}

TEST_CASE("parse_size_gb: case is free (no sub-byte prefixes)", "[unit]") {
  CHECK(*co2e::parse_size_gb("2048m") == Approx(2.048));
  CHECK(*co2e::parse_size_gb("2048MB") == Approx(2.048));
  CHECK(*co2e::parse_size_gb("64gb") == Approx(64));
  CHECK(*co2e::parse_size_gb("1 PiB") == Approx(1125899.906842624));
}

TEST_CASE("parse_power_w", "[unit]") {
  CHECK(*co2e::parse_power_w("300W") == Approx(300));
  CHECK(*co2e::parse_power_w("0.3kW") == Approx(300));
  CHECK(*co2e::parse_power_w("0.3KW") == Approx(300));
  CHECK(*co2e::parse_power_w("300000mW") == Approx(300));
  CHECK(*co2e::parse_power_w("7.5 w") == Approx(7.5));
  CHECK(*co2e::parse_power_w("1.2MW") == Approx(1.2e6));
  CHECK(*co2e::parse_power_w("300") == Approx(300));  // bare number: watts
  CHECK_THAT(co2e::parse_power_w("300mw").error().message, Contains("did you mean mW or MW?"));
  CHECK_THAT(co2e::parse_power_w("300Wh").error().message,
             Contains("unknown power unit \"Wh\"") && Contains("or drop the unit: a bare number is watts"));
}

TEST_CASE("parse_power_w_per_gb", "[unit]") {
  CHECK(*co2e::parse_power_w_per_gb("0.3725W") == Approx(0.3725));
  CHECK(*co2e::parse_power_w_per_gb("0.3725") == Approx(0.3725));
  CHECK(*co2e::parse_power_w_per_gb("0.3725 W/GB") == Approx(0.3725));
  CHECK(*co2e::parse_power_w_per_gb("372.5mW/GB") == Approx(0.3725));
  // 0.4 W per GiB = 0.4 W per 1.073741824 GB
  CHECK(*co2e::parse_power_w_per_gb("0.4W/GiB") == Approx(0.4 / 1.073741824));
  CHECK_THAT(co2e::parse_power_w_per_gb("0.4W/core").error().message, Contains("memory power is per GB"));
}

TEST_CASE("parse_intensity_g_per_kwh", "[unit]") {
  CHECK(*co2e::parse_intensity_g_per_kwh("200") == Approx(200));
  CHECK(*co2e::parse_intensity_g_per_kwh("200g/kWh") == Approx(200));
  CHECK(*co2e::parse_intensity_g_per_kwh("200gCO2e/kWh") == Approx(200));
  CHECK(*co2e::parse_intensity_g_per_kwh("200 gCO2e / kWh") == Approx(200));
  CHECK(*co2e::parse_intensity_g_per_kwh("0.2kg/kWh") == Approx(200));
  CHECK(*co2e::parse_intensity_g_per_kwh("0.2kgCO2/kWh") == Approx(200));
  CHECK(*co2e::parse_intensity_g_per_kwh("0.2t/MWh") == Approx(200));  // 2e5 g / 1e3 kWh
  CHECK(*co2e::parse_intensity_g_per_kwh("200kg/MWh") == Approx(200));
  // US EPA eGRID publishes lb/MWh: 1000 lb/MWh = 453592.37 g / 1000 kWh
  CHECK(*co2e::parse_intensity_g_per_kwh("1000lb/MWh") == Approx(453.59237));
  CHECK_THAT(co2e::parse_intensity_g_per_kwh("200g").error().message,
             Contains("an emission factor is a mass per energy") && Contains("or drop the unit"));
  CHECK_THAT(co2e::parse_intensity_g_per_kwh("200g/kW").error().message, Contains("unknown energy unit \"kW\""));
  CHECK_THAT(co2e::parse_intensity_g_per_kwh("200g/mwh").error().message, Contains("did you mean mWh or MWh?"));
  CHECK_THAT(co2e::parse_intensity_g_per_kwh("-200g/kWh").error().message, Contains("cannot be negative"));
  CHECK_THAT(co2e::parse_intensity_g_per_kwh("1e300t/µJ").error().message, Contains("emission factor too large"));
}

TEST_CASE("parse_integer: whole numbers in exponent form", "[unit]") {
  CHECK(*co2e::parse_integer("1e6", 1) == 1'000'000);
  CHECK(*co2e::parse_integer("2.5e3", 1) == 2500);
  CHECK(*co2e::parse_integer("1E3", 0) == 1000);
  CHECK(*co2e::parse_integer(" +1e0 ", 1) == 1);
  CHECK_THAT(co2e::parse_integer("1.5", 1).error().message, Contains("\"1.5\" is not a whole number"));
  CHECK_THAT(co2e::parse_integer("1.5e0", 1).error().message, Contains("not a whole number"));
  CHECK_THAT(co2e::parse_integer("1e10", 1, 1'000'000'000).error().message, Contains("too large (at most 1000000000)"));
  CHECK_THAT(co2e::parse_integer("1e300", 1).error().message, Contains("too large"));
  CHECK_THAT(co2e::parse_integer("-1e3", 0).error().message, Contains("must be at least 0"));
  CHECK_THAT(co2e::parse_integer("0e0", 1).error().message, Contains("must be at least 1"));
  CHECK_THAT(co2e::parse_integer("1e", 1).error().message, Contains("not a whole number"));
}
