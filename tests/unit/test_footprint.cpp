// Unit tests of the whole footprint (include/co2e/footprint.hpp): BLOOM's published footprint
// (Luccioni, Viguier, Ligozat, JMLR 24(253), 2023) reproduced from its inputs, each part's
// arithmetic by hand, and the inputs' errors.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <cmath>

#include "co2e/estimate.hpp"
#include "co2e/render.hpp"
#include "estimate_support.hpp"

using Catch::Matchers::Contains;

using co2e::test::data;
using co2e::test::fails;
using co2e::test::ok;
using co2e::test::spec;

TEST_CASE("estimate: BLOOM's whole footprint from its inputs", "[unit]") {
  // The paper's inputs (section 4): 1,082,990 A100 GPU-hours at ~400 W, grid 57 gCO2e/kWh,
  // nodes of 8 GPUs; embodied: 150 kg per GPU, 2,500 kg per server, 6 years at 85 % use; idle and
  // infrastructure energy 256,646 kWh. Its results: 24.7 t dynamic, 11.2 t embodied, 50.5 t in all.
  const double gpu_hours = 1'082'990;
  const double node_hours = gpu_hours / 8;                                    // 135,373.75
  const double life_h = 6 * 365 * 24 * 0.85;                                  // 44,676 h
  const double infra_w = 256'646.0 * 1000 / node_hours;                       // the infrastructure energy as W per node
  const double dynamic_kg = gpu_hours * 400 / 1000 * 57 / 1000;               // 24,692.172
  const double embodied_kg = (150 * gpu_hours + 2500 * node_hours) / life_h;  // 11,211.3
  const double infra_kg = 256'646.0 * 57 / 1000;                              // 14,628.822

  SECTION("dynamic energy alone: 24.7 t, as before issue 15") {
    const auto r = ok(spec({{"gpu_hours", "1082990"}, {"gpu_power", "400"}, {"pue", "1"}, {"intensity", "57"}}));
    CHECK(r.co2e_kg == Approx(dynamic_kg).epsilon(1e-12));
    CHECK(std::abs(r.co2e_kg / 1000 - 24.7) / 24.7 < 0.01);
    CHECK(r.embodied_kg() == 0);
    CHECK(r.total_co2e_kg() == r.co2e_kg);
  }
  SECTION("embodied: 11.2 t to 1 %") {
    const auto r = ok(spec({{"gpu_hours", "1082990"},
                            {"gpu", "A100 SXM4 80GB"},
                            {"gpu_power", "400"},
                            {"pue", "1"},
                            {"intensity", "57"},
                            {"embodied", "yes"},
                            {"server", "HPE Apollo 6500"},
                            {"lifetime", "6y"},
                            {"utilisation", "0.85"}}));
    CHECK(r.footprint.life_hours() == Approx(life_h));
    CHECK(r.footprint.node_hours == Approx(node_hours));
    CHECK(r.footprint.gpu.kg == Approx(150 * gpu_hours / life_h));
    CHECK(r.footprint.server.kg == Approx(2500 * node_hours / life_h));
    CHECK(r.embodied_kg() == Approx(embodied_kg));
    CHECK(std::abs(r.embodied_kg() / 1000 - 11.2) / 11.2 < 0.01);
    CHECK(r.co2e_kg == Approx(dynamic_kg).epsilon(1e-12));  // operational figure unchanged
    CHECK(r.footprint.has(co2e::FootprintNote::node_hours_from_gpu_hours));
  }
  SECTION("with the infrastructure energy as node overhead: 50.5 t in all") {
    const auto r = ok(spec({{"gpu_hours", "1082990"},
                            {"gpu_power", "400"},
                            {"pue", "1"},
                            {"intensity", "57"},
                            {"server", "HPE Apollo 6500"},
                            {"embodied_gpu", "150kg"},
                            {"lifetime", "6"},
                            {"utilisation", "0.85"},
                            {"node_power", fmt::format("{:.6f}", infra_w)}}));
    CHECK(r.components.server_kwh == Approx(256'646).epsilon(1e-9));
    CHECK(r.co2e_kg == Approx(dynamic_kg + infra_kg).epsilon(1e-9));
    CHECK(r.total_co2e_kg() == Approx(dynamic_kg + infra_kg + embodied_kg).epsilon(1e-9));
    CHECK(std::abs(r.total_co2e_kg() / 1000 - 50.5) / 50.5 < 0.01);
  }
  SECTION("by nodes and wall time: the same embodied share") {
    // 48 nodes for 1,082,990 / 384 h: the same node-hours as GPU-hours / 8.
    const auto r = ok(spec({{"gpus", "384"},
                            {"runtime", fmt::format("{:.9f}h", gpu_hours / 384)},
                            {"gpu_power", "400"},
                            {"pue", "1"},
                            {"intensity", "57"},
                            {"server_embodied", "2.5t"},
                            {"nodes", "48"},
                            {"lifetime", "6"},
                            {"utilisation", "0.85"}}));
    CHECK(r.footprint.nodes == 48);
    CHECK(r.embodied_kg() == Approx(embodied_kg).epsilon(1e-6));
  }
}

TEST_CASE("estimate: without the whole-footprint inputs nothing changes", "[unit]") {
  // The Green Algorithms worked example (METHODS.md): 2.1310848 kWh, 492.54 g.
  const auto r = ok(spec({{"runtime", "12h"},
                          {"cores", "12"},
                          {"core_power", "7.5"},
                          {"memory", "64"},
                          {"pue", "1.56"},
                          {"intensity", "231.12"}}));
  CHECK(r.energy_kwh == Approx(2.1310848).epsilon(1e-12));
  CHECK(r.co2e_kg == Approx(0.49253631897600014).epsilon(1e-12));
  CHECK(r.components.server_kwh == 0);
  CHECK(r.components.storage_kwh == 0);
  CHECK(r.footprint.network_kwh == 0);
  CHECK_FALSE(r.footprint.embodied);
  CHECK(r.total_co2e_kg() == r.co2e_kg);
}

TEST_CASE("estimate: server overhead, storage and network energy", "[unit]") {
  SECTION("--node-power W x nodes x runtime, before PUE") {
    // 2 nodes x 150 W x 10 h = 3 kWh; CPU 4 cores x 10 W x 10 h = 0.4 kWh; x PUE 1.5.
    const auto r = ok(spec({{"runtime", "10h"},
                            {"cores", "4"},
                            {"core_power", "10"},
                            {"nodes", "2"},
                            {"node_power", "150W"},
                            {"pue", "1.5"},
                            {"intensity", "100"}}));
    CHECK(r.components.server_kwh == Approx(3.0));
    CHECK(r.energy_kwh == Approx(1.5 * 3.4));
  }
  SECTION("--nodes alone: the sourced share of the chips' energy") {
    const auto r = ok(spec({{"runtime", "10h"},
                            {"cores", "4"},
                            {"core_power", "10"},
                            {"nodes", "2"},
                            {"pue", "1"},
                            {"intensity", "100"}}));
    CHECK(r.footprint.node_power_source == co2e::NodePowerSource::fraction);
    CHECK(r.components.server_kwh == Approx(0.1 * 0.4));  // data/constants.json node_overhead_fraction
    // Nothing silent: the default, its source and its uncertainty are in the assumptions.
    const auto text = co2e::render_text(r, data());
    CHECK_THAT(text, Contains("--nodes without --node-power: server overhead taken as 10% of the CPU, GPU and "
                              "memory energy, the default; a lower bound"));
    CHECK_THAT(text, Contains("up to ~70%"));
    CHECK_THAT(text, Contains("Tailpipe"));
  }
  SECTION("--storage and --transfer") {
    // Storage 2 TB SSD x 1.2 W/TB x 10 h = 0.024 kWh (before PUE); network 100 GB x 0.06 kWh/GB
    // = 6 kWh, no PUE. energy = 1.5 x (0.1 + 0.024) + 6.
    const auto r = ok(spec({{"runtime", "10h"},
                            {"cores", "1"},
                            {"core_power", "10"},
                            {"storage", "2T"},
                            {"transfer", "100G"},
                            {"pue", "1.5"},
                            {"intensity", "100"}}));
    CHECK(r.components.storage_kwh == Approx(0.024));
    CHECK(r.footprint.network_kwh == Approx(6.0));
    CHECK(r.energy_kwh == Approx(1.5 * 0.124 + 6));
    CHECK(r.footprint.has(co2e::FootprintNote::storage_media_assumed));
    const auto hdd = ok(spec({{"runtime", "10h"},
                              {"cores", "1"},
                              {"core_power", "10"},
                              {"storage", "2T"},
                              {"storage_type", "hdd"},
                              {"pue", "1"},
                              {"intensity", "100"}}));
    CHECK(hdd.components.storage_kwh == Approx(2 * 0.65 * 10 / 1000));
  }
  SECTION("every result column of the whole footprint is there") {
    const auto r = ok(spec({{"runtime", "10h"},
                            {"cores", "1"},
                            {"core_power", "10"},
                            {"transfer", "1G"},
                            {"psf", "3"},
                            {"intensity", "100"}}));
    const std::string csv = co2e::render_csv(r);
    CHECK_THAT(csv, Contains("server_kwh,storage_kwh,network_kwh,embodied_kg,total_co2e_kg"));
    CHECK_THAT(csv, Contains(",0.18,0,"));  // network 1 GB x 0.06 x 3 runs
  }
}

TEST_CASE("estimate: embodied parts by hand", "[unit]") {
  SECTION("CPU chips, memory and storage without a server") {
    // EPYC 7763: 64 cores per chip. 128 cores x 24 h = 48 chip-hours; 256 GB x 24 h; 1 TB SSD x 24 h.
    // Life 4 y x 8760 x 0.5 = 17,520 h.
    const auto r = ok(spec({{"runtime", "24h"},
                            {"cores", "128"},
                            {"cpu", "EPYC 7763"},
                            {"memory", "256G"},
                            {"storage", "1T"},
                            {"embodied", "1"},
                            {"lifetime", "4"},
                            {"utilisation", "0.5"},
                            {"intensity", "100"}}));
    const double life = 4 * 8760 * 0.5;
    CHECK(r.footprint.cpu.kg == Approx(23.5 * 48 / life));
    CHECK(r.footprint.memory.kg == Approx(1.234 * 256 * 24 / life));
    CHECK(r.footprint.storage.kg == Approx(160 * 1 * 24 / life));
    CHECK(r.embodied_kg() == Approx((23.5 * 48 + 1.234 * 256 * 24 + 160 * 24) / life));
  }
  SECTION("a GPU without a figure of its own takes the default row, and says so") {
    const auto r =
        ok(spec({{"runtime", "10h"}, {"gpus", "2"}, {"gpu", "H100 PCIe"}, {"embodied", "true"}, {"intensity", "100"}}));
    CHECK(r.footprint.gpu.row != nullptr);
    CHECK(r.footprint.has(co2e::FootprintNote::gpu_default_row));
    CHECK(r.footprint.gpu.kg == Approx(150 * 20 / (6 * 8760 * 0.85)));  // data/constants.json defaults
    const auto text = co2e::render_text(r, data());
    CHECK_THAT(text, Contains("Embodied"));
    CHECK_THAT(text, Contains("no manufacturing figure for the NVIDIA H100 PCIe"));
  }
  SECTION("an H100 SXM takes its share of NVIDIA's HGX H100 board figure") {
    // NVIDIA's PCF summary: 1,312 kg CO2e per 8-GPU HGX H100 baseboard, 164 kg per GPU.
    const auto r =
        ok(spec({{"runtime", "10h"}, {"gpus", "2"}, {"gpu", "H100 SXM"}, {"embodied", "true"}, {"intensity", "100"}}));
    REQUIRE(r.footprint.gpu.row != nullptr);
    CHECK(r.footprint.gpu.row->id == "hgx_h100");
    CHECK_FALSE(r.footprint.has(co2e::FootprintNote::gpu_default_row));
    CHECK(r.footprint.gpu.kg == Approx(1312.0 / 8 * 20 / (6 * 8760 * 0.85)));
    const auto text = co2e::render_text(r, data());
    CHECK_THAT(text, Contains("embodied GPU: 164 kg CO2e per GPU (NVIDIA HGX H100 baseboard (per GPU)"));
    CHECK_THAT(text, Contains("HGX-H100-PCF-Summary.pdf"));
  }
  SECTION("PSF multiplies the embodied share like the energy") {
    const auto one = ok(spec({{"runtime", "10h"}, {"gpus", "1"}, {"gpu_power", "300"}, {"embodied_gpu", "100"}}));
    const auto three =
        ok(spec({{"runtime", "10h"}, {"gpus", "1"}, {"gpu_power", "300"}, {"embodied_gpu", "100"}, {"psf", "3"}}));
    CHECK(three.embodied_kg() == Approx(3 * one.embodied_kg()));
  }
}

TEST_CASE("estimate: whole-footprint input errors", "[unit]") {
  CHECK_THAT(fails(spec({{"core_power", "10"}, {"core_hours", "5"}, {"storage", "1T"}})),
             Contains("--storage needs --runtime"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cores", "1"}, {"core_power", "10"}, {"storage_type", "hdd"}})),
             Contains("--storage-type needs --storage"));
  CHECK_THAT(fails(spec({{"runtime", "1h"},
                         {"cores", "1"},
                         {"cpu", "EPYC 7763"},
                         {"server", "Apollo 6500"},
                         {"embodied_cpu", "20"}})),
             Contains("a server's figure already covers its CPUs"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cores", "1"}, {"core_power", "10"}, {"embodied_cpu", "20"}})),
             Contains("add --cpu MODEL"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"gpus", "1"}, {"gpu_power", "300"}, {"server", "Cray XYZ"}})),
             Contains("unknown server \"Cray XYZ\""));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"power", "500"}, {"node_power", "100"}})),
             Contains("power at the plug already includes"));
  CHECK_THAT(
      fails(spec({{"runtime", "1h"}, {"gpus", "1"}, {"gpu_power", "300"}, {"embodied", "no"}, {"lifetime", "4"}})),
      Contains("--lifetime counts embodied emissions, which --embodied turns off"));
  co2e::EstimateSpec s;
  CHECK_THAT(co2e::set_field(s, co2e::Field::lifetime, "0")->message, Contains("out of range"));
  CHECK_THAT(co2e::set_field(s, co2e::Field::utilisation, "0")->message, Contains("must be more than 0"));
  CHECK_THAT(co2e::set_field(s, co2e::Field::server_embodied, "-3")->message, Contains("must be more than 0 kg"));
  CHECK_THAT(co2e::set_field(s, co2e::Field::storage_type, "tape")->message,
             Contains("\"tape\" is not a storage type (accepted: ssd, hdd)"));
  CHECK_THAT(co2e::set_field(s, co2e::Field::embodied, "maybe")->message, Contains("not a yes/no value"));
}
