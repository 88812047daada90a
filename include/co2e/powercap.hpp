// RAPL energy counters through the Linux powercap sysfs (/sys/class/powercap/intel-rapl:N...).
// Counts each top-level package domain once (core and uncore are nested inside it), DRAM
// separately, psys only when no package domain exists (psys contains the packages), and handles
// the counter wrapping at max_energy_range_uj (METHODS.md "Measuring a running program").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace co2e {

/// What a RAPL domain measures, from its `name` file.
enum class RaplKind : std::uint8_t { package, dram, psys, core, uncore, other };

/// One powercap zone with an energy counter.
struct RaplDomain {
  std::string dir;   ///< full path of the zone's folder
  std::string zone;  ///< folder name: `intel-rapl:0:2`
  std::string name;  ///< content of `name`: `package-0`, `dram`, `psys`, `core`
  RaplKind kind = RaplKind::other;
  bool nested = false;             ///< a sub-zone of a package (`intel-rapl:0:1`)
  bool counted = false;            ///< added to the CPU or memory total
  std::uint64_t max_range_uj = 0;  ///< the counter wraps after this value (0: unknown)
  /// The highest power the zone may draw on average: the largest of its readable
  /// `constraint_N_max_power_uw` (the package's TDP on Intel) and `constraint_N_power_limit_uw`
  /// (PL1, PL2); 0 when none is readable. Bounds the energy between two samples.
  std::uint64_t max_power_uw = 0;
  std::string max_power_file;  ///< the file that gave max_power_uw: `constraint_1_power_limit_uw`
  std::uint64_t last_uj = 0;   ///< last reading
  std::uint64_t total_uj = 0;  ///< energy accumulated since open(), wrap-arounds included
};

/// The RAPL counters of a machine. open() finds the domains; sample() reads them and adds the
/// energy since the previous reading.
class Rapl {
 public:
  /// Scans `root` (normally /sys/class/powercap) for zones named `intel-rapl:*` or `amd-rapl:*`.
  /// Zones whose counter cannot be read are left out and listed in problems().
  static Rapl open(const std::string& root);

  /// True when at least one package (or psys) counter was readable.
  [[nodiscard]] bool has_cpu() const;
  /// True when at least one DRAM counter was readable.
  [[nodiscard]] bool has_dram() const;

  /// Reads every counted domain and accumulates the energy since the last reading. A counter
  /// that became unreadable keeps its total and adds a problem.
  void sample();

  /// Energy since open() of the CPU domains (packages, or psys), joules.
  [[nodiscard]] double cpu_j() const;
  /// Energy since open() of the DRAM domains, joules.
  [[nodiscard]] double dram_j() const;

  [[nodiscard]] const std::vector<RaplDomain>& domains() const { return domains_; }
  /// Why RAPL, or a domain, could not be used: `/sys/class/powercap/intel-rapl:0/energy_uj: Permission denied`.
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  /// A one-line description of the counted domains: `package-0, package-1 (2 sockets); dram`.
  [[nodiscard]] std::string describe() const;

 private:
  std::vector<RaplDomain> domains_;
  std::vector<std::string> problems_;
};

/// The energy added between two readings of a counter that wraps after `max_range_uj`.
std::uint64_t rapl_delta_uj(std::uint64_t previous, std::uint64_t current, std::uint64_t max_range_uj);

}  // namespace co2e
