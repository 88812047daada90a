// co2e compare: one computation under several options (regions, hardware, runtimes), each
// estimated like `co2e estimate`, ranked by CO2e.
#include <fmt/format.h>
#include <algorithm>
#include <deque>
#include <memory>

#include "cli.hpp"
#include "co2e/compare.hpp"
#include "co2e/csv.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/files.hpp"
#include "co2e/intensity_series.hpp"
#include "co2e/quote.hpp"
#include "co2e/units.hpp"
#include "estimate_options.hpp"
#include "per_option.hpp"

namespace co2e::cli {

namespace {

/// The fields that may take several values (the others are the same in every option).
constexpr Field kMultiFields[] = {Field::region, Field::provider, Field::platform, Field::pue,   Field::intensity,
                                  Field::cpu,    Field::gpu,      Field::gpus,     Field::cores, Field::runtime};

bool is_multi(Field f) {
  return std::find(std::begin(kMultiFields), std::end(kMultiFields), f) != std::end(kMultiFields);
}

enum class CompareFormat { text, json, csv, markdown };

CompareFormat parse_compare_format(std::string_view s) {
  if (s == "text") return CompareFormat::text;
  if (s == "json") return CompareFormat::json;
  if (s == "csv") return CompareFormat::csv;
  if (s == "markdown" || s == "md") return CompareFormat::markdown;
  throw Failure(Error::usage(fmt::format("--format {}: accepted: text, json, csv, markdown", quote_for_message(s))));
}

/// The document of `--format`.
std::string render_ranking(CompareFormat f, const CompareResult& result, const Dataset& data, std::size_t top) {
  switch (f) {
    case CompareFormat::text:
      return render_compare_text(result, data, top);
    case CompareFormat::json:
      return render_compare_json(result, data, top);
    case CompareFormat::csv:
      return render_compare_csv(result, top);
    case CompareFormat::markdown:
      return render_compare_markdown(result, top);
  }
  return {};
}

struct CompareFlags {
  std::vector<std::string> options;
  std::string options_file;
  std::string start;
  std::vector<std::string> series;  ///< [REGION=]FILE
  std::string series_kind = "lca";
  std::string baseline;
  std::string top;
  std::string format = "text";
  std::string plot;
  std::string output;  ///< -o FILE
  PerFlag per;
  bool no_range = false;
};

/// The axes from the estimate flags: repeated flags arrive joined by newlines, lists by commas.
std::vector<CompareAxis> axes_from(const EstimateOptions& opts) {
  std::vector<CompareAxis> axes;
  for (const auto& f : estimate_fields()) {
    const auto& slot = opts.values[static_cast<std::size_t>(f.field)];
    if (slot.option->empty()) continue;
    CompareAxis axis{f.field, {}};
    if (!is_multi(f.field)) {
      axis.values.push_back(slot.text);
    } else {
      std::string_view rest = slot.text;
      while (true) {
        const auto nl = rest.find('\n');
        auto values = need(split_values(rest.substr(0, nl)), f.flag);
        axis.values.insert(axis.values.end(), values.begin(), values.end());
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

/// An options file is a few rows, never a stream: a bound that still allows a large sweep.
constexpr std::size_t kMaxOptionsFileRows = 10000;

/// --options FILE: paired options from CSV or JSON Lines, read by batch's reader.
void read_options_file(const std::string& path, CompareSpec& spec) {
  std::string text = need(read_text_file(path), "--options");
  CsvReader reader(string_reader(std::move(text)));
  const InputTable table = need(read_input_table(reader, path, kMaxOptionsFileRows), "--options");
  std::vector<std::string> names;
  auto paired = need(options_from_table(table, path, names), "--options");
  // --option values first, then the file's rows, each in the order given.
  spec.paired_names.resize(spec.paired.size());
  for (std::size_t i = 0; i < paired.size(); ++i) {
    spec.paired.push_back(std::move(paired[i]));
    spec.paired_names.push_back(std::move(names[i]));
  }
}

/// --start and --intensity-series [REGION=]FILE (repeatable): one series per region.
void read_series(const CompareFlags& flags, CompareSpec& spec, std::deque<LoadedSeries>& loaded) {
  if (!flags.start.empty()) spec.start = need(parse_timestamp(flags.start), "--start");
  SeriesOptions so;
  so.kind = need(parse_intensity_kind(flags.series_kind), "--intensity-kind");
  for (const auto& given : flags.series) {
    // REGION=FILE; a path with `/` before any `=` is a file (e.g. ./a=b.csv).
    const auto eq = given.find('=');
    const bool keyed = eq != std::string::npos && given.substr(0, eq).find('/') == std::string::npos;
    RegionSeries rs;
    rs.region = keyed ? std::string(trim(std::string_view(given).substr(0, eq))) : std::string();
    rs.name = keyed ? given.substr(eq + 1) : given;
    if (keyed && (rs.region.empty() || rs.name.empty()))
      throw Failure(Error::usage(
          fmt::format("--intensity-series {}: give REGION=FILE (e.g. FR=fr.csv) or FILE", quote_for_message(given))));
    LoadedSeries& s = loaded.emplace_back(need(load_intensity_series(rs.name, so), "--intensity-series"));
    for (const auto& n : s.notes)
      warn(n.line > 0 ? rs.name + ":" + std::to_string(n.line) + ": " + n.message : rs.name + ": " + n.message);
    rs.series = &s.series;
    spec.series.push_back(std::move(rs));
  }
}

CompareSpec spec_from(Context& ctx, const EstimateOptions& opts, const CompareFlags& flags,
                      std::deque<LoadedSeries>& loaded) {
  CompareSpec spec;
  spec.axes = axes_from(opts);
  for (const auto& o : flags.options) spec.paired.push_back(need(parse_paired_option(o)));
  if (!flags.options_file.empty()) read_options_file(flags.options_file, spec);
  read_series(flags, spec, loaded);
  if (flags.baseline == "current")
    spec.baseline = kCurrentOption;
  else if (!flags.baseline.empty())
    spec.baseline = static_cast<std::size_t>(
        need(parse_integer(flags.baseline, 1), "--baseline (an option's number from 1, or current)"));
  spec.per = flags.per.get(ctx);
  spec.no_range = flags.no_range;
  return spec;
}

}  // namespace

void add_compare_command(CLI::App& app, Context& ctx) {
  auto* sub =
      app.add_subcommand("compare", "Rank options for one computation by CO2e: regions, providers, hardware, runtimes");
  sub->footer(
      "Any of --region --provider --platform --pue --intensity --cpu --gpu --gpus --cores --runtime takes several\n"
      "values (comma-separated or repeated); the options are their combinations, each estimated like `co2e estimate`.\n"
      "Regions take patterns and groups: US-*, aws:eu-*, *:europe-*, EU, europe, north-america, aws, gcp, azure,\n"
      "cloud, aws:europe.\n"
      "With --option or --options, the plain flags alone are the current option (when they are a whole job): it is\n"
      "listed as `current` and is the default baseline.\n"
      "Examples:\n"
      "  co2e compare --runtime 100h --gpus 8 --gpu A100 --region FR,DE,PL\n"
      "  co2e compare --runtime 24h --gpus 4 --gpu A100 --region 'aws:europe' --top 5\n"
      "  co2e compare --region FR --option 'gpu=A100,gpus=8,runtime=100h' --option 'gpu=H100 SXM,gpus=8,runtime=45h'\n"
      "  co2e compare --runtime 1h --gpus 1 --gpu T4 --region gcp --per 1e6 requests --format json -o ranking.json\n"
      "  co2e compare --runtime 100h --gpus 8 --gpu A100 --region FR --options hardware.csv   # vs the current A100\n"
      "  co2e compare --runtime 4h --gpus 1 --gpu A100 --region GB,FR --start 2024-03-01T09:00Z \\\n"
      "      --intensity-series GB=uk.json --intensity-series FR=fr.csv\n"
      "Exit codes: 0 ok, 2 invalid input, 3 data or I/O error.");
  auto opts = std::make_shared<EstimateOptions>(*sub);
  for (Field f : kMultiFields) {
    auto* o = opts->values[static_cast<std::size_t>(f)].option;
    o->multi_option_policy(CLI::MultiOptionPolicy::Join);
    o->description(o->get_description() + " (several: A,B or repeat the flag)");
  }
  auto flags = std::make_shared<CompareFlags>();
  sub->add_option("--option", flags->options,
                  "an option of paired values, KEY=VALUE,... with estimate column names as keys, e.g. "
                  "'gpu=H100 SXM,gpus=8,runtime=45h'; repeatable")
      ->type_name("PAIRS")
      ->allow_extra_args(false)
      ->group("Compare");
  sub->add_option("--options", flags->options_file,
                  "options of paired values from a file: CSV or JSON Lines with estimate columns (and name), one "
                  "option per row, as --option")
      ->type_name("FILE")
      ->group("Compare");
  add_env_option(*sub, "--start", flags->start,
                 "when the job starts (ISO 8601 with Z or an offset): with --intensity-series, each option in a "
                 "region with a series is weighed by it over start + runtime")
      ->type_name("TIME")
      ->group("Data centre and grid");
  sub->add_option("--intensity-series", flags->series,
                  "[REGION=]FILE: carbon intensity over time for the options in REGION (a grid region covers its "
                  "cloud regions), or for every option; repeatable (docs/intensity-series.md)")
      ->type_name("[REGION=]FILE")
      ->allow_extra_args(false)
      ->group("Data centre and grid");
  add_env_option(*sub, "--intensity-kind", flags->series_kind,
                 "Electricity Maps exports: lca (life-cycle, default) or direct emission factors")
      ->type_name("KIND")
      ->group("Data centre and grid");
  add_env_option(*sub, "--baseline", flags->baseline,
                 "the option savings are measured against: N (1-based, in the order given) or current (the plain "
                 "flags alone); default: current when the flags and --option/--options name one, else 1")
      ->type_name("N")
      ->group("Output");
  add_env_option(*sub, "--top", flags->top, "show only the N best options")->type_name("N")->group("Output");
  add_env_option(*sub, "--format", flags->format, "output: text (default), json, csv or markdown")
      ->type_name("FORMAT")
      ->group("Output");
  add_env_option(*sub, "--plot", flags->plot, "also write the ranking as an SVG bar chart to FILE")
      ->type_name("FILE")
      ->group("Output");
  add_output_option(*sub, flags->output);
  flags->per.add(*sub, "Output",
                 "functional unit: figures per unit too, e.g. --per 1e6 requests (g CO2e and Wh per request; per "
                 "1,000 tokens for --per 2e9 tokens)");
  add_no_range_flag(*sub, flags->no_range);
  sub->callback([&ctx, opts, flags] {
    ctx.run = [&ctx, opts, flags]() -> int {
      const CompareFormat format = parse_compare_format(flags->format);
      std::size_t top = 0;
      if (!flags->top.empty()) top = static_cast<std::size_t>(need(parse_integer(flags->top, 1), ctx.label("--top")));
      if (flags->plot == "-")
        throw Failure(Error::usage("--plot -: standard output holds the ranking; give a file name, e.g. ranking.svg"));
      std::deque<LoadedSeries> loaded;  // the series the spec points into
      const CompareSpec spec = spec_from(ctx, *opts, *flags, loaded);
      OutputFile out = open_output(flags->output);  // written at the end, or left as it was on an error
      const CompareResult result = need(compare(spec, ctx.data()));
      for (const auto& w : result.warnings) warn(w);
      // The plot first: a failure to write it leaves the output empty rather than half the story.
      if (!flags->plot.empty()) write_output(flags->plot, render_compare_svg(result, top), ctx.label("--plot"));
      finish_output(out, render_ranking(format, result, ctx.data(), top));
      return kExitOk;
    };
  });
}

}  // namespace co2e::cli
