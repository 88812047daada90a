// co2e list: print a data table (or the rows matching --match).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/render.hpp"
#include "co2e/table_view.hpp"
#include "co2e/units.hpp"

namespace co2e::cli {

void add_list_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "list",
      "List a data table: cpus, gpus, regions (countries, subdivisions and cloud regions), providers, equivalences, "
      "instances (cloud instance types), embodied (manufacturing footprints)");
  auto table = std::make_shared<std::string>();
  auto match = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  // Checked by list_table, whose error suggests the nearest table ("gpu" -> "gpus").
  sub->add_option("table", *table, "cpus, gpus, regions, providers, equivalences, instances or embodied")->required();
  sub->add_option("--match", *match, "only rows whose name or code contains TEXT (case and punctuation ignored)")
      ->type_name("TEXT");
  sub->add_option("--format", *format, "text (default), json or csv")->type_name("FORMAT");
  sub->footer(
      "Examples:\n  co2e list gpus --match a100\n  co2e list regions --match aws: --format csv\n  co2e list cpus "
      "--match \"epyc 9\" --format json\n  co2e list instances --match a100");
  sub->callback([&ctx, table, match, format] {
    ctx.run = [&ctx, table, match, format]() -> int {
      const Format f = need(parse_format(*format), "--format");
      const auto rows = need(list_table(ctx.data(), *table, *match));
      write_stdout(render_table(rows, f));
      if (rows.rows.empty()) std::fprintf(stderr, "co2e: no %s match \"%s\"\n", table->c_str(), match->c_str());
      return kExitOk;
    };
  });
}

void add_show_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("show", "Show one data row with its source, year, licence and the file it came from");
  auto kind = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  // Checked by show_row, whose error suggests the nearest kind ("gpus" -> "gpu").
  sub->add_option("kind", *kind, "cpu, gpu, region, provider or instance")->required();
  sub->add_option("name", *name, "model name, region code, provider id or instance type")->required();
  sub->add_option("--format", *format, "text (default) or json")->type_name("FORMAT");
  sub->footer(
      "Examples:\n  co2e show cpu \"Xeon Gold 6248\"\n  co2e show gpu A100\n  co2e show region aws:eu-west-3\n  co2e "
      "show provider gcp\n  co2e show instance aws:p4d.24xlarge");
  sub->callback([&ctx, kind, name, format] {
    ctx.run = [&ctx, kind, name, format]() -> int {
      const Format f = need(parse_format(*format, "text, json"), "--format");
      if (f == Format::csv)
        throw Failure(Error::usage("--format \"csv\" is not available for show (accepted: text, json)"));
      const auto rows = need(show_row(ctx.data(), *kind, *name), "show " + *kind);
      write_stdout(render_table(rows, f, /*single=*/true));
      return kExitOk;
    };
  });
}

}  // namespace co2e::cli
