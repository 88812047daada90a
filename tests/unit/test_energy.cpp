// Unit tests of the one energy formula (include/co2e/energy.hpp) and of the constants it falls
// back on (Dataset::constant), against figures computed by hand.
#include <catch2/catch.hpp>

#include "co2e/data.hpp"
#include "co2e/energy.hpp"

TEST_CASE("compute_energy", "[unit]") {
  SECTION("Green Algorithms worked example (METHODS.md)") {
    // 12 cores x 12 h = 144 core-h x 7.5 W = 1.08 kWh; 64 GB x 0.3725 W/GB x 12 h = 0.28608 kWh;
    // x PUE 1.56 = 2.1310848 kWh; x 231.12 g/kWh = 492.536319 g.
    const auto e = co2e::compute_energy({.core_hours = 144,
                                         .core_power_w = 7.5,
                                         .memory_gb = 64,
                                         .memory_power_w_per_gb = 0.3725,
                                         .memory_hours = 12,
                                         .pue = 1.56,
                                         .intensity_g_per_kwh = 231.12});
    CHECK(e.cpu_kwh == Approx(1.08));
    CHECK(e.gpu_kwh == 0);
    CHECK(e.memory_kwh == Approx(0.28608));
    CHECK(e.energy_kwh == Approx(2.1310848).epsilon(1e-12));
    CHECK(e.co2e_g == Approx(492.536319).epsilon(1e-9));
  }
  SECTION("usage factors and PSF") {
    // 4 GPU-h x 300 W x 0.5 = 0.6 kWh; 10 core-h x 10 W x 0.25 = 0.025 kWh; x PUE 1.2 x 3 runs
    // = 2.25 kWh; x 100 g/kWh = 225 g.
    const auto e = co2e::compute_energy({.core_hours = 10,
                                         .core_power_w = 10,
                                         .cpu_usage = 0.25,
                                         .gpu_hours = 4,
                                         .gpu_power_w = 300,
                                         .gpu_usage = 0.5,
                                         .pue = 1.2,
                                         .psf = 3,
                                         .intensity_g_per_kwh = 100});
    CHECK(e.gpu_kwh == Approx(0.6));
    CHECK(e.cpu_kwh == Approx(0.025));
    CHECK(e.energy_kwh == Approx(2.25));
    CHECK(e.co2e_g == Approx(225));
  }
  SECTION("nothing used, nothing counted") {
    const auto e =
        co2e::compute_energy({.core_power_w = 12, .gpu_power_w = 200, .pue = 1.5, .intensity_g_per_kwh = 475});
    CHECK(e.energy_kwh == 0);
    CHECK(e.co2e_g == 0);
  }
  SECTION("a known energy or power instead of the components") {
    // GPT-3 (Patterson et al. 2021, Table 4): 1,287 MWh x 429 g/kWh = 552,123,000 g, PUE already in.
    const auto g = co2e::compute_energy({.known_kwh = 1'287'000, .intensity_g_per_kwh = 429});
    CHECK(g.known_kwh == 1'287'000);
    CHECK(g.energy_kwh == 1'287'000);
    CHECK(g.co2e_g == Approx(552'123'000));
    // 250 W x 4 h = 1 kWh; x PUE 1.2 x 3 runs = 3.6 kWh; x 100 g/kWh = 360 g.
    const auto p = co2e::compute_energy(
        {.known_power_w = 250, .known_hours = 4, .pue = 1.2, .psf = 3, .intensity_g_per_kwh = 100});
    CHECK(p.known_kwh == Approx(1.0));
    CHECK(p.cpu_kwh + p.gpu_kwh + p.memory_kwh == 0);
    CHECK(p.energy_kwh == Approx(3.6));
    CHECK(p.co2e_g == Approx(360));
  }
  SECTION("usable at compile time") {
    static_assert(co2e::compute_energy({.core_hours = 1, .core_power_w = 1000}).energy_kwh == 1.0);
  }
}

TEST_CASE("Dataset::constant", "[unit]") {
  SECTION("the built-in rows of data/constants.json (Green Algorithms v3.0; the world: Ember)") {
    const co2e::Dataset d;
    CHECK(d.constant(co2e::DefaultConstant::core_power_w) == 12);
    CHECK(d.constant(co2e::DefaultConstant::gpu_power_w) == 200);
    CHECK(d.constant(co2e::DefaultConstant::memory_power_w_per_gb) == 0.3725);
    // Ember 2025 release, World 2024 (lifecycle), as the WORLD row: one fact. Was IEA 2019, 475.
    CHECK(d.constant(co2e::DefaultConstant::world_intensity_g_per_kwh) == 472.94);
    CHECK(d.constant(co2e::DefaultConstant::world_intensity_g_per_kwh) ==
          d.find_region("WORLD")->grid->intensity_g_per_kwh);
  }
  SECTION("a --data row replaces one, whatever its spelling") {
    co2e::Dataset d;
    REQUIRE_FALSE(d.add_json(R"({"constants": [{"id": "Memory-Power-W-per-GB", "value": 0.1}]})", "site.json"));
    CHECK(d.constant(co2e::DefaultConstant::memory_power_w_per_gb) == 0.1);
    CHECK(d.constant(co2e::DefaultConstant::core_power_w) == 12);
  }
}
