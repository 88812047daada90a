// Stacked bar charts of footprints by part: standalone SVG and pgfplots. Rendering only.
#include "co2e/chart.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "co2e/quote.hpp"
#include "co2e/units.hpp"
#include "report/xml.hpp"

namespace co2e {

namespace {

// Okabe, M. & Ito, K. (2008), "Color Universal Design": its eight colours are distinguishable with
// the common colour vision deficiencies; the facility's overhead is grey, and the embodied part
// black, the palette's last colour, the one most apart from the energies in greyscale print.
constexpr std::array<PartInfo, kPartCount> kParts{{
    {Part::cpu, "CPU", "CPU", "before PUE", "#0072B2", PartBasis::before_pue},
    {Part::gpu, "GPU", "GPU", "before PUE", "#E69F00", PartBasis::before_pue},
    {Part::memory, "memory", "memory", "before PUE", "#009E73", PartBasis::before_pue},
    {Part::known, "measured or given energy", "known", "before PUE", "#CC79A7", PartBasis::before_pue},
    {Part::server, "server overhead", "server", "before PUE", "#56B4E9", PartBasis::before_pue},
    {Part::storage, "storage", "storage", "before PUE", "#F0E442", PartBasis::before_pue},
    {Part::pue_overhead, "data-centre overhead", "PUE overhead", "from PUE", "#999999", PartBasis::pue},
    {Part::network, "network", "network", "no PUE", "#D55E00", PartBasis::no_pue},
    {Part::embodied, "embodied", "embodied", "manufacturing, amortised", "#000000", PartBasis::not_energy},
}};

double sum(const PartValues& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

/// A tick step of 1, 2 or 5 × 10^k giving about five ticks up to `hi`.
double tick_step(double hi) {
  if (hi <= 0) return 1;
  const double raw = hi / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/// Which parts have a value in some category (the others stay out of the legend).
std::array<bool, kPartCount> used_parts(std::span<const StackedBars> panels) {
  std::array<bool, kPartCount> used{};
  for (const auto& p : panels)
    for (const auto& v : p.values)
      for (std::size_t i = 0; i < kPartCount; ++i) used[i] = used[i] || v[i] > 0;
  return used;
}

double max_total(const StackedBars& c) {
  double hi = 0;
  for (const auto& v : c.values) hi = std::max(hi, sum(v));
  return hi;
}

constexpr double kWidth = 760, kMargin = 12, kRow = 22, kNote = 14;

class SvgPanels {
 public:
  explicit SvgPanels(std::string& out) : out_(out) {}

  template <class... A>
  void add(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out_), f, std::forward<A>(args)...);
    out_ += '\n';
  }

  /// The legend: one swatch per used part. Returns the height used.
  double legend(double y0, const std::array<bool, kPartCount>& used) {
    double x = kMargin, y = y0;
    for (const auto& p : kParts) {
      if (!used[static_cast<std::size_t>(p.part)]) continue;
      const std::string text = fmt::format("{} ({})", p.label, p.basis);
      const double w = 16 + 6.2 * static_cast<double>(text.size()) + 14;  // 11 px sans-serif: ~6.2 px a letter
      if (x > kMargin && x + w > kWidth - kMargin) {
        x = kMargin;
        y += 18;
      }
      add(R"(<rect x="{:.1f}" y="{:.1f}" width="12" height="12" fill="{}"/>)", x, y, p.color);
      add(R"(<text x="{:.1f}" y="{:.1f}">{}</text>)", x + 16, y + 10, xml_escape(text));
      x += w;
    }
    return y - y0 + 22;
  }

  /// Bars across: labels on the left, the value after each bar, ticks below.
  double horizontal(double y0, const StackedBars& c) {
    constexpr double kLabel = 230, kBars = 400;
    const double hi_raw = max_total(c);
    const double step = tick_step(hi_raw);
    const double hi = hi_raw > 0 ? std::ceil(hi_raw / step - 1e-9) * step : 1;
    double y = y0;
    for (std::size_t i = 0; i < c.categories.size(); ++i, y += kRow) {
      add(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", kLabel - 6, y + 15,
          xml_escape(escape_for_message(c.categories[i], 40)));
      double x = kLabel;
      for (std::size_t k = 0; k < kPartCount; ++k) {
        const double w = c.values[i][k] / hi * kBars;
        if (w <= 0) continue;
        add(R"(<rect x="{:.2f}" y="{:.1f}" width="{:.2f}" height="{:.1f}" fill="{}"><title>{}: {} {}</title></rect>)",
            x, y + 4, w, kRow - 8, kParts[k].color, xml_escape(kParts[k].label), format_sig(c.values[i][k], 4),
            xml_escape(c.axis));
        x += w;
      }
      const bool none = i < c.no_estimate.size() && c.no_estimate[i];
      add(R"(<text x="{:.2f}" y="{:.1f}"{}>{}</text>)", x + 4, y + 15, none ? R"( font-style="italic")" : "",
          none ? std::string("no estimate") : format_sig(sum(c.values[i]), 4));
    }
    // The value axis: a line and ticks at 0, step, 2 step ... hi; k × step rather than t += step,
    // whose rounding error grows with each tick (clang-analyzer-security.FloatLoopCounter).
    add(R"(<line x1="{0}" y1="{1:.1f}" x2="{2}" y2="{1:.1f}" stroke="black"/>)", kLabel, y + 2, kLabel + kBars);
    for (long k = 0, ticks = std::lround(hi / step); k <= ticks; ++k) {
      const double t = static_cast<double>(k) * step;
      const double x = kLabel + t / hi * kBars;
      add(R"(<line x1="{0:.2f}" y1="{1:.1f}" x2="{0:.2f}" y2="{2:.1f}" stroke="black"/>)", x, y + 2, y + 6);
      add(R"(<text x="{:.2f}" y="{:.1f}" text-anchor="middle">{}</text>)", x, y + 18, format_sig(t, 4));
    }
    add(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", kLabel + kBars / 2, y + 32,
        xml_escape(c.axis));
    return y + 40 - y0;
  }

  /// Columns up, one per category (days): a label on every k-th column so that at most eight show.
  double vertical(double y0, const StackedBars& c) {
    constexpr double kLeft = 70, kHeight = 180;
    const double area = kWidth - kLeft - kMargin;
    const double hi_raw = max_total(c);
    const double step = tick_step(hi_raw);
    const double hi = hi_raw > 0 ? std::ceil(hi_raw / step - 1e-9) * step : 1;
    const auto n = std::max<std::size_t>(c.categories.size(), 1);
    const double col = area / static_cast<double>(n);
    const double base = y0 + kHeight;
    for (std::size_t i = 0; i < c.categories.size(); ++i) {
      double top = base;
      const double x = kLeft + col * static_cast<double>(i) + col * 0.1;
      for (std::size_t k = 0; k < kPartCount; ++k) {
        const double h = c.values[i][k] / hi * kHeight;
        if (h <= 0) continue;
        top -= h;
        add(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="{}"><title>{} {}: {} {}</title></rect>)",
            x, top, col * 0.8, h, kParts[k].color, xml_escape(escape_for_message(c.categories[i], 40)),
            xml_escape(kParts[k].label), format_sig(c.values[i][k], 4), xml_escape(c.axis));
      }
    }
    const std::size_t every = (n + 7) / 8;
    for (std::size_t i = 0; i < c.categories.size(); i += every)
      add(R"(<text x="{:.2f}" y="{:.1f}" text-anchor="middle">{}</text>)", kLeft + col * (static_cast<double>(i) + 0.5),
          base + 16, xml_escape(escape_for_message(c.categories[i], 20)));
    add(R"(<line x1="{0}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="black"/>)", kLeft, base, kWidth - kMargin);
    add(R"(<line x1="{0}" y1="{1:.1f}" x2="{0}" y2="{2:.1f}" stroke="black"/>)", kLeft, y0, base);
    for (long k = 0, ticks = std::lround(hi / step); k <= ticks; ++k) {
      const double t = static_cast<double>(k) * step;
      const double y = base - t / hi * kHeight;
      add(R"(<line x1="{0}" y1="{1:.2f}" x2="{2}" y2="{1:.2f}" stroke="black"/>)", kLeft - 4, y, kLeft);
      add(R"(<text x="{:.1f}" y="{:.2f}" text-anchor="end">{}</text>)", kLeft - 6, y + 4, format_sig(t, 4));
    }
    add(R"svg(<text x="14" y="{0:.1f}" transform="rotate(-90 14 {0:.1f})" text-anchor="middle">{1}</text>)svg",
        y0 + kHeight / 2, xml_escape(c.axis));
    return kHeight + 26;
  }

 private:
  std::string& out_;
};

}  // namespace

std::span<const PartInfo> parts() { return kParts; }
const PartInfo& part_info(Part p) { return kParts[static_cast<std::size_t>(p)]; }

PartValues split_energy(const PartEnergies& e, double energy_kwh) {
  PartValues v{};
  auto at = [&](Part p) -> double& { return v[static_cast<std::size_t>(p)]; };
  at(Part::cpu) = e.cpu_kwh;
  at(Part::gpu) = e.gpu_kwh;
  at(Part::memory) = e.memory_kwh;
  at(Part::known) = e.known_kwh;
  at(Part::server) = e.server_kwh;
  at(Part::storage) = e.storage_kwh;
  at(Part::network) = e.network_kwh;
  const double counted =
      e.cpu_kwh + e.gpu_kwh + e.memory_kwh + e.known_kwh + e.server_kwh + e.storage_kwh + e.network_kwh;
  // energy = PUE × (the parts before PUE) + network (energy.hpp), so this is (PUE − 1) × those
  // parts. A facility-scope energy already holds the overhead: then it is 0.
  at(Part::pue_overhead) = std::max(0.0, energy_kwh - counted);
  return v;
}

PartValues split_co2e(const PartEnergies& e, double energy_kwh, double co2e_kg, double embodied_kg) {
  PartValues v{};
  if (energy_kwh > 0) {
    v = split_energy(e, energy_kwh);
    const double per_kwh = co2e_kg / energy_kwh;  // the footprint's own factor: series windows included
    for (double& x : v) x *= per_kwh;
  }
  // Manufacturing emissions depend on neither the grid nor the PUE (issue 15): as they are.
  v[static_cast<std::size_t>(Part::embodied)] = embodied_kg;
  return v;
}

void add_parts(PartValues& to, const PartValues& from) {
  for (std::size_t i = 0; i < kPartCount; ++i) to[i] += from[i];
}

std::string render_chart_svg(std::span<const StackedBars> panels, std::string_view title) {
  std::string out;
  SvgPanels svg(out);
  // The body first, to know the height; the header is put in front at the end.
  const auto used = used_parts(panels);
  double y = kMargin;
  for (const auto& c : panels) {
    svg.add(R"(<text x="{}" y="{:.1f}" font-weight="bold" font-size="13">{}</text>)", kMargin, y + 12,
            xml_escape(c.title));
    y += 22;
    y += svg.legend(y, used);
    y += c.horizontal ? svg.horizontal(y, c) : svg.vertical(y, c);
    for (const auto& n : c.notes) {
      svg.add(R"(<text x="{}" y="{:.1f}" font-size="10">{}</text>)", kMargin, y + 10,
              xml_escape(escape_for_message(n, 140)));
      y += kNote;
    }
    y += 16;
  }
  const std::string head = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1:.0f}" viewBox="0 0 {0} {1:.0f}" font-family="sans-serif" font-size="11">)"
      "\n<title>{2}</title>\n"
      R"(<rect width="100%" height="100%" fill="white"/>)"
      "\n",
      kWidth, y, xml_escape(title));
  return head + out + "</svg>\n";
}

std::string render_chart_pgfplots(const StackedBars& c) {
  std::string out;
  auto add = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
    out += '\n';
  };
  const std::array<StackedBars, 1> one{c};
  const auto used = used_parts(one);
  const std::size_t n = c.categories.size();
  add("\\begin{{tikzpicture}}");
  for (const auto& p : kParts)
    if (used[static_cast<std::size_t>(p.part)])
      add("\\definecolor{{co2e{}}}{{HTML}}{{{}}}", static_cast<int>(p.part), p.color.substr(1));
  // `scale only axis`: the axis is 0.55 of the line and the labels at most 0.3, so that the
  // picture never runs past the margin whatever the names (labels wrap in their text width); the
  // legend hangs from the axis' right end, over the labels, not past the margin.
  add("\\begin{{axis}}[xbar stacked, scale only axis, width=0.55\\linewidth, height={}pt, bar width=9pt,", 18 * n + 8);
  add("  xmin=0, enlarge y limits={{abs=10pt}}, y dir=reverse, ytick={{0,...,{}}},", n == 0 ? 0 : n - 1);
  std::string labels;
  for (std::size_t i = 0; i < n; ++i)
    labels += fmt::format("{}{{{}}}", i == 0 ? "" : ",", tex_breakable(c.categories[i]));
  add("  yticklabels={{{}}},", labels);
  add("  yticklabel style={{text width=0.3\\linewidth, align=right, font=\\footnotesize}},");
  add("  xticklabel style={{font=\\footnotesize}}, scaled x ticks=false, xlabel={{{}}},", tex_escape(c.axis));
  add("  legend style={{font=\\scriptsize, at={{(1,1.03)}}, anchor=south east, legend columns=2, draw=none}},");
  add("  reverse legend=false, area legend]");
  for (const auto& p : kParts) {
    const auto k = static_cast<std::size_t>(p.part);
    if (!used[k]) continue;
    std::string coords;
    for (std::size_t i = 0; i < n; ++i) coords += fmt::format(" ({:.6g},{})", c.values[i][k], i);
    add("\\addplot[fill=co2e{}, draw=none] coordinates {{{}}};", k, coords);
    add("\\addlegendentry{{{} ({})}}", tex_escape(p.label), tex_escape(p.basis));
  }
  add("\\end{{axis}}");
  add("\\end{{tikzpicture}}");
  return out;
}

std::string tex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '{':
        out += "\\{";
        break;
      case '}':
        out += "\\}";
        break;
      case '$':
        out += "\\$";
        break;
      case '&':
        out += "\\&";
        break;
      case '#':
        out += "\\#";
        break;
      case '^':
        out += "\\^{}";
        break;
      case '_':
        out += "\\_";
        break;
      case '%':
        out += "\\%";
        break;
      case '~':
        out += "\\~{}";
        break;
      case '<':
        out += "\\textless{}";
        break;
      case '>':
        out += "\\textgreater{}";
        break;
      case '|':
        out += "\\textbar{}";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        // Non-ASCII bytes would need inputenc/fontenc set-up that the paper may not share.
        out += static_cast<unsigned char>(c) < 0x80 ? c : '?';
    }
  }
  return out;
}

std::string tex_breakable(std::string_view text) {
  std::string out;
  std::size_t run = 0;  // characters since the last break opportunity
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    out += tex_escape(text.substr(i, 1));
    if (c == ' ') {
      run = 0;
      continue;
    }
    ++run;
    const bool punct = std::string_view("-_/.:,=").find(c) != std::string_view::npos;
    if ((punct || run >= 12) && i + 1 < text.size() && text[i + 1] != ' ') {
      out += "\\allowbreak{}";
      run = 0;
    }
  }
  return out;
}

}  // namespace co2e
