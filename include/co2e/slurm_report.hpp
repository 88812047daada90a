// Footprints of SLURM jobs and their summaries: per job (Green Algorithms for HPC, METHODS.md)
//   cpu    = core-hours used (TotalCPU) × W per core / 1000
//   gpu    = GPUs (AllocTRES) × elapsed h × W per GPU / 1000
//   memory = memory requested GB × elapsed h × W per GB / 1000
//   energy_kwh = PUE × (cpu + gpu + memory)      co2e_g = energy_kwh × intensity   (energy.hpp)
// then totals by user, account, partition and day, the share of failed jobs, and what right-sized
// memory requests would have saved. Compute here; the render_* functions only format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "co2e/chart.hpp"
#include "co2e/cluster.hpp"
#include "co2e/csv.hpp"
#include "co2e/data.hpp"
#include "co2e/sacct.hpp"

namespace co2e {

/// The footprint of one job. String views point into the SacctJob and the Cluster.
struct JobFootprint {
  const SacctJob* job = nullptr;
  std::string_view partition;  ///< the partition used for the powers (first described of a list)
  const PartitionPower* power = nullptr;
  bool success = true;  ///< state in the success states
  double elapsed_h = 0;
  double core_hours = 0;  ///< used: TotalCPU / 3600
  double gpu_hours = 0;
  double memory_gb = 0;                             ///< requested (ReqMem, or node memory for ReqMem 0); 0 when unknown
  double cpu_kwh = 0, gpu_kwh = 0, memory_kwh = 0;  ///< before PUE
  double energy_kwh = 0;                            ///< PUE included
  double co2e_g = 0;
  double used_gb = -1;         ///< MaxRSS; < 0 unknown
  double right_sized_gb = -1;  ///< used rounded up to the granularity; < 0 unknown
  double savings_kwh = 0;      ///< PUE included: (requested − right-sized) × h × W/GB
  /// Measured energy (issue 13): SLURM's ConsumedEnergyRaw, before PUE; < 0 when none recorded.
  double measured_kwh = -1;
  double model_kwh = 0;               ///< cpu + gpu + memory: the model, before PUE (always computed)
  std::string_view method = "model";  ///< `co2e_run`, `measured` or `model`: which one energy_kwh uses
  double run_log_kwh = -1;            ///< sum of the job's `co2e run --log` rows (--measured), before PUE
  bool counted = true;                ///< false: left out (--energy-source measured, nothing recorded)
  // The whole footprint (issue 15), from the partition's cluster-file keys:
  double node_hours = 0;   ///< NNodes × elapsed
  double server_kwh = 0;   ///< node_power_w × node-hours, before PUE; in model_kwh (a measurement includes it)
  double embodied_kg = 0;  ///< the job's share of embodied_kg_per_node and embodied_kg_per_gpu
  /// Bounds of energy_kwh and co2e_g (issue 17): the model with every input at its low (high)
  /// end of range; a measured energy is exact, only PUE and grid vary.
  double energy_kwh_low = 0, energy_kwh_high = 0;
  double co2e_g_low = 0, co2e_g_high = 0;
  double embodied_kg_low = 0, embodied_kg_high = 0;  ///< amortised_bounds() of the partition's kg figures
  bool ranged = false;                               ///< false with --no-range: the bounds are not computed
};

/// `co2e run --log` rows of SLURM jobs (srun co2e run ... on every node or task), summed per
/// job: `co2e slurm --measured FILE`.
struct RunLogJob {
  double kwh = 0;  ///< cpu_kwh + memory_kwh + gpu_kwh (+ server_kwh) of its rows: before PUE, what each run counted
  std::uint64_t rows = 0;
};
struct RunLogs {
  std::unordered_map<std::string, RunLogJob> jobs;  ///< by SLURM_JOB_ID
  std::uint64_t rows = 0;                           ///< rows read
  std::uint64_t rows_without_job = 0;               ///< rows of runs outside SLURM (no slurm_job_id)
};
/// Reads one --log file (`origin` names it in errors) into `logs`. A file without the columns
/// slurm_job_id, cpu_kwh, memory_kwh, gpu_kwh, or a row whose energy is not a number, is a data
/// Error naming the file, line and column.
Status read_run_log(ReadFn read, std::string_view origin, RunLogs& logs);

/// Which energy `co2e slurm` counts per job.
enum class SlurmEnergySource : std::uint8_t {
  automatic,  ///< co2e run's rows (--measured), else SLURM's measurement, else the model (default)
  measured,   ///< measured only; jobs without a recorded energy are left out, and counted
  model,      ///< the model for every job; measured figures still compared
};
/// `auto`, `measured`, `model`; anything else is a usage Error.
Result<SlurmEnergySource> parse_energy_source(std::string_view text);
std::string_view energy_source_name(SlurmEnergySource s);

/// Sums over a set of jobs.
struct SlurmTotals {
  std::uint64_t jobs = 0;
  double elapsed_h = 0, core_hours = 0, gpu_hours = 0;
  double cpu_kwh = 0, gpu_kwh = 0, memory_kwh = 0;  ///< before PUE
  double energy_kwh = 0, co2e_g = 0;
  std::uint64_t failed_jobs = 0;
  double failed_energy_kwh = 0, failed_co2e_g = 0;
  std::uint64_t rss_jobs = 0;  ///< jobs with a MaxRSS
  double requested_gbh = 0;    ///< memory requested × elapsed, jobs with a MaxRSS
  double used_gbh = 0;         ///< MaxRSS × elapsed, same jobs
  double savings_kwh = 0, savings_g = 0;
  std::uint64_t measured_jobs = 0;                   ///< jobs whose energy_kwh is SLURM's measurement
  double measured_kwh = 0;                           ///< their measured energy, before PUE (not in cpu/gpu/memory_kwh)
  std::uint64_t both_jobs = 0;                       ///< jobs with a measurement, whichever was counted
  double both_measured_kwh = 0, both_model_kwh = 0;  ///< before PUE, over the both_jobs
  std::uint64_t run_log_jobs = 0;                    ///< jobs counted at the sum of their co2e run rows (--measured)
  double run_log_kwh = 0;                            ///< that sum, before PUE
  double server_kwh = 0;                             ///< model jobs' server overhead, before PUE (issue 15)
  double embodied_kg = 0;                            ///< manufacturing share, apart from co2e_g
  /// Σ of the jobs' bounds (issue 17): the bound of a sum is the sum of the bounds.
  double energy_kwh_low = 0, energy_kwh_high = 0;
  double co2e_g_low = 0, co2e_g_high = 0;
  double embodied_kg_low = 0, embodied_kg_high = 0;
  bool ranged = false;      ///< some job carried bounds (not with --no-range)
  PartValues co2e_parts{};  ///< kg CO2e by part (split_co2e; measured and co2e run energies: Part::known)
  void add(const JobFootprint& f);
  void merge(const SlurmTotals& other);  ///< adds another set's sums (--top's "others" row)
};

/// How the summaries group jobs.
/// `user_partition` (`user+partition`): one row per user and partition, the key `alice\tcpu`.
enum class GroupBy : std::uint8_t { user, account, partition, day, user_partition };
constexpr std::size_t kGroupByCount = 5;
std::string_view group_by_name(GroupBy g);
/// `user,partition` → the dimensions; anything else is a usage Error listing the names.
Result<std::vector<GroupBy>> parse_group_by(std::string_view text);

/// Formats of `co2e slurm`: per-job streams (csv, jsonl) and summaries (text, json, markdown).
enum class SlurmFormat : std::uint8_t { text, json, markdown, csv, jsonl };
Result<SlurmFormat> parse_slurm_format(std::string_view text);

/// The accumulator: turns each SacctJob into a JobFootprint and adds it to the summaries.
/// Memory grows with the number of groups (users, accounts, partitions, days), not of jobs.
class SlurmReport {
 public:
  /// `success_states`: states that count as success (default COMPLETED).
  SlurmReport(const Cluster& cluster, std::vector<GroupBy> group_by, std::vector<std::string> success_states);

  /// The footprint of `job`, added to every summary.
  JobFootprint add(const SacctJob& job);
  /// Copies the reader's counts into the summary (and adds the partition issues found here).
  void set_stats(const SacctStats& stats);
  /// Jobs of a saved dump that the filters (`-u alice -S 2024-03-01`) left out.
  void set_filtered_out(std::uint64_t jobs, std::string filters) {
    filtered_out_ = jobs;
    filters_ = std::move(filters);
  }
  [[nodiscard]] std::uint64_t filtered_out() const { return filtered_out_; }
  [[nodiscard]] const std::string& filters() const { return filters_; }
  /// --top N: the group tables show the N biggest rows and one row for the others (0: all).
  void set_top(std::size_t n) { top_ = n; }
  [[nodiscard]] std::size_t top() const { return top_; }
  /// --measured: co2e run's rows per job, which win over SLURM's figure; call before add().
  void set_run_logs(const RunLogs* logs) { run_logs_ = logs; }
  [[nodiscard]] const RunLogs* run_logs() const { return run_logs_; }
  /// --no-range (issue 17): no bounds are computed and the outputs leave them null or empty; call
  /// before add().
  void set_no_range(bool no_range) { ranged_ = !no_range; }
  [[nodiscard]] bool ranged() const { return ranged_; }
  /// --energy-source (default automatic); call before add().
  void set_energy_source(SlurmEnergySource s) { energy_source_ = s; }
  [[nodiscard]] SlurmEnergySource energy_source() const { return energy_source_; }
  /// Jobs left out by --energy-source measured because SLURM recorded no energy for them.
  [[nodiscard]] std::uint64_t unmeasured_left_out() const { return unmeasured_left_out_; }

  [[nodiscard]] const Cluster& cluster() const { return *cluster_; }
  [[nodiscard]] const SlurmTotals& total() const { return total_; }
  [[nodiscard]] const std::vector<GroupBy>& group_by() const { return group_by_; }
  /// Totals per value of `g` (empty map when `g` was not asked for), in key order.
  [[nodiscard]] const std::map<std::string, SlurmTotals, std::less<>>& groups(GroupBy g) const;
  [[nodiscard]] const std::map<std::string, SlurmTotals, std::less<>>& by_state() const { return by_state_; }
  /// Totals per day (the job's end, else start), always kept: the --plot series.
  [[nodiscard]] const std::map<std::string, SlurmTotals, std::less<>>& by_day() const { return by_day_; }
  /// Partitions not in the description, with their job counts (at most 100 names kept).
  [[nodiscard]] const std::map<std::string, std::uint64_t, std::less<>>& unknown_partitions() const { return unknown_; }
  [[nodiscard]] const SacctStats& stats() const { return stats_; }
  [[nodiscard]] const std::vector<std::string>& success_states() const { return success_; }
  [[nodiscard]] std::string_view first_day() const { return first_day_; }
  [[nodiscard]] std::string_view last_day() const { return last_day_; }

 private:
  const Cluster* cluster_;
  std::vector<GroupBy> group_by_;
  std::vector<std::string> success_;
  SlurmTotals total_;
  std::array<std::map<std::string, SlurmTotals, std::less<>>, kGroupByCount> groups_;
  std::map<std::string, SlurmTotals, std::less<>> by_state_;
  std::map<std::string, SlurmTotals, std::less<>> by_day_;
  SlurmTotals* last_day_totals_ = nullptr;
  std::string last_day_key_;
  std::map<std::string, std::uint64_t, std::less<>> unknown_;
  std::uint64_t partition_list_ = 0, partition_unknown_ = 0;
  bool ranged_ = true;
  SacctStats stats_;
  std::string first_day_, last_day_;
  SlurmEnergySource energy_source_ = SlurmEnergySource::automatic;
  std::uint64_t unmeasured_left_out_ = 0;
  const RunLogs* run_logs_ = nullptr;
  std::uint64_t filtered_out_ = 0;
  std::string filters_;
  // last lookups, because consecutive jobs often share a user, account, partition and day
  std::array<SlurmTotals*, kGroupByCount> last_group_{};
  std::array<std::string, kGroupByCount> last_key_;
  std::string pair_key_;  // user TAB partition, reused
  std::size_t top_ = 0;
  const PartitionPower* last_power_ = nullptr;
  void choose_energy(JobFootprint& f, const SacctJob& j);
  std::string last_partition_;
};

/// The CSV header of the per-job stream (with a line break).
std::string_view job_csv_header();
/// One CSV row (with a line break) appended to `out`.
void append_job_csv(std::string& out, const JobFootprint& f);
/// One JSON object on one line appended to `out`.
void append_job_jsonl(std::string& out, const JobFootprint& f);

/// The human report: totals, breakdown, failed jobs, memory right-sizing, equivalences, groups,
/// skipped and defaulted lines with their reasons, and the figures used.
std::string render_slurm_text(const SlurmReport& r, const Dataset& data);
/// One JSON document (schema_version 1), documented in docs/cli.md.
std::string render_slurm_json(const SlurmReport& r, const Dataset& data);
/// The same as text, as Markdown tables for reports and wikis; `svg_link`, when not empty, is the
/// --plot chart the report shows first.
std::string render_slurm_markdown(const SlurmReport& r, const Dataset& data, std::string_view svg_link = {});
/// `co2e slurm --plot`: CO2e per value of the first --group-by dimension (the 20 biggest, or
/// --top N, and the others in one bar), stacked by part, then CO2e per day.
std::vector<StackedBars> slurm_charts(const SlurmReport& r);
/// One line for stderr after a per-job stream: totals and counts of skipped and defaulted lines.
std::string render_slurm_stream_note(const SlurmReport& r);

}  // namespace co2e
