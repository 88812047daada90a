// Builders shared by the unit tests of the estimate and what is built on it (test_estimate,
// test_footprint, test_compare): the built-in data, a spec from column/value pairs through the
// parser the CLI and batch use, and an estimate that must succeed or must fail.
#pragma once

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <utility>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"

namespace co2e::test {

/// The built-in tables, loaded once.
inline const Dataset& data() {
  static const Dataset d;
  return d;
}

/// Builds a spec from name/value pairs (`{"runtime", "2h"}`) through set_field, the parser the CLI
/// and batch use; a bad name or value fails the test.
inline EstimateSpec spec(std::initializer_list<std::pair<const char*, std::string>> fields) {
  EstimateSpec s;
  for (const auto& [name, value] : fields) {
    auto f = field_from_name(name);
    REQUIRE(f.has_value());
    auto err = set_field(s, *f, value);
    INFO(name << "=" << value);
    REQUIRE_FALSE(err.has_value());
  }
  return s;
}

/// The estimate of `s`, which must succeed.
inline EstimateResult ok(const EstimateSpec& s) {
  auto r = estimate(s, data());
  if (!r) FAIL(r.error().message);
  return *r;
}

/// The message of the usage error the estimate of `s` must end in.
inline std::string fails(const EstimateSpec& s) {
  auto r = estimate(s, data());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::usage);
  return r.error().message;
}

}  // namespace co2e::test
