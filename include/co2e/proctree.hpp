// A process and its descendants, read from /proc: CPU time, resident memory, PIDs; and the
// machine-wide CPU time from /proc/stat. The /proc root is injectable for tests.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "co2e/error.hpp"

namespace co2e {

/// One reading of a process tree.
struct TreeSample {
  std::vector<pid_t> pids;  ///< the root and every live descendant
  double cpu_s = 0;         ///< user + system time of the tree, reaped children included
  double rss_gb = 0;        ///< resident memory of the live processes, 10^9 bytes
};

/// Reads the tree rooted at `root` from `proc_root` (normally /proc). Processes that vanish while
/// it reads are skipped. An empty result when the root has gone.
TreeSample read_tree(const std::string& proc_root, pid_t root);

/// CPU time of the whole machine from `proc_root`/stat, seconds summed over all CPUs.
struct MachineCpu {
  double busy_s = 0;   ///< user, nice, system, irq, softirq, steal
  double total_s = 0;  ///< busy + idle + iowait
};
Result<MachineCpu> read_machine_cpu(const std::string& proc_root);

/// Memory in use on the machine (MemTotal − MemAvailable from `proc_root`/meminfo), GB.
Result<double> read_machine_memory_gb(const std::string& proc_root);

/// The first `model name` (x86) or `Model`/`cpu model` line of a cpuinfo file.
Result<std::string> read_cpu_model(const std::string& cpuinfo_path);

}  // namespace co2e
