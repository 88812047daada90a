// A streaming reader of SLURM accounting (`sacct -P --noconvert` output). The header line gives
// the field order; each job's steps (`123.batch`, `123.extern`, `123.0`) follow the job line and
// are merged into it (max of times and memory, a failed step fails a completed job, see
// ../shared/METHODS.md). A job is finished when the next job starts, so memory does not grow with
// the number of jobs. Lines that cannot be used, and values that had to be defaulted, are counted
// by reason (SacctIssue) rather than aborting: real accounting logs are messy.
//
// Units: SLURM memory units are binary (1K = 1024 bytes, 1G = 1024^3 bytes); the reader converts
// them to GB = 10^9 bytes, the unit of the W/GB memory power model.
#pragma once

#include <sys/types.h>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "co2e/error.hpp"

namespace co2e {

/// The sacct fields co2e reads, in the order it asks sacct for them.
enum class SacctField : std::uint8_t {
  job_id,
  job_name,
  user,
  account,
  partition,
  submit,
  start,
  end,
  elapsed,
  nnodes,
  ncpus,
  total_cpu,
  cpu_time,
  req_mem,
  max_rss,
  state,
  alloc_tres,
  consumed_energy_raw,  ///< joules measured by SLURM's acct_gather_energy plugin (issue 13)
  count_,
};
/// The sacct name of a field: `JobID`, `TotalCPU`.
std::string_view sacct_field_name(SacctField f);
/// `JobID,JobName,...`: the `--format` list co2e passes to sacct.
std::string sacct_format_list();

/// Why a line or a job was skipped, or a value defaulted. Each occurrence is counted.
enum class SacctIssue : std::uint8_t {
  // skipped
  malformed_line,  ///< fewer fields than the header
  orphan_step,     ///< a step whose job line is not just before it (out of order or cut off)
  pending,         ///< job not started yet (PENDING, REQUEUED)
  running,         ///< job still running (RUNNING, SUSPENDED, ...)
  never_started,   ///< finished without running: Elapsed 0 and no Start (cancelled while pending)
  bad_elapsed,     ///< Elapsed empty, Unknown or unreadable
  bad_job_id,      ///< empty JobID
  // defaulted or repaired
  job_name_pipe,      ///< a JobName holding `|`: fields realigned
  total_cpu_zero,     ///< TotalCPU 0: CPUTime used (Green Algorithms)
  total_cpu_bad,      ///< TotalCPU empty or unreadable: CPUTime used
  cpu_time_bad,       ///< CPUTime empty or unreadable too: Elapsed × NCPUS used
  req_mem_bad,        ///< ReqMem empty or unreadable: memory not counted
  req_mem_zero,       ///< ReqMem 0 (whole node): the partition's node memory, else not counted
  max_rss_empty,      ///< MaxRSS empty on the job and every step: memory use unknown
  partition_list,     ///< Partition lists several: the first in the cluster description used
  partition_unknown,  ///< Partition not in the cluster description: default powers used
  step_failed,        ///< COMPLETED job with a failed step: counted as that step's state
  energy_zero,        ///< ConsumedEnergyRaw 0 on a job that ran: nothing recorded, the model used
  energy_broken,      ///< ConsumedEnergyRaw a sentinel (18446744073709551614) or implausible: the model used
  count_,
};
/// One sentence for the summary: `steps without their job line (skipped)`.
std::string_view sacct_issue_text(SacctIssue issue);
/// Short id for JSON and CSV: `orphan_step`.
std::string_view sacct_issue_id(SacctIssue issue);
/// True for the issues that drop a line or a job; false for defaulted values.
bool sacct_issue_skips(SacctIssue issue);

/// Counts over one read.
struct SacctStats {
  std::uint64_t lines = 0;  ///< data lines, header and blank lines excluded
  std::uint64_t jobs = 0;   ///< jobs handed on (finished, with steps merged)
  std::uint64_t steps = 0;  ///< step lines merged into their job
  std::array<std::uint64_t, static_cast<std::size_t>(SacctIssue::count_)> issues{};
  void add(SacctIssue i, std::uint64_t n = 1) { issues[static_cast<std::size_t>(i)] += n; }
  [[nodiscard]] std::uint64_t count(SacctIssue i) const { return issues[static_cast<std::size_t>(i)]; }
};

/// One finished job with its steps merged. Strings are reused from job to job (no allocation per
/// line once warm); copy what you keep.
struct SacctJob {
  std::string job_id;  ///< without step suffix: `123`, `123_4` (array), `123+0` (heterogeneous)
  std::string job_name, user, account;
  std::string partition;   ///< as sacct wrote it: may be a list `cpu,gpu`
  std::string state;       ///< first word, upper case: `CANCELLED` for `CANCELLED by 1000`
  std::string day;         ///< `YYYY-MM-DD` of End, else Start, else Submit; empty when none
  std::string start, end;  ///< as sacct wrote them (`2024-03-01T10:00:00`, `Unknown`), for the filters
  double elapsed_s = 0;
  double cpu_s = 0;  ///< core-seconds used: TotalCPU, else CPUTime, else Elapsed × NCPUS
  std::int64_t ncpus = 0;
  std::int64_t nnodes = 0;
  std::int64_t gpus = 0;   ///< `gres/gpu=N` (or the sum of typed `gres/gpu:T=N`) in AllocTRES
  double req_mem_gb = -1;  ///< whole job, GB (10^9 B); < 0 unknown; 0 means "whole node" (`0n`)
  double max_rss_gb = -1;  ///< largest MaxRSS of the job and its steps, GB; < 0 unknown
  int steps = 0;
  /// Energy SLURM measured (ConsumedEnergyRaw, else `energy=` in AllocTRES), joules: the job
  /// line's, else the largest of its steps'; < 0 when none was recorded or the value is unusable.
  double energy_j = -1;
};

/// Parses `sacct -P` text pushed to it in chunks of whole lines and calls `on_job` for each
/// finished job that ran (pending, running and unusable jobs are counted in stats() instead).
class SacctReader {
 public:
  using JobSink = std::function<void(const SacctJob&)>;
  explicit SacctReader(JobSink on_job);

  /// One line without its line break. The first non-blank line must be the header; a later line
  /// equal to a header (concatenated files) resets the field order. A header without JobID, State
  /// or Elapsed is a data Error.
  Status line(std::string_view text);
  /// Ends the input: hands on the last job. Without any header: a data Error.
  Status finish();
  /// Reads `fd` to its end with a large buffer and feeds every line; `origin` names it in errors.
  /// Does not call finish().
  Status read_fd(int fd, std::string_view origin);
  /// Feeds every line of `text` then finish(): for tests and small inputs.
  Status read_all(std::string_view text);

  [[nodiscard]] const SacctStats& stats() const { return stats_; }

 private:
  Status header(std::string_view text);
  void flush_job();
  void merge_step(std::string_view parent_state);

  JobSink on_job_;
  SacctStats stats_;
  std::array<int, static_cast<std::size_t>(SacctField::count_)> index_{};  // field → column, -1 absent
  std::size_t columns_ = 0;
  int job_name_col_ = -1;
  bool have_header_ = false;
  std::string header_text_;
  // the job being merged
  bool open_ = false;
  bool skip_ = false;
  SacctJob job_;
  double total_cpu_s_ = -1, cpu_time_s_ = -1;
  bool total_cpu_zero_ = false;
  std::string step_failed_state_;
  double energy_raw_ = -1;       // the job line's measured energy; -2: 0 recorded, -3: unusable
  double energy_step_max_ = -1;  // the largest usable energy of its steps
  std::vector<std::string_view> fields_;
};

/// The selection sacct makes with -u, -A, -r, -S and -E, applied to a saved dump (--sacct-file).
struct JobFilter {
  std::vector<std::string> users, accounts, partitions;  ///< empty: any
  std::string start, end;  ///< `YYYY-MM-DDTHH:MM:SS` (normalize_sacct_time); empty: unbounded
  [[nodiscard]] bool empty() const {
    return users.empty() && accounts.empty() && partitions.empty() && start.empty() && end.empty();
  }
};
/// `2024-03-01`, `2024-03-01T10:00`, `2024-03-01T10:00:00` → `2024-03-01T10:00:00`. Relative forms
/// (`now-7days`) and sacct's other forms are a usage Error: a saved dump has no "now".
Result<std::string> normalize_sacct_time(std::string_view text);
/// True when `job` is one sacct would have listed: its user, account and one of its partitions in
/// the lists, and its run [Start, End] overlapping [start, end] (a job that never started is
/// judged by its End; `Unknown` End: still running).
bool job_selected(const SacctJob& job, const JobFilter& f);

/// The sacct command line for the filters given (empty strings are left out).
struct SacctQuery {
  std::string start, end, user, account, partition;
  bool all_users = false;
};
std::vector<std::string> sacct_argv(const SacctQuery& q);

}  // namespace co2e
