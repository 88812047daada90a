// co2e when: the start times that minimise a job's emissions against an intensity series.
#include <fmt/format.h>
#include <chrono>

#include "cli.hpp"
#include "co2e/estimate.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/files.hpp"
#include "co2e/render.hpp"
#include "co2e/when.hpp"
#include "estimate_options.hpp"
#include "series_options.hpp"

namespace co2e::cli {

void add_when_command(CLI::App& app, Context& ctx) {
  auto* sub =
      app.add_subcommand("when", "Find the start times with the lowest emissions for a job, from an intensity series");
  sub->footer(
      "The job runs for --runtime at constant power (from the same flags as estimate); its emissions for a start s "
      "are\n"
      "power x the integral of the series over [s, s + runtime]. Savings are against starting now (or at --after).\n"
      "Examples:\n"
      "  co2e when --runtime 4h --gpus 8 --gpu A100 --cores 32 --intensity-series uk.json --before 2024-03-02T09:00Z\n"
      "  co2e when --runtime 90m --core-power 10 --cores 64 --intensity-series DE_2023_hourly.csv --after "
      "2023-06-01T00:00Z --top 5 --plot best.svg\n"
      "  co2e when --runtime 4h --gpus 1 --gpu A100 --intensity-series uk.json --format json -o when.json\n"
      "Exit codes: 0 ok, 2 invalid input (or no window fits), 3 data or I/O error.");
  auto opts = std::make_shared<EstimateOptions>(*sub);
  auto series = std::make_shared<SeriesFlags>();
  series->add(*sub, "When");
  series->option->required();
  auto after = std::make_shared<std::string>();
  auto before = std::make_shared<std::string>();
  auto now = std::make_shared<std::string>();
  auto top = std::make_shared<std::string>("3");
  auto format = std::make_shared<std::string>("text");
  auto plot = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  add_env_option(*sub, "--after", *after, "earliest start (ISO 8601 with Z or an offset); default: now")
      ->type_name("TIME")
      ->group("When");
  add_env_option(*sub, "--before", *before, "deadline: the job must finish by then")->type_name("TIME")->group("When");
  add_env_option(*sub, "--now", *now, "the time taken as now (default: the clock), for reproducible answers")
      ->type_name("TIME")
      ->group("When");
  add_env_option(*sub, "--top", *top, "how many non-overlapping start times to list (default 3)")
      ->type_name("N")
      ->group("When");
  add_env_option(*sub, "--format", *format, "output: text (default, with a plot), json or csv")
      ->type_name("FORMAT")
      ->group("Output");
  add_env_option(*sub, "--plot", *plot, "also write an SVG plot of the series with the best windows shaded")
      ->type_name("FILE.svg")
      ->group("Output");
  add_output_option(*sub, *output);
  sub->callback([&ctx, opts, series, after, before, now, top, format, plot, output] {
    ctx.run = [&ctx, opts, series, after, before, now, top, format, plot, output]() -> int {
      const Format fmt_choice = need(parse_format(*format), ctx.label("--format"));
      WhenSpec ws;
      ws.top = static_cast<std::size_t>(need(parse_integer(*top, 1, 1000), ctx.label("--top")));
      if (!after->empty()) ws.after = need(parse_timestamp(*after), ctx.label("--after"));
      if (!before->empty()) ws.before = need(parse_timestamp(*before), ctx.label("--before"));
      ws.now = now->empty() ? std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                            : need(parse_timestamp(*now), ctx.label("--now"));
      const EstimateSpec spec = opts->spec(ctx);
      if (!spec.runtime)
        throw Failure(Error::usage("--runtime D is required: the length of the job to place, e.g. 4h"));
      OutputFile out = open_output(*output);  // written at the end, or left as it was on an error
      const EstimateResult est = need(estimate(spec, ctx.data()));
      ws.runtime = std::chrono::round<std::chrono::seconds>(*spec.runtime);
      ws.energy_kwh = est.energy_kwh;
      ws.embodied_kg = est.embodied_kg();
      const LoadedSeries s = series->load(ctx);
      const WhenResult r = need(best_start_times(s.series, ws));
      const WhenRenderInfo info{series->path, std::string(series_format_name(s.format)), s.column, s.notes};
      // The plot is written first: if it cannot be (a bad path, a full disk), the output is not written.
      if (!plot->empty()) write_output(*plot, render_when_svg(r, ws, s.series, info), ctx.label("--plot"));
      switch (fmt_choice) {
        case Format::text:
          finish_output(out, render_when_text(r, ws, s.series, info));
          break;
        case Format::json:
          finish_output(out, render_when_json(r, ws, s.series, info));
          break;
        case Format::csv:
          finish_output(out, render_when_csv(r));
          break;
      }
      return kExitOk;
    };
  });
}

}  // namespace co2e::cli
