// Unit tests of the best-start search (include/co2e/when.hpp) on series small enough to check by
// hand, and against a brute-force search on a random one.
#include <catch2/catch.hpp>
#include <random>

#include "co2e/when.hpp"

using Catch::Matchers::Contains;
using co2e::TimePoint;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

const TimePoint t0{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};

/// Hourly step function from t0 with the given values (each holds one hour).
co2e::IntensitySeries hourly(std::initializer_list<double> values, std::initializer_list<std::size_t> missing = {}) {
  std::vector<co2e::SeriesInterval> iv;
  std::size_t i = 0;
  for (double v : values) {
    if (std::find(missing.begin(), missing.end(), i) == missing.end())
      iv.push_back({t0 + hours(i), t0 + hours(i + 1), v, i + 2});
    ++i;
  }
  auto s = co2e::IntensitySeries::from_intervals(std::move(iv));
  REQUIRE(s.ok());
  return std::move(s).value();
}

/// A job of `runtime` at 1 kW: grams equal the integral in g/kWh × h.
co2e::WhenSpec job(seconds runtime, std::size_t top = 1) {
  co2e::WhenSpec w;
  w.runtime = runtime;
  w.energy_kwh = static_cast<double>(runtime.count()) / 3600.0;
  w.now = t0;
  w.top = top;
  return w;
}

co2e::WhenResult ok(const co2e::IntensitySeries& s, const co2e::WhenSpec& w) {
  auto r = co2e::best_start_times(s, w);
  if (!r) FAIL(r.error().message);
  return std::move(r).value();
}

}  // namespace

TEST_CASE("best_start_times: step function", "[unit]") {
  const auto s = hourly({300, 100, 200, 400});  // 00:00 to 04:00
  SECTION("a 1 h job: the cheapest hour, against starting now") {
    const auto r = ok(s, job(hours(1), 3));
    REQUIRE(r.best.size() == 3);
    CHECK(r.best[0].start == t0 + hours(1));
    CHECK(r.best[0].co2e_g == 100);
    CHECK(r.best[0].average_g_per_kwh == 100);
    // Non-overlapping: 00:30 (0.5×300 + 0.5×100 = 200) overlaps #1; next are 02:00 (200) and 00:00 (300).
    CHECK(r.best[1].start == t0 + hours(2));
    CHECK(r.best[1].co2e_g == 200);
    CHECK(r.best[2].start == t0);
    CHECK(r.best[2].co2e_g == 300);
    REQUIRE(r.reference.has_value());
    CHECK(r.reference_kind == co2e::ReferenceKind::now);
    CHECK(r.reference->co2e_g == 300);
    CHECK(co2e::saving_g(r, r.best[0]) == 200);
    CHECK(r.power_kw == 1);
  }
  SECTION("a 1.5 h job: the optimum sits on an interval edge") {
    // starts 00:00 350, 00:30 250, 01:00 200 (100 + 0.5×200), 01:30 250, 02:00 400, 02:30 500
    const auto r = ok(s, job(minutes(90)));
    CHECK(r.best[0].start == t0 + hours(1));
    CHECK(r.best[0].co2e_g == 200);
    CHECK(r.best[0].average_g_per_kwh == Approx(200.0 / 1.5));
    CHECK(r.reference->co2e_g == 350);
  }
  SECTION("power scales the grams") {
    auto w = job(hours(1));
    w.energy_kwh = 0.3;  // 300 W
    const auto r = ok(s, w);
    CHECK(r.best[0].co2e_g == Approx(30));
    CHECK(r.reference->co2e_g == Approx(90));
  }
  SECTION("--before: the job must finish by the deadline") {
    auto w = job(hours(1));
    w.before = t0 + minutes(90);  // starts up to 00:30: 00:00 300, 00:30 200
    const auto r = ok(s, w);
    CHECK(r.latest == t0 + minutes(30));
    CHECK(r.best[0].start == t0 + minutes(30));
    CHECK(r.best[0].co2e_g == 200);  // across the boundary: 0.5×300 + 0.5×100
  }
  SECTION("--after: the reference is starting then") {
    auto w = job(hours(1));
    w.after = t0 + hours(2);
    const auto r = ok(s, w);
    CHECK(r.reference_kind == co2e::ReferenceKind::after);
    CHECK(r.best[0].start == t0 + hours(2));
    CHECK(co2e::saving_g(r, r.best[0]) == 0);
  }
  SECTION("now before the series: compared with its start") {
    auto w = job(hours(1));
    w.now = t0 - hours(5);
    const auto r = ok(s, w);
    CHECK(r.reference_kind == co2e::ReferenceKind::series_start);
    CHECK(r.reference->start == t0);
  }
  SECTION("no room") {
    auto w = job(hours(1));
    w.before = t0 + minutes(30);
    CHECK_THAT(
        co2e::best_start_times(s, w).error().message,
        Contains("a 1 h job starting at or after 2024-01-01T00:00Z cannot finish by 2024-01-01T00:30Z (--before)"));
    w = job(hours(5));
    CHECK_THAT(co2e::best_start_times(s, w).error().message, Contains("(the end of the intensity series)"));
    w = job(hours(1));
    w.now = t0 + hours(6);
    CHECK_THAT(co2e::best_start_times(s, w).error().message,
               Contains("the intensity series ends at 2024-01-01T04:00Z, before now (2024-01-01T06:00Z)"));
  }
}

TEST_CASE("best_start_times: ramp", "[unit]") {
  const auto s = hourly({400, 300, 200, 100});  // falling: the latest start wins
  // 1.5 h job: starts 02:00 → 200 + 0.5×100 = 250; 02:30 → 0.5×200 + 100 = 200; now (00:00) → 400 + 0.5×300 = 550.
  const auto r = ok(s, job(minutes(90)));
  CHECK(r.latest == t0 + minutes(150));
  CHECK(r.best[0].start == t0 + minutes(150));
  CHECK(r.best[0].co2e_g == 200);
  CHECK(r.reference->co2e_g == 550);
  CHECK(co2e::saving_g(r, r.best[0]) == 350);
}

TEST_CASE("best_start_times: gaps are never bridged", "[unit]") {
  // 00 100, 01 100, [02 missing], 03 10, 04 20: a 2 h job fits 00:00-02:00 (200 g) or 03:00-05:00 (30 g).
  const auto s = hourly({100, 100, 999, 10, 20}, {2});
  const auto r = ok(s, job(hours(2), 3));
  REQUIRE(r.best.size() == 2);
  CHECK(r.best[0].start == t0 + hours(3));
  CHECK(r.best[0].co2e_g == 30);
  CHECK(r.best[1].start == t0);
  CHECK(r.best[1].co2e_g == 200);
  CHECK(r.reference->co2e_g == 200);
  SECTION("the reference window has a gap: no comparison") {
    auto w = job(hours(2));
    w.after = t0 + hours(1);
    const auto r2 = ok(s, w);
    CHECK_FALSE(r2.reference.has_value());
    CHECK(r2.best[0].start == t0 + hours(3));
  }
}

TEST_CASE("best_start_times: agrees with brute force", "[unit]") {
  // A random 5-minute series with a gap, a 47-minute job: every whole-minute start checked.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> dist(50, 500);
  std::vector<co2e::SeriesInterval> iv;
  for (int i = 0; i < 600; ++i) {
    if (i >= 300 && i < 303) continue;  // a 15-minute gap
    iv.push_back({t0 + minutes(5 * i), t0 + minutes(5 * i + 5), std::round(dist(rng)), 0});
  }
  const auto s = *co2e::IntensitySeries::from_intervals(iv);
  const auto d = minutes(47);
  const auto r = ok(s, job(d, 2));
  double brute = 1e300;
  for (auto t = s.begin(); t + d <= s.end(); t += minutes(1)) {
    auto g = s.integrate(t, t + d);
    if (g) brute = std::min(brute, *g);  // at 1 kW, grams = g/kWh × h
  }
  CHECK(r.best[0].co2e_g == Approx(brute).epsilon(1e-12));
  CHECK(std::chrono::abs(r.best[1].start - r.best[0].start) >= d);
}

TEST_CASE("sparkline", "[unit]") {
  const auto s = hourly({100, 200, 300, 400});
  co2e::WhenWindow w{t0 + hours(1), t0 + hours(2), 200, 200};
  CHECK(co2e::sparkline(s, t0, t0 + hours(4), 4, w) == "▁▃▆█\n ^\n");
  CHECK(co2e::sparkline(hourly({100, 200, 300, 400}, {1}), t0, t0 + hours(4), 4, std::nullopt) == "▁ ▆█\n");
}
