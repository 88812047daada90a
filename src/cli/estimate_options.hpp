// The estimate flags (one per co2e::Field), shared by commands that take a computation's
// description: estimate, and batch (where they give defaults for missing columns).
#pragma once

#include <array>
#include <string>

#include "cli.hpp"
#include "co2e/estimate.hpp"

namespace co2e::cli {

struct EstimateOptions {
  /// Adds one option per field to `app` (with CO2E_<FLAG> environment variables).
  explicit EstimateOptions(CLI::App& app);

  /// The spec from the flags given, each value with its origin (flag or CO2E_ variable); a bad
  /// value is a Failure naming the flag or the variable.
  [[nodiscard]] EstimateSpec spec(Context& ctx) const;

  struct Slot {
    std::string text;
    CLI::Option* option = nullptr;
  };
  std::array<Slot, kFieldCount> values;
};

/// `--no-range` (CO2E_NO_RANGE): no low-high range beside the figures (issue 17), for scripts that
/// want the central figure only. Commands that report a range add it.
inline CLI::Option* add_no_range_flag(CLI::App& app, bool& target) {
  return app
      .add_flag("--no-range", target, "no low-high range beside the figures (they are the same); also CO2E_NO_RANGE=1")
      ->envname("CO2E_NO_RANGE")
      ->group("Output");
}

}  // namespace co2e::cli
