// --per N UNIT (a functional unit), shared by the commands that report an estimate: estimate,
// batch (a default for rows without `per` cells) and compare. One flag, one parser
// (functional_unit.hpp), so the three read it alike.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "co2e/functional_unit.hpp"
#include "co2e/quote.hpp"

namespace co2e::cli {

struct PerFlag {
  std::vector<std::string> values;
  CLI::Option* option = nullptr;

  /// Adds --per (also CO2E_PER="1e6 requests") to `app` in `group`.
  void add(CLI::App& app, const std::string& group, const std::string& help) {
    option = app.add_option("--per", values, help)->expected(1, 2)->envname("CO2E_PER");
    option->type_name("N UNIT")->group(group);
  }

  /// The unit given, if any: `--per 1e6 requests` (two words) or `--per "1e6 requests"` (one).
  /// A bad value is a Failure naming the flag or its variable.
  [[nodiscard]] std::optional<FunctionalUnit> get(Context& ctx) const {
    if (values.empty()) return std::nullopt;
    const std::string name = origin_label(ctx.origin(option));
    if (values.size() == 2 && values[0].find(' ') != std::string::npos)
      throw Failure(Error::usage(fmt::format(
          "{} {}: N UNIT in one quoted text took {} as well; put --per after the file, or give N and UNIT as two "
          "words",
          name, quote_for_message(values[0]), quote_for_message(values[1]))));
    if (values.size() == 1) return need(parse_functional_unit(values[0]), name);
    return need(parse_functional_unit(values[0], values[1]), name);
  }
};

}  // namespace co2e::cli
