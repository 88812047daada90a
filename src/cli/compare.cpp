// co2e compare: one computation under several options (regions, hardware, runtimes), each
// estimated like `co2e estimate`, ranked by CO2e.
#include <fmt/format.h>
#include <algorithm>
#include <memory>

#include "cli.hpp"
#include "co2e/compare.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/quote.hpp"
#include "co2e/units.hpp"
#include "estimate_options.hpp"

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

struct CompareFlags {
  std::vector<std::string> options;
  std::string baseline;
  std::string top;
  std::string format = "text";
  std::string plot;
  std::vector<std::string> per;
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

CompareSpec spec_from(Context& ctx, const EstimateOptions& opts, const CompareFlags& flags) {
  CompareSpec spec;
  spec.axes = axes_from(opts);
  for (const auto& o : flags.options) spec.paired.push_back(need(parse_paired_option(o)));
  if (!flags.baseline.empty())
    spec.baseline = static_cast<std::size_t>(need(parse_integer(flags.baseline, 1), ctx.label("--baseline")));
  if (!flags.per.empty()) {
    std::string count = flags.per[0], unit = flags.per.size() > 1 ? flags.per[1] : "";
    if (flags.per.size() == 1) {  // --per "1e6 requests"
      const auto space = count.find(' ');
      if (space != std::string::npos) unit = count.substr(space + 1), count.resize(space);
    }
    spec.per = need(parse_functional_unit(count, unit));
  }
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
      "Examples:\n"
      "  co2e compare --runtime 100h --gpus 8 --gpu A100 --region FR,DE,PL\n"
      "  co2e compare --runtime 24h --gpus 4 --gpu A100 --region 'aws:europe' --top 5\n"
      "  co2e compare --region FR --option 'gpu=A100,gpus=8,runtime=100h' --option 'gpu=H100 SXM,gpus=8,runtime=45h'\n"
      "  co2e compare --runtime 1h --gpus 1 --gpu T4 --region gcp --per 1e6 requests --format json\n"
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
  add_env_option(*sub, "--baseline", flags->baseline,
                 "the option (1-based, in the order given) savings are measured against; default 1")
      ->type_name("N")
      ->group("Output");
  add_env_option(*sub, "--top", flags->top, "show only the N best options")->type_name("N")->group("Output");
  add_env_option(*sub, "--format", flags->format, "output: text (default), json, csv or markdown")
      ->type_name("FORMAT")
      ->group("Output");
  add_env_option(*sub, "--plot", flags->plot, "also write the ranking as an SVG bar chart to FILE")
      ->type_name("FILE")
      ->group("Output");
  sub->add_option("--per", flags->per,
                  "functional unit: figures per unit too, e.g. --per 1e6 requests (g CO2e and Wh per request)")
      ->expected(1, 2)
      ->type_name("N UNIT")
      ->group("Output");
  sub->callback([&ctx, opts, flags] {
    ctx.run = [&ctx, opts, flags]() -> int {
      const CompareFormat format = parse_compare_format(flags->format);
      std::size_t top = 0;
      if (!flags->top.empty()) top = static_cast<std::size_t>(need(parse_integer(flags->top, 1), ctx.label("--top")));
      if (flags->plot == "-")
        throw Failure(Error::usage("--plot -: standard output holds the ranking; give a file name, e.g. ranking.svg"));
      const CompareSpec spec = spec_from(ctx, *opts, *flags);
      const CompareResult result = need(compare(spec, ctx.data()));
      // The plot first: a failure to write it leaves stdout empty rather than half the story.
      if (!flags->plot.empty()) write_output(flags->plot, render_compare_svg(result, top), ctx.label("--plot"));
      switch (format) {
        case CompareFormat::text:
          write_stdout(render_compare_text(result, ctx.data(), top));
          break;
        case CompareFormat::json:
          write_stdout(render_compare_json(result, ctx.data(), top));
          break;
        case CompareFormat::csv:
          write_stdout(render_compare_csv(result, top));
          break;
        case CompareFormat::markdown:
          write_stdout(render_compare_markdown(result, top));
          break;
      }
      return kExitOk;
    };
  });
}

}  // namespace co2e::cli
