// Process-tree and machine readings from /proc (proc(5)).
#include "co2e/proctree.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <unistd.h>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "co2e/units.hpp"
#include "util/read_file.hpp"

namespace co2e {

namespace {

struct ProcStat {
  pid_t pid = 0;
  pid_t ppid = 0;
  double cpu_ticks = 0;  ///< utime + stime + cutime + cstime
  double rss_pages = 0;
};

/// Fields of /proc/PID/stat after the command name, which may hold spaces and parentheses.
std::optional<ProcStat> parse_stat(pid_t pid, std::string_view text) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  text.remove_prefix(close + 1);
  // Field 3 (state) is the first after ')'; we need 4 (ppid), 14-17 (times), 24 (rss).
  ProcStat s;
  s.pid = pid;
  int field = 2;
  std::size_t i = 0;
  while (i < text.size() && field < 24) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    ++field;
    const std::string_view tok = text.substr(i, j - i);
    long long v = 0;
    if (field == 4 || (field >= 14 && field <= 17) || field == 24) {
      if (std::from_chars(tok.data(), tok.data() + tok.size(), v).ec != std::errc()) return std::nullopt;
      if (field == 4)
        s.ppid = static_cast<pid_t>(v);
      else if (field == 24)
        s.rss_pages = static_cast<double>(v);
      else
        s.cpu_ticks += static_cast<double>(v);
    }
    i = j;
  }
  if (field < 24) return std::nullopt;
  return s;
}

double ticks_per_second() {
  static const double hz = [] {
    const long v = ::sysconf(_SC_CLK_TCK);
    return v > 0 ? static_cast<double>(v) : 100.0;
  }();
  return hz;
}

double page_size() {
  static const double bytes = [] {
    const long v = ::sysconf(_SC_PAGESIZE);
    return v > 0 ? static_cast<double>(v) : 4096.0;
  }();
  return bytes;
}

}  // namespace

TreeSample read_tree(const std::string& proc_root, pid_t root) {
  TreeSample out;
  DIR* dir = ::opendir(proc_root.c_str());
  if (dir == nullptr) return out;
  std::unordered_map<pid_t, ProcStat> all;
  std::unordered_multimap<pid_t, pid_t> children;
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view n = e->d_name;
    int pid = 0;
    if (n.empty() || std::from_chars(n.data(), n.data() + n.size(), pid).ptr != n.data() + n.size()) continue;
    auto text = detail::read_small_file(fmt::format("{}/{}/stat", proc_root, n), 4096);
    if (!text) continue;  // the process exited meanwhile
    auto s = parse_stat(pid, *text);
    if (!s) continue;
    all.emplace(pid, *s);
    children.emplace(s->ppid, pid);
  }
  ::closedir(dir);
  if (!all.contains(root)) return out;
  std::vector<pid_t> todo{root};
  double ticks = 0, pages = 0;
  while (!todo.empty()) {
    const pid_t p = todo.back();
    todo.pop_back();
    const auto it = all.find(p);
    if (it == all.end()) continue;
    out.pids.push_back(p);
    ticks += it->second.cpu_ticks;
    pages += it->second.rss_pages;
    const auto [b, e] = children.equal_range(p);
    for (auto c = b; c != e; ++c) todo.push_back(c->second);
  }
  out.cpu_s = ticks / ticks_per_second();
  out.rss_gb = pages * page_size() / 1e9;
  return out;
}

Result<MachineCpu> read_machine_cpu(const std::string& proc_root) {
  auto text = detail::read_small_file(proc_root + "/stat", 1 << 16);
  if (!text) return text.error();
  std::string_view s = *text;
  if (!s.starts_with("cpu ")) return Error::data(proc_root + "/stat: no \"cpu\" line");
  s = s.substr(4, s.find('\n') - 4);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  MachineCpu m;
  int field = 0;
  for (std::size_t i = 0; i < s.size() && field < 8;) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j == i) break;
    double v = 0;
    std::from_chars(s.data() + i, s.data() + j, v);
    v /= ticks_per_second();
    m.total_s += v;
    if (field != 3 && field != 4) m.busy_s += v;
    ++field;
    i = j;
  }
  return m;
}

Result<double> read_machine_memory_gb(const std::string& proc_root) {
  auto text = detail::read_small_file(proc_root + "/meminfo", 1 << 16);
  if (!text) return text.error();
  auto value_kb = [&](std::string_view key) -> std::optional<double> {
    const auto at = text->find(key);
    if (at == std::string::npos) return std::nullopt;
    std::string_view rest = std::string_view(*text).substr(at + key.size());
    rest = trim(rest.substr(0, rest.find('\n')));
    double v = 0;
    if (std::from_chars(rest.data(), rest.data() + rest.size(), v).ec != std::errc()) return std::nullopt;
    return v;
  };
  const auto total = value_kb("MemTotal:");
  const auto avail = value_kb("MemAvailable:");
  if (!total || !avail) return Error::data(proc_root + "/meminfo: no MemTotal/MemAvailable");
  return (*total - *avail) * 1024 / 1e9;
}

Result<std::string> read_cpu_model(const std::string& cpuinfo_path) {
  auto text = detail::read_small_file(cpuinfo_path, 1 << 20);
  if (!text) return text.error();
  std::string_view s = *text;
  for (std::string_view key : {"model name", "cpu model", "Model"}) {
    std::size_t pos = 0;
    while ((pos = s.find(key, pos)) != std::string_view::npos) {
      const bool line_start = pos == 0 || s[pos - 1] == '\n';
      const auto colon = s.find(':', pos);
      const auto eol = s.find('\n', pos);
      if (line_start && colon != std::string_view::npos && colon < eol &&
          trim(s.substr(pos + key.size(), colon - pos - key.size())).empty()) {
        const auto value =
            trim(s.substr(colon + 1, eol == std::string_view::npos ? std::string_view::npos : eol - colon - 1));
        if (!value.empty()) return std::string(value);
      }
      pos += key.size();
    }
  }
  return Error::data(cpuinfo_path + ": no \"model name\" line");
}

}  // namespace co2e
