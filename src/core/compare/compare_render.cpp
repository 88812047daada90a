// Renderers of a CompareResult: pure functions from the ranked options to text (a table with a
// bar per option), JSON, CSV, Markdown and SVG. No computation beyond per-unit division.
#include <algorithm>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "co2e/compare.hpp"
#include "co2e/quote.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"
#include "report/xml.hpp"

namespace co2e {

namespace {

using ojson = nlohmann::ordered_json;

std::size_t shown(const CompareResult& r, std::size_t top) {
  return top == 0 ? r.options.size() : std::min(top, r.options.size());
}

/// The label of an option: the fields that differ between options, else all its inputs; behind
/// its name (an options file's) and `current: ` for the option of the plain flags.
std::string label(const CompareOption& o) {
  const auto& values = o.varying.empty() ? o.inputs : o.varying;
  std::string out;
  for (const auto& [f, v] : values) out += fmt::format("{}{}={}", out.empty() ? "" : ", ", field_info(f).column, v);
  if (out.empty()) out = "(no inputs)";
  if (!o.name.empty()) out = o.name + ": " + out;
  if (o.index == kCurrentOption) out = "current: " + out;
  return out;
}

/// `option 3` or `the current option`.
std::string option_words(std::size_t index) {
  return index == kCurrentOption ? std::string("the current option") : fmt::format("option {}", index);
}

/// The lines that say how the options' emission factors were chosen with --start.
std::string series_lines(const CompareResult& r) {
  if (!r.start) return {};
  std::vector<std::string> files;
  std::size_t annual = 0;
  for (const auto& o : r.options) {
    if (o.series.empty()) ++annual;
    if (!o.series.empty() && std::find(files.begin(), files.end(), o.series) == files.end()) files.push_back(o.series);
  }
  std::string out = fmt::format("start {}: {} option{} weighed by an intensity series over start + runtime ({})",
                                format_timestamp(*r.start), r.options.size() - annual,
                                r.options.size() - annual == 1 ? "" : "s", fmt::join(files, ", "));
  if (annual > 0)
    out += fmt::format("; {} option{} with no series for {} region keep{} the annual factor", annual,
                       annual == 1 ? "" : "s", annual == 1 ? "its" : "their", annual == 1 ? "s" : "");
  return escape_for_message(out, 400) + '\n';
}

/// Display width of UTF-8 text: its code points (the labels hold no wide characters we know of).
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(std::string_view s, std::size_t w) {
  std::string out(s);
  out.append(w > width(s) ? w - width(s) : 0, ' ');
  return out;
}

std::string pad_left(std::string_view s, std::size_t w) {
  return std::string(w > width(s) ? w - width(s) : 0, ' ') + std::string(s);
}

/// A bar of `frac` × `cells` cells in eighths (U+2588..U+258F).
std::string bar(double frac, int cells) {
  static constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const int eighths = static_cast<int>(std::lround(std::clamp(frac, 0.0, 1.0) * cells * 8));
  std::string out;
  for (int i = 0; i < eighths / 8; ++i) out += "█";
  out += kEighths[eighths % 8];
  if (out.empty() && frac > 0) out = "▏";  // never invisible unless zero
  return out;
}

double max_kg(const CompareResult& r, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, r.options[i].result.co2e_kg);
  return m;
}

std::string saving_text(const CompareOption& o) {
  const std::string kg = (o.saving_kg < 0 ? "-" : "") + format_mass(std::abs(o.saving_kg) * 1000);
  return o.saving_pct ? fmt::format("{} ({}%)", kg, format_sig(*o.saving_pct, 3)) : kg;
}

std::string sources(const CompareOption& o) {
  return fmt::format("{}/{}", pue_source_name(o.result.pue_source), intensity_source_name(o.result.intensity_source));
}

/// `576 g to 1.008 kg`, with ` ≈best` when it overlaps the best option's range (not on the best
/// itself); "-" with --no-range.
std::string range_text(const CompareOption& o) {
  if (!o.result.range) return "-";
  const Bounds& b = o.result.range->co2e_kg;
  return fmt::format("{} to {}{}", format_mass(b.low * 1000), format_mass(b.high * 1000),
                     o.rank > 1 && o.overlaps_best.value_or(false) ? " ≈best" : "");
}

/// The sentence that says what the mark means, when one is shown.
std::string overlap_note(const CompareResult& r, std::size_t n) {
  std::size_t marked = 0;
  for (std::size_t i = 1; i < n; ++i) marked += r.options[i].overlaps_best.value_or(false) ? 1 : 0;
  if (r.options.empty() || !r.options.front().result.range) return {};
  return fmt::format(
      "CO2e range: the bounds if every input lies within its stated range (docs/methodology.md, Ranges); ≈best: "
      "the range overlaps the best option's, so within those ranges the two cannot be told apart ({} of the "
      "options shown). Options that share an input (the same GPU, the same grid) move together, so an overlap "
      "can hide a real difference: it is a caution, not a verdict.",
      marked);
}

const CompareOption& baseline(const CompareResult& r) {
  return *std::find_if(r.options.begin(), r.options.end(),
                       [&](const CompareOption& o) { return o.index == r.baseline; });
}

PerUnitFigures per_unit(const CompareOption& o, const CompareResult& r) {
  return per_unit_figures(*r.per, o.result.energy_kwh, o.result.co2e_kg);
}

/// The line that says what the per-unit columns mean.
std::string per_line(const CompareResult& r) {
  return fmt::format("per unit: per {} ({} {} in all)", per_unit_label(*r.per), format_sig(r.per->count, 6),
                     r.per->unit);
}

/// The input columns present in any option, in Field order.
std::vector<Field> input_fields(const CompareResult& r) {
  std::vector<Field> out;
  for (const auto& fi : estimate_fields())
    for (const auto& o : r.options)
      if (std::any_of(o.inputs.begin(), o.inputs.end(), [&](const FieldValue& fv) { return fv.first == fi.field; })) {
        out.push_back(fi.field);
        break;
      }
  return out;
}

std::string_view input_value(const CompareOption& o, Field f) {
  for (const auto& [g, v] : o.inputs)
    if (g == f) return v;
  return {};
}

}  // namespace

std::vector<std::string> common_assumptions(const CompareResult& r, const Dataset& data) {
  if (r.options.empty()) return {};
  std::vector<std::string> common = assumptions(r.options.front().result, data);
  for (std::size_t i = 1; i < r.options.size() && !common.empty(); ++i) {
    const auto mine = assumptions(r.options[i].result, data);
    std::erase_if(common, [&](const std::string& s) { return std::find(mine.begin(), mine.end(), s) == mine.end(); });
  }
  return common;
}

std::string render_compare_text(const CompareResult& r, const Dataset& data, std::size_t top) {
  const std::size_t n = shown(r, top);
  const CompareOption& base = baseline(r);
  std::string out =
      fmt::format("co2e compare: {} option{} ranked by CO2e, lowest first{}; baseline: {} ({})\n", r.options.size(),
                  r.options.size() == 1 ? "" : "s", n < r.options.size() ? fmt::format(" (the best {} shown)", n) : "",
                  option_words(base.index), escape_for_message(label(base), 200));
  out += series_lines(r);
  if (r.per) out += escape_for_message(per_line(r), 200) + '\n';
  out += '\n';
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {
      "rank", "option", "energy", "CO2e", "CO2e range (bounds)", "gCO2e/kWh", "PUE", "PUE/intensity from", "saving"};
  if (r.per) head.insert(head.begin() + 5, {"gCO2e/unit", "Wh/unit"});
  rows.push_back(head);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& o = r.options[i];
    std::vector<std::string> row = {std::to_string(o.rank),
                                    escape_for_message(label(o), 200),
                                    format_energy(o.result.energy_kwh),
                                    format_mass(o.result.co2e_kg * 1000),
                                    range_text(o),
                                    format_sig(o.result.intensity_g_per_kwh, 4),
                                    format_sig(o.result.pue, 4),
                                    sources(o),
                                    o.index == r.baseline ? "baseline" : saving_text(o)};
    if (r.per)
      row.insert(row.begin() + 5, {format_sig(per_unit(o, r).co2e_g, 4), format_sig(per_unit(o, r).energy_wh, 4)});
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> w(head.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) w[c] = std::max(w[c], width(row[c]));
  const double top_kg = max_kg(r, n);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string line;
    for (std::size_t c = 0; c < rows[i].size(); ++c) {
      const bool text_col = c == 1 || rows[0][c] == "PUE/intensity from" || rows[0][c] == "CO2e range (bounds)";
      line += (c == 0 ? "" : "  ") + (text_col ? pad(rows[i][c], w[c]) : pad_left(rows[i][c], w[c]));
    }
    if (i > 0) line += "  " + bar(top_kg > 0 ? r.options[i - 1].result.co2e_kg / top_kg : 0, 24);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  out +=
      "\nsaving: the baseline's CO2e minus the option's (negative: more than the baseline). `co2e estimate` with an "
      "option's inputs shows its sources.\n";
  if (const auto note = overlap_note(r, n); !note.empty()) out += escape_for_message(note, 600) + '\n';
  if (const auto common = common_assumptions(r, data); !common.empty()) {
    out += "\nAssumptions of every option\n";
    for (const auto& a : common) out += fmt::format("  - {}\n", a);
  }
  return out;
}

std::string render_compare_json(const CompareResult& r, const Dataset& data, std::size_t top) {
  ojson j;
  j["schema_version"] = 1;
  j["co2e_version"] = version();
  // The output contract: every command's JSON has energy_kwh and co2e_kg at its top level; here,
  // as `when` gives its best start, those of the best option.
  j["energy_kwh"] = r.options.front().result.energy_kwh;
  j["co2e_kg"] = r.options.front().result.co2e_kg;
  j["ranked_by"] = "co2e_kg";
  j["count"] = r.options.size();
  j["baseline"] = r.baseline;
  j["current"] = r.current ? ojson(*r.current) : ojson(nullptr);
  j["start"] = r.start ? ojson(format_timestamp(*r.start)) : ojson(nullptr);
  if (r.per)  // the functional unit: per_count, per_unit, per_scale (functional_unit.hpp)
    for (const PerUnitValue& v : per_unit_values(*r.per, 0, 0))
      if (v.name == "per_count" || v.name == "per_unit" || v.name == "per_scale")
        j[std::string(v.name)] = v.is_text ? ojson(v.text) : ojson(v.number);
  ojson options = ojson::array();
  for (std::size_t i = 0; i < shown(r, top); ++i) {
    const auto& o = r.options[i];
    ojson inputs = ojson::object();
    for (const auto& [f, v] : o.inputs) inputs[std::string(field_info(f).column)] = v;
    ojson opt{{"rank", o.rank},
              {"option", o.index},
              {"name", o.name.empty() ? ojson(nullptr) : ojson(o.name)},
              {"current", r.current == o.index},
              {"label", label(o)},
              {"inputs", inputs},
              {"energy_kwh", o.result.energy_kwh},
              {"co2e_kg", o.result.co2e_kg},
              {"co2e_kg_low", o.result.range ? ojson(o.result.range->co2e_kg.low) : ojson(nullptr)},
              {"co2e_kg_high", o.result.range ? ojson(o.result.range->co2e_kg.high) : ojson(nullptr)},
              {"overlaps_best", o.overlaps_best ? ojson(*o.overlaps_best) : ojson(nullptr)},
              {"intensity_g_per_kwh", o.result.intensity_g_per_kwh},
              {"intensity_source", intensity_source_name(o.result.intensity_source)},
              {"intensity_series", o.series.empty() ? ojson(nullptr) : ojson(o.series)},
              {"annual_g_per_kwh", o.result.window ? ojson(o.result.window->annual_g_per_kwh) : ojson(nullptr)},
              {"pue", o.result.pue},
              {"pue_source", pue_source_name(o.result.pue_source)},
              {"region", o.result.region ? ojson(o.result.region->cloud != nullptr ? o.result.region->cloud->code
                                                                                   : o.result.region->grid->code)
                                         : ojson(nullptr)},
              {"baseline", o.index == r.baseline},
              {"saving_kg", o.saving_kg},
              {"saving_pct", o.saving_pct ? ojson(*o.saving_pct) : ojson(nullptr)}};
    if (r.per) {
      opt["co2e_g_per_unit"] = per_unit(o, r).co2e_g;
      opt["energy_wh_per_unit"] = per_unit(o, r).energy_wh;
    }
    options.push_back(std::move(opt));
  }
  j["options"] = std::move(options);
  j["assumptions"] = common_assumptions(r, data);
  return json_text(j);  // the one number formatter of machine outputs (10 significant digits)
}

std::string render_compare_csv(const CompareResult& r, std::size_t top) {
  const auto fields = input_fields(r);
  const bool names =
      std::any_of(r.options.begin(), r.options.end(), [](const CompareOption& o) { return !o.name.empty(); });
  std::string out = names ? "rank,option,name" : "rank,option";
  for (Field f : fields) out += fmt::format(",{}", field_info(f).column);
  out += ",energy_kwh,co2e_kg,intensity_g_per_kwh,pue,saving_kg,saving_pct,co2e_kg_low,co2e_kg_high,overlaps_best";
  if (r.start) out += ",intensity_series,annual_g_per_kwh";
  if (r.per)
    for (const PerUnitColumn& c : per_unit_columns()) out += fmt::format(",{}", c.name);
  out += '\n';
  for (std::size_t i = 0; i < shown(r, top); ++i) {
    const auto& o = r.options[i];
    out += fmt::format("{},{}", o.rank, o.index);
    if (names) out += "," + csv_escape(o.name);
    for (Field f : fields) out += "," + csv_escape(input_value(o, f));
    for (double v : {o.result.energy_kwh, o.result.co2e_kg, o.result.intensity_g_per_kwh, o.result.pue, o.saving_kg}) {
      out += ',';
      append_number(out, v);
    }
    out += ',';
    if (o.saving_pct) append_number(out, *o.saving_pct);
    out += ',';  // the range (issue 17): empty with --no-range
    if (o.result.range) append_number(out, o.result.range->co2e_kg.low);
    out += ',';
    if (o.result.range) append_number(out, o.result.range->co2e_kg.high);
    out += ',';
    if (o.overlaps_best) out += *o.overlaps_best ? "true" : "false";
    if (r.start) {
      out += "," + csv_escape(o.series) + ",";
      if (o.result.window) append_number(out, o.result.window->annual_g_per_kwh);
    }
    if (r.per) append_per_unit_csv(out, &*r.per, o.result.energy_kwh, o.result.co2e_kg);
    out += '\n';
  }
  return out;
}

std::string render_compare_markdown(const CompareResult& r, std::size_t top) {
  auto cell = [](const std::string& s) {
    std::string out;
    for (char c : escape_for_message(s, 200)) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string out = fmt::format("| rank | option | energy | CO2e | CO2e range | gCO2e/kWh | PUE |{} saving |\n",
                                r.per ? " gCO2e/unit | Wh/unit |" : "");
  out += fmt::format("|---:|---|---:|---:|---|---:|---:|{}---:|\n", r.per ? "---:|---:|" : "");
  for (std::size_t i = 0; i < shown(r, top); ++i) {
    const auto& o = r.options[i];
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |", o.rank, cell(label(o)),
                       format_energy(o.result.energy_kwh), format_mass(o.result.co2e_kg * 1000), range_text(o),
                       format_sig(o.result.intensity_g_per_kwh, 4), format_sig(o.result.pue, 4));
    if (r.per)
      out += fmt::format(" {} | {} |", format_sig(per_unit(o, r).co2e_g, 4), format_sig(per_unit(o, r).energy_wh, 4));
    out += fmt::format(" {} |\n", o.index == r.baseline ? "baseline" : saving_text(o));
  }
  if (r.per) out += fmt::format("\n{}\n", cell(per_line(r)));
  if (const auto note = overlap_note(r, shown(r, top)); !note.empty()) out += fmt::format("\n{}\n", note);
  if (r.start) {
    std::string line = series_lines(r);
    line.pop_back();  // its line end
    out += fmt::format("\n{}\n", cell(line));
  }
  return out;
}

std::string render_compare_svg(const CompareResult& r, std::size_t top) {
  const std::size_t n = shown(r, top);
  constexpr int kRow = 22, kLabel = 260, kBars = 420, kMargin = 12;
  const int height = kMargin * 2 + 24 + static_cast<int>(n) * kRow;
  const int width_px = kLabel + kBars + 140;
  const double top_kg = max_kg(r, n);
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" font-family="sans-serif" font-size="11">)"
      "\n",
      width_px, height);
  out += fmt::format(R"(<rect width="{}" height="{}" fill="white"/>)"
                     "\n",
                     width_px, height);
  out += fmt::format(R"(<text x="{}" y="{}" font-weight="bold">CO2e by option, lowest first (kg)</text>)"
                     "\n",
                     kMargin, kMargin + 10);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& o = r.options[i];
    const int y = kMargin + 24 + static_cast<int>(i) * kRow;
    const double w = top_kg > 0 ? o.result.co2e_kg / top_kg * kBars : 0;
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}. {}</text>)"
                       "\n",
                       kLabel - 6, y + 14, o.rank, xml_escape(escape_for_message(label(o), 60)));
    out += fmt::format(R"(<rect x="{}" y="{}" width="{:.1f}" height="{}" fill="{}"/>)"
                       "\n",
                       kLabel, y + 3, w, kRow - 6, o.index == r.baseline ? "#888888" : "#2a7f62");
    out += fmt::format(R"(<text x="{:.1f}" y="{}">{}</text>)"
                       "\n",
                       kLabel + w + 6, y + 14, xml_escape(format_mass(o.result.co2e_kg * 1000)));
  }
  out += "</svg>\n";
  return out;
}

}  // namespace co2e
