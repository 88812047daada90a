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

  /// The spec from the flags given; a bad value is a Failure naming the flag.
  [[nodiscard]] EstimateSpec spec() const;

  struct Slot {
    std::string text;
    CLI::Option* option = nullptr;
  };
  std::array<Slot, static_cast<std::size_t>(Field::instance) + 1> values;  ///< one per Field
};

}  // namespace co2e::cli
