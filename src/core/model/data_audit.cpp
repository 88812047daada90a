#include "model/data_audit.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace co2e::detail {

namespace {

// Ranges a correct row falls in; outside them a row is a typo or a unit slip (kg vs g, W vs kW).
constexpr double kMaxCpuTdpW = 1000;       // largest server CPU packages ~500 W
constexpr double kMaxWattsPerCore = 80;    // a 1-core 65 W desktop part is ~65
constexpr double kMinWattsPerCore = 0.01;  // Intel Quark D1000 microcontroller: 0.03
constexpr int kMaxCores = 512;
constexpr double kMaxGpuW = 2000;   // GB200 per GPU 1,200 W
constexpr double kMaxGridG = 1500;  // OWID Turkmenistan 2023: 1,306 (inefficient gas plants)
constexpr double kMaxPue = 3;       // surveys: 1.06 (hyperscale) to ~2.5 (small rooms)
constexpr int kMinYear = 1990;
constexpr int kMaxYear = 2027;
constexpr std::size_t kPlaceholderRows = 3;  // the same value on this many places of one release
constexpr double kCloudLocationRatio = 1.5;  // provider vs location differing by more: listed

struct Audit {
  std::vector<AuditFinding> out;
  template <class... A>
  void error(const char* check, fmt::format_string<A...> f, A&&... a) {
    out.push_back({true, check, fmt::format(f, std::forward<A>(a)...)});
  }
  template <class... A>
  void note(const char* check, fmt::format_string<A...> f, A&&... a) {
    out.push_back({false, check, fmt::format(f, std::forward<A>(a)...)});
  }
  void year(std::string_view table, std::string_view key, int y) {
    if (y < kMinYear || y > kMaxYear)
      error("range", "{} {}: year {} outside {}..{}", table, key, y, kMinYear, kMaxYear);
  }
};

void audit_ranges(const Rows& rows, Audit& a) {
  for (const auto& c : rows.cpus) {
    if (c.tdp_w > kMaxCpuTdpW) a.error("range", "cpus {}: tdp_w {} > {}", c.name, c.tdp_w, kMaxCpuTdpW);
    if (c.cores > kMaxCores) a.error("range", "cpus {}: cores {} > {}", c.name, c.cores, kMaxCores);
    const double w = c.watts_per_core();
    if (w < kMinWattsPerCore || w > kMaxWattsPerCore)
      a.error("range", "cpus {}: {} W per core outside {}..{}", c.name, w, kMinWattsPerCore, kMaxWattsPerCore);
    a.year("cpus", c.name, c.prov.year);
  }
  for (const auto& g : rows.gpus) {
    if (g.tdp_w > kMaxGpuW) a.error("range", "gpus {}: tdp_w {} > {}", g.name, g.tdp_w, kMaxGpuW);
    a.year("gpus", g.name, g.prov.year);
  }
  for (const auto& r : rows.regions) {
    for (double v : {r.intensity_g_per_kwh, r.other_g_per_kwh})
      if (v > kMaxGridG) a.error("range", "regions {}: {} gCO2e/kWh > {}", r.code, v, kMaxGridG);
    a.year("regions", r.code, r.prov.year);
  }
  for (const auto& c : rows.cloud_regions) {
    if (c.intensity_g_per_kwh > kMaxGridG)
      a.error("range", "cloud_regions {}: {} gCO2e/kWh > {}", c.code, c.intensity_g_per_kwh, kMaxGridG);
    if (c.pue > kMaxPue) a.error("range", "cloud_regions {}: pue {} > {}", c.code, c.pue, kMaxPue);
    if (c.intensity_g_per_kwh >= 0) a.year("cloud_regions", c.code, c.intensity_prov.year);
  }
  // Manufacturing footprints: a GPU board or a CPU is tens to hundreds of kg, a server a few
  // tonnes, memory ~0.05-3 kg per GB, storage ~1-300 kg per TB; far outside, a unit slip (g vs kg).
  for (const auto& e : rows.embodied) {
    const double max = e.kind == "server" ? 50'000 : e.kind == "memory" ? 10 : e.kind == "laptop" ? 2'000 : 5'000;
    if (e.kg > max) a.error("range", "embodied {}: {} kg per {} > {} for kind {}", e.id, e.kg, e.per, max, e.kind);
    a.year("embodied", e.id, e.prov.year);
    // A maker's board figure divided among its GPUs must say which GPUs share it.
    if (e.kind == "gpu" && e.gpus > 1 && e.applies_to.empty())
      a.error("range", "embodied {}: a figure shared by {} GPUs of a board names none in applies_to", e.id, e.gpus);
  }
  for (const char* kind : {"gpu", "cpu", "memory", "ssd", "hdd"}) {
    const auto n = std::count_if(rows.embodied.begin(), rows.embodied.end(),
                                 [&](const EmbodiedItem& e) { return e.kind == kind && e.is_default; });
    if (n > 1) a.error("range", "embodied: {} rows of kind {} are marked default (at most one)", n, kind);
  }
  for (const auto& p : rows.providers)
    if (p.pue > kMaxPue) a.error("range", "providers {}: pue {} > {}", p.id, p.pue, kMaxPue);
}

/// The same figure on several places of one release is a placeholder, not data (issue 14: nine
/// Nordic zones all at 18 g/kWh).
void audit_placeholders(const Rows& rows, Audit& a) {
  std::map<std::pair<std::string_view, double>, std::vector<std::string_view>> by_value;
  for (const auto& r : rows.regions) {
    // Rows the build script marked as low precision (a ratio of inputs rounded upstream, e.g.
    // OWID's 0.02 Mt / 0.03 TWh = 666.67 for small island grids) legitimately coincide: listed.
    if (r.prov.note.starts_with("low precision")) {
      a.note("low_precision", "regions {}: {} gCO2e/kWh: {}", r.code, r.intensity_g_per_kwh, r.prov.note);
      continue;
    }
    by_value[{r.prov.release, r.intensity_g_per_kwh}].push_back(r.code);
  }
  for (const auto& c : rows.cloud_regions) {
    // Regions in one grid legitimately share a provider's figure (Frankfurt and Berlin): key by
    // location too, so only different places count.
    if (c.intensity_g_per_kwh >= 0) by_value[{c.intensity_prov.release, c.intensity_g_per_kwh}].push_back(c.location);
  }
  for (auto& [key, places] : by_value) {
    std::sort(places.begin(), places.end());
    places.erase(std::unique(places.begin(), places.end()), places.end());
    if (places.size() >= kPlaceholderRows) {
      std::string list;
      for (auto p : places) list += fmt::format("{}{}", list.empty() ? "" : ", ", p);
      a.error("placeholder", "{} places of release \"{}\" share {} gCO2e/kWh: {}", places.size(), key.first, key.second,
              list);
    }
  }
}

/// A cloud region's published figure against its location's on the same basis: large gaps are
/// listed (they are what `--intensity-source provider` changes).
void audit_cloud_vs_location(const Rows& rows, Audit& a) {
  std::map<std::string_view, const Region*> regions;
  for (const auto& r : rows.regions) regions.emplace(r.code, &r);
  for (const auto& c : rows.cloud_regions) {
    if (!c.location_note.empty()) a.note("assumed_location", "{} -> {}: {}", c.code, c.location, c.location_note);
    if (c.intensity_g_per_kwh < 0) continue;
    auto it = regions.find(c.location);
    if (it == regions.end()) continue;
    const auto basis = basis_from_name(c.intensity_basis);
    const double loc = basis ? it->second->on_basis(*basis) : -1;
    if (loc < 0) {
      a.note("cloud_vs_location", "{} ({} {}): {} has no {} figure to compare with", c.code, c.intensity_g_per_kwh,
             c.intensity_basis, c.location, c.intensity_basis);
      continue;
    }
    const double hi = std::max(loc, c.intensity_g_per_kwh), lo = std::min(loc, c.intensity_g_per_kwh);
    if (lo <= 0 ? hi > 10 : hi / lo > kCloudLocationRatio)
      a.note("cloud_vs_location", "{}: provider {} vs {} {} gCO2e/kWh ({}; years {} and {})", c.code,
             c.intensity_g_per_kwh, c.location, loc, c.intensity_basis, c.intensity_prov.year, it->second->prov.year);
  }
}

/// A release named as an edition of a series ("National Greenhouse Accounts Factors 2024") when
/// the tables hold a newer edition of it ("... 2025"): its rows are kept old figures, listed.
void audit_older_editions(const Rows& rows, Audit& a) {
  auto edition = [](std::string_view release) -> std::pair<std::string_view, int> {
    if (release.size() < 6 || release[release.size() - 5] != ' ') return {release, 0};
    int y = 0;
    for (char ch : release.substr(release.size() - 4)) {
      if (ch < '0' || ch > '9') return {release, 0};
      y = y * 10 + (ch - '0');
    }
    return {release.substr(0, release.size() - 5), y};
  };
  std::map<std::string_view, int> newest;  // series -> newest edition
  for (const auto& r : rows.regions)
    if (auto [series, y] = edition(r.prov.release); y > 0) newest[series] = std::max(newest[series], y);
  std::map<std::string_view, std::vector<std::string_view>> older;  // release -> codes
  for (const auto& r : rows.regions)
    if (auto [series, y] = edition(r.prov.release); y > 0 && y < newest[series])
      older[r.prov.release].push_back(r.code);
  for (const auto& [release, codes] : older) {
    std::string list;
    for (auto c : codes) list += fmt::format("{}{}", list.empty() ? "" : " ", c);
    a.note("stale", "release \"{}\" is older than the tables' newest edition ({}): {} rows: {}", release,
           newest[edition(release).first], codes.size(), list);
  }
}

/// Grid rows whose year is older than the newest year in the same release: the release has
/// newer data for other places, so this place's figure is stale (or the release lacks it).
void audit_stale(const Rows& rows, Audit& a) {
  std::map<std::string_view, int> newest;
  for (const auto& r : rows.regions) newest[r.prov.release] = std::max(newest[r.prov.release], r.prov.year);
  std::map<std::pair<std::string_view, int>, std::vector<std::string_view>> stale;
  for (const auto& r : rows.regions)
    if (r.prov.year < newest[r.prov.release]) stale[{r.prov.release, r.prov.year}].push_back(r.code);
  for (const auto& [key, codes] : stale) {
    std::string list;
    for (auto c : codes) list += fmt::format("{}{}", list.empty() ? "" : " ", c);
    a.note("stale", "release \"{}\" (newest {}): {} rows of {}: {}", key.first, newest[key.first], codes.size(),
           key.second, list);
  }
  audit_older_editions(rows, a);
}

}  // namespace

std::vector<AuditFinding> audit_tables(const Rows& rows) {
  Audit a;
  audit_ranges(rows, a);
  audit_placeholders(rows, a);
  audit_cloud_vs_location(rows, a);
  audit_stale(rows, a);
  return std::move(a.out);
}

}  // namespace co2e::detail
