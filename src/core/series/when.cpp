// co2e when: the sweep over candidate start times, and its renderers.
#include "co2e/when.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "co2e/number.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"
#include "report/xml.hpp"

namespace co2e {

namespace {

using std::chrono::seconds;

std::string_view reference_name(ReferenceKind k) {
  switch (k) {
    case ReferenceKind::now:
      return "now";
    case ReferenceKind::after:
      return "after";
    case ReferenceKind::series_start:
      return "series_start";
  }
  return "now";
}

bool overlaps(TimePoint a, TimePoint b, seconds d) { return (a < b ? b - a : a - b) < d; }

}  // namespace

Result<WhenResult> best_start_times(const IntensitySeries& series, const WhenSpec& spec) {
  const seconds d = spec.runtime;
  if (d <= seconds{0}) return Error::usage("--runtime must be longer than 0 s");
  if (series.empty()) return Error::usage("the intensity series is empty");
  if (spec.top == 0) return Error::usage("--top must be at least 1");
  if (spec.after && spec.before && *spec.before <= *spec.after)
    return Error::usage(fmt::format("--before {} is not after --after {}", format_timestamp(*spec.before),
                                    format_timestamp(*spec.after)));

  WhenResult r;
  r.reference_kind = spec.after ? ReferenceKind::after : ReferenceKind::now;
  TimePoint lo = spec.after.value_or(spec.now);
  if (lo >= series.end())
    return Error::usage(
        fmt::format("the intensity series ends at {}, before {} ({}): give a series that reaches further{}",
                    format_timestamp(series.end()), spec.after ? "--after" : "now", format_timestamp(lo),
                    spec.after ? "" : ", or --after TIME to search an older one"));
  if (lo < series.begin()) {
    lo = series.begin();
    r.reference_kind = ReferenceKind::series_start;
  }
  const TimePoint deadline = spec.before ? std::min(*spec.before, series.end()) : series.end();
  const TimePoint hi = deadline - d;
  if (hi < lo)
    return Error::usage(fmt::format(
        "a {} job starting at or after {} cannot finish by {}{}", format_duration(d), format_timestamp(lo),
        format_timestamp(deadline),
        spec.before && *spec.before <= series.end() ? " (--before)" : " (the end of the intensity series)"));
  r.earliest = lo;
  r.latest = hi;
  r.power_kw = spec.energy_kwh / (static_cast<double>(d.count()) / 3600.0);

  // Breakpoints of the emissions as a function of the start: every interval edge e, and e - D.
  const auto iv = series.intervals();
  std::vector<TimePoint> edges;
  edges.reserve(2 * iv.size());
  for (const auto& v : iv) {
    if (edges.empty() || edges.back() != v.start) edges.push_back(v.start);
    edges.push_back(v.end);
  }
  std::vector<std::pair<TimePoint, double>> evals;  // (start, grams) of windows fully covered
  evals.reserve(2 * edges.size() + 2);
  std::size_t hint_s = 0, hint_e = 0;
  auto eval = [&](TimePoint s, std::size_t& hs, std::size_t& he) -> std::optional<double> {
    const auto a = series.cumulative(s, hs);
    const auto b = series.cumulative(s + d, he);
    if (b.covered_s - a.covered_s != d.count()) return std::nullopt;  // touches a gap
    return r.power_kw * (b.integral - a.integral) / 3600.0;
  };
  std::optional<TimePoint> last;
  auto consider = [&](TimePoint s) {
    if (s < lo || s > hi || (last && *last >= s)) return;
    last = s;
    ++r.candidates;
    if (auto g = eval(s, hint_s, hint_e)) evals.emplace_back(s, *g);
  };
  // Merge the two sorted lists (edges, edges - D) with lo first and hi last: one pass.
  consider(lo);
  const bool reference_ok = !evals.empty();  // lo is the only start evaluated so far
  const double reference_g = reference_ok ? evals.front().second : 0.0;
  std::size_t i = 0, j = 0;
  while (i < edges.size() || j < edges.size()) {
    const bool take_i = j >= edges.size() || (i < edges.size() && edges[i] <= edges[j] - d);
    consider(take_i ? edges[i++] : edges[j++] - d);
  }
  consider(hi);

  // The best `top` windows that do not overlap: N passes; after each choice the starts exactly
  // one runtime away from it become candidates too (the constrained optimum can sit there).
  std::vector<TimePoint> chosen;
  for (std::size_t k = 0; k < spec.top; ++k) {
    const std::pair<TimePoint, double>* best = nullptr;
    for (const auto& e : evals) {
      if (best != nullptr && e.second >= best->second) continue;
      if (std::any_of(chosen.begin(), chosen.end(), [&](TimePoint c) { return overlaps(c, e.first, d); })) continue;
      best = &e;
    }
    if (best == nullptr) break;
    const TimePoint c = best->first;
    const double grams = best->second;  // evals grows below: copy before
    chosen.push_back(c);
    auto avg = series.average(c, c + d);
    r.best.push_back({c, c + d, avg ? *avg : 0.0, grams});
    for (const TimePoint s : {c - d, c + d}) {
      if (s < lo || s > hi) continue;
      std::size_t hs = iv.size(), he = iv.size();  // random access: binary search
      if (auto g = eval(s, hs, he)) evals.emplace_back(s, *g);
    }
  }
  if (r.best.empty())
    return Error::usage(
        fmt::format("no start between {} and {} gives a {} window without a gap in the intensity series",
                    format_timestamp(lo), format_timestamp(hi), format_duration(d)));
  if (reference_ok) {
    auto avg = series.average(lo, lo + d);
    r.reference = WhenWindow{lo, lo + d, avg ? *avg : 0.0, reference_g};
  }
  return r;
}

double saving_g(const WhenResult& r, const WhenWindow& w) { return r.reference ? r.reference->co2e_g - w.co2e_g : 0.0; }

// ---------------------------------------------------------------------------------------------
// Renderers

namespace {

/// Column averages of the series over [from, to) in `width` columns; nullopt where no data.
std::vector<std::optional<double>> columns(const IntensitySeries& series, TimePoint from, TimePoint to,
                                           std::size_t width) {
  std::vector<std::optional<double>> out(width);
  const double span = static_cast<double>((to - from).count());
  std::size_t hint = 0;
  auto prev = series.cumulative(from, hint);
  for (std::size_t c = 0; c < width; ++c) {
    const auto t = from + seconds{static_cast<std::int64_t>(
                              std::llround(span * static_cast<double>(c + 1) / static_cast<double>(width)))};
    const auto cur = series.cumulative(t, hint);
    if (cur.covered_s > prev.covered_s)
      out[c] = (cur.integral - prev.integral) / static_cast<double>(cur.covered_s - prev.covered_s);
    prev = cur;
  }
  return out;
}

std::string pct(double saving, double reference) {
  return reference > 0 ? fmt::format("{}%", format_sig(100.0 * saving / reference, 3)) : std::string("-");
}

/// What the plots show: the searched starts plus one runtime.
std::pair<TimePoint, TimePoint> plot_range(const WhenResult& r, const WhenSpec& spec) {
  return {r.earliest, r.latest + spec.runtime};
}

}  // namespace

std::string sparkline(const IntensitySeries& series, TimePoint from, TimePoint to, std::size_t width,
                      std::optional<WhenWindow> mark) {
  static constexpr std::array<std::string_view, 8> kBlocks{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (to <= from || width == 0) return {};
  const auto cols = columns(series, from, to, width);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& c : cols)
    if (c) lo = std::min(lo, *c), hi = std::max(hi, *c);
  std::string line, marks;
  const double span = static_cast<double>((to - from).count());
  for (std::size_t c = 0; c < width; ++c) {
    if (!cols[c]) {
      line += ' ';
    } else {
      const double f = hi > lo ? (*cols[c] - lo) / (hi - lo) : 0.5;
      line += kBlocks[static_cast<std::size_t>(std::clamp(std::lround(f * 7.0), 0L, 7L))];
    }
    if (mark) {
      const double c0 = span * static_cast<double>(c) / static_cast<double>(width);
      const double c1 = span * static_cast<double>(c + 1) / static_cast<double>(width);
      const auto m0 = static_cast<double>((mark->start - from).count()),
                 m1 = static_cast<double>((mark->end - from).count());
      marks += c0 < m1 && c1 > m0 ? '^' : ' ';
    }
  }
  std::string out = line + "\n";
  if (mark) {
    while (!marks.empty() && marks.back() == ' ') marks.pop_back();
    out += marks + "\n";
  }
  return out;
}

std::string render_when_text(const WhenResult& r, const WhenSpec& spec, const IntensitySeries& series,
                             const WhenRenderInfo& info) {
  std::string out;
  auto line = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
    out += '\n';
  };
  const double ref_g = r.reference ? r.reference->co2e_g : 0.0;
  line("Best start times for a {} job ({}, {} on average)", format_duration(spec.runtime),
       format_energy(spec.energy_kwh), format_sig(r.power_kw * 1000, 4) + " W");
  line("searched: starts from {} to {} ({} start times), series {}", format_timestamp(r.earliest),
       format_timestamp(r.latest), r.candidates, info.series_name);
  out += '\n';
  line("  #  {:<17}  {:<17}  {:>9}  {:>10}  {}", "start", "end", "gCO2e/kWh", "CO2e", r.reference ? "saving" : "");
  for (std::size_t k = 0; k < r.best.size(); ++k) {
    const auto& w = r.best[k];
    const double s = saving_g(r, w);
    line("  {}  {:<17}  {:<17}  {:>9}  {:>10}  {}", k + 1, format_timestamp(w.start), format_timestamp(w.end),
         format_sig(w.average_g_per_kwh, 4), format_mass(w.co2e_g),
         r.reference ? fmt::format("{} ({})", format_mass(s), pct(s, ref_g)) : std::string());
  }
  out += '\n';
  const std::string_view ref_label = r.reference_kind == ReferenceKind::now ? "now"
                                     : r.reference_kind == ReferenceKind::after
                                         ? "at --after"
                                         : "at the start of the series (it begins after now)";
  if (r.reference)
    line("Starting {} ({}): {} CO2e, {} gCO2e/kWh on average", ref_label, format_timestamp(r.reference->start),
         format_mass(r.reference->co2e_g), format_sig(r.reference->average_g_per_kwh, 4));
  else
    line("Starting {} ({}): not comparable, the series has a gap in that window", ref_label,
         format_timestamp(r.earliest));
  if (spec.embodied_kg > 0)
    line("Embodied (manufacturing) emissions: {} CO2e at any start, not in the ranking; add them for the total",
         format_mass(spec.embodied_kg * 1000));
  out += '\n';
  const auto [from, to] = plot_range(r, spec);
  const auto cols = columns(series, from, to, 72);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& c : cols)
    if (c) lo = std::min(lo, *c), hi = std::max(hi, *c);
  out += sparkline(series, from, to, 72, r.best.front());
  line("{} to {}: {} to {} gCO2e/kWh; ^ marks the best window", format_timestamp(from), format_timestamp(to),
       format_sig(lo, 4), format_sig(hi, 4));
  return out;
}

std::string render_when_json(const WhenResult& r, const WhenSpec& spec, const IntensitySeries& series,
                             const WhenRenderInfo& info) {
  using ojson = nlohmann::ordered_json;
  ojson j;
  j["schema_version"] = 2;
  j["co2e_version"] = version();
  // The output contract: energy_kwh and co2e_kg at the top level (the best start's), and in each
  // window; co2e_g stays beside them.
  j["energy_kwh"] = spec.energy_kwh;
  j["co2e_kg"] = r.best.empty() ? ojson(nullptr) : ojson(r.best.front().co2e_g / 1000);
  // The whole footprint's figures (issue 15): embodied emissions do not depend on the start.
  j["embodied_kg"] = spec.embodied_kg;
  j["total_co2e_kg"] = r.best.empty() ? ojson(nullptr) : ojson(r.best.front().co2e_g / 1000 + spec.embodied_kg);
  j["job"] = {{"runtime_h", static_cast<double>(spec.runtime.count()) / 3600.0},
              {"energy_kwh", spec.energy_kwh},
              {"power_kw", r.power_kw}};
  j["series"] = {{"file", info.series_name},
                 {"format", info.series_format},
                 {"column", info.series_column},
                 {"start", format_timestamp(series.begin())},
                 {"end", format_timestamp(series.end())},
                 {"intervals", series.intervals().size()}};
  j["search"] = {{"earliest_start", format_timestamp(r.earliest)},
                 {"latest_start", format_timestamp(r.latest)},
                 {"after", spec.after ? ojson(format_timestamp(*spec.after)) : ojson(nullptr)},
                 {"before", spec.before ? ojson(format_timestamp(*spec.before)) : ojson(nullptr)},
                 {"candidates", r.candidates}};
  if (r.reference)
    j["reference"] = {{"kind", reference_name(r.reference_kind)},
                      {"start", format_timestamp(r.reference->start)},
                      {"end", format_timestamp(r.reference->end)},
                      {"average_g_per_kwh", r.reference->average_g_per_kwh},
                      {"energy_kwh", spec.energy_kwh},
                      {"co2e_kg", r.reference->co2e_g / 1000},
                      {"co2e_g", r.reference->co2e_g}};
  else
    j["reference"] = nullptr;
  ojson best = ojson::array();
  for (std::size_t k = 0; k < r.best.size(); ++k) {
    const auto& w = r.best[k];
    const double s = saving_g(r, w);
    best.push_back({{"rank", k + 1},
                    {"start", format_timestamp(w.start)},
                    {"end", format_timestamp(w.end)},
                    {"average_g_per_kwh", w.average_g_per_kwh},
                    {"energy_kwh", spec.energy_kwh},
                    {"co2e_kg", w.co2e_g / 1000},
                    {"co2e_g", w.co2e_g},
                    {"total_co2e_kg", w.co2e_g / 1000 + spec.embodied_kg},
                    {"saving_g", r.reference ? ojson(s) : ojson(nullptr)},
                    {"saving_pct", r.reference && r.reference->co2e_g > 0 ? ojson(100.0 * s / r.reference->co2e_g)
                                                                          : ojson(nullptr)}});
  }
  j["best"] = best;
  ojson notes = ojson::array();
  for (const auto& n : info.notes)
    notes.push_back({{"line", n.line > 0 ? ojson(n.line) : ojson(nullptr)}, {"message", n.message}});
  j["notes"] = notes;
  return json_text(j);
}

std::string render_when_csv(const WhenResult& r) {
  std::string out = "rank,start,end,average_g_per_kwh,co2e_kg,co2e_g,saving_g,saving_pct\n";
  for (std::size_t k = 0; k < r.best.size(); ++k) {
    const auto& w = r.best[k];
    const double s = saving_g(r, w);
    fmt::format_to(std::back_inserter(out), "{},{},{},", k + 1, format_timestamp(w.start), format_timestamp(w.end));
    for (const double v : {w.average_g_per_kwh, w.co2e_g / 1000, w.co2e_g}) {
      append_number(out, v);
      out += ',';
    }
    if (r.reference) append_number(out, s);
    out += ',';
    if (r.reference && r.reference->co2e_g > 0) append_number(out, 100.0 * s / r.reference->co2e_g);
    out += '\n';
  }
  return out;
}

std::string render_when_svg(const WhenResult& r, const WhenSpec& spec, const IntensitySeries& series,
                            const WhenRenderInfo& info) {
  constexpr double kW = 800, kH = 320, kLeft = 60, kRight = 20, kTop = 30, kBottom = 50;
  constexpr std::size_t kCols = 720;
  const auto range = plot_range(r, spec);  // not a structured binding: Clang 14 cannot capture one
  const TimePoint from = range.first, to = range.second;
  const auto cols = columns(series, from, to, kCols);
  double hi = 0;
  for (const auto& c : cols)
    if (c) hi = std::max(hi, *c);
  if (hi <= 0) hi = 1;
  hi *= 1.05;
  const double span = static_cast<double>((to - from).count());
  auto x_of = [&](TimePoint t) {
    return kLeft + (kW - kLeft - kRight) * static_cast<double>((t - from).count()) / span;
  };
  auto y_of = [&](double v) { return kTop + (kH - kTop - kBottom) * (1 - v / hi); };
  std::string out;
  auto add = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
    out += '\n';
  };
  add(R"(<?xml version="1.0" encoding="UTF-8"?>)");
  add(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="sans-serif" font-size="11">)",
      kW, kH, kW, kH);
  add(R"(<title>co2e when: carbon intensity of {} and the best start times for a {} job</title>)",
      xml_escape(info.series_name), xml_escape(format_duration(spec.runtime)));
  add(R"(<rect width="100%" height="100%" fill="white"/>)");
  for (std::size_t k = 0; k < r.best.size(); ++k) {
    const auto& w = r.best[k];
    const double x0 = x_of(w.start), x1 = x_of(w.end);
    add(R"(<rect x="{:.2f}" y="{}" width="{:.2f}" height="{}" fill="#2ca02c" fill-opacity="{}"><title>#{} {} to {}: {} gCO2e/kWh, {}</title></rect>)",
        x0, kTop, std::max(x1 - x0, 1.0), kH - kTop - kBottom, k == 0 ? 0.35 : 0.15, k + 1, format_timestamp(w.start),
        format_timestamp(w.end), format_sig(w.average_g_per_kwh, 4), xml_escape(format_mass(w.co2e_g)));
    add(R"(<text x="{:.2f}" y="{}" text-anchor="middle" fill="#1a601a">#{}</text>)", (x0 + x1) / 2, kTop - 6, k + 1);
  }
  // The series as a step line, broken at gaps.
  std::string path;
  bool pen = false;
  for (std::size_t c = 0; c < kCols; ++c) {
    if (!cols[c]) {
      pen = false;
      continue;
    }
    const double x0 = kLeft + (kW - kLeft - kRight) * static_cast<double>(c) / kCols;
    const double x1 = kLeft + (kW - kLeft - kRight) * static_cast<double>(c + 1) / kCols;
    const double y = y_of(*cols[c]);
    path += fmt::format("{}{:.2f},{:.2f} L{:.2f},{:.2f} ", pen ? "L" : "M", x0, y, x1, y);
    pen = true;
  }
  add(R"(<path d="{}" fill="none" stroke="#1f4e99" stroke-width="1.2"/>)", path);
  // Axes and labels.
  add(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="black"/>)", kLeft, kH - kBottom, kW - kRight, kH - kBottom);
  add(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="black"/>)", kLeft, kTop, kLeft, kH - kBottom);
  add(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", kLeft - 4, kTop + 4, format_sig(hi / 1.05, 4));
  add(R"(<text x="{}" y="{}" text-anchor="end">0</text>)", kLeft - 4, kH - kBottom);
  add(R"svg(<text x="12" y="{}" transform="rotate(-90 12 {})" text-anchor="middle">gCO2e/kWh</text>)svg",
      (kH - kBottom + kTop) / 2, (kH - kBottom + kTop) / 2);
  add(R"(<text x="{}" y="{}">{}</text>)", kLeft, kH - kBottom + 16, format_timestamp(from));
  add(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", kW - kRight, kH - kBottom + 16, format_timestamp(to));
  if (r.reference)
    add(R"(<text x="{}" y="{}">best: {} to {}, saves {} ({}) against starting at {}</text>)", kLeft, kH - 12,
        format_timestamp(r.best.front().start), format_timestamp(r.best.front().end),
        xml_escape(format_mass(saving_g(r, r.best.front()))), pct(saving_g(r, r.best.front()), r.reference->co2e_g),
        format_timestamp(r.reference->start));
  add("</svg>");
  return out;
}

}  // namespace co2e
