// Unit tests of the intensity series (include/co2e/intensity_series.hpp): ISO 8601 times, the three
// readers on hand-computable fixtures, and the integral of a step function.
#include <catch2/catch.hpp>

#include "co2e/intensity_series.hpp"
#include "support.hpp"

using Catch::Matchers::Contains;
using co2e::IntensitySeries;
using co2e::LoadedSeries;
using co2e::TimePoint;

namespace {

TimePoint at(const char* text) {
  auto t = co2e::parse_timestamp(text);
  if (!t) FAIL(t.error().message);
  return *t;
}

LoadedSeries load(const std::string& name, co2e::IntensityKind kind = co2e::IntensityKind::lca) {
  co2e::SeriesOptions o;
  o.kind = kind;
  auto s = co2e::load_intensity_series(co2e::test::fixture("series/" + name), o);
  if (!s) FAIL(s.error().message);
  return std::move(s).value();
}

std::string load_error(const std::string& name) {
  auto s = co2e::load_intensity_series(co2e::test::fixture("series/" + name), {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == co2e::ErrorKind::data);
  return s.error().message;
}

double avg(const IntensitySeries& s, const char* a, const char* b) {
  auto r = s.average(at(a), at(b));
  if (!r) FAIL(r.error().message);
  return *r;
}

std::string all_notes(const LoadedSeries& s) {
  std::string out;
  for (const auto& n : s.notes) out += "line " + std::to_string(n.line) + ": " + n.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("parse_timestamp", "[unit]") {
  using std::chrono::hours;
  const TimePoint ten{std::chrono::sys_days{std::chrono::year{2024} / 3 / 31}};
  SECTION("Z, offsets and separators") {
    CHECK(at("2024-03-31T00:00:00Z") == ten);
    CHECK(at("2024-03-31T00:00Z") == ten);
    CHECK(at("2024-03-31 02:00:00+02:00") == ten);
    CHECK(at("2024-03-31T02:00+0200") == ten);
    CHECK(at("2024-03-30T19:00:00-05") == ten);
    CHECK(at("2024-03-31T00:00:00.750Z") == ten);  // fractions dropped
    CHECK(at("2024-03-31T01:30:15Z") == ten + hours(1) + std::chrono::minutes(30) + std::chrono::seconds(15));
  }
  SECTION("UTC only when the column says so") {
    auto r = co2e::parse_timestamp("2024-03-31 00:00:00");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Contains("no time zone: add Z (UTC) or an offset such as +01:00"));
    CHECK(*co2e::parse_timestamp("2024-03-31 00:00:00", true) == ten);
  }
  SECTION("offset reported") {
    int off = 0;
    REQUIRE(co2e::parse_timestamp("2024-03-31T02:00+01:00", false, &off).ok());
    CHECK(off == 60);
  }
  SECTION("refused") {
    CHECK_THAT(co2e::parse_timestamp("2024-02-30T00:00Z").error().message, Contains("no such date"));
    CHECK_THAT(co2e::parse_timestamp("2024-03-31").error().message, Contains("a time of day is needed"));
    CHECK_THAT(co2e::parse_timestamp("yesterday").error().message, Contains("\"yesterday\": not a date-time"));
    CHECK_THAT(co2e::parse_timestamp("2024-03-31T25:00Z").error().message, Contains("no such time of day"));
    CHECK_THAT(co2e::parse_timestamp("2024-03-31T10:00Zulu").error().message, Contains("unexpected \"ulu\""));
  }
}

TEST_CASE("format_timestamp", "[unit]") {
  CHECK(co2e::format_timestamp(at("2024-03-31T02:00+01:00")) == "2024-03-31T01:00Z");
  CHECK(co2e::format_timestamp(at("2024-12-31T23:59:59Z")) == "2024-12-31T23:59:59Z");
}

TEST_CASE("IntensitySeries: step function", "[unit]") {
  const auto s = load("good_step.csv");  // 10:00 100, 11:00 300, 12:00 200; step 1 h, so to 13:00
  CHECK(s.format == co2e::SeriesFormat::plain_csv);
  CHECK(s.notes.empty());
  REQUIRE(s.series.intervals().size() == 3);
  CHECK(s.series.end() == at("2024-01-01T13:00Z"));
  SECTION("at: each value holds until the next") {
    CHECK(*s.series.at(at("2024-01-01T10:00Z")) == 100);
    CHECK(*s.series.at(at("2024-01-01T10:59:59Z")) == 100);
    CHECK(*s.series.at(at("2024-01-01T11:00Z")) == 300);
    CHECK(*s.series.at(at("2024-01-01T12:59:59Z")) == 200);
    CHECK_FALSE(s.series.at(at("2024-01-01T13:00Z")).has_value());
    CHECK_FALSE(s.series.at(at("2024-01-01T09:59:59Z")).has_value());
  }
  SECTION("a window inside one interval: that interval's intensity") {
    CHECK(avg(s.series, "2024-01-01T10:15Z", "2024-01-01T10:45Z") == 100);
    CHECK(*s.series.integrate(at("2024-01-01T11:15Z"), at("2024-01-01T11:45Z")) == 150);  // 300 g/kWh × 0.5 h
  }
  SECTION("across a boundary: split exactly (1 kWh/h, 10:30-11:30 → 0.5×100 + 0.5×300)") {
    CHECK(avg(s.series, "2024-01-01T10:30Z", "2024-01-01T11:30Z") == 200);
    const co2e::EnergySample sample{at("2024-01-01T10:30Z"), at("2024-01-01T11:30Z"), 1.0};
    CHECK(*s.series.emissions_g({&sample, 1}) == 200);
    // Three samples of a profile: 2 kWh in 10:00-10:30, 1 kWh 10:30-11:30, 0.5 kWh 12:00-13:00.
    const std::vector<co2e::EnergySample> profile{{at("2024-01-01T10:00Z"), at("2024-01-01T10:30Z"), 2.0},
                                                  {at("2024-01-01T10:30Z"), at("2024-01-01T11:30Z"), 1.0},
                                                  {at("2024-01-01T12:00Z"), at("2024-01-01T13:00Z"), 0.5}};
    CHECK(*s.series.emissions_g(profile) == 2 * 100 + 200 + 0.5 * 200);
  }
  SECTION("the whole series") { CHECK(avg(s.series, "2024-01-01T10:00Z", "2024-01-01T13:00Z") == 200); }
  SECTION("outside the series: the missing part is named") {
    auto r = s.series.integrate(at("2024-01-01T12:30Z"), at("2024-01-01T13:30Z"));
    REQUIRE_FALSE(r.ok());
    CHECK(
        r.error().message ==
        "the window 2024-01-01T12:30Z to 2024-01-01T13:30Z is not covered by the intensity series: "
        "2024-01-01T13:00Z to 2024-01-01T13:30Z is missing (the series covers 2024-01-01T10:00Z to 2024-01-01T13:00Z)");
    CHECK_THAT(s.series.integrate(at("2024-01-01T09:00Z"), at("2024-01-01T10:30Z")).error().message,
               Contains("2024-01-01T09:00Z to 2024-01-01T10:00Z is missing"));
  }
}

TEST_CASE("IntensitySeries: ramp", "[unit]") {
  const auto s = load("good_ramp.csv");  // 100, 200, 300, 400 hourly from 00:00
  CHECK(avg(s.series, "2024-01-01T00:00Z", "2024-01-01T04:00Z") == 250);
  CHECK(avg(s.series, "2024-01-01T00:30Z", "2024-01-01T02:30Z") == 200);  // (0.5×100 + 200 + 0.5×300) / 2
  CHECK(avg(s.series, "2024-01-01T03:00Z", "2024-01-01T03:00Z") == 400);  // an instant: at()
}

TEST_CASE("IntensitySeries: gap", "[unit]") {
  const auto s = load("good_gap.csv");  // 00 100, 01 200, 02 300, [03-05 missing], 05 400, 06 500
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0].line == 5);
  CHECK(s.notes[0].message ==
        "gap: no data from 2024-01-01T03:00Z to 2024-01-01T05:00Z (2 h, between line 4 and line 5); windows that touch "
        "it are not used");
  CHECK_FALSE(s.series.at(at("2024-01-01T04:00Z")).has_value());
  CHECK(avg(s.series, "2024-01-01T01:00Z", "2024-01-01T03:00Z") == 250);
  CHECK(avg(s.series, "2024-01-01T05:00Z", "2024-01-01T07:00Z") == 450);
  auto r = s.series.integrate(at("2024-01-01T02:00Z"), at("2024-01-01T06:00Z"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Contains("2024-01-01T03:00Z to 2024-01-01T05:00Z is missing"));
  CHECK_THAT(r.error().message, Contains("with a gap there"));
}

TEST_CASE("IntensitySeries: time zones and daylight saving", "[unit]") {
  SECTION("spring: 01:00 local does not exist; offsets make it continuous") {
    const auto s = load("good_dst_spring.csv");  // 00:00+00 → 00Z, 02:00+01 → 01Z, 03:00+01 → 02Z
    REQUIRE(s.series.intervals().size() == 3);
    CHECK(s.series.intervals()[1].start == at("2024-03-31T01:00Z"));
    CHECK(s.series.end() == at("2024-03-31T03:00Z"));
    REQUIRE(s.notes.size() == 1);  // no gap: the offset change is noted
    CHECK(s.notes[0].line == 4);
    CHECK_THAT(s.notes[0].message, Contains("the UTC offset changes from +00:00 (line 3) to +01:00"));
    CHECK(avg(s.series, "2024-03-31T00:00Z", "2024-03-31T03:00Z") == 200);
  }
  SECTION("autumn: 01:00 local twice, two distinct hours") {
    const auto s = load("good_dst_autumn.csv");  // 23Z 100, 00Z 200, 01Z 300, 02Z 400
    REQUIRE(s.series.intervals().size() == 4);
    CHECK(s.series.begin() == at("2024-10-26T23:00Z"));
    CHECK(*s.series.at(at("2024-10-27T00:30Z")) == 200);
    CHECK(*s.series.at(at("2024-10-27T01:30Z")) == 300);
    REQUIRE(s.notes.size() == 1);
    CHECK(s.notes[0].line == 5);
    CHECK(avg(s.series, "2024-10-26T23:00Z", "2024-10-27T03:00Z") == 250);
  }
  SECTION("no offset: refused with the line") {
    CHECK_THAT(load_error("bad_no_zone.csv"), Contains("bad_no_zone.csv:2: \"2024-01-01T00:00:00\": no time zone"));
  }
}

TEST_CASE("IntensitySeries: unsorted rows and duplicates", "[unit]") {
  const auto s = load("good_unsorted.csv");
  INFO(all_notes(s));
  REQUIRE(s.notes.size() == 2);
  CHECK(s.notes[0].line == 3);
  CHECK_THAT(s.notes[0].message, Contains("rows are not in time order; sorted by time"));
  CHECK(s.notes[1].line == 5);
  CHECK(s.notes[1].message == "2024-01-01T01:00Z repeats line 4: the duplicate is ignored");
  CHECK(avg(s.series, "2024-01-01T00:00Z", "2024-01-01T03:00Z") == 200);
  CHECK_THAT(load_error("bad_duplicate.csv"), Contains("bad_duplicate.csv:4: 2024-01-01T01:00Z is also on line 3 with "
                                                       "a different intensity (200 and 250 gCO2e/kWh)"));
  CHECK_THAT(load_error("bad_negative.csv"), Contains("bad_negative.csv:3: intensity"));
}

TEST_CASE("IntensitySeries: Electricity Maps export", "[unit]") {
  SECTION("life-cycle by default") {
    const auto s = load("good_electricitymaps.csv");
    CHECK(s.format == co2e::SeriesFormat::electricity_maps);
    CHECK(s.column == "Carbon Intensity gCO₂eq/kWh (LCA)");
    CHECK(avg(s.series, "2023-01-01T00:00Z", "2023-01-01T03:00Z") == Approx((150.0 + 350 + 260) / 3));
    CHECK(avg(s.series, "2023-01-01T00:30Z", "2023-01-01T01:30Z") == 250);  // 0.5×150 + 0.5×350
  }
  SECTION("direct on request") {
    const auto s = load("good_electricitymaps.csv", co2e::IntensityKind::direct);
    CHECK(s.column == "Carbon Intensity gCO₂eq/kWh (direct)");
    CHECK(avg(s.series, "2023-01-01T00:00Z", "2023-01-01T03:00Z") == 200);
  }
  SECTION("older exports: (life cycle assessment)") {
    auto s = co2e::read_intensity_series(
        "Datetime (UTC),Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (life cycle "
        "assessment)\n"
        "2021-01-01 00:00:00,FR,50,70\n2021-01-01 01:00:00,FR,60,90\n",
        {});
    REQUIRE(s.ok());
    CHECK(*s->series.at(at("2021-01-01T01:10Z")) == 90);
  }
  SECTION("two zones in one file are refused") {
    auto s = co2e::read_intensity_series(
        "Datetime (UTC),Zone Id,Carbon Intensity gCO₂eq/kWh (LCA)\n2021-01-01 00:00:00,FR,70\n2021-01-01 "
        "00:00:00,DE,400\n",
        {});
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message, Contains("series:3: zone \"DE\" after zone \"FR\""));
  }
}

TEST_CASE("IntensitySeries: UK National Grid API JSON", "[unit]") {
  const auto s = load("good_ukgrid.json");  // 100 actual, 300 forecast (actual null), 200 actual; half-hours
  CHECK(s.format == co2e::SeriesFormat::uk_grid_json);
  CHECK(s.column == "intensity.actual, else intensity.forecast");
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0].message == "1 of 3 values are forecasts (intensity.actual is null there), the others actual");
  CHECK(s.series.intervals()[1].line == 9);  // the line of its "from"
  CHECK(avg(s.series, "2024-01-01T10:00Z", "2024-01-01T11:30Z") == 200);
  CHECK(avg(s.series, "2024-01-01T10:15Z", "2024-01-01T10:45Z") == 200);  // 0.25 h × 100 + 0.25 h × 300
  CHECK_THAT(load_error("bad_ukgrid_overlap.json"),
             Contains("bad_ukgrid_overlap.json:2: the interval 2024-01-01T10:00Z to 2024-01-01T11:00Z overlaps the "
                      "next one (line 3"));
}

TEST_CASE("apply_intensity_series", "[unit]") {
  const auto s = load("good_step.csv");
  co2e::EstimateResult r;
  r.runtime_h = 1.0;
  r.energy_kwh = 1.0;
  r.intensity_g_per_kwh = 231.12;
  r.intensity_source = co2e::IntensitySource::flag;
  r.co2e_kg = 0.23112;
  REQUIRE_FALSE(co2e::apply_intensity_series(r, s.series, at("2024-01-01T10:30Z")).has_value());
  CHECK(r.co2e_kg == Approx(0.2));
  CHECK(r.intensity_g_per_kwh == 200);
  CHECK(r.intensity_source == co2e::IntensitySource::series);
  REQUIRE(r.window.has_value());
  CHECK(r.window->annual_g_per_kwh == 231.12);
  CHECK(r.window->annual_source == co2e::IntensitySource::flag);
  CHECK(r.window->end == at("2024-01-01T11:30Z"));
  co2e::EstimateResult late = r;
  auto err = co2e::apply_intensity_series(late, s.series, at("2024-01-01T12:30Z"));
  REQUIRE(err.has_value());
  CHECK_THAT(err->message, Contains("2024-01-01T13:00Z to 2024-01-01T13:30Z is missing"));
}

TEST_CASE("IntensitySeries: JSON with a number too large for a double is an error, not a crash", "[unit]") {
  // Found by fuzz_series: nlohmann's out_of_range escaped the parse_error handler.
  auto s = co2e::read_intensity_series("{\n \"data\": [\n   888888888888e88888}\n", {});
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error().message, Contains("not valid JSON"));
}
