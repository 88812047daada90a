// The sacct reader: header mapping, field splitting without allocation, step merging, and the
// SLURM value forms (durations, binary memory sizes with n/c suffixes, AllocTRES lists).
#include "co2e/sacct.hpp"
#include "co2e/quote.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "co2e/units.hpp"

namespace co2e {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(SacctField::count_)> kFieldNames{
    "JobID",  "JobName", "User",     "Account", "Partition", "Submit", "Start", "End",       "Elapsed",
    "NNodes", "NCPUS",   "TotalCPU", "CPUTime", "ReqMem",    "MaxRSS", "State", "AllocTRES", "ConsumedEnergyRaw"};

struct IssueInfo {
  std::string_view id;
  std::string_view text;
  bool skips;
};
constexpr std::array<IssueInfo, static_cast<std::size_t>(SacctIssue::count_)> kIssues{{
    {"malformed_line", "lines with fewer fields than the header (skipped)", true},
    {"orphan_step", "steps without their job line just before them (skipped)", true},
    {"pending", "jobs pending or requeued (skipped)", true},
    {"running", "jobs still running or suspended (skipped)", true},
    {"never_started", "jobs that ended without starting, e.g. cancelled while pending (skipped)", true},
    {"bad_elapsed", "jobs with an empty, Unknown or unreadable Elapsed (skipped)", true},
    {"bad_job_id", "lines with an empty JobID (skipped)", true},
    {"job_name_pipe", "job names containing '|': fields realigned", false},
    {"total_cpu_zero", "jobs with TotalCPU 0: CPUTime (Elapsed x NCPUS) used instead", false},
    {"total_cpu_bad", "jobs with an empty or unreadable TotalCPU: CPUTime used instead", false},
    {"cpu_time_bad", "jobs with no readable CPU time at all: Elapsed x NCPUS used", false},
    {"req_mem_bad", "jobs with an empty or unreadable ReqMem: memory not counted", false},
    {"req_mem_zero", "jobs with ReqMem 0 (whole node): node memory used when the partition gives it", false},
    {"max_rss_empty", "jobs with no MaxRSS on any step: memory use unknown, no right-sizing", false},
    {"partition_list", "jobs with a list of partitions: the first one described used", false},
    {"partition_unknown", "jobs on partitions missing from the cluster description: default powers used", false},
    {"step_failed", "COMPLETED jobs with a failed step: counted as failed", false},
    {"energy_zero", "jobs with ConsumedEnergyRaw 0: no energy recorded, the model used", false},
    {"energy_broken",
     "jobs with a broken energy counter (a sentinel such as 18446744073709551614, or over 100 kW per node): the "
     "model used",
     false},
}};

/// States of jobs that have not run yet, and of jobs still running.
constexpr std::array<std::string_view, 5> kPendingStates{"PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
                                                         "RESV_DEL_HOLD"};
constexpr std::array<std::string_view, 8> kRunningStates{"RUNNING",     "SUSPENDED", "RESIZING",  "COMPLETING",
                                                         "CONFIGURING", "STOPPED",   "SIGNALING", "STAGE_OUT"};
/// Step states that make a COMPLETED job a failed one.
constexpr std::array<std::string_view, 5> kFailedStepStates{"FAILED", "OUT_OF_MEMORY", "NODE_FAIL", "TIMEOUT",
                                                            "BOOT_FAIL"};

template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

/// `CANCELLED by 1000` → `CANCELLED`.
std::string_view first_word(std::string_view s) {
  s = trim(s);
  return s.substr(0, s.find(' '));
}

/// A SLURM duration in seconds, or < 0 when empty, Unknown or unreadable: `[D-]HH:MM:SS[.mmm]`,
/// `MM:SS[.mmm]`, `D-HH`, `D-HH:MM`. Integer arithmetic: this runs three times per line and was
/// the reader's hot spot with from_chars(double) (callgrind, docs/performance.md).
double duration_s(std::string_view s) {
  const char* p = s.data();
  const char* const e = p + s.size();
  if (p == e || *p < '0' || *p > '9') return -1;  // empty, Unknown, INVALID
  std::int64_t days = 0;
  std::array<std::int64_t, 3> parts{};
  int n = 0;
  bool dash = false;
  double frac = 0;
  while (true) {
    std::int64_t v = 0;
    const char* const start = p;
    while (p < e && *p >= '0' && *p <= '9') {
      if (p - start >= 12) return -1;  // no real duration has that many digits; and no overflow
      v = v * 10 + (*p - '0');
      ++p;
    }
    if (p == start) return -1;
    if (p < e && *p == '-') {
      if (dash || n > 0) return -1;
      dash = true;
      days = v;
      ++p;
      continue;
    }
    if (n == 3) return -1;
    parts[static_cast<std::size_t>(n++)] = v;
    if (p == e) break;
    if (*p == ':') {
      ++p;
      continue;
    }
    if (*p != '.') return -1;
    ++p;  // fraction of a second: the last part only
    double scale = 0.1;
    const char* const fs = p;
    while (p < e && *p >= '0' && *p <= '9') {
      frac += (*p - '0') * scale;
      scale *= 0.1;
      ++p;
    }
    if (p == fs || p != e) return -1;
    break;
  }
  std::int64_t h = 0, m = 0, sec = 0;
  if (dash) {
    h = parts[0];
    m = n > 1 ? parts[1] : 0;
    sec = n > 2 ? parts[2] : 0;
  } else if (n == 2) {
    m = parts[0];
    sec = parts[1];
  } else if (n == 3) {
    h = parts[0];
    m = parts[1];
    sec = parts[2];
  } else {
    return -1;  // a bare number is not a clock
  }
  if ((dash || n == 3) && m >= 60) return -1;
  if (sec >= 60) return -1;
  return static_cast<double>(((days * 24 + h) * 60 + m) * 60 + sec) + frac;
}

std::int64_t integer(std::string_view s, std::int64_t fallback) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && v >= 0 ? v : fallback;
}

/// `4000M`, `4Gc`, `0n`, `1T`, `2.5G`, `1234K`: bytes, or < 0 when unreadable. `per` receives
/// 'n', 'c' or 0; a bare number is in `default_unit`: M for ReqMem (SLURM's unit), B for MaxRSS
/// (what `sacct --noconvert` prints for it, checked on SLURM 22.05).
double slurm_bytes(std::string_view s, char default_unit, char& per) {
  per = 0;
  if (s.empty()) return -1;
  if (s.back() == 'n' || s.back() == 'c') {
    per = s.back();
    s.remove_suffix(1);
  }
  char unit = default_unit;
  if (!s.empty() && ((s.back() >= 'A' && s.back() <= 'Z') || (s.back() >= 'a' && s.back() <= 'z'))) {
    unit = static_cast<char>(s.back() & ~0x20);
    s.remove_suffix(1);
  }
  if (s.empty()) return -1;
  double v = 0;
  std::int64_t iv = 0;
  const auto [ip, iec] = std::from_chars(s.data(), s.data() + s.size(), iv);
  if (iec == std::errc() && ip == s.data() + s.size()) {
    v = static_cast<double>(iv);  // the usual case: whole numbers
  } else {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return -1;
  }
  if (v < 0) return -1;
  switch (unit) {
    case 'B':
      return v;
    case 'K':
      return v * 1024.0;
    case 'M':
      return v * 1048576.0;
    case 'G':
      return v * 1073741824.0;
    case 'T':
      return v * 1099511627776.0;
    case 'P':
      return v * 1125899906842624.0;
    default:
      return -1;
  }
}

/// GPUs in an AllocTRES list: `gres/gpu=N`, else the sum of typed `gres/gpu:TYPE=N`.
std::int64_t tres_gpus(std::string_view tres) {
  std::int64_t plain = -1, typed = 0;
  while (!tres.empty()) {
    const auto comma = tres.find(',');
    const std::string_view item = tres.substr(0, comma);
    tres = comma == std::string_view::npos ? std::string_view{} : tres.substr(comma + 1);
    if (!item.starts_with("gres/gpu")) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, eq);
    const std::int64_t n = integer(item.substr(eq + 1), 0);
    if (key == "gres/gpu")
      plain = n;
    else if (key.size() > 9 && key[8] == ':')
      typed += n;
  }
  return plain >= 0 ? plain : typed;
}

/// SLURM's measured energy of a line, joules: ConsumedEnergyRaw, else `energy=N` in AllocTRES
/// (the job record's TRES, which holds the same figure). -1: none recorded (empty, absent);
/// -2: 0 (the plugin recorded nothing); -3: unusable (a NO_VAL64/INFINITE64-style sentinel,
/// anything at or above 2^63, or not a number).
double energy_field(std::string_view raw, std::string_view tres) {
  raw = trim(raw);
  if (raw.empty()) {
    for (std::string_view rest = tres; !rest.empty();) {
      const auto comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (item.starts_with("energy=")) {
        raw = item.substr(7);
        break;
      }
    }
    if (raw.empty()) return -1;
  }
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (ec != std::errc() || p != raw.data() + raw.size()) return -3;
  if (v >= (std::uint64_t{1} << 63)) return -3;  // 18446744073709551614 (NO_VAL64) and kin
  if (v == 0) return -2;
  return static_cast<double>(v);
}

/// `2024-03-01T10:00:00` → `2024-03-01`; empty for Unknown, None or other text.
std::string_view day_of(std::string_view ts) {
  if (ts.size() >= 10 && ts[4] == '-' && ts[7] == '-' && ts[0] >= '0' && ts[0] <= '9') return ts.substr(0, 10);
  return {};
}

}  // namespace

std::string_view sacct_field_name(SacctField f) { return kFieldNames[static_cast<std::size_t>(f)]; }

std::string sacct_format_list() {
  std::string out;
  for (auto name : kFieldNames) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

Result<std::string> normalize_sacct_time(std::string_view text) {
  const std::string_view t = trim(text);
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > t.size()) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (t[i] < '0' || t[i] > '9') return false;
    return true;
  };
  const bool date = t.size() >= 10 && digits(0, 4) && t[4] == '-' && digits(5, 2) && t[7] == '-' && digits(8, 2);
  if (date && t.size() == 10) return std::string(t) + "T00:00:00";
  if (date && t[10] == 'T' && digits(11, 2) && t.size() >= 16 && t[13] == ':' && digits(14, 2)) {
    if (t.size() == 16) return std::string(t) + ":00";
    if (t.size() == 19 && t[16] == ':' && digits(17, 2)) return std::string(t);
  }
  return Error::usage(fmt::format(
      "{}: with --sacct-file give YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (relative times such as "
      "now-7days need sacct itself)",
      quote_for_message(t)));
}

bool job_selected(const SacctJob& job, const JobFilter& f) {
  auto in = [](const std::vector<std::string>& list, std::string_view v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  if (!in(f.users, job.user) || !in(f.accounts, job.account)) return false;
  if (!f.partitions.empty()) {
    bool any = false;
    std::string_view rest = job.partition;  // a pending job's list: any of them
    while (!any) {
      const auto comma = rest.find(',');
      any = in(f.partitions, rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (!any) return false;
  }
  // ISO timestamps compare as strings. sacct lists a job in [S, E] when it ran at any moment in it.
  const bool has_end = !day_of(job.end).empty(), has_start = !day_of(job.start).empty();
  if (!f.start.empty() && has_end && job.end < f.start) return false;
  if (!f.end.empty()) {
    const std::string& began = has_start ? job.start : job.end;
    if ((has_start || has_end) && began > f.end) return false;
  }
  return true;
}

std::string_view sacct_issue_text(SacctIssue issue) { return kIssues[static_cast<std::size_t>(issue)].text; }
std::string_view sacct_issue_id(SacctIssue issue) { return kIssues[static_cast<std::size_t>(issue)].id; }
bool sacct_issue_skips(SacctIssue issue) { return kIssues[static_cast<std::size_t>(issue)].skips; }

SacctReader::SacctReader(JobSink on_job) : on_job_(std::move(on_job)) {
  index_.fill(-1);
  fields_.reserve(32);
}

Status SacctReader::header(std::string_view text) {
  flush_job();
  index_.fill(-1);
  columns_ = 0;
  job_name_col_ = -1;
  std::string_view rest = text;
  while (true) {
    const auto bar = rest.find('|');
    const std::string_view name = trim(rest.substr(0, bar));
    for (std::size_t f = 0; f < kFieldNames.size(); ++f)
      if (index_[f] < 0 && iequal(name, kFieldNames[f])) index_[f] = static_cast<int>(columns_);
    ++columns_;
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  if (!text.empty() && text.back() == '|') --columns_;  // `sacct -p` ends lines with '|'
  std::string missing;
  for (auto f : {SacctField::job_id, SacctField::state, SacctField::elapsed}) {
    if (index_[static_cast<std::size_t>(f)] >= 0) continue;
    if (!missing.empty()) missing += ", ";
    missing += sacct_field_name(f);
  }
  if (!missing.empty())
    return Error::data(fmt::format(
        "the first line is not a sacct -P header with JobID, State and Elapsed (missing {}): {}{}; "
        "save sacct output with -P and without --noheader, e.g. sacct -P --noconvert --format={}",
        missing, quote_for_message(text, 120), looks_binary(text) ? " (binary data?)" : "", sacct_format_list()));
  job_name_col_ = index_[static_cast<std::size_t>(SacctField::job_name)];
  header_text_.assign(text);
  have_header_ = true;
  return std::nullopt;
}

void SacctReader::flush_job() {
  if (!open_) return;
  open_ = false;
  if (skip_) return;
  SacctJob& j = job_;
  if (energy_raw_ < 0 && energy_step_max_ > 0) energy_raw_ = energy_step_max_;
  if (total_cpu_s_ > 0) {
    j.cpu_s = total_cpu_s_;
  } else {
    if (total_cpu_s_ == 0) {
      if (j.elapsed_s > 0) stats_.add(SacctIssue::total_cpu_zero);
    } else {
      stats_.add(SacctIssue::total_cpu_bad);
    }
    if (cpu_time_s_ >= 0) {
      j.cpu_s = cpu_time_s_;
    } else {
      stats_.add(SacctIssue::cpu_time_bad);
      j.cpu_s = j.elapsed_s * static_cast<double>(j.ncpus);
    }
  }
  if (j.req_mem_gb < 0)
    stats_.add(SacctIssue::req_mem_bad);
  else if (j.req_mem_gb == 0)
    stats_.add(SacctIssue::req_mem_zero);
  if (j.max_rss_gb < 0) stats_.add(SacctIssue::max_rss_empty);
  // Measured energy: above 100 kW per node on average no node draws; such a figure is a broken
  // counter (a wrap or a reset), as are the sentinels.
  constexpr double kMaxNodePowerW = 100e3;
  j.energy_j = -1;
  if (energy_raw_ > 0 && j.elapsed_s > 0 &&
      energy_raw_ / (j.elapsed_s * static_cast<double>(std::max<std::int64_t>(j.nnodes, 1))) > kMaxNodePowerW)
    energy_raw_ = -3;
  if (energy_raw_ > 0)
    j.energy_j = energy_raw_;
  else if (energy_raw_ == -2 && j.elapsed_s > 0)
    stats_.add(SacctIssue::energy_zero);
  else if (energy_raw_ == -3)
    stats_.add(SacctIssue::energy_broken);
  if (!step_failed_state_.empty() && j.state == "COMPLETED") {
    j.state = step_failed_state_;
    stats_.add(SacctIssue::step_failed);
  }
  ++stats_.jobs;
  on_job_(j);
}

// long-function: the inner loop of `co2e slurm` (issue 5: a million lines a second): one pass over a
// line's fields with no call per field; the job/step merging below shares its locals.
Status SacctReader::line(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.empty() || trim(text).empty()) return std::nullopt;
  if (!have_header_) return header(text);
  if (text.starts_with("JobID|") || text == header_text_) {  // concatenated files: a new header
    if (text == header_text_) return std::nullopt;
    return header(text);
  }
  ++stats_.lines;

  // Split on '|' into views; no allocation once fields_ has grown.
  fields_.clear();
  const char* p = text.data();
  const char* const end = p + text.size();
  while (true) {
    const void* bar = std::memchr(p, '|', static_cast<std::size_t>(end - p));
    if (bar == nullptr) {
      fields_.emplace_back(p, static_cast<std::size_t>(end - p));
      break;
    }
    const char* b = static_cast<const char*>(bar);
    fields_.emplace_back(p, static_cast<std::size_t>(b - p));
    p = b + 1;
  }
  std::size_t n = fields_.size();
  if (n == columns_ + 1 && fields_.back().empty()) --n;  // `sacct -p`
  std::size_t extra = 0;
  if (n < columns_) {
    stats_.add(SacctIssue::malformed_line);
    return std::nullopt;
  }
  if (n > columns_) {
    if (job_name_col_ < 0) {
      stats_.add(SacctIssue::malformed_line);
      return std::nullopt;
    }
    // A JobName with '|' in it: sacct does not escape it. Glue it back.
    extra = n - columns_;
    const auto jn = static_cast<std::size_t>(job_name_col_);
    const char* first = fields_[jn].data();
    const char* last = fields_[jn + extra].data() + fields_[jn + extra].size();
    fields_[jn] = std::string_view(first, static_cast<std::size_t>(last - first));
    stats_.add(SacctIssue::job_name_pipe);
  }
  auto get = [&](SacctField f) -> std::string_view {
    const int col = index_[static_cast<std::size_t>(f)];
    if (col < 0) return {};
    auto c = static_cast<std::size_t>(col);
    if (extra != 0 && col > job_name_col_) c += extra;
    return fields_[c];
  };

  const std::string_view id = get(SacctField::job_id);
  if (id.empty()) {
    stats_.add(SacctIssue::bad_job_id);
    return std::nullopt;
  }
  const auto dot = id.find('.');
  const std::string_view state = first_word(get(SacctField::state));
  const double elapsed = duration_s(get(SacctField::elapsed));
  const double total_cpu = duration_s(get(SacctField::total_cpu));
  const double cpu_time = duration_s(get(SacctField::cpu_time));
  char per = 0;
  const double rss = slurm_bytes(get(SacctField::max_rss), 'B', per);

  if (dot != std::string_view::npos) {  // a step
    if (!open_ || id.substr(0, dot) != job_.job_id) {
      stats_.add(SacctIssue::orphan_step);
      return std::nullopt;
    }
    if (skip_) return std::nullopt;
    ++stats_.steps;
    SacctJob& j = job_;
    ++j.steps;
    j.elapsed_s = std::max(j.elapsed_s, elapsed);
    total_cpu_s_ = std::max(total_cpu_s_, total_cpu);
    cpu_time_s_ = std::max(cpu_time_s_, cpu_time);
    if (rss >= 0) j.max_rss_gb = std::max(j.max_rss_gb, rss / 1e9);
    j.gpus = std::max(j.gpus, tres_gpus(get(SacctField::alloc_tres)));
    if (j.req_mem_gb < 0) {
      const double req = slurm_bytes(get(SacctField::req_mem), 'M', per);
      const double mult = per == 'c'   ? static_cast<double>(integer(get(SacctField::ncpus), 1))
                          : per == 'n' ? static_cast<double>(std::max<std::int64_t>(j.nnodes, 1))
                                       : 1.0;
      if (req >= 0) j.req_mem_gb = req * mult / 1e9;
    }
    if (step_failed_state_.empty() && one_of(state, kFailedStepStates)) step_failed_state_.assign(state);
    if (energy_raw_ < 0 && index_[static_cast<std::size_t>(SacctField::consumed_energy_raw)] >= 0) {
      // The job line recorded nothing usable: its steps' largest (the extern step spans the whole
      // allocation; summing steps would count overlapping steps twice).
      const double e = energy_field(get(SacctField::consumed_energy_raw), {});
      if (e > 0 && e > energy_step_max_) energy_step_max_ = e;
    }
    return std::nullopt;
  }

  // A job line: the previous job is complete.
  flush_job();
  open_ = true;
  skip_ = false;
  SacctJob& j = job_;
  j.job_id.assign(id);
  if (one_of(state, kPendingStates)) {
    stats_.add(SacctIssue::pending);
    skip_ = true;
    return std::nullopt;
  }
  if (one_of(state, kRunningStates)) {
    stats_.add(SacctIssue::running);
    skip_ = true;
    return std::nullopt;
  }
  if (elapsed < 0) {
    stats_.add(SacctIssue::bad_elapsed);
    skip_ = true;
    return std::nullopt;
  }
  // Never started: no Start, or no resources allocated (SLURM sets Start = End = the cancel time
  // of a job cancelled while pending, checked on 22.05, but leaves AllocTRES empty).
  const std::string_view start = get(SacctField::start);
  const bool has_start = index_[static_cast<std::size_t>(SacctField::start)] >= 0;
  const bool has_tres = index_[static_cast<std::size_t>(SacctField::alloc_tres)] >= 0;
  if (elapsed == 0 && ((has_start && day_of(start).empty()) || (has_tres && get(SacctField::alloc_tres).empty()))) {
    stats_.add(SacctIssue::never_started);
    skip_ = true;
    return std::nullopt;
  }
  j.job_name.assign(get(SacctField::job_name));
  j.user.assign(get(SacctField::user));
  j.account.assign(get(SacctField::account));
  j.partition.assign(get(SacctField::partition));
  j.state.assign(state);
  std::string_view day = day_of(get(SacctField::end));
  if (day.empty()) day = day_of(start);
  if (day.empty()) day = day_of(get(SacctField::submit));
  j.day.assign(day);
  j.start.assign(start);
  j.end.assign(get(SacctField::end));
  j.elapsed_s = elapsed;
  j.ncpus = integer(get(SacctField::ncpus), 0);
  j.nnodes = integer(get(SacctField::nnodes), 1);
  j.gpus = std::max<std::int64_t>(tres_gpus(get(SacctField::alloc_tres)), 0);
  const double req = slurm_bytes(get(SacctField::req_mem), 'M', per);
  const double mult = per == 'c'   ? static_cast<double>(j.ncpus)
                      : per == 'n' ? static_cast<double>(std::max<std::int64_t>(j.nnodes, 1))
                                   : 1.0;
  j.req_mem_gb = req < 0 ? -1 : req * mult / 1e9;
  j.max_rss_gb = rss < 0 ? -1 : rss / 1e9;
  j.steps = 0;
  j.cpu_s = 0;
  total_cpu_s_ = total_cpu;
  cpu_time_s_ = cpu_time;
  step_failed_state_.clear();
  energy_raw_ = energy_field(get(SacctField::consumed_energy_raw), get(SacctField::alloc_tres));
  energy_step_max_ = -1;
  return std::nullopt;
}

Status SacctReader::finish() {
  flush_job();
  if (!have_header_) return Error::data("no sacct output: the input is empty (expected a sacct -P header line)");
  return std::nullopt;
}

Status SacctReader::read_all(std::string_view text) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (auto err = line(text.substr(0, nl))) return err;
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return finish();
}

Status SacctReader::read_fd(int fd, std::string_view origin) {
  constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;  // sacct lines are a few hundred bytes
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t len = 0;         // bytes held in buf
  std::uint64_t newlines = 0;  // lines completed, for the message below
  while (true) {
    if (len == buf.size()) {  // one line longer than the buffer
      if (buf.size() >= kMaxLineBytes)
        return Error::data(
            fmt::format("{}: line {} is longer than {} MiB: this is not `sacct --parsable2` output{}", origin,
                        newlines + 1, kMaxLineBytes >> 20,
                        std::memchr(buf.data(), '\0', len) != nullptr ? " (it holds NUL bytes: binary data?)" : ""));
      buf.resize(buf.size() * 2);
    }
    const ssize_t got = ::read(fd, buf.data() + len, buf.size() - len);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error::data(fmt::format("{}: cannot read: {}", origin, std::strerror(errno)));
    }
    if (got == 0) break;
    const std::size_t scan_from = len;
    len += static_cast<std::size_t>(got);
    // Lines end at '\n'; the last, incomplete one waits for the next read.
    const char* base = buf.data();
    std::size_t start = 0;
    const void* nl = std::memchr(base + scan_from, '\n', len - scan_from);
    while (nl != nullptr) {
      const auto pos = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
      if (auto err = line(std::string_view(base + start, pos - start))) return err->with_context(std::string(origin));
      ++newlines;
      start = pos + 1;
      nl = std::memchr(base + start, '\n', len - start);
    }
    if (start > 0) {
      std::memmove(buf.data(), buf.data() + start, len - start);
      len -= start;
    }
  }
  if (len > 0)
    if (auto err = line(std::string_view(buf.data(), len))) return err->with_context(std::string(origin));
  return std::nullopt;
}

std::vector<std::string> sacct_argv(const SacctQuery& q) {
  std::vector<std::string> a{"sacct", "--parsable2", "--noconvert", "--format=" + sacct_format_list()};
  auto add = [&](const char* flag, const std::string& value) {
    if (value.empty()) return;
    a.emplace_back(flag);
    a.push_back(value);
  };
  add("--starttime", q.start);
  add("--endtime", q.end);
  add("--user", q.user);
  add("--account", q.account);
  add("--partition", q.partition);
  if (q.all_users) a.emplace_back("--allusers");
  return a;
}

}  // namespace co2e
