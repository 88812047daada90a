// co2e slurm: footprints of SLURM jobs from sacct accounting (run live or read from a file), and
// `co2e slurm init`, which writes a cluster description template.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli.hpp"
#include "co2e/cluster.hpp"
#include "co2e/exit_codes.hpp"
#include "co2e/fd.hpp"
#include "co2e/files.hpp"
#include "co2e/quote.hpp"
#include "co2e/sacct.hpp"
#include "co2e/slurm_report.hpp"
#include "co2e/subprocess.hpp"
#include "co2e/units.hpp"
#include "estimate_options.hpp"
#include "log.hpp"
#include "progress.hpp"

namespace co2e::cli {

namespace {

/// The estimate flags that override the cluster description's grid and data centre.
constexpr Field kSlurmFields[] = {Field::pue,       Field::provider,        Field::region,
                                  Field::intensity, Field::intensity_basis, Field::intensity_source};

struct SlurmOptions {
  std::string cluster_file, sacct_file, group_by = "user,partition", success_states = "COMPLETED";
  std::string format = "text";
  std::unique_ptr<EstimateOptions> grid;  ///< kSlurmFields: parsed and origin-tagged as estimate and run do
  std::string energy_source = "auto";
  std::string top;
  std::string plot;                   ///< --plot: the SVG chart's file
  std::string output;                 ///< -o: the report's file (standard output when empty)
  std::vector<std::string> measured;  ///< --measured: co2e run --log files
  SacctQuery query;
  bool quiet = false;
  bool no_range = false;  ///< --no-range (issue 17)
};

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

/// With a saved dump, -u/-A/-r/-S/-E select jobs as sacct would have (a cluster-wide dump cut by
/// user, account, partition or time); -a changes nothing: the file holds whom it holds. The text
/// names the selection for the report.
struct DumpFilter {
  JobFilter filter;
  std::string text;  ///< `-u alice -S 2024-01-01`
};

DumpFilter dump_filter(const SlurmOptions& o) {
  DumpFilter d;
  JobFilter& filter = d.filter;
  std::string& filter_text = d.text;
  if (o.sacct_file.empty()) return d;
  const SacctQuery& q = o.query;
  filter.users = split_list(q.user);
  filter.accounts = split_list(q.account);
  filter.partitions = split_list(q.partition);
  if (!q.start.empty()) filter.start = need(normalize_sacct_time(q.start), "-S/--start");
  if (!q.end.empty()) filter.end = need(normalize_sacct_time(q.end), "-E/--end");
  for (const auto& [flag, value] : {std::pair<const char*, const std::string&>{"-u", q.user},
                                    {"-A", q.account},
                                    {"-r", q.partition},
                                    {"-S", q.start},
                                    {"-E", q.end}})
    if (!value.empty()) filter_text += fmt::format("{}{} {}", filter_text.empty() ? "" : " ", flag, value);
  return d;
}

/// The grid flags through the same parser as estimate's and run's (EstimateOptions): each value
/// keeps its origin (flag or CO2E_ variable) for messages and the report.
ClusterOverrides grid_overrides(Context& ctx, const SlurmOptions& o) {
  const EstimateSpec choice = o.grid->spec(ctx);
  ClusterOverrides ov;
  ov.pue = choice.pue;
  ov.provider = choice.provider;
  ov.region = choice.region;
  ov.intensity_g_per_kwh = choice.intensity_g_per_kwh;
  ov.pue_range = choice.ranges.pue;  // --pue LOW:HIGH (issue 17)
  ov.intensity_range = choice.ranges.intensity_g_per_kwh;
  ov.intensity_basis = choice.intensity_basis;
  ov.intensity_source = choice.intensity_origin;
  if (choice.pue) ov.pue_origin = choice.origin(Field::pue);
  if (choice.provider) ov.provider_origin = choice.origin(Field::provider);
  if (choice.region) ov.region_origin = choice.origin(Field::region);
  if (choice.intensity_g_per_kwh) ov.intensity_origin = choice.origin(Field::intensity);
  return ov;
}

/// The accounting lines into `reader`: the saved dump (--sacct-file, `-` for standard input), or
/// sacct's output. `input_fd` is the file being read while it is (the progress line's offset).
void read_accounting(const SlurmOptions& o, SacctReader& reader, int& input_fd) {
  if (!o.sacct_file.empty()) {
    Fd file;
    if (o.sacct_file != "-") {
      file = Fd::open(o.sacct_file, O_RDONLY);
      if (!file)
        throw Failure(
            Error::data(fmt::format("--sacct-file \"{}\": cannot open: {}", o.sacct_file, std::strerror(errno))));
    }
    if (logging_info()) log_info(fmt::format("reading {}", file ? o.sacct_file : "standard input"));
    input_fd = file ? file.get() : STDIN_FILENO;
    const Status st = reader.read_fd(input_fd, file ? o.sacct_file : "standard input");
    input_fd = -1;
    need(st);
  } else {
    const auto argv = sacct_argv(o.query);
    if (logging_info()) log_info(fmt::format("running {}", fmt::join(argv, " ")));
    auto child = spawn_output(argv);
    if (!child)
      throw Failure(Error::data(fmt::format(
          "{}; co2e slurm runs sacct on a SLURM login node; elsewhere save its output there and pass it with "
          "--sacct-file FILE:\n  sacct --parsable2 --noconvert --format={} -S 2024-01-01 --allusers > jobs.txt",
          child.error().message, sacct_format_list())));
    const Status st = reader.read_fd(child->fd.get(), "sacct");
    const int rc = need(wait_child(*child));
    need(st);
    if (rc != 0)
      throw Failure(Error::data(
          fmt::format("sacct exited with status {} (its message is above); command: {}", rc, fmt::join(argv, " "))));
  }
}

/// Step 4: the chart first (atomically), so that a report never links a chart that failed; then
/// the report in its format (the last streamed rows of csv / jsonl are in `buf`), and `out` made
/// final.
void write_slurm_report(const SlurmOptions& o, SlurmFormat format, const SlurmReport& report, const Dataset& data,
                        const std::string& buf, OutputFile& out) {
  if (!o.plot.empty()) {
    const std::vector<StackedBars> charts = slurm_charts(report);
    write_output(o.plot, render_chart_svg(charts, "co2e slurm: " + charts.front().title), "--plot");
  }
  switch (format) {
    case SlurmFormat::csv:
    case SlurmFormat::jsonl:
      finish_output(out, buf);
      std::fputs(render_slurm_stream_note(report).c_str(), stderr);
      break;
    case SlurmFormat::text:
      finish_output(out, render_slurm_text(report, data));
      break;
    case SlurmFormat::markdown:
      // The chart's link is relative to the report's folder (-o), as batch's.
      finish_output(out, render_slurm_markdown(report, data, o.plot.empty() ? o.plot : link_from(o.output, o.plot)));
      break;
    case SlurmFormat::json:
      finish_output(out, render_slurm_json(report, data));
      break;
  }
}

/// The command's steps in order, numbered (options, cluster file, sacct source, report, outputs).
int run_slurm(Context& ctx, const SlurmOptions& o) {
  // 1. Options into values.
  const SlurmFormat format = need(parse_slurm_format(o.format), ctx.label("--format"));
  if (o.plot == "-")
    throw Failure(Error::usage("--plot -: standard output holds the report; give a file name, e.g. jobs.svg"));
  const std::vector<GroupBy> group_by = need(parse_group_by(o.group_by), "--group-by");
  const SlurmEnergySource energy_source = need(parse_energy_source(o.energy_source), "--energy-source");
  std::vector<std::string> success = split_list(o.success_states);
  for (auto& s : success)
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (success.empty()) throw Failure(Error::usage("--success-states: give at least one state, e.g. COMPLETED"));
  const DumpFilter selection = dump_filter(o);
  const JobFilter& filter = selection.filter;
  const ClusterOverrides ov = grid_overrides(ctx, o);

  // 2. The cluster description (or the defaults).
  const Dataset& data = ctx.data();
  const std::string cluster_text =
      o.cluster_file.empty() ? std::string() : need(read_text_file(o.cluster_file), ctx.label("--cluster"));
  const Cluster cluster = need(load_cluster(cluster_text, o.cluster_file, ov, data));
  // Opened before sacct runs: an unwritable -o is exit 3 at once, not after the whole history.
  OutputFile out = open_output(o.output);

  // 3. Stream the accounting lines through the reader into the report; per-job rows go out in
  //    1 MiB chunks as jobs finish.
  SlurmReport report(cluster, group_by, success);
  report.set_energy_source(energy_source);
  report.set_no_range(o.no_range);
  RunLogs run_logs;
  for (const auto& file : o.measured) {
    const Fd fd = Fd::open(file, O_RDONLY);
    if (!fd) throw Failure(Error::data(fmt::format("--measured \"{}\": cannot open: {}", file, std::strerror(errno))));
    need(read_run_log(fd_reader(fd.get()), file, run_logs));
  }
  if (!o.measured.empty()) report.set_run_logs(&run_logs);
  if (!o.top.empty()) report.set_top(static_cast<std::size_t>(need(parse_integer(o.top, 1), "--top")));
  const bool stream = format == SlurmFormat::csv || format == SlurmFormat::jsonl;
  std::string buf;
  buf.reserve(std::size_t{1} << 21);
  if (format == SlurmFormat::csv) buf += job_csv_header();
  // Progress on a terminal: lines read, and the share of a saved file (its offset) for the ETA.
  int input_fd = -1;
  std::uint64_t input_size = 0, jobs_since_check = 0;
  if (!o.sacct_file.empty() && o.sacct_file != "-") {
    struct stat st {};
    if (::stat(o.sacct_file.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      input_size = static_cast<std::uint64_t>(st.st_size);
  }
  ProgressLine progress("co2e slurm", "lines", o.quiet, input_size);
  std::uint64_t filtered_out = 0;
  SacctReader reader([&](const SacctJob& job) {
    if (++jobs_since_check >= 1024) {  // the clock is read once per 1024 jobs, not per line
      jobs_since_check = 0;
      if (progress.due()) {
        const off_t at = input_fd >= 0 ? ::lseek(input_fd, 0, SEEK_CUR) : -1;
        progress.update(reader.stats().lines, at > 0 ? static_cast<std::uint64_t>(at) : 0);
      }
    }
    if (!filter.empty() && !job_selected(job, filter)) {
      ++filtered_out;
      return;
    }
    const JobFootprint f = report.add(job);
    if (!stream || !f.counted) return;
    if (format == SlurmFormat::csv)
      append_job_csv(buf, f);
    else
      append_job_jsonl(buf, f);
    if (buf.size() >= (std::size_t{1} << 20)) {
      progress.clear();
      need(out.write(buf));
      buf.clear();
    }
  });

  read_accounting(o, reader, input_fd);
  need(reader.finish());
  report.set_stats(reader.stats());
  progress.update(reader.stats().lines, input_size);
  progress.clear();
  report.set_filtered_out(filtered_out, selection.text);

  // 4. Render and write.
  write_slurm_report(o, format, report, data, buf, out);
  return kExitOk;
}

int run_init(const std::string& output, bool use_sinfo, bool force) {
  std::vector<SinfoPartition> parts;
  if (use_sinfo) {
    if (auto child = spawn_output(sinfo_argv())) {
      std::string text;
      char chunk[65536];
      while (true) {
        const ssize_t n = ::read(child->fd.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(chunk, static_cast<std::size_t>(n));
      }
      auto rc = wait_child(*child);
      if (rc && *rc == 0)
        parts = parse_sinfo(text);
      else
        warn("sinfo failed: the template lists example partitions");
    } else {
      warn("sinfo not found: the template lists example partitions (run co2e slurm init on a login node to fill them)");
    }
  }
  if (!output.empty() && output != "-" && !force && std::filesystem::exists(output))
    throw Failure(Error::usage(fmt::format("-o \"{}\": the file exists; add --force to replace it", output)));
  write_output(output, cluster_template(parts));
  return kExitOk;
}

}  // namespace

void add_slurm_command(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "slurm", "Footprints of SLURM jobs from sacct accounting, per job and by user, account, partition or day");
  sub->require_subcommand(0, 1);
  sub->footer(
      "Per job: CPU = TotalCPU core-hours x W/core; GPU = GPUs x elapsed x W/GPU; memory = requested GB x elapsed x "
      "W/GB;\n"
      "energy = PUE x sum; CO2e = energy x gCO2e/kWh. Powers per partition come from --cluster (docs/cluster.md).\n"
      "Examples:\n"
      "  co2e slurm init -o cluster.json\n"
      "  co2e slurm --cluster cluster.json -S 2024-01-01 -E 2024-02-01 --allusers --group-by account,day\n"
      "  co2e slurm --cluster cluster.json --sacct-file jobs.txt --format csv -o jobs.csv\n"
      "Exit codes: 0 ok, 2 invalid usage, 3 data or I/O error (unreadable file, sacct missing or failing).");
  auto o = std::make_shared<SlurmOptions>();
  add_env_option(*sub, "--cluster", o->cluster_file,
                 "cluster description (JSON, docs/cluster.md); without it, default powers")
      ->type_name("FILE")
      ->group("Source");
  sub->add_option("--sacct-file", o->sacct_file,
                  "read saved `sacct -P` output from FILE (- for stdin) instead of running sacct")
      ->type_name("FILE")
      ->group("Source");
  sub->add_option("-S,--start", o->query.start,
                  "sacct --starttime (e.g. 2024-01-01, now-7days; sacct's default: today 00:00)")
      ->type_name("TIME")
      ->group("Source");
  sub->add_option("-E,--end", o->query.end, "sacct --endtime")->type_name("TIME")->group("Source");
  sub->add_option("-u,--user", o->query.user, "sacct --user: comma-separated users")
      ->type_name("USERS")
      ->group("Source");
  sub->add_option("-A,--account", o->query.account, "sacct --account")->type_name("ACCOUNTS")->group("Source");
  sub->add_option("-r,--partition", o->query.partition, "sacct --partition")->type_name("PARTITIONS")->group("Source");
  sub->add_flag("-a,--allusers", o->query.all_users, "sacct --allusers: every user's jobs")->group("Source");
  sub->add_option("--group-by", o->group_by,
                  "summaries by user, account, partition, day and/or user+partition (default user,partition)")
      ->type_name("LIST")
      ->group("Output");
  sub->add_option("--measured", o->measured,
                  "co2e run --log FILE(s) of SLURM jobs (srun co2e run on each node or task): each job's rows are "
                  "summed and counted instead of SLURM's figure or the model")
      ->type_name("FILE")
      ->group("Source");
  sub->add_option("--top", o->top, "group tables: the N biggest rows, then one row for the others")
      ->type_name("N")
      ->group("Output");
  sub->add_option("--energy-source", o->energy_source,
                  "auto (default: SLURM's measured ConsumedEnergyRaw where recorded, the model otherwise), measured "
                  "(only jobs with a measurement) or model")
      ->type_name("WHICH")
      ->group("Output");
  sub->add_option("--success-states", o->success_states,
                  "states that count as success (default COMPLETED); others are failed")
      ->type_name("LIST")
      ->group("Output");
  add_env_option(*sub, "--format", o->format,
                 "text (default), json, markdown (summaries); csv, jsonl (one row per job)")
      ->type_name("FORMAT")
      ->group("Output");
  sub->add_option("--plot", o->plot,
                  "also write an SVG chart to FILE: CO2e per value of the first --group-by dimension stacked by "
                  "component, and per day (the Markdown report links it)")
      ->type_name("FILE.svg")
      ->group("Output");
  add_output_option(*sub, o->output);
  sub->add_flag("-q,--quiet", o->quiet, "no progress line on stderr")->group("Output");
  add_no_range_flag(*sub, o->no_range);
  o->grid = std::make_unique<EstimateOptions>(*sub, kSlurmFields);
  // What each flag means here: it wins over the cluster file's key.
  for (const auto& [f, help] : {std::pair<Field, const char*>{Field::pue, "PUE (wins over the cluster file's)"},
                                {Field::provider, "provider or platform whose default PUE to use"},
                                {Field::region, "grid region (wins over the cluster file's)"},
                                {Field::intensity, "gCO2e/kWh (wins over the region's)"}})
    o->grid->values[static_cast<std::size_t>(f)].option->description(help);

  auto* init = sub->add_subcommand(
      "init", "Write a commented cluster description template (partitions from sinfo when available)");
  auto out = std::make_shared<std::string>();
  auto no_sinfo = std::make_shared<bool>(false);
  auto force = std::make_shared<bool>(false);
  init->add_option("-o,--output", *out, "write to FILE instead of stdout")->type_name("FILE");
  init->add_flag("--no-sinfo", *no_sinfo, "do not run sinfo: example partitions");
  init->add_flag("--force", *force, "replace an existing -o FILE");
  init->callback([&ctx, out, no_sinfo, force] {
    ctx.run = [out, no_sinfo, force] { return run_init(*out, !*no_sinfo, *force); };
  });
  sub->callback([&ctx, o, init] {
    if (init->parsed()) {
      // `slurm -o FILE init` would write the template to stdout and ignore FILE.
      if (!o->output.empty())
        ctx.run = []() -> int {
          throw Failure(Error::usage("-o before init is the report's: write `co2e slurm init -o FILE`"));
        };
      return;
    }
    ctx.run = [&ctx, o] { return run_slurm(ctx, *o); };
  });
}

}  // namespace co2e::cli
