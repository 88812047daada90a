// The report of `co2e run`: a plain struct assembled from the meter and the child's outcome, and
// pure renderers over it (text summary, JSON document, CSV log row, live status line), plus the
// locked append of a log row.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/estimate.hpp"
#include "co2e/intensity_series.hpp"
#include "co2e/meter.hpp"
#include "co2e/subprocess.hpp"

namespace co2e {

/// The energy of a run weighed against an intensity series (--intensity-series): each stretch of
/// energy between two samples times the series' average over that stretch. Energy in a gap of
/// the series is counted at the annual figure, and reported as such.
struct SeriesWeighting {
  const IntensitySeries* series = nullptr;
  double weighed_kwh = 0;    ///< energy (before PUE) that fell inside the series
  double weighed_g = 0;      ///< its emissions (before PUE)
  double uncovered_kwh = 0;  ///< energy in gaps or outside the series: counted at the annual figure
  double seen_kwh = 0;       ///< meter total at the last weighing
  std::chrono::system_clock::time_point last{};
};

/// Everything `co2e run` reports about one run.
struct RunReport {
  std::vector<std::string> command;
  std::string host;
  std::chrono::system_clock::time_point start{}, end{};
  ChildOutcome outcome;
  int exit_status = 0;  ///< what co2e exits with
  Scope scope = Scope::process;
  double interval_s = 1;
  MeterTotals totals;
  ComponentReport cpu, memory, gpu;
  std::vector<GpuEnergy> gpus;
  PueChoice pue;
  IntensityChoice intensity;
  double energy_kwh = 0;  ///< PUE included
  double co2e_g = 0;
  std::optional<SeriesWeighting> series;  ///< with --intensity-series
  RunLimits limits;
  std::string stop_reason;               ///< why the budget stopped the command
  RunLimit stopped_by = RunLimit::none;  ///< the limit whose crossing stopped the command
  std::vector<std::string> warnings;     ///< projection warnings given during the run
  Baseline baseline;                     ///< --baseline: the machine's power before the command
  /// SLURM_JOB_ID, SLURM_STEP_ID, SLURM_NODEID, SLURM_PROCID when run under srun/sbatch (empty
  /// otherwise): `co2e slurm --measured` sums a job's rows over its nodes and tasks.
  std::array<std::string, 4> slurm;
  bool include_static = true;  ///< --static include (default) or exclude
  /// Where each figure input came from (a typed flag or its CO2E_ variable), as estimate's
  /// `inputs.origins`: a stale `export CO2E_PUE=2` is named, not passed off as a flag (issue 12).
  std::array<Origin, kFieldCount> origins{};
  Origin budget_origin;  ///< --budget or CO2E_BUDGET (kind default without a budget)
  // The whole footprint (issue 15):
  double node_power_w = 0;  ///< --node-power (--scope machine): the node beyond its chips, before PUE
  double server_kwh = 0;    ///< node_power_w × wall time
  bool embodied = false;    ///< --server-embodied or --embodied-gpu given
  double embodied_kg_per_node = 0, embodied_kg_per_gpu = 0;
  double lifetime_years = 6, utilisation = 0.85;
  double embodied_kg = 0;  ///< the node's and the counted GPUs' manufacturing share over the wall time
};

/// True when every measured component is split into dynamic and static energy (false when a
/// machine counter was read without a baseline).
bool energy_split_known(const RunReport& r);

/// Weighs the energy used since the last call (meter total `total_kwh`, before PUE) by the
/// series over [last, now). Call at each sample and once at the end.
void weigh_by_series(SeriesWeighting& w, double total_kwh, std::chrono::system_clock::time_point now);

/// Fills energy_kwh and co2e_g from the totals, the PUE and the intensity (the series-weighted
/// figure when r.series is set, the annual one for energy the series does not cover).
void compute_footprint(RunReport& r);

/// The summary co2e prints on stderr when the command ends.
std::string render_run_text(const RunReport& r, const Dataset& data);
/// A compact Markdown summary table (`run --format markdown`, `--summary-file`), for CI step
/// summaries: footprint, energy, each component with its method, PUE, grid, how the command ended.
std::string render_run_markdown(const RunReport& r, const Dataset& data);
/// One JSON document (schema_version 1), documented in docs/cli.md.
std::string render_run_json(const RunReport& r, const Dataset& data);
/// The columns of the --log CSV file, in order.
const std::vector<std::string_view>& run_log_columns();
/// The SLURM variables a run records, in the order of RunReport::slurm.
constexpr std::array<const char*, 4> kRunSlurmVariables{"SLURM_JOB_ID", "SLURM_STEP_ID", "SLURM_NODEID",
                                                        "SLURM_PROCID"};
/// --log FILE with SLURM's filename patterns expanded, for one file per node or task on a shared
/// filesystem: %h host, %j SLURM_JOB_ID, %s SLURM_STEP_ID, %n SLURM_NODEID, %t SLURM_PROCID, %%
/// a %. A pattern whose variable is unset is an error naming it.
Result<std::string> expand_log_path(std::string_view pattern, const std::string& host,
                                    const std::array<std::string, 4>& slurm);
/// `co2e run --upgrade-log FILE`: rewrites a --log file written by an older co2e run (its header
/// a prefix of today's columns) with today's header, each old row keeping its values and gaining
/// the new columns (co2e_kg = co2e_g / 1000; the others, not recorded then, empty); atomically
/// (a temporary file renamed). Returns the number of rows; changes nothing on any error.
Result<std::size_t> upgrade_run_log(const std::string& path);
/// The header line of the --log file (ends with a newline).
std::string run_log_header();
/// One --log row (ends with a newline).
std::string run_log_row(const RunReport& r);
/// Opens --log FILE for appending (creating it empty when new) and closes it: the check `co2e run`
/// makes before starting the command. With `header`, a non-empty file must start with it. `flag`
/// names the file in messages (--log, --summary-file).
Status check_log(const std::string& path, std::string_view header = {}, std::string_view flag = "--log");
/// Appends `row` to `path` under an exclusive flock, writing `header` first when the file is new
/// or empty; one write per call, so concurrent runs never interleave. A file that starts with
/// another header (an older co2e's columns) is refused: its rows would not line up.
Status append_log(const std::string& path, std::string_view header, std::string_view row,
                  std::string_view flag = "--log");
/// The live status line: `co2e: 1 min 20 s  3.2 Wh  1.5 g CO2e  (CPU rapl 95 W)`.
std::string render_progress(const MeterTotals& t, double energy_kwh, double co2e_g);

}  // namespace co2e
