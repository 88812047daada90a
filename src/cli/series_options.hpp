// The intensity-series flags (--intensity-series FILE, --intensity-kind lca|direct), shared by the
// commands that weigh energy by the hour: estimate, when (and run and batch).
#pragma once

#include <string>

#include "cli.hpp"
#include "co2e/intensity_series.hpp"

namespace co2e::cli {

struct SeriesFlags {
  std::string path;
  std::string kind = "lca";
  CLI::Option* option = nullptr;

  /// Reads the series, named by where its path came from (--intensity-series or its variable).
  [[nodiscard]] LoadedSeries load(Context& ctx) const {
    return load(origin_label(ctx.origin(option)), ctx.label("--intensity-kind"));
  }

  /// Adds --intensity-series and --intensity-kind to `app` (group `group`).
  void add(CLI::App& app, const std::string& group) {
    option = add_env_option(app, "--intensity-series", path,
                            "carbon intensity over time: CSV timestamp,intensity_g_per_kwh, an Electricity Maps CSV "
                            "export or UK National Grid API JSON (docs/intensity-series.md)")
                 ->type_name("FILE")
                 ->group(group);
    add_env_option(app, "--intensity-kind", kind,
                   "Electricity Maps exports: lca (life-cycle, default) or direct emission factors")
        ->type_name("KIND")
        ->group(group);
  }

  [[nodiscard]] bool given() const { return !path.empty(); }

  /// Reads the series; its notes (gaps, DST changes, sorted rows, forecasts) go to stderr as
  /// warnings. A bad file is a Failure naming the file and line, behind `name` (the flag, or the
  /// CO2E_INTENSITY_SERIES variable it came from).
  [[nodiscard]] LoadedSeries load(std::string_view name = "--intensity-series",
                                  std::string_view kind_name = "--intensity-kind") const {
    SeriesOptions o;
    o.kind = need(parse_intensity_kind(kind), kind_name);
    LoadedSeries s = need(load_intensity_series(path, o), name);
    for (const auto& n : s.notes)
      warn(n.line > 0 ? path + ":" + std::to_string(n.line) + ": " + n.message : path + ": " + n.message);
    return s;
  }
};

}  // namespace co2e::cli
