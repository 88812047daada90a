#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "co2e/number.hpp"

namespace {
std::string printf10(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}
}  // namespace

TEST_CASE("format_number", "[unit]") {
  using co2e::format_number;
  SECTION("ten significant digits, not binary noise") {
    CHECK(format_number(25.769203199999996) == "25.7692032");
    CHECK(format_number(0.49253631897600014) == "0.492536319");  // 0.4925363189|76 rounds up
    CHECK(format_number(2.1310848000000004) == "2.1310848");
    CHECK(format_number(0.35999999999999993) == "0.36");
    CHECK(format_number(3.5999999999999996) == "3.6");
  }
  SECTION("printf's %g layout") {
    CHECK(format_number(0) == "0");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(12) == "12");
    CHECK(format_number(9999999999) == "9999999999");
    CHECK(format_number(12345678901) == "1.23456789e+10");  // 11 digits: exponent form
    CHECK(format_number(9.99999999996) == "10");            // rounds up into the next decade
    CHECK(format_number(0.0001) == "0.0001");
    CHECK(format_number(0.00001) == "1e-05");
    CHECK(format_number(1.5e16) == "1.5e+16");
    CHECK(format_number(1.25e-300) == "1.25e-300");
    CHECK(format_number(-2.5) == "-2.5");
    CHECK(format_number(1.0 / 3) == "0.3333333333");
  }
  SECTION("identical to printf(\"%.10g\") for 500,000 doubles of every magnitude") {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> mant(1, 10);
    std::uniform_int_distribution<int> exp(-20, 25);
    std::size_t mismatches = 0;
    for (int i = 0; i < 500000; ++i) {
      double v = mant(rng) * std::pow(10.0, exp(rng));
      if (i % 5 == 0) v = std::round(v * 1000) / 1000;              // short decimals, as in inputs
      if (i % 7 == 0) v = 1.2345678905 * std::pow(10.0, exp(rng));  // ties at the 11th digit
      if (i % 11 == 0) v = -v;
      if (v == 0) continue;
      if (format_number(v) != printf10(v)) {
        ++mismatches;
        UNSCOPED_INFO(printf10(v) << " -> " << format_number(v));
      }
    }
    CHECK(mismatches == 0);
  }
  SECTION("identical to printf(\"%.10g\") around every power of ten (the decade comparison, the rounding up)") {
    std::size_t mismatches = 0;
    for (int k = -14; k <= 17; ++k) {
      const double p = std::pow(10.0, k);
      for (const double v : {p, std::nextafter(p, 0.0), std::nextafter(p, 1e300), p * (1 - 4e-11), p * (1 - 6e-11),
                             p * (1 + 4e-11), p * 9.99999999949, p * 9.99999999951, p * 1.5, -p * 2.25}) {
        if (format_number(v) != printf10(v)) {
          ++mismatches;
          UNSCOPED_INFO(printf10(v) << " -> " << format_number(v));
        }
      }
    }
    CHECK(mismatches == 0);
  }
  SECTION("round_to_output: what a reader of the output gets") {
    CHECK(co2e::round_to_output(25.769203199999996) == 25.7692032);
    CHECK(co2e::round_to_output(0.1) == 0.1);
  }
}

TEST_CASE("read_simple_decimal", "[unit]") {
  double v = -1;
  CHECK(co2e::read_simple_decimal("12.5kg", v) == 4);
  CHECK(v == 12.5);
  CHECK(co2e::read_simple_decimal("-0.25", v) == 5);
  CHECK(v == -0.25);
  CHECK(co2e::read_simple_decimal("1e5", v) == 0);               // exponents: from_chars
  CHECK(co2e::read_simple_decimal("1234567890123456", v) == 0);  // 16 digits: from_chars
  CHECK(co2e::read_simple_decimal("abc", v) == 0);
  SECTION("the same double as std::from_chars for 200,000 decimals") {
    std::mt19937_64 rng(7);
    std::size_t mismatches = 0;
    for (int i = 0; i < 200000; ++i) {
      const auto whole = rng() % 1000000;
      const auto frac = rng() % 100000000;
      char text[64];
      const int n = std::snprintf(text, sizeof text, "%llu.%0*llu", static_cast<unsigned long long>(whole),
                                  static_cast<int>(1 + rng() % 8), static_cast<unsigned long long>(frac % 100000000));
      double fast = 0, exact = 0;
      const std::string_view s(text, static_cast<std::size_t>(n));
      if (co2e::read_simple_decimal(s, fast) == 0) continue;  // over 15 digits
      std::from_chars(s.data(), s.data() + s.size(), exact);
      if (fast != exact) ++mismatches;
    }
    CHECK(mismatches == 0);
  }
}
