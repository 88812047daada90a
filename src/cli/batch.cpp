// co2e batch: many computations from CSV or JSON Lines, one estimate per row, and reports.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli.hpp"
#include "co2e/batch.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/fd.hpp"
#include "co2e/files.hpp"
#include "co2e/plausibility.hpp"
#include "estimate_options.hpp"
#include "log.hpp"
#include "per_option.hpp"
#include "progress.hpp"
#include "series_options.hpp"

namespace co2e::cli {

// long-function: the command's definition: its help text, one option per flag and the callback; a
// list read top to bottom, as every add_*_command.
void add_batch_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "batch", "Estimate many computations from CSV or JSON Lines (one per row), with totals and reports");
  sub->footer(
      "Columns are named after the estimate flags (runtime, cores, cpu, core_power, gpus, gpu, gpu_hours, memory, "
      "pue,\n"
      "region, intensity, psf, ...); other columns are carried through. Flags give defaults for missing cells.\n"
      "Green Algorithms calculator exports (numberCPUs, tdpCPU, runTime_hour, PUE, carbonIntensity, ...) are read "
      "too.\n"
      "Examples:\n"
      "  co2e batch runs.csv --region FR --pue 1.2 > results.csv\n"
      "  co2e batch runs.csv --group-by model --format markdown -o footprint.md\n"
      "  co2e batch runs.jsonl --format latex --group-by model,seed -o appendix.tex\n"
      "  co2e batch runs.csv --group-by model --format markdown -o report.md --plot report.svg\n"
      "Exit codes: 0 every row ok, 2 a row failed or invalid usage, 3 unreadable input or unwritable output.");
  auto input = std::make_shared<std::string>("-");
  auto output = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("csv");
  auto group_by = std::make_shared<std::vector<std::string>>();
  auto strict = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  auto plot = std::make_shared<std::string>();
  sub->add_option("FILE", *input, "CSV (comma, semicolon or tab) or JSON Lines; - or nothing: standard input")
      ->type_name("FILE|-");
  auto opts = std::make_shared<EstimateOptions>(*sub);
  for (const auto& slot : opts->values) slot.option->group("Defaults for missing cells");
  add_output_option(*sub, *output);
  // Not CO2E_FORMAT: that one is estimate's (text, json, csv), and would break batch.
  sub->add_option("--format", *format, "csv (default), jsonl, markdown or latex")->type_name("FORMAT")->group("Output");
  sub->add_option("--group-by", *group_by, "totals per value of these input columns (e.g. model or model,seed)")
      ->delimiter(',')
      ->type_name("COLUMN[,COLUMN]")
      ->group("Output");
  auto series = std::make_shared<SeriesFlags>();
  series->add(*sub, "Defaults for missing cells");
  sub->add_option("--plot", *plot,
                  "also write an SVG bar chart to FILE: CO2e per value of the first --group-by column, stacked by "
                  "component (the Markdown report links it; the LaTeX report draws it with pgfplots)")
      ->type_name("FILE.svg")
      ->group("Output");
  auto per = std::make_shared<PerFlag>();
  per->add(*sub, "Defaults for missing cells",
           "functional unit of rows without per / per_unit cells, e.g. --per 1e6 requests: adds per_count, per_unit, "
           "per_scale, co2e_g_per_unit, energy_wh_per_unit");
  sub->add_flag("--strict", *strict, "stop at the first bad row (exit 2) instead of marking it status=error")
      ->group("Output");
  sub->add_flag("-q,--quiet", *quiet, "no progress line and no summary line on stderr (warnings and errors still)")
      ->group("Output");
  auto no_range = std::make_shared<bool>(false);
  add_no_range_flag(*sub, *no_range);

  sub->callback([&ctx, input, output, format, group_by, strict, opts, series, quiet, plot, per, no_range] {
    ctx.run = [&ctx, input, output, format, group_by, strict, opts, series, quiet, plot, per, no_range]() -> int {
      if (*plot == "-")
        throw Failure(
            Error::usage("--plot -: standard output holds the rows or the report; give a file name, e.g. "
                         "report.svg"));
      BatchOptions bo;
      bo.format = need(parse_batch_format(*format), ctx.label("--format"));
      bo.defaults = opts->spec(ctx);
      bo.defaults.no_range = *no_range;  // each row's spec starts from the defaults
      bo.group_by = *group_by;
      bo.strict = *strict;
      bo.input_name = *input;
      bo.per = per->get(ctx);
      // The per-part sums feed the reports' tables and the chart only.
      bo.part_sums = bo.format == BatchFormat::markdown || bo.format == BatchFormat::latex || !plot->empty();
      std::optional<LoadedSeries> loaded;
      if (series->given()) {
        loaded = series->load(ctx);
        bo.series = &loaded->series;
      }
      const Dataset& data = ctx.data();

      Fd file;
      std::uint64_t size = 0;
      if (*input != "-") {
        file = Fd::open(*input, O_RDONLY);
        if (!file) throw Failure(Error::data(fmt::format("{}: cannot open: {}", *input, std::strerror(errno))));
        struct stat st {};
        if (::fstat(file.get(), &st) == 0 && S_ISDIR(st.st_mode))
          throw Failure(Error::data(fmt::format("{}: is a directory", *input)));
        if (S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
      }
      if (logging_info())
        log_info(fmt::format("reading {} ({})", *input == "-" ? "standard input" : *input,
                             size > 0 ? fmt::format("{} bytes", size) : std::string("a stream")));

      CsvReader reader(fd_reader(file ? file.get() : STDIN_FILENO));
      OutputFile out = open_output(*output);
      ProgressLine progress("co2e batch", "rows", *quiet, size);
      auto summary = run_batch(
          reader, data, bo, [&](std::string_view text) { return out.write(text); },
          [&](std::uint64_t rows, std::uint64_t bytes) { progress.update(rows, bytes); });
      progress.clear();
      if (!summary) {
        out.abort();
        throw Failure(summary.error());
      }
      ReportOptions ro;
      if (!plot->empty()) {
        // The chart first (atomically, like -o): a report never links a chart that failed.
        const StackedBars chart = batch_chart(*summary);
        write_output(*plot, render_chart_svg(std::span(&chart, 1), "co2e batch: " + chart.title), "--plot");
        ro.svg_link = link_from(*output, *plot);
      }
      if (bo.format == BatchFormat::markdown) need(out.write(render_batch_markdown(*summary, data, ro)));
      if (bo.format == BatchFormat::latex) need(out.write(render_batch_latex(*summary, data, ro)));
      need(out.commit());
      for (const auto& w : summary->warnings) warn(w);
      for (const auto& p : summary->plausibility)  // once per kind, with the first row
        warn(fmt::format("row {}: {}{}", p.row,
                         plausibility_message(p.first, field_info(plausibility_field(p.first.kind)).column),
                         p.rows > 1 ? fmt::format(" ({} rows like this)", p.rows) : std::string()));
      if (!*quiet) std::fprintf(stderr, "%s\n", batch_summary_line(*summary).c_str());
      return summary->total.failed > 0 ? kExitUsage : kExitOk;
    };
  });
}

}  // namespace co2e::cli
