// Unit tests of the ranges (issue 17, include/co2e/range.hpp): inputs given as LOW:HIGH, the
// ranges of defaults and table figures, and the propagation, checked against hand computations
// and against an independent brute-force search over the input box.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "co2e/cluster.hpp"
#include "co2e/estimate.hpp"
#include "co2e/render.hpp"
#include "co2e/sacct.hpp"
#include "co2e/slurm_report.hpp"
#include "support.hpp"

using Catch::Matchers::Contains;

namespace {

const co2e::Dataset& data() {
  static const co2e::Dataset d;
  return d;
}

co2e::EstimateSpec spec(std::initializer_list<std::pair<const char*, std::string>> fields) {
  co2e::EstimateSpec s;
  for (const auto& [name, value] : fields) {
    auto f = co2e::field_from_name(name);
    REQUIRE(f.has_value());
    auto err = co2e::set_field(s, *f, value);
    INFO(name << "=" << value);
    if (err) FAIL(err->message);
  }
  return s;
}

co2e::EstimateResult ok(const co2e::EstimateSpec& s) {
  auto r = co2e::estimate(s, data());
  if (!r) FAIL(r.error().message);
  REQUIRE(r->range.has_value());
  return *r;
}

std::string refused(const char* field, const char* text) {
  co2e::EstimateSpec s;
  auto err = co2e::set_field(s, *co2e::field_from_name(field), text);
  REQUIRE(err.has_value());
  CHECK(err->kind == co2e::ErrorKind::usage);
  return err->message;
}

}  // namespace

TEST_CASE("set_field: LOW:HIGH ranges", "[unit][range]") {
  SECTION("the figure used is the middle; the bounds are kept") {
    auto s = spec({{"pue", "1.2:1.5"}, {"gpu_usage", "0.6:0.9"}, {"intensity", "40:60"}});
    CHECK(*s.pue == Approx(1.35));
    CHECK(s.ranges.pue->low == 1.2);
    CHECK(s.ranges.pue->high == 1.5);
    CHECK(*s.gpu_usage == Approx(0.75));
    CHECK(*s.intensity_g_per_kwh == 50);
  }
  SECTION("each end goes through the field's own parser, with its units") {
    auto s = spec({{"intensity", "0.04kg/kWh:0.06kg/kWh"}, {"gpu_power", "0.3kW:400W"}, {"energy", "1MWh:1.5MWh"}});
    CHECK(s.ranges.intensity_g_per_kwh->low == Approx(40));
    CHECK(s.ranges.intensity_g_per_kwh->high == Approx(60));
    CHECK(s.ranges.gpu_power_w->low == Approx(300));
    CHECK(*s.gpu_power_w == Approx(350));
    CHECK(*s.energy_kwh == Approx(1250));
  }
  SECTION("a single value is exact: no range") {
    auto s = spec({{"pue", "1.2"}});
    CHECK_FALSE(s.ranges.pue.has_value());
  }
  SECTION("bad ranges are refused, saying what is accepted") {
    CHECK_THAT(refused("pue", "1.5:1.2"), Contains("the low end is above the high end"));
    CHECK_THAT(refused("pue", "0.9:1.2"), Contains("below 1"));  // the field's own limit, per end
    CHECK_THAT(refused("gpu_usage", "0.5:"), Contains("give LOW:HIGH"));
    CHECK_THAT(refused("pue", "1.1:1.2:1.3"), Contains("give LOW:HIGH"));
    CHECK_THAT(refused("cores", "8:16"), Contains("accepted only by --core-power"));
    CHECK_THAT(refused("memory", "64G:128G"), Contains("--pue, --intensity"));
  }
  SECTION("colons that are not ranges keep their meaning") {
    auto s = spec({{"runtime", "01:30:00"}, {"region", "aws:eu-west-3"}});
    CHECK(s.runtime->count() == 5400);
    CHECK(*s.region == "aws:eu-west-3");
  }
}

TEST_CASE("estimate_range: every input exact gives low = central = high", "[unit][range]") {
  auto r = ok(spec({{"runtime", "10h"},
                    {"gpus", "8"},
                    {"gpu_power", "300"},
                    {"cores", "16"},
                    {"core_power", "10"},
                    {"memory", "64G"},
                    {"memory_power", "0.3725"},
                    {"pue", "1.1"},
                    {"intensity", "57"}}));
  CHECK(r.range->energy_kwh.low == r.energy_kwh);
  CHECK(r.range->energy_kwh.high == r.energy_kwh);
  CHECK(r.range->co2e_kg.low == r.co2e_kg);
  CHECK(r.range->co2e_kg.high == r.co2e_kg);
  // By hand: 1.1 × (8×10×300 + 16×10×10 + 64×0.3725×10) / 1000 = 1.1 × 25.8384 = 28.42224 kWh.
  CHECK(r.energy_kwh == Approx(28.42224));
}

TEST_CASE("estimate_range: given ranges, by hand", "[unit][range]") {
  // Central: 1.2 × 2 GPUs × 10 h × 300 W × 0.7 / 1000 = 5.04 kWh; × 50 g = 0.252 kg.
  // Low:     1.1 × 20 × 250 × 0.6 / 1000 = 3.3 kWh;   × 40 g = 0.132 kg.
  // High:    1.3 × 20 × 350 × 0.8 / 1000 = 7.28 kWh;  × 60 g = 0.4368 kg.
  auto r = ok(spec({{"runtime", "10h"},
                    {"gpus", "2"},
                    {"gpu_power", "250:350"},
                    {"gpu_usage", "0.6:0.8"},
                    {"pue", "1.1:1.3"},
                    {"intensity", "40:60"}}));
  CHECK(r.energy_kwh == Approx(5.04));
  CHECK(r.co2e_kg == Approx(0.252));
  CHECK(r.range->energy_kwh.low == Approx(3.3));
  CHECK(r.range->energy_kwh.high == Approx(7.28));
  CHECK(r.range->co2e_kg.low == Approx(0.132));
  CHECK(r.range->co2e_kg.high == Approx(0.4368));
  CHECK(r.range->inputs.gpu_power_w.reason == co2e::RangeReason::given);
}

TEST_CASE("estimate_range: defaults carry their sourced ranges, by hand", "[unit][range]") {
  SECTION("no model, no PUE, no location: the widest case") {
    // GPU "Any" 200 W: 115 × 0.75 = 86.25 W to 900 × 1.1 = 990 W; usage 0.5 to 1; local PUE 1.56:
    // 1 + 0.56 × 0.5 = 1.28 to 1 + 0.56 × 2 = 2.12; world 475 g: 36 to 784 g (data/constants.json).
    auto r = ok(spec({{"runtime", "10h"}, {"gpus", "1"}}));
    CHECK(r.energy_kwh == Approx(3.12));  // 1.56 × 10 × 200 / 1000
    CHECK(r.range->energy_kwh.low == Approx(1.28 * 10 * 86.25 * 0.5 / 1000));
    CHECK(r.range->energy_kwh.high == Approx(2.12 * 10 * 990 / 1000));
    CHECK(r.range->co2e_kg.low == Approx(1.28 * 10 * 86.25 * 0.5 / 1000 * 36 / 1000));
    CHECK(r.range->co2e_kg.high == Approx(2.12 * 10 * 990 / 1000 * 784 / 1000));
    CHECK(r.range->inputs.gpu_power_w.reason == co2e::RangeReason::default_spread);
    CHECK(r.range->inputs.intensity_g_per_kwh.reason == co2e::RangeReason::world_spread);
  }
  SECTION("a model's TDP, a provider's PUE, a region's factor") {
    auto r =
        ok(spec({{"runtime", "10h"}, {"gpus", "4"}, {"gpu", "A100 SXM4 80GB"}, {"provider", "aws"}, {"region", "FR"}}));
    const double tdp = r.gpu_power_w;
    REQUIRE(r.gpu_model != nullptr);
    CHECK(r.range->inputs.gpu_power_w.bounds.low == Approx(0.75 * tdp));
    CHECK(r.range->inputs.gpu_power_w.bounds.high == Approx(1.1 * tdp));
    CHECK(r.range->inputs.gpu_usage.bounds.low == 0.5);
    CHECK(r.range->inputs.pue.bounds.low == Approx(1.1));   // aws 1.2: overhead 0.2 halved
    CHECK(r.range->inputs.pue.bounds.high == Approx(1.4));  // doubled
    const double g = r.intensity_g_per_kwh;
    CHECK(r.range->inputs.intensity_g_per_kwh.bounds.low == Approx(0.85 * g));
    CHECK(r.range->inputs.intensity_g_per_kwh.bounds.high == Approx(1.15 * g));
    CHECK(r.range->energy_kwh.low == Approx(1.1 * 40 * 0.75 * tdp * 0.5 / 1000));
    CHECK(r.range->co2e_kg.high == Approx(1.4 * 40 * 1.1 * tdp / 1000 * 1.15 * g / 1000));
  }
  SECTION("a direct figure for a lifecycle question: the lifecycle one may lie above") {
    auto r = ok(spec({{"runtime", "1h"}, {"gpus", "1"}, {"gpu_power", "100"}, {"region", "US-VA"}}));
    REQUIRE(r.region->basis_fallback());  // US-VA is direct only (eGRID2023: 243.51 g/kWh)
    CHECK(r.range->inputs.intensity_g_per_kwh.reason == co2e::RangeReason::grid_basis);
    CHECK(r.range->inputs.intensity_g_per_kwh.bounds.low == Approx(243.51 * 0.85));
    CHECK(r.range->inputs.intensity_g_per_kwh.bounds.high == Approx(243.51 * 1.15 * 1.25));
  }
  SECTION("a measured power makes usage 1 exact; memory without --memory-power is not") {
    auto r = ok(spec({{"runtime", "2h"},
                      {"gpus", "1"},
                      {"gpu_power", "250"},
                      {"memory", "100G"},
                      {"pue", "1.2"},
                      {"intensity", "100"}}));
    CHECK(r.range->inputs.gpu_usage.bounds.is_exact());
    CHECK(r.range->inputs.memory_power_w_per_gb.bounds.low == 0.08);
    CHECK(r.range->inputs.memory_power_w_per_gb.bounds.high == 0.6);
    // 1.2 × (2 × 250 + 100 × 0.08 × 2) / 1000 = 0.6192 kWh; high with 0.6 W/GB: 0.744 kWh.
    CHECK(r.range->energy_kwh.low == Approx(0.6192));
    CHECK(r.range->energy_kwh.high == Approx(0.744));
  }
  SECTION("personal computer: PUE 1 exact") {
    auto r = ok(spec(
        {{"runtime", "1h"}, {"cores", "4"}, {"core_power", "10"}, {"platform", "personal"}, {"intensity", "100"}}));
    CHECK(r.range->inputs.pue.bounds.is_exact());
    CHECK(r.range->co2e_kg.low == r.co2e_kg);
  }
  SECTION("a known energy given as a range") {
    // 110 kWh (the middle) × 1.1 = 121 kWh; low 100 × 1.1 = 110, high 120 × 1.1 = 132; × 50 g.
    auto r = ok(spec({{"energy", "100kWh:120kWh"}, {"pue", "1.1"}, {"intensity", "50"}}));
    CHECK(r.energy_kwh == Approx(121));
    CHECK(r.range->energy_kwh.low == Approx(110));
    CHECK(r.range->energy_kwh.high == Approx(132));
    CHECK(r.range->co2e_kg.low == Approx(5.5));
    CHECK(r.range->co2e_kg.high == Approx(6.6));
  }
}

TEST_CASE("estimate_range: defaults are wider than the same inputs given exactly", "[unit][range]") {
  auto with_defaults =
      ok(spec({{"runtime", "24h"}, {"gpus", "8"}, {"gpu", "A100 SXM4 80GB"}, {"memory", "256G"}, {"region", "DE"}}));
  auto exact = ok(spec({{"runtime", "24h"},
                        {"gpus", "8"},
                        {"gpu_power", fmt::format("{}", with_defaults.gpu_power_w)},
                        {"gpu_usage", "1"},
                        {"memory", "256G"},
                        {"memory_power", "0.3725"},
                        {"pue", fmt::format("{}", with_defaults.pue)},
                        {"intensity", fmt::format("{}", with_defaults.intensity_g_per_kwh)}}));
  CHECK(exact.co2e_kg == Approx(with_defaults.co2e_kg));
  CHECK(exact.range->co2e_kg.low == exact.range->co2e_kg.high);
  CHECK(with_defaults.range->co2e_kg.low < exact.range->co2e_kg.low);
  CHECK(with_defaults.range->co2e_kg.high > exact.range->co2e_kg.high);
}

TEST_CASE("estimate_range: --no-range leaves no range", "[unit][range]") {
  auto s = spec({{"runtime", "1h"}, {"gpus", "1"}});
  s.no_range = true;
  auto r = co2e::estimate(s, data());
  REQUIRE(r.ok());
  CHECK_FALSE(r->range.has_value());
  CHECK(std::isnan(co2e::result_columns()[23].number(*r)));  // co2e_kg_low: empty
  CHECK(co2e::result_columns()[23].name == "co2e_kg_low");
}

// The property and the independent check: for random jobs whose inputs are given as ranges, the
// bounds hold the central figure, and a brute-force search of the input box (every corner plus
// random interior points, the formula written out here again) finds nothing outside the bounds
// and reaches both of them at corners.
TEST_CASE("estimate_range: bounds against a brute-force search of the input box", "[unit][range]") {
  std::mt19937 rng(17);  // fixed seed: the same cases every run
  auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  for (int c = 0; c < 200; ++c) {
    // [low, high] of: core W, CPU usage, GPU W, GPU usage, W/GB, PUE, g/kWh
    std::array<double, 7> lo{uni(1, 20),     uni(0.1, 1), uni(50, 700), uni(0.1, 1),
                             uni(0.05, 0.7), uni(1, 2),   uni(0, 900)};
    std::array<double, 7> hi{};
    for (std::size_t i = 0; i < 7; ++i) hi[i] = lo[i] * uni(1, 1.6);
    hi[1] = std::min(hi[1], 1.0);
    hi[3] = std::min(hi[3], 1.0);
    hi[5] = std::min(hi[5], 10.0);
    const int cores = static_cast<int>(uni(0, 64));
    const int gpus = static_cast<int>(uni(1, 16));
    const double hours = uni(0.1, 100);
    const double gb = uni(0, 1000);
    auto rng_text = [](double a, double b) { return fmt::format("{:.17g}:{:.17g}", a, b); };
    auto r = ok(spec({{"runtime", fmt::format("{:.17g}h", hours)},
                      {"cores", std::to_string(cores)},
                      {"core_power", rng_text(lo[0], hi[0])},
                      {"cpu_usage", rng_text(lo[1], hi[1])},
                      {"gpus", std::to_string(gpus)},
                      {"gpu_power", rng_text(lo[2], hi[2])},
                      {"gpu_usage", rng_text(lo[3], hi[3])},
                      {"memory", fmt::format("{:.17g}G", gb)},
                      {"memory_power", rng_text(lo[4], hi[4])},
                      {"pue", rng_text(lo[5], hi[5])},
                      {"intensity", rng_text(lo[6], hi[6])}}));
    INFO("case " << c);
    REQUIRE(r.range->co2e_kg.low <= r.co2e_kg);
    REQUIRE(r.co2e_kg <= r.range->co2e_kg.high);
    REQUIRE(r.range->energy_kwh.low <= r.energy_kwh);
    REQUIRE(r.energy_kwh <= r.range->energy_kwh.high);
    // Green Algorithms, written out: kg = PUE (cores h W u + GPUs h W u + GB W h) / 1000 × g / 1000.
    auto kg = [&](const std::array<double, 7>& x) {
      const double kwh = x[5] * (cores * hours * x[0] * x[1] + gpus * hours * x[2] * x[3] + gb * x[4] * hours) / 1000;
      return kwh * x[6] / 1000;
    };
    double seen_lo = 1e300;
    double seen_hi = -1e300;
    for (unsigned mask = 0; mask < 128; ++mask) {  // every corner of the 7-dimensional box
      std::array<double, 7> x{};
      for (std::size_t i = 0; i < 7; ++i) x[i] = (mask >> i) & 1U ? hi[i] : lo[i];
      seen_lo = std::min(seen_lo, kg(x));
      seen_hi = std::max(seen_hi, kg(x));
    }
    for (int k = 0; k < 50; ++k) {  // and points inside it
      std::array<double, 7> x{};
      for (std::size_t i = 0; i < 7; ++i) x[i] = uni(lo[i], hi[i]);
      REQUIRE(kg(x) >= r.range->co2e_kg.low * (1 - 1e-12));
      REQUIRE(kg(x) <= r.range->co2e_kg.high * (1 + 1e-12));
    }
    CHECK(r.range->co2e_kg.low == Approx(seen_lo).epsilon(1e-12));
    CHECK(r.range->co2e_kg.high == Approx(seen_hi).epsilon(1e-12));
  }
}

TEST_CASE("estimate_range: low <= central <= high for every kind of input", "[unit][range]") {
  // Defaults, models, providers, regions, bases and known energies mixed at random.
  const std::array<const char*, 5> gpus{"", "A100", "H100", "V100", "T4"};
  const std::array<const char*, 6> regions{"", "FR", "PL", "aws:eu-west-3", "gcp:europe-west1", "US-CA"};
  const std::array<const char*, 4> pue{"", "provider", "platform", "flag"};
  std::mt19937 rng(1717);
  auto pick = [&](auto& xs) { return xs[std::uniform_int_distribution<std::size_t>(0, xs.size() - 1)(rng)]; };
  for (int c = 0; c < 300; ++c) {
    co2e::EstimateSpec s;
    auto set = [&](const char* f, const std::string& v) {
      REQUIRE_FALSE(co2e::set_field(s, *co2e::field_from_name(f), v).has_value());
    };
    set("runtime", fmt::format("{}h", std::uniform_int_distribution<int>(1, 500)(rng)));
    if (c % 7 == 0) {
      set("energy", "3kWh:5kWh");
    } else {
      set("gpus", std::to_string(std::uniform_int_distribution<int>(0, 8)(rng)));
      if (std::string g = pick(gpus); !g.empty()) set("gpu", g);
      if (c % 2 == 0) set("cores", std::to_string(std::uniform_int_distribution<int>(1, 64)(rng)));
      if (c % 3 == 0) set("memory", "64G");
      if (c % 5 == 0) set("gpu_usage", "0.3:0.9");
    }
    if (std::string reg = pick(regions); !reg.empty()) set("region", reg);
    if (c % 4 == 1) set("intensity_basis", "direct");
    const std::string p = pick(pue);
    if (p == "provider") set("provider", "gcp");
    if (p == "platform") set("platform", c % 2 == 0 ? "cloud" : "personal");
    if (p == "flag") set("pue", "1.1:1.6");
    auto r = co2e::estimate(s, data());
    REQUIRE(r.ok());
    INFO("case " << c);
    REQUIRE(r->range->co2e_kg.low <= r->co2e_kg);
    REQUIRE(r->co2e_kg <= r->range->co2e_kg.high);
    REQUIRE(r->range->energy_kwh.low <= r->energy_kwh);
    REQUIRE(r->energy_kwh <= r->range->energy_kwh.high);
    REQUIRE(r->range->co2e_kg.low >= 0);
  }
}

TEST_CASE("SlurmReport: each job's bounds and the totals', by hand", "[unit][range]") {
  // good_cluster.json gives PUE 1.5, 200 g/kWh and watts per core: exact. No memory_power_w_per_gb:
  // the default 0.3725 W/GB, with its range 0.08 to 0.6.
  auto c = co2e::load_cluster(co2e::test::read_file(co2e::test::fixture("slurm/good_cluster.json")), "test.json", {},
                              data());
  REQUIRE(c);
  CHECK(c->pue_range.bounds.is_exact());
  CHECK(c->intensity_range.bounds.is_exact());
  CHECK(c->memory_power_range.bounds.low == 0.08);
  co2e::SlurmReport report(*c, {co2e::GroupBy::user}, {"COMPLETED"});
  std::vector<co2e::JobFootprint> fps;
  co2e::SacctReader reader([&](const co2e::SacctJob& j) { fps.push_back(report.add(j)); });
  REQUIRE_FALSE(reader.read_all(co2e::test::read_file(co2e::test::fixture("slurm/good_basic.txt"))));
  REQUIRE(fps.size() == 3);
  // 1001: 2 core-h × 10 W = 20 Wh; 8 GB × 1 h × 0.08 to 0.6 W/GB = 0.64 to 4.8 Wh; × PUE 1.5:
  // 30.96 to 37.2 Wh; × 200 g/kWh: 6.192 to 7.44 g (central 6.894 g).
  CHECK(fps[0].energy_kwh_low == Approx(0.03096));
  CHECK(fps[0].energy_kwh_high == Approx(0.0372));
  CHECK(fps[0].co2e_g_low == Approx(6.192));
  CHECK(fps[0].co2e_g_high == Approx(7.44));
  double lo = 0;
  double hi = 0;
  for (const auto& f : fps) {
    CHECK(f.co2e_g_low <= f.co2e_g);
    CHECK(f.co2e_g <= f.co2e_g_high);
    lo += f.co2e_g_low;
    hi += f.co2e_g_high;
  }
  CHECK(report.total().co2e_g_low == Approx(lo));
  CHECK(report.total().co2e_g_high == Approx(hi));
  CHECK(report.groups(co2e::GroupBy::user).at("alice").co2e_g_low == Approx(fps[0].co2e_g_low + fps[2].co2e_g_low));
}

TEST_CASE("load_cluster: defaults carry ranges, figures given are exact", "[unit][range]") {
  auto d = co2e::load_cluster("{}", "empty.json", {}, data());
  REQUIRE(d);
  // The local default PUE 1.56: 1.28 to 2.12; the world average: 36 to 784 g/kWh.
  CHECK(d->pue_range.bounds.low == Approx(1.28));
  CHECK(d->pue_range.bounds.high == Approx(2.12));
  CHECK(d->intensity_range.bounds.low == 36);
  CHECK(d->intensity_range.bounds.high == 784);
  CHECK(d->fallback.core_power_range.reason == co2e::RangeReason::default_spread);
  auto m = co2e::load_cluster(R"({"partitions": {"g": {"gpu": "A100 SXM4 80GB", "core_power_w": 10}}})", "m.json", {},
                              data());
  REQUIRE(m);
  const auto* g = m->find("g");
  REQUIRE(g != nullptr);
  CHECK(g->gpu_power_range.bounds.low == Approx(0.75 * 400));
  CHECK(g->gpu_power_range.bounds.high == Approx(1.1 * 400));
  CHECK(g->core_power_range.bounds.is_exact());
}
