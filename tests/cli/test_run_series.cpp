// co2e run --intensity-series: each sample's energy weighed by the intensity at that time.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fmt/format.h>
#include <chrono>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::run_co2e;

namespace {

/// An hourly series from `from_h` to `to_h` hours around now, at `g` gCO2e/kWh.
std::string series_csv(int from_h, int to_h, double g) {
  const auto now = std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now());
  std::string csv = "timestamp,intensity_g_per_kwh\n";
  for (int h = from_h; h <= to_h; ++h) {
    const auto t = std::chrono::system_clock::to_time_t(now + std::chrono::hours(h));
    std::tm tm{};
    gmtime_r(&t, &tm);
    csv +=
        fmt::format("{:04}-{:02}-{:02}T{:02}:00:00Z,{}\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, g);
  }
  return csv;
}

nlohmann::json run_json(const co2e::test::TempDir& dir, const std::string& series) {
  const std::string out = dir.path() + "/report.json";
  const auto r = run_co2e(
      {"run",   "--interval", "0.05s",       "--core-power", "100",
       "--pue", "1.5",        "--intensity", "500",          "--intensity-series",
       series,  "--format",   "json",        "-o",           out,
       "-q",    "--",         "sh",          "-c",           "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"});
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(co2e::test::read_file(out));
}

}  // namespace

TEST_CASE("cli run --intensity-series: a series covering the run replaces the annual figure", "[cli]") {
  co2e::test::TempDir dir;
  const auto j = run_json(dir, dir.write("series.csv", series_csv(-2, 2, 100)));
  const double kwh = j["energy_kwh"].get<double>();
  REQUIRE(kwh > 0);
  // Every sample falls inside the series at 100 g/kWh: CO2e = energy (PUE included) x 100.
  CHECK(j["grid"]["series"]["average_g_per_kwh"].get<double>() == Approx(100));
  CHECK(j["co2e_g"].get<double>() == Approx(kwh * 100));
  CHECK(j["grid"]["annual_g_per_kwh"].get<double>() == 500);     // the annual figure stays reported
  CHECK(j["intensity_g_per_kwh"].get<double>() == Approx(100));  // the figure applied
  CHECK(j["grid"]["series"]["uncovered_kwh"].get<double>() == Approx(0).margin(1e-15));
}

TEST_CASE("cli run --intensity-series: energy outside the series counts at the annual figure", "[cli]") {
  co2e::test::TempDir dir;
  // The series ends an hour before now: nothing of the run is inside it.
  const auto j = run_json(dir, dir.write("past.csv", series_csv(-5, -1, 100)));
  const double kwh = j["energy_kwh"].get<double>();
  REQUIRE(kwh > 0);
  CHECK(j["co2e_g"].get<double>() == Approx(kwh * 500));
  CHECK(j["grid"]["series"]["weighed_kwh"].get<double>() == 0);
}

TEST_CASE("cli run --intensity-series: a bad series file stops before the command runs", "[cli]") {
  co2e::test::TempDir dir;
  const auto r =
      run_co2e({"run", "--intensity-series", dir.write("bad.csv", "timestamp,intensity_g_per_kwh\nyesterday,5\n"), "--",
                "sh", "-c", "echo ran"});
  CHECK(r.exit_code == 125);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains("--intensity-series"));
}
