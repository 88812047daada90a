#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "co2e/render.hpp"

namespace {
std::string fast(double v) {
  std::string s;
  co2e::append_number(s, v);
  return s;
}
}  // namespace

TEST_CASE("append_number", "[unit]") {
  SECTION("the forms fmt's {} writes") {
    CHECK(fast(0) == "0");
    CHECK(fast(12) == "12");
    CHECK(fast(2.1310848) == "2.1310848");
    CHECK(fast(0.49253631897600014) == "0.49253631897600014");
    CHECK(fast(0.0001) == "0.0001");
    CHECK(fast(0.00001) == "1e-05");
    CHECK(fast(1.5e16) == "1.5e+16");
    CHECK(fast(1e15) == "1000000000000000");
    CHECK(fast(123456.789) == "123456.789");
    CHECK(fast(1.25e-300) == "1.25e-300");
    CHECK(fast(-2.5) == "-2.5");
  }
  SECTION("identical to fmt for 200,000 random doubles of every magnitude") {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> mant(0, 10);
    std::uniform_int_distribution<int> exp(-20, 25);
    std::size_t mismatches = 0;
    for (int i = 0; i < 200000; ++i) {
      double v = mant(rng) * std::pow(10.0, exp(rng));
      if (i % 5 == 0) v = std::round(v * 1000) / 1000;  // short decimals, as in inputs
      if (fast(v) != fmt::format("{}", v)) {
        ++mismatches;
        UNSCOPED_INFO(fmt::format("{} -> {}", fmt::format("{}", v), fast(v)));
      }
    }
    CHECK(mismatches == 0);
  }
}
