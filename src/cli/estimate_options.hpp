// The estimate flags (one per co2e::Field), shared by commands that take a computation's
// description: estimate, and batch (where they give defaults for missing columns); run takes the
// subset that makes sense for a measurement, with the same origins (flag or CO2E_ variable).
#pragma once

#include <array>
#include <span>
#include <string>

#include "cli.hpp"
#include "co2e/estimate.hpp"

namespace co2e::cli {

struct EstimateOptions {
  /// Adds one option per field to `app` (with CO2E_<FLAG> environment variables): every field,
  /// or only those in `only` (the others' slots keep a null option and are never read).
  explicit EstimateOptions(CLI::App& app, std::span<const Field> only = {});

  /// The spec from the flags given, each value with its origin (flag or CO2E_ variable); a bad
  /// value is a Failure naming the flag or the variable. `co2e run` reads its figure inputs
  /// here too, so that its report says "PUE 2 from CO2E_PUE" as estimate does.
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
