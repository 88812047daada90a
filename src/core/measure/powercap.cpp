// RAPL through powercap sysfs: zone discovery, nesting, wrap-around (see powercap.hpp).
#include "co2e/powercap.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <system_error>
#include <utility>

#include "co2e/error.hpp"
#include "co2e/units.hpp"
#include "util/read_file.hpp"

namespace co2e {

namespace {

Result<std::uint64_t> read_counter(const std::string& path) {
  auto text = detail::read_small_file(path, 64);
  if (!text) return text.error();
  const std::string_view s = trim(*text);
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty())
    return Error::data(fmt::format("{}: not a counter: \"{}\"", path, s.substr(0, 40)));
  return v;
}

RaplKind kind_of(std::string_view name) {
  if (name.starts_with("package")) return RaplKind::package;
  if (name == "dram") return RaplKind::dram;
  if (name == "psys") return RaplKind::psys;
  if (name == "core") return RaplKind::core;
  if (name == "uncore") return RaplKind::uncore;
  return RaplKind::other;
}

/// The zone's highest allowed average power over its constraints (powercap sysfs ABI:
/// Documentation/ABI/testing/sysfs-class-powercap; intel_rapl has up to 3 constraints per zone).
void read_max_power(RaplDomain& d) {
  for (int n = 0; n < 4; ++n) {
    for (const char* kind : {"max_power_uw", "power_limit_uw"}) {
      const std::string file = fmt::format("constraint_{}_{}", n, kind);
      auto v = read_counter(d.dir + "/" + file);
      if (v && *v > d.max_power_uw) {
        d.max_power_uw = *v;
        d.max_power_file = file;
      }
    }
  }
}

}  // namespace

std::uint64_t rapl_delta_uj(std::uint64_t previous, std::uint64_t current, std::uint64_t max_range_uj) {
  if (current >= previous) return current - previous;
  // The counter wrapped (it counts up to max_energy_range_uj, then restarts at 0).
  if (max_range_uj >= previous) return max_range_uj - previous + current;
  return current;  // unknown range: count only what is certain
}

Rapl Rapl::open(const std::string& root) {
  Rapl r;
  DIR* dir = ::opendir(root.c_str());
  if (dir == nullptr) {
    r.problems_.push_back(fmt::format("{}: {}", root, std::strerror(errno)));
    return r;
  }
  std::vector<std::string> zones;
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view n = e->d_name;
    if ((n.starts_with("intel-rapl:") || n.starts_with("amd-rapl:")) && n.find(':') != std::string_view::npos)
      zones.emplace_back(n);
  }
  ::closedir(dir);
  std::sort(zones.begin(), zones.end());
  for (const auto& zone : zones) {
    RaplDomain d;
    d.zone = zone;
    d.dir = fmt::format("{}/{}", root, zone);
    d.nested = std::count(zone.begin(), zone.end(), ':') > 1;
    auto name = detail::read_small_file(d.dir + "/name", 256);
    if (!name) {
      r.problems_.push_back(name.error().message);
      continue;
    }
    d.name = std::string(trim(*name));
    d.kind = kind_of(d.name);
    auto range = read_counter(d.dir + "/max_energy_range_uj");
    if (range) d.max_range_uj = *range;
    read_max_power(d);
    auto now = read_counter(d.dir + "/energy_uj");
    if (!now) {
      r.problems_.push_back(now.error().message);
      continue;
    }
    d.last_uj = *now;
    r.domains_.push_back(std::move(d));
  }
  // Packages contain core and uncore; psys contains the packages: count each joule once.
  const bool have_package = std::any_of(r.domains_.begin(), r.domains_.end(),
                                        [](const RaplDomain& d) { return d.kind == RaplKind::package && !d.nested; });
  for (auto& d : r.domains_) {
    if (d.kind == RaplKind::dram)
      d.counted = true;
    else if (d.kind == RaplKind::package && !d.nested)
      d.counted = true;
    else if (d.kind == RaplKind::psys && !have_package)
      d.counted = true;
  }
  if (zones.empty() && r.problems_.empty()) r.problems_.push_back(fmt::format("{}: no intel-rapl zones", root));
  return r;
}

bool Rapl::has_cpu() const {
  return std::any_of(domains_.begin(), domains_.end(),
                     [](const RaplDomain& d) { return d.counted && d.kind != RaplKind::dram; });
}

bool Rapl::has_dram() const {
  return std::any_of(domains_.begin(), domains_.end(),
                     [](const RaplDomain& d) { return d.counted && d.kind == RaplKind::dram; });
}

void Rapl::sample() {
  for (auto& d : domains_) {
    if (!d.counted) continue;
    auto now = read_counter(d.dir + "/energy_uj");
    if (!now) {
      if (problems_.size() < 16) problems_.push_back(now.error().message);
      continue;
    }
    d.total_uj += rapl_delta_uj(d.last_uj, *now, d.max_range_uj);
    d.last_uj = *now;
  }
}

double Rapl::cpu_j() const {
  std::uint64_t uj = 0;
  for (const auto& d : domains_)
    if (d.counted && d.kind != RaplKind::dram) uj += d.total_uj;
  return static_cast<double>(uj) / 1e6;
}

double Rapl::dram_j() const {
  std::uint64_t uj = 0;
  for (const auto& d : domains_)
    if (d.counted && d.kind == RaplKind::dram) uj += d.total_uj;
  return static_cast<double>(uj) / 1e6;
}

std::string Rapl::describe() const {
  std::string cpu, dram;
  int sockets = 0;
  for (const auto& d : domains_) {
    if (!d.counted) continue;
    std::string& s = d.kind == RaplKind::dram ? dram : cpu;
    if (!s.empty()) s += ", ";
    s += d.name;
    if (d.kind == RaplKind::package) ++sockets;
  }
  std::string out = cpu.empty() ? "no CPU domain" : cpu;
  if (sockets > 1) out += fmt::format(" ({} sockets)", sockets);
  if (!dram.empty()) out += "; " + dram;
  return out;
}

}  // namespace co2e
