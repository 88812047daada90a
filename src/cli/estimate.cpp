// co2e estimate: an a-priori footprint from what the user knows about a run.
#include <fmt/format.h>
#include <algorithm>
#include <array>

#include "cli.hpp"
#include "co2e/batch.hpp"
#include "co2e/estimate.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/files.hpp"
#include "co2e/intensity_series.hpp"
#include "co2e/plausibility.hpp"
#include "co2e/render.hpp"
#include "estimate_options.hpp"
#include "per_option.hpp"
#include "series_options.hpp"

namespace co2e::cli {

EstimateOptions::EstimateOptions(CLI::App& app, std::span<const Field> only) {
  for (const auto& f : estimate_fields()) {
    if (!only.empty() && std::find(only.begin(), only.end(), f.field) == only.end()) continue;
    auto& slot = values[static_cast<std::size_t>(f.field)];
    if (f.field == Field::embodied) {
      // A switch on the command line; CO2E_EMBODIED=1 (or a batch column) takes yes/no values.
      slot.option =
          app.add_flag(std::string(f.flag) + "{true}", slot.text, std::string(f.help))->envname("CO2E_EMBODIED");
    } else {
      slot.option = add_env_option(app, std::string(f.flag), slot.text, std::string(f.help));
      slot.option->type_name(std::string(f.value_name));
    }
    slot.option->group("Computation");
    if (f.field >= Field::pue && f.field != Field::instance) slot.option->group("Data centre and grid");
    if (f.field >= Field::energy && f.field != Field::instance)
      slot.option->group("Known energy (instead of CPU, GPU and memory)");
    if (f.field >= Field::embodied) slot.option->group("Whole footprint (server overhead, storage, network, embodied)");
  }
}

EstimateSpec EstimateOptions::spec(Context& ctx) const {
  EstimateSpec spec;
  for (const auto& f : estimate_fields()) {
    const auto& slot = values[static_cast<std::size_t>(f.field)];
    if (slot.option == nullptr || slot.option->empty()) continue;
    const Origin origin = ctx.origin(slot.option);
    if (auto err = set_field(spec, f.field, slot.text, origin))
      throw Context::input_failure(origin_label(origin), *err);
  }
  return spec;
}

namespace {

/// The document of `--format` text, json or csv.
std::string render_estimate(Format f, const EstimateResult& r, const Dataset& data, const FunctionalUnit* per_unit) {
  switch (f) {
    case Format::text:
      return render_text(r, data, per_unit);
    case Format::json:
      return render_json(r, data, per_unit);
    case Format::csv:
      return render_csv(r, per_unit);
  }
  return {};
}

}  // namespace

void add_estimate_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "estimate", "Estimate the energy and carbon footprint of a computation from its runtime and hardware");
  sub->footer(
      "Formula (Green Algorithms): energy = PUE x PSF x (CPU + GPU + memory);  CO2e = energy x grid gCO2e/kWh\n"
      "Every flag can also be set as an environment variable CO2E_<FLAG>, e.g. CO2E_REGION=FR; flags win.\n"
      "Examples:\n"
      "  co2e estimate --runtime 12h --cores 12 --core-power 7.5 --memory 64G --pue 1.56 --intensity 231.12\n"
      "  co2e estimate --runtime 2d --gpus 8 --gpu A100-80GB --cores 32 --cpu \"EPYC 7763\" --memory 512G --region "
      "aws:us-east-1\n"
      "  co2e estimate --gpu-hours 1082990 --gpu-power 400 --pue 1 --intensity 57 --format json\n"
      "  co2e estimate --energy 1287MWh --energy-scope facility --intensity 429\n"
      "  co2e estimate --runtime 1h --gpus 1 --gpu T4 --region FR --per 36000 requests\n"
      "  co2e estimate --runtime 4h --gpus 1 --gpu A100 --region GB --start 2024-03-01T09:00Z --intensity-series "
      "uk.json\n"
      "  co2e estimate --runtime 6h --gpus 4 --gpu A100 --region FR --budget 5kg --format json -o footprint.json\n"
      "Exit codes: 0 ok, 1 over --budget (the output is still written), 2 invalid input, 3 data or I/O error.");
  auto opts = std::make_shared<EstimateOptions>(*sub);
  auto series = std::make_shared<SeriesFlags>();
  auto start = std::make_shared<std::string>();
  auto* start_option =
      add_env_option(
          *sub, "--start", *start,
          "when the job starts (ISO 8601 with Z or an offset, e.g. 2024-03-01T09:00Z): with --intensity-series, "
          "the grid's average over start + runtime replaces the annual figure")
          ->type_name("TIME")
          ->group("Data centre and grid");
  series->add(*sub, "Data centre and grid");
  auto format = std::make_shared<std::string>("text");
  auto budget = std::make_shared<std::string>();
  auto* budget_option =
      add_env_option(*sub, "--budget", *budget,
                     "carbon budget (300g, 5kg, 1.2t): the report says the margin; exit 1 when the estimate exceeds it")
          ->type_name("MASS")
          ->group("Output");
  add_env_option(*sub, "--format", *format,
                 "output: text (default), json, csv, markdown (a summary table, the methodology and references) or "
                 "latex (a citable report with BibTeX)")
      ->type_name("FORMAT")
      ->group("Output");
  auto output = std::make_shared<std::string>();
  add_output_option(*sub, *output);
  auto no_range = std::make_shared<bool>(false);
  add_no_range_flag(*sub, *no_range);
  auto per = std::make_shared<PerFlag>();
  per->add(*sub, "Output",
           "functional unit: also g CO2e and Wh per unit, e.g. --per 1e6 requests, --per 1 epoch (per 1,000 for "
           "tokens: --per 2e9 tokens)");
  sub->callback([&ctx, opts, format, budget, budget_option, series, start, start_option, per, no_range, output] {
    ctx.run = [&ctx, opts, format, budget, budget_option, series, start, start_option, per, no_range, output]() -> int {
      const bool markdown = *format == "markdown" || *format == "md";
      const bool latex = *format == "latex" || *format == "tex";
      const Format fmt_choice =
          markdown || latex ? Format::text
                            : need(parse_format(*format, "text, json, csv, markdown, latex"), ctx.label("--format"));
      std::optional<CarbonBudget> budget_check;
      if (!budget->empty()) {
        const Origin origin = ctx.origin(budget_option);
        budget_check = CarbonBudget{need(parse_mass_g(*budget), origin_label(origin)) / 1000, origin};
      }
      EstimateSpec spec = opts->spec(ctx);
      spec.no_range = *no_range;
      const std::optional<FunctionalUnit> unit = per->get(ctx);
      const FunctionalUnit* per_unit = unit ? &*unit : nullptr;
      const Dataset& data = ctx.data();
      if (start->empty() != !series->given())
        throw Failure(Error::usage(start->empty()
                                       ? "--intensity-series needs --start TIME: when the job starts"
                                       : "--start needs --intensity-series FILE: the grid's intensity over time"));
      std::optional<TimePoint> start_time;
      if (!start->empty()) start_time = need(parse_timestamp(*start), origin_label(ctx.origin(start_option)));
      OutputFile out = open_output(*output);  // written at the end, or left as it was on an error
      EstimateResult r = need(estimate(spec, data));
      r.budget = budget_check;
      if (start_time) {
        const LoadedSeries s = series->load(ctx);
        if (auto err = apply_intensity_series(r, s.series, *start_time))
          throw Failure(err->with_context(fmt::format("--start with --intensity-series {}", series->path)));
      }
      // Plausibility warnings go to stderr; stdout, the product, is the same with or without them.
      for (const auto& p : check_plausibility(spec, r, data))
        warn(plausibility_message(p, input_name(spec, plausibility_field(p.kind))));  // by origin
      finish_output(out, markdown || latex ? render_estimate_report(r, data, latex, per_unit)
                                           : render_estimate(fmt_choice, r, data, per_unit));
      // Over budget is a verdict on valid figures: the output is written first, as without -o.
      if (r.budget && r.budget->exceeded(r.co2e_kg)) {
        std::fprintf(stderr, "co2e: budget exceeded: %s CO2e is over the budget of %s\n",
                     format_mass(r.co2e_kg * 1000).c_str(), format_mass(r.budget->budget_kg * 1000).c_str());
        return kExitBudgetExceeded;
      }
      return kExitOk;
    };
  });
}

}  // namespace co2e::cli
