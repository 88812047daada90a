// co2e batch --intensity-series: a `start` column weighs each row over its own window.
#include <catch2/catch.hpp>

#include <sstream>

#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::test::run_co2e;

TEST_CASE("cli batch --intensity-series: rows weighed over [start, start + runtime]", "[cli]") {
  // good_step.csv: 100 g/kWh 10:00-11:00, 300 g/kWh 11:00-12:00, 200 g/kWh 12:00-13:00.
  // Every row draws 1 kW (1 core x 1000 W, PUE 1), so energy = runtime in hours, in kWh.
  const auto r =
      run_co2e({"batch", co2e::test::fixture("batch/good_series.csv"), "--cores", "1", "--core-power", "1000", "--pue",
                "1", "--intensity", "250", "--intensity-series", co2e::test::fixture("series/good_step.csv")});
  CHECK(r.exit_code == 2);  // rows d and e fail
  std::istringstream lines(r.out);
  std::string header, a, b, c, d, e;
  std::getline(lines, header);
  std::getline(lines, a);
  std::getline(lines, b);
  std::getline(lines, c);
  std::getline(lines, d);
  std::getline(lines, e);
  // a: 10:30-11:30 -> half an hour at 100 and half at 300: 1 kWh x 200 g/kWh = 0.2 kg
  CHECK_THAT(a, Contains("a,2024-01-01T10:30Z,1h,1,0.2,"));
  CHECK_THAT(a, Contains(",200,"));
  // b: 10:00-10:30 at 100 g/kWh: 0.5 kWh x 100 = 0.05 kg
  CHECK_THAT(b, Contains("b,2024-01-01T10:00:00Z,30m,0.5,0.05,"));
  // c: no start: the annual --intensity 250
  CHECK_THAT(c, Contains("c,,1h,1,0.25,"));
  // d: runs past the series' end (13:00): the row fails and names the missing part
  CHECK_THAT(d,
             Contains("error,\"row 4, column start: the window 2024-01-01T12:30Z to 2024-01-01T13:30Z is not covered"));
  CHECK_THAT(d, Contains("2024-01-01T13:00Z to 2024-01-01T13:30Z is missing"));
  CHECK_THAT(e, Contains("row 5, column start: \"\"yesterday\"\": not a date-time"));
  CHECK_THAT(r.err, Contains("5 rows, 3 ok, 2 failed"));
}

TEST_CASE("cli batch: without --intensity-series a start column is carried", "[cli]") {
  const auto r = run_co2e({"batch", co2e::test::fixture("batch/good_series.csv"), "--cores", "1", "--core-power",
                           "1000", "--pue", "1", "--intensity", "250"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("a,2024-01-01T10:30Z,1h,1,0.25,"));
  CHECK_THAT(r.out, Contains("e,yesterday,1h,1,0.25,"));
}
