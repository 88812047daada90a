#include <algorithm>
// Unit tests of the estimate (include/co2e/estimate.hpp), against figures computed by hand and
// published results (Green Algorithms worked example, Strubell et al. 2019, BLOOM, GPT-3).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "co2e/estimate.hpp"
#include "co2e/render.hpp"
#include "estimate_support.hpp"

using Catch::Matchers::Contains;

using co2e::test::data;
using co2e::test::fails;
using co2e::test::ok;
using co2e::test::spec;

TEST_CASE("estimate: Green Algorithms worked example", "[unit]") {
  // METHODS.md: 12 h, 12 cores x 7.5 W, 64 GB, PUE 1.56, UK 231.12 g/kWh
  // CPU 12*12*7.5/1000*1.56 = 1.6848 kWh; memory 64*0.3725*12/1000*1.56 = 0.446285 kWh.
  const auto r = ok(spec({{"runtime", "12h"},
                          {"cores", "12"},
                          {"core_power", "7.5"},
                          {"memory", "64G"},
                          {"pue", "1.56"},
                          {"intensity", "231.12"}}));
  CHECK(r.components.cpu_kwh == Approx(1.08));
  CHECK(r.components.memory_kwh == Approx(0.28608));
  CHECK(r.components.cpu_kwh * r.pue == Approx(1.6848));
  CHECK(r.components.memory_kwh * r.pue == Approx(0.446285).epsilon(1e-6));
  CHECK(r.energy_kwh == Approx(2.1310848).epsilon(1e-9));
  CHECK(r.co2e_kg * 1000 == Approx(492.54).margin(0.005));
}

TEST_CASE("estimate: Strubell et al. 2019 BERT-base", "[unit]") {
  // 1.58 x 79.2 h x 12,041.51 W / 1000 = 1,507 kWh; x 0.954 lb/kWh (= 432.727 g/kWh) = 652 kg.
  // The paper's total power (CPU + DRAM + 64 GPUs) is given as 64 GPUs of 12041.51/64 W.
  const auto r = ok(spec(
      {{"runtime", "79.2h"}, {"gpus", "64"}, {"gpu_power", "188.1486"}, {"pue", "1.58"}, {"intensity", "432.727"}}));
  CHECK(r.energy_kwh == Approx(1507).margin(0.5));
  CHECK(r.co2e_kg == Approx(652).margin(0.5));
  CHECK(r.has(co2e::Note::gpu_only_no_cpu));
}

TEST_CASE("estimate: BLOOM (Luccioni et al. 2022)", "[unit]") {
  // 1,082,990 A100 GPU-hours x 400 W = 433,196 kWh; x 57 g/kWh = 24.7 t.
  const auto r =
      ok(spec({{"gpu_hours", "1082990"}, {"gpu", "A100"}, {"gpu_power", "400"}, {"pue", "1"}, {"intensity", "57"}}));
  CHECK(r.energy_kwh == Approx(433196));
  CHECK(r.co2e_kg / 1000 == Approx(24.7).margin(0.05));
  CHECK_FALSE(r.runtime_h.has_value());
  REQUIRE(r.gpu_model != nullptr);
  CHECK(r.has(co2e::Note::gpu_power_overrides_model));
}

TEST_CASE("estimate: GPT-3 (Patterson et al. 2021)", "[unit]") {
  // 14.8 days x 10,000 V100 x 330 W x PUE 1.1 = 1,287 MWh (paper); x 429 g/kWh = 552 t.
  // 14.8 x 24 x 10,000 x 0.33 x 1.1 = 1,289.4 MWh: the paper rounds its inputs; within 0.3 %.
  const auto r =
      ok(spec({{"runtime", "14.8d"}, {"gpus", "10000"}, {"gpu_power", "330"}, {"pue", "1.1"}, {"intensity", "429"}}));
  CHECK(r.energy_kwh / 1000 == Approx(1287).epsilon(0.003));
  CHECK(r.co2e_kg / 1000 == Approx(552).epsilon(0.003));
}

TEST_CASE("estimate: components", "[unit]") {
  SECTION("CPU from the model table: TDP / cores") {
    // Intel Xeon Gold 6248: 150 W, 20 cores -> 7.5 W/core; 4 cores x 2 h x 7.5 W x 0.5 = 30 Wh
    const auto r = ok(spec({{"runtime", "2h"},
                            {"cores", "4"},
                            {"cpu", "Xeon Gold 6248"},
                            {"cpu_usage", "0.5"},
                            {"pue", "1"},
                            {"intensity", "100"}}));
    CHECK(r.core_power_w == Approx(7.5));
    CHECK(r.components.cpu_kwh == Approx(0.030));
    CHECK(r.co2e_kg == Approx(0.003));
  }
  SECTION("--cpu without --cores takes all cores of one chip") {
    const auto r = ok(spec({{"runtime", "1h"}, {"cpu", "AMD EPYC 7763"}, {"pue", "1"}, {"intensity", "0"}}));
    CHECK(r.cores == 64);
    CHECK(r.components.cpu_kwh == Approx(0.280));  // 280 W TDP for one hour
    CHECK(r.has(co2e::Note::cores_from_model));
  }
  SECTION("core-hours replace runtime x cores") {
    const auto r = ok(spec({{"core_hours", "1000"}, {"core_power", "10"}, {"pue", "1"}, {"intensity", "0"}}));
    CHECK(r.components.cpu_kwh == Approx(10));
  }
  SECTION("unknown CPU power: Green Algorithms' 12 W per core") {
    const auto r = ok(spec({{"runtime", "10h"}, {"cores", "2"}, {"pue", "1"}, {"intensity", "0"}}));
    CHECK(r.core_power_w == 12);
    CHECK(r.cpu_power_source == co2e::PowerSource::default_value);
    CHECK(r.components.cpu_kwh == Approx(0.24));
  }
  SECTION("GPU: model TDP x count x usage") {
    // H100 SXM: 700 W; 8 GPUs x 3 h x 700 W x 0.8 = 13.44 kWh
    const auto r = ok(spec(
        {{"runtime", "3h"}, {"gpus", "8"}, {"gpu", "H100"}, {"gpu_usage", "80%"}, {"pue", "1"}, {"intensity", "0"}}));
    CHECK(r.gpu_power_w == 700);
    CHECK(r.components.gpu_kwh == Approx(13.44));
  }
  SECTION("unknown GPU power: 200 W; --gpu alone means one GPU") {
    const auto r = ok(spec({{"runtime", "1h"}, {"gpu_power", "250"}, {"pue", "1"}, {"intensity", "0"}}));
    CHECK(r.gpus == 1);
    CHECK(r.components.gpu_kwh == Approx(0.25));
    const auto d = ok(spec({{"runtime", "1h"}, {"gpus", "2"}, {"pue", "1"}, {"intensity", "0"}}));
    CHECK(d.components.gpu_kwh == Approx(0.4));
  }
  SECTION("memory power can be changed") {
    const auto r = ok(spec({{"runtime", "10h"},
                            {"cores", "1"},
                            {"core_power", "1"},
                            {"memory", "100G"},
                            {"memory_power", "0.08"},
                            {"pue", "1"},
                            {"intensity", "0"}}));
    CHECK(r.components.memory_kwh == Approx(0.08));
  }
  SECTION("PSF multiplies the total, PUE applies once") {
    const auto r = ok(spec({{"runtime", "1h"},
                            {"cores", "10"},
                            {"core_power", "10"},
                            {"pue", "1.5"},
                            {"psf", "3"},
                            {"intensity", "100"}}));
    CHECK(r.components.total_kwh() == Approx(0.1));
    CHECK(r.energy_kwh == Approx(0.45));
    CHECK(r.co2e_kg == Approx(0.045));
  }
}

TEST_CASE("estimate: PUE selection", "[unit]") {
  auto pue_of = [](std::initializer_list<std::pair<const char*, const char*>> extra) {
    co2e::EstimateSpec s = spec({{"runtime", "1h"}, {"cores", "1"}, {"core_power", "10"}});
    for (const auto& [k, v] : extra) REQUIRE_FALSE(co2e::set_field(s, *co2e::field_from_name(k), v));
    return ok(s);
  };
  CHECK(pue_of({}).pue == 1.56);  // Green Algorithms v3.0: unknown local server
  CHECK(pue_of({}).pue_source == co2e::PueSource::default_local);
  CHECK(pue_of({{"platform", "personal"}}).pue == 1.0);
  CHECK(pue_of({{"platform", "cloud"}}).pue == 1.2);
  CHECK(pue_of({{"provider", "gcp"}}).pue == 1.12);
  CHECK(pue_of({{"provider", "Google Cloud"}}).pue == 1.12);
  CHECK(pue_of({{"provider", "aws"}}).pue == 1.2);
  CHECK(pue_of({{"provider", "azure"}}).pue == 1.12);
  CHECK(pue_of({{"provider", "aws"}, {"pue", "1.05"}}).pue == 1.05);
  // A cloud region implies its provider's PUE, or the PUE the provider publishes for it.
  CHECK(pue_of({{"region", "aws:eu-west-3"}}).pue == 1.2);
  CHECK(pue_of({{"region", "gcp:europe-west1"}}).pue == 1.08);
  CHECK(pue_of({{"region", "gcp:europe-west1"}}).pue_source == co2e::PueSource::cloud_region);
  CHECK(pue_of({{"region", "gcp:europe-west1"}, {"pue", "1.3"}}).pue == 1.3);
}

TEST_CASE("estimate: emission factor selection", "[unit]") {
  auto run = [](std::initializer_list<std::pair<const char*, const char*>> extra) {
    co2e::EstimateSpec s = spec({{"runtime", "1h"}, {"cores", "1"}, {"core_power", "10"}, {"pue", "1"}});
    for (const auto& [k, v] : extra) REQUIRE_FALSE(co2e::set_field(s, *co2e::field_from_name(k), v));
    return ok(s);
  };
  const double fr = data().find_region("FR")->intensity_g_per_kwh();
  CHECK(fr > 10);
  CHECK(fr < 150);
  CHECK(run({{"region", "FR"}}).intensity_g_per_kwh == fr);
  CHECK(run({{"region", "FRA"}}).intensity_g_per_kwh == fr);
  CHECK(run({{"region", "France"}}).intensity_g_per_kwh == fr);
  CHECK(run({{"region", "fr"}}).intensity_g_per_kwh == fr);
  // aws:eu-west-3 is Paris: France's grid.
  const auto paris = run({{"region", "aws:eu-west-3"}});
  CHECK(paris.intensity_g_per_kwh == fr);
  CHECK(paris.intensity_source == co2e::IntensitySource::cloud_region);
  CHECK(run({{"region", "azure:francecentral"}}).intensity_g_per_kwh == fr);
  // A cloud region's default is its location's figure (issue 14), so two providers in one grid agree.
  const double be = data().find_region("BE")->intensity_g_per_kwh();
  CHECK(run({{"region", "gcp:europe-west1"}}).intensity_g_per_kwh == be);
  CHECK(run({{"region", "gcp:us-east1"}}).intensity_g_per_kwh == run({{"region", "US-SC"}}).intensity_g_per_kwh);
  CHECK(run({{"region", "aws:us-east-1"}}).intensity_g_per_kwh ==
        run({{"region", "azure:eastus"}}).intensity_g_per_kwh);
  // --intensity-source provider: Google's 2024 figure for europe-west1, 103.37 g/kWh
  // (region-carbon-info data/yearly/2024.csv); 10 Wh x 103.37 g/kWh = 1.0337 g.
  const auto google = run({{"region", "gcp:europe-west1"}, {"intensity_source", "provider"}});
  CHECK(google.intensity_g_per_kwh == 103.37);
  CHECK(google.co2e_kg == Approx(0.0010337));
  CHECK(google.region->uses_provider_figure());
  CHECK(google.region->intensity_basis() == "direct");
  // AWS publishes no figure: the location's is used, and the match says so.
  const auto aws = run({{"region", "aws:us-east-1"}, {"intensity_source", "provider"}});
  CHECK(aws.region->provider_fallback());
  CHECK(aws.intensity_g_per_kwh == data().find_region("US-VA")->intensity_g_per_kwh());
  const auto world = run({});
  CHECK(world.intensity_g_per_kwh == 472.94);  // Ember's world, 2024 (lifecycle: no basis fallback)
  CHECK_FALSE(world.region->basis_fallback());
  CHECK(world.intensity_source == co2e::IntensitySource::default_world);
  const auto both = run({{"region", "FR"}, {"intensity", "50"}});
  CHECK(both.intensity_g_per_kwh == 50);
  CHECK(both.has(co2e::Note::intensity_overrides_region));
  CHECK(run({{"region", "US-CA"}}).region->grid->name == "California");
}

TEST_CASE("estimate: intensity basis", "[unit]") {
  auto run = [](std::initializer_list<std::pair<const char*, const char*>> extra) {
    co2e::EstimateSpec s = spec({{"runtime", "1h"}, {"cores", "1"}, {"core_power", "10"}, {"pue", "1"}});
    for (const auto& [k, v] : extra) REQUIRE_FALSE(co2e::set_field(s, *co2e::field_from_name(k), v));
    return ok(s);
  };
  // Victoria, NGA Factors 2025: scope 2 0.78 kg/kWh (direct), scope 2 + 3 = 0.78 + 0.09 = 0.87
  // (lifecycle). Default basis lifecycle.
  const auto vic = run({{"region", "AU-VIC"}});
  CHECK(vic.intensity_g_per_kwh == Approx(870));
  CHECK(vic.region->intensity_basis() == "lifecycle");
  CHECK_FALSE(vic.region->basis_fallback());
  const auto vic_direct = run({{"region", "AU-VIC"}, {"intensity_basis", "direct"}});
  CHECK(vic_direct.intensity_g_per_kwh == Approx(780));
  CHECK(vic_direct.region->intensity_basis() == "direct");
  // Melbourne's cloud regions follow the same rule on either basis.
  CHECK(run({{"region", "gcp:australia-southeast2"}, {"intensity_basis", "direct"}}).intensity_g_per_kwh ==
        Approx(780));
  // France has only a lifecycle figure (OWID/Ember): asked for direct, the lifecycle figure is
  // used and flagged, never silently.
  const auto fr = run({{"region", "FR"}, {"intensity_basis", "direct"}});
  CHECK(fr.intensity_g_per_kwh == data().find_region("FR")->grid->intensity_g_per_kwh);
  CHECK(fr.region->basis_fallback());
  CHECK(fr.region->intensity_basis() == "lifecycle");
  const auto sentences = co2e::assumptions(fr, data());
  CHECK(std::any_of(sentences.begin(), sentences.end(), [](const std::string& a) {
    return a.find("FR has no direct figure: its lifecycle figure is used instead") != std::string::npos;
  }));
  co2e::EstimateSpec bad;
  CHECK_THAT(co2e::set_field(bad, co2e::Field::intensity_basis, "scope2")->message,
             Contains("\"scope2\" is not a basis (accepted: lifecycle"));
  CHECK_THAT(co2e::set_field(bad, co2e::Field::intensity_source, "google")->message,
             Contains("\"google\" is not an intensity source (accepted: location"));
}

TEST_CASE("estimate: inconsistent or insufficient input", "[unit]") {
  CHECK_THAT(fails(spec({{"runtime", "1h"}})), Contains("nothing to estimate"));
  CHECK_THAT(fails(spec({{"cores", "4"}, {"core_power", "5"}})), Contains("--runtime is required"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cores", "4"}, {"core_hours", "4"}})),
             Contains("--cores and --core-hours conflict"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"gpus", "4"}, {"gpu_hours", "4"}})),
             Contains("--gpus and --gpu-hours conflict"));
  CHECK_THAT(fails(spec({{"gpu_hours", "10"}, {"memory", "8G"}})), Contains("--memory needs --runtime"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"core_power", "5"}})), Contains("--core-power needs --cores"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cpu", "Xeon Gold 9999"}})),
             Contains("--cpu: unknown CPU model \"Xeon Gold 9999\"; did you mean"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"gpu", "A999"}})), Contains("--gpu: unknown GPU model"));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cores", "1"}, {"region", "Atlantis"}})),
             Contains("--region: unknown region \"Atlantis\""));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cores", "1"}, {"provider", "acme"}})),
             Contains("--provider: unknown provider \"acme\""));
  CHECK_THAT(fails(spec({{"runtime", "1h"}, {"cpu_usage", "0.5"}})), Contains("--cpu-usage needs CPU cores"));
  CHECK_THAT(fails(spec({{"gpus", "1000000000"}, {"runtime", "1000000h"}, {"gpu_power", "1000000000"}})),
             Contains("too large"));
}

TEST_CASE("set_field", "[unit]") {
  co2e::EstimateSpec s;
  auto err = [&](const char* name, const char* value) {
    auto e = co2e::set_field(s, *co2e::field_from_name(name), value);
    REQUIRE(e.has_value());
    return e->message;
  };
  CHECK_THAT(err("pue", "0.9"), Contains("is below 1"));
  CHECK_THAT(err("pue", "nan"), Contains("is not a number"));
  CHECK_THAT(err("psf", "0"), Contains("must be at least 1"));
  CHECK_THAT(err("psf", "2.5"), Contains("not a whole number"));
  CHECK_THAT(err("cores", "-4"), Contains("must be at least 0"));
  CHECK_THAT(err("gpus", "-1"), Contains("must be at least 0"));
  CHECK_THAT(err("cores", "1.5"), Contains("not a whole number"));
  CHECK_THAT(err("psf", "0e0"), Contains("must be at least 1"));
  CHECK_THAT(err("gpu_power", "300Wh"), Contains("or drop the unit"));
  CHECK_THAT(err("gpu_power", "0kW"), Contains("must be more than 0"));
  CHECK_THAT(err("intensity", "6kg/kWh"), Contains("too large for an emission factor"));
  CHECK_THAT(err("core_power", "0"), Contains("must be more than 0"));
  CHECK_THAT(err("gpu_usage", "1.2"), Contains("between 0 and 1"));
  CHECK_THAT(err("platform", "mainframe"), Contains("accepted: local, personal, cloud"));
  CHECK_THAT(err("intensity", "-5"), Contains("cannot be negative"));
  CHECK(co2e::field_from_name("--core-power") == co2e::Field::core_power);
  CHECK(co2e::field_from_name("CORE_POWER") == co2e::Field::core_power);
  CHECK_FALSE(co2e::field_from_name("watts").has_value());
}

TEST_CASE("set_field: a plain decimal's fast path gives what the general path gives", "[unit]") {
  // The fast path takes `12.4` for the number fields (issue 18); a space before and after sends
  // the same number through the general, unit-aware parsers, which trim it. Both must agree on
  // every field, every value and every limit: the same figure, or both an error.
  auto numbers = [](const co2e::EstimateSpec& s) {
    return std::make_tuple(s.runtime, s.cores, s.core_power_w, s.cpu_usage, s.gpus, s.gpu_power_w, s.gpu_usage,
                           s.gpu_hours, s.core_hours, s.memory_gb, s.memory_bare_number, s.memory_power_w_per_gb, s.pue,
                           s.intensity_g_per_kwh, s.psf, s.energy_kwh, s.power_w);
  };
  const std::vector<std::string> texts{"0",
                                       "00",
                                       "0.0",
                                       "1",
                                       "1.",
                                       ".5",
                                       "0.5",
                                       "0.99",
                                       "1.0",
                                       "1.5",
                                       "007",
                                       "10",
                                       "10.5",
                                       "12",
                                       "12.5",
                                       "300",
                                       "712.25",
                                       "999.999",
                                       "1000",
                                       "1001",
                                       "5000",
                                       "5000.000001",
                                       "1e3",
                                       "1000000000",
                                       "1000000001",
                                       "1.5e9",
                                       "1000000000000",
                                       "1e15",
                                       "2e15",
                                       "123456789012345",
                                       "1234567890123456",
                                       "0.000000001",
                                       "4.5.6",
                                       "5h"};
  for (const auto& f : co2e::estimate_fields()) {
    for (const auto& t : texts) {
      INFO(std::string(f.column) << " = " << t);
      co2e::EstimateSpec fast;
      co2e::EstimateSpec general;
      const auto e1 = co2e::set_field(fast, f.field, t);
      const auto e2 = co2e::set_field(general, f.field, " " + t + " ");
      REQUIRE(e1.has_value() == e2.has_value());
      CHECK(numbers(fast) == numbers(general));
      if (fast.pue) CHECK_FALSE(std::signbit(*fast.pue));
    }
  }
  // After a range, a plain value clears it, as on the general path.
  co2e::EstimateSpec s;
  REQUIRE_FALSE(co2e::set_field(s, co2e::Field::pue, "1.2:1.5"));
  REQUIRE(s.ranges.pue.has_value());
  REQUIRE_FALSE(co2e::set_field(s, co2e::Field::pue, "1.3"));
  CHECK_FALSE(s.ranges.pue.has_value());
  CHECK(s.pue == 1.3);
}

TEST_CASE("equivalents", "[unit]") {
  // 492.54 g: 492.54/917 tree-months, 492.54/175 km, 492.54/110000 of a Paris-Dublin flight
  const auto eq = co2e::equivalents(492.54, data());
  REQUIRE(eq.size() == 3);
  CHECK(eq[0].row->id == "tree_month");
  CHECK(eq[0].amount == Approx(492.54 / 917));
  CHECK(eq[1].amount == Approx(492.54 / 175));
  CHECK(eq[2].row->id == "flight_paris_dublin");
  CHECK(co2e::equivalents(300'000, data())[2].row->id == "flight_nyc_sf");
  CHECK(co2e::equivalents(2'000'000, data())[2].row->id == "flight_nyc_melbourne");
  CHECK(co2e::equivalents(2'000'000, data())[2].amount == Approx(2.0 / 2.31));
}

TEST_CASE("text_equivalents", "[unit]") {
  SECTION("all three from 110 g: 0.12 tree-months, 0.629 km, 0.001 of a flight") {
    CHECK(co2e::text_equivalents(110, data()).size() == 3);
  }
  SECTION("100 g: 0.000909 of a Paris-Dublin flight is left out") {
    const auto eq = co2e::text_equivalents(100, data());
    REQUIRE(eq.size() == 2);
    CHECK(eq[0].row->id == "tree_month");
    CHECK(eq[1].row->id == "car_km_eu");
  }
  SECTION("0.375 g: only 0.00214 km (0.000409 tree-months is left out)") {
    const auto eq = co2e::text_equivalents(0.375, data());
    REQUIRE(eq.size() == 1);
    CHECK(eq[0].row->id == "car_km_eu");
  }
  SECTION("0.1 mg: none") { CHECK(co2e::text_equivalents(1e-4, data()).empty()); }
}

TEST_CASE("estimate: errors carry the Field and name inputs by origin", "[unit]") {
  co2e::EstimateSpec s;
  REQUIRE_FALSE(co2e::set_field(s, co2e::Field::core_power, "5", co2e::Origin::env("CO2E_CORE_POWER")));
  REQUIRE_FALSE(co2e::set_field(s, co2e::Field::runtime, "1h", co2e::Origin::flag("--runtime")));
  auto r = co2e::estimate(s, data());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().field == co2e::Field::cores);
  CHECK(r.error().message == "CO2E_CORE_POWER needs --cores (or --core-hours): how many cores ran?");
  // A front end's names for inputs not given (batch: its columns).
  co2e::FieldNames names;
  for (const auto& f : co2e::estimate_fields()) names[static_cast<std::size_t>(f.field)] = f.column;
  s.names = &names;
  r = co2e::estimate(s, data());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "CO2E_CORE_POWER needs cores (or core_hours): how many cores ran?");
  // set_field with an origin records it, and its error carries the field.
  co2e::EstimateSpec t;
  const auto err = co2e::set_field(t, co2e::Field::pue, "0.5", co2e::Origin::column("PUE", 3));
  REQUIRE(err);
  CHECK(err->field == co2e::Field::pue);
  CHECK_FALSE(t.origin(co2e::Field::pue).given());
  REQUIRE_FALSE(co2e::set_field(t, co2e::Field::pue, "1.2", co2e::Origin::column("PUE", 3)));
  CHECK(t.origin(co2e::Field::pue).kind == co2e::OriginKind::column);
  CHECK(co2e::input_name(t, co2e::Field::pue) == "PUE");
  CHECK(co2e::input_name(t, co2e::Field::runtime) == "--runtime");
  // Lookup errors carry their field.
  r = co2e::estimate(spec({{"runtime", "1h"}, {"cpu", "Xeon Gold 9999"}}), data());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().field == co2e::Field::cpu);
}

TEST_CASE("estimate: zero counts mean none of these", "[unit]") {
  // 2 cores x 10 W x 1 h = 20 Wh; the GPU part is 0 and noted.
  auto r = ok(spec({{"runtime", "1h"},
                    {"cores", "2"},
                    {"core_power", "10"},
                    {"gpus", "0"},
                    {"gpu", "A100"},
                    {"pue", "1"},
                    {"intensity", "100"}}));
  CHECK(r.energy_kwh == Approx(0.02));
  CHECK(r.components.gpu_kwh == 0);
  CHECK(r.has(co2e::Note::gpu_count_zero));
  CHECK(r.gpu_power_source == co2e::PowerSource::none);
  // No runtime needed for a component that is 0: 3 core-hours x 10 W = 30 Wh.
  r = ok(spec({{"core_hours", "3"}, {"core_power", "10"}, {"gpus", "0"}, {"pue", "1"}, {"intensity", "100"}}));
  CHECK(r.energy_kwh == Approx(0.03));
  r = ok(spec({{"runtime", "1h"}, {"cores", "0"}, {"gpus", "1"}, {"gpu_power", "300"}, {"pue", "1"}}));
  CHECK(r.energy_kwh == Approx(0.3));
  CHECK(r.has(co2e::Note::cpu_count_zero));
  CHECK_FALSE(r.has(co2e::Note::gpu_only_no_cpu));
}

TEST_CASE("estimate: a known energy or power replaces the components", "[unit]") {
  // GPT-3 (Patterson et al. 2021, Table 4): 1,287 MWh x 429 g/kWh = 552,123 kg.
  auto r = ok(spec({{"energy", "1287MWh"}, {"intensity", "429"}, {"pue", "1"}}));
  CHECK(r.energy_kwh == Approx(1'287'000));
  CHECK(r.co2e_kg == Approx(552'123));
  CHECK(r.energy_source == co2e::EnergySource::energy);
  r = ok(spec({{"energy", "1287MWh"}, {"intensity", "429"}, {"energy_scope", "facility"}}));
  CHECK(r.co2e_kg == Approx(552'123));
  CHECK(r.pue == 1);
  CHECK(r.pue_source == co2e::PueSource::included);
  // 250 W x 4 h = 1 kWh; PUE 1.2, PSF 3: 3.6 kWh.
  r = ok(spec({{"power", "250"}, {"runtime", "4h"}, {"pue", "1.2"}, {"psf", "3"}, {"intensity", "100"}}));
  CHECK(r.components.known_kwh == Approx(1.0));
  CHECK(r.energy_kwh == Approx(3.6));
  CHECK_THAT(fails(spec({{"energy", "1kWh"}, {"gpu", "A100"}})), Contains("--gpu and --energy conflict"));
}

// Issue 12: power and intensity flags take their units; counts take 1e6 and 0.
TEST_CASE("set_field: units and counts", "[unit]") {
  co2e::EstimateSpec s;
  auto set = [&](const char* name, const char* value) {
    auto e = co2e::set_field(s, *co2e::field_from_name(name), value);
    INFO(value);
    REQUIRE_FALSE(e.has_value());
  };
  set("gpu_power", "0.3kW");
  CHECK(*s.gpu_power_w == Approx(300));
  set("gpu_power", "300000mW");
  CHECK(*s.gpu_power_w == Approx(300));
  set("core_power", "7.5W");
  CHECK(*s.core_power_w == Approx(7.5));
  set("memory_power", "0.3725W");
  CHECK(*s.memory_power_w_per_gb == Approx(0.3725));
  set("intensity", "0.2kg/kWh");
  CHECK(*s.intensity_g_per_kwh == Approx(200));
  set("intensity", "0.2t/MWh");
  CHECK(*s.intensity_g_per_kwh == Approx(200));
  set("psf", "1e6");
  CHECK(*s.psf == 1'000'000);
  set("cores", "1e3");
  CHECK(*s.cores == 1000);
  set("cores", "0");
  CHECK(*s.cores == 0);
  set("gpus", "0");
  CHECK(*s.gpus == 0);
  set("memory", "64000");
  CHECK(*s.memory_gb == Approx(64000));
  CHECK(s.memory_bare_number);
  set("memory", "64000M");
  CHECK(*s.memory_gb == Approx(64));
  CHECK_FALSE(s.memory_bare_number);
}
