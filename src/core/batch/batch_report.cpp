// Batch reports: Markdown and LaTeX (with BibTeX) from a BatchSummary. Rendering only.
#include <fmt/format.h>

#include "co2e/batch.hpp"
#include "co2e/version.hpp"

namespace co2e {

namespace {

/// A table figure: 4 significant digits, no trailing zeros.
std::string num(double v) { return format_sig(v, 4); }

std::string share(double part, double whole) { return whole > 0 ? fmt::format("{:.1f}%", 100.0 * part / whole) : "-"; }

std::string group_name(const BatchSummary& s, const BatchGroup& g) {
  if (s.group_by.empty()) return "all rows";
  std::string out;
  for (std::size_t i = 0; i < g.key.size(); ++i) {
    if (i > 0) out += ", ";
    out += g.key[i].empty() ? std::string("(empty)") : g.key[i];
  }
  return out;
}

std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

/// Text safe in LaTeX without extra packages.
std::string tex(std::string_view text) {
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

std::string range(double lo, double hi, std::string_view unit) {
  if (lo == hi) return fmt::format("{}{}", num(lo), unit);
  return fmt::format("{} to {}{}", num(lo), num(hi), unit);
}

/// The whole footprint's lines (issue 15), one table for Markdown and LaTeX: each component once.
struct WholeFootprintLine {
  std::string_view label;
  double value = 0;
  std::string_view unit;
};
std::vector<WholeFootprintLine> whole_footprint_lines(const BatchTotals& t) {
  return {{"CPU, GPU and memory (IT energy, before PUE)", t.cpu_kwh + t.gpu_kwh + t.memory_kwh, "kWh"},
          {"server overhead beyond the chips (before PUE)", t.server_kwh, "kWh"},
          {"storage (before PUE)", t.storage_kwh, "kWh"},
          {"network transfers (no PUE)", t.network_kwh, "kWh"},
          {"energy, PUE included", t.energy_kwh, "kWh"},
          {"operational emissions", t.co2e_kg, "kg CO2e"},
          {"embodied emissions (manufacturing, amortised)", t.embodied_kg, "kg CO2e"},
          {"total emissions", t.total_co2e_kg(), "kg CO2e"}};
}

/// The methodology's sentences on the whole footprint; empty when none of it was counted.
std::string whole_footprint_method(const BatchSummary& s, bool latex) {
  const auto& t = s.total;
  if (!t.whole_footprint()) return {};
  std::string p = " Beyond the processors and memory (docs/methodology.md, \"The whole footprint\"):";
  if (t.server_kwh > 0)
    p += fmt::format(" server overhead power beyond the chips ({} kWh) was counted before PUE;", num(t.server_kwh));
  if (t.storage_kwh > 0)
    p += fmt::format(" storage kept for the jobs at a power per TB ({} kWh), before PUE;", num(t.storage_kwh));
  if (t.network_kwh > 0)
    p += fmt::format(
        " data moved over networks at an energy per GB ({} kWh), without PUE; storage and network "
        "factors are uncertain and fall quickly from year to year;",
        num(t.network_kwh));
  if (t.embodied_kg > 0)
    p += fmt::format(
        " manufacturing (embodied) emissions of {} computations were amortised as embodied kg × hours used / "
        "(lifetime hours × utilisation), following Luccioni et al. (JMLR 24(253), 2023), giving {} kg CO{}e "
        "apart from the operational {} kg, {} kg in total; manufacturers' footprints are uncertain, often by a "
        "factor of two;",
        s.methods.embodied_rows, num(t.embodied_kg), latex ? "$_2$" : "2", num(t.co2e_kg), num(t.total_co2e_kg()));
  p.back() = '.';
  p += " The sources of each figure are listed with the references.";
  return p;
}

/// The paragraph to paste into a paper's methods section.
std::string methodology(const BatchSummary& s, const Dataset& data, bool latex) {
  const auto& m = s.methods;
  const auto ok = s.total.rows - s.total.failed;
  auto esc = [&](std::string_view t) { return latex ? tex(t) : std::string(t); };
  auto cite = [&](std::string_view key, std::string_view text) {
    return latex ? fmt::format("~\\cite{{{}}}", key) : fmt::format(" ({})", text);
  };
  std::string p;
  p += fmt::format(
      "Energy use and greenhouse-gas emissions were estimated with co2e {}{} following the Green Algorithms method{}. ",
      esc(version()), cite("co2e", esc("data tables: " + data.version_summary())),
      cite("lannelongue2021green", "Lannelongue et al., 2021, doi:10.1002/advs.202100707"));
  if (latex)
    p += "For each computation, the energy is $E = \\mathrm{PUE} \\times \\mathrm{PSF} \\times (t\\,n_c P_c u_c + "
         "t\\,n_g P_g u_g + "
         "t\\,M P_M) / 1000$~kWh and the emissions are $E \\times \\mathrm{CI}$, where ";
  else
    p += "For each computation, the energy is E = PUE × PSF × (t·n_c·P_c·u_c + t·n_g·P_g·u_g + t·M·P_M) / 1000 kWh and "
         "the "
         "emissions are E × CI, where ";
  const std::string_view vars_tex =
      "$t$ is the runtime in hours, $n_c$ and $n_g$ the numbers of CPU cores and GPUs (core- and GPU-hours, when "
      "given, replace "
      "$t$ times the count), $P_c$ and $P_g$ the power drawn per core and per GPU in watts, $u_c$ and $u_g$ their "
      "usage factors, "
      "$M$ the memory allocated in GB, $P_M$ the power per GB of memory, PUE the power usage effectiveness of the data "
      "centre, "
      "PSF the number of identical runs and CI the carbon intensity of the electricity in gCO$_2$e/kWh. ";
  const std::string_view vars_md =
      "t is the runtime in hours, n_c and n_g the numbers of CPU cores and GPUs (core- and GPU-hours, when given, "
      "replace t "
      "times the count), P_c and P_g the power drawn per core and per GPU in watts, u_c and u_g their usage factors, M "
      "the "
      "memory allocated in GB, P_M the power per GB of memory, PUE the power usage effectiveness of the data centre, "
      "PSF the "
      "number of identical runs and CI the carbon intensity of the electricity in gCO2e/kWh. ";
  p += latex ? vars_tex : vars_md;
  if (ok == 0) return p + "No computation of the input could be estimated.";
  p += fmt::format(
      "PUE ranged from {} ({} of {} computations with a PUE given explicitly, the others with the default of their "
      "provider or platform from the data tables). ",
      range(m.pue_min, m.pue_max, ""), m.pue_given, ok);
  p += fmt::format(
      "Carbon intensities ranged from {} ({} given explicitly, the others annual averages of the local grid from the "
      "data tables, mainly Our World in Data / Ember{}). ",
      range(m.intensity_min, m.intensity_max, " gCO2e/kWh"), m.intensity_given,
      cite("owid2024carbon", "ourworldindata.org/grapher/carbon-intensity-electricity"));
  if (m.intensity_from_tables > 0) {
    // The basis of each table figure (docs/methodology.md): a comparison of places on mixed bases
    // must say so.
    p += fmt::format("Of the factors from the tables, {} were on a lifecycle basis and {} direct (combustion only)",
                     m.basis_lifecycle, m.basis_direct);
    if (m.basis_unstated > 0) p += fmt::format(", {} of unstated basis (user data files)", m.basis_unstated);
    p += ". ";
    if (m.basis_fallback > 0)
      p += fmt::format("{} used the other basis because their place has no figure on the one requested. ",
                       m.basis_fallback);
    if (m.provider_figure > 0) p += fmt::format("{} were a cloud provider's own published figure. ", m.provider_figure);
  }
  p += fmt::format(
      "Processor power: {} computations used the rated power (TDP) of their CPU model and {} of their GPU model from "
      "the data tables, {} components had a power given explicitly (e.g. measured), and {} used the Green "
      "Algorithms defaults for unknown hardware (12 W per core, 200 W per GPU). ",
      m.cpu_from_model, m.gpu_from_model, m.power_given, m.power_default);
  if (m.any_memory)
    p += fmt::format("Memory power was {} W per GB allocated. ", range(m.memory_power_min, m.memory_power_max, ""));
  else
    p += "Memory power was not counted (no memory given). ";
  p += fmt::format("In total, {} computations used {} kWh and emitted {} kg CO{}e", ok, num(s.total.energy_kwh),
                   num(s.total.co2e_kg), latex ? "$_2$" : "2");
  if (s.total.failed > 0)
    p += fmt::format(" ({} rows of the input could not be estimated and are not counted)", s.total.failed);
  p += ". These are estimates from annual-average emission factors and rated or stated power; the real footprint "
       "varies with "
       "the hour, the actual power draw and the data centre.";
  p += whole_footprint_method(s, latex);
  return p;
}

/// Citation keys of the data-table sources, in the order of BatchMethods::sources.
std::string source_key(std::size_t i) { return fmt::format("co2esource{}", i + 1); }

}  // namespace

std::string batch_bibtex(const BatchSummary& s) {
  std::string out;
  out +=
      "@article{lannelongue2021green,\n"
      "  author = {Lannelongue, Lo{\\\"\\i}c and Grealey, Jason and Inouye, Michael},\n"
      "  title = {Green Algorithms: Quantifying the Carbon Footprint of Computation},\n"
      "  journal = {Advanced Science},\n"
      "  volume = {8},\n"
      "  pages = {2100707},\n"
      "  year = {2021},\n"
      "  doi = {10.1002/advs.202100707}\n"
      "}\n\n";
  out +=
      "@misc{owid2024carbon,\n"
      "  author = {{Ember} and {Our World in Data}},\n"
      "  title = {Carbon intensity of electricity generation},\n"
      "  howpublished = {Our World in Data, https://ourworldindata.org/grapher/carbon-intensity-electricity},\n"
      "  note = {Licence CC BY 4.0},\n"
      "  year = {2024}\n"
      "}\n\n";
  out += fmt::format(
      "@misc{{co2e,\n"
      "  key = {{co2e}},\n"
      "  title = {{co2e {}: energy and carbon footprint of computation}},\n"
      "  note = {{Command-line tool and bundled data tables}},\n"
      "  year = {{2026}}\n"
      "}}\n",
      tex(version()));
  std::size_t i = 0;
  for (const auto& [text, rows] : s.methods.sources) {
    out += fmt::format(
        "\n@misc{{{0},\n  key = {{{0}}},\n  title = {{{1}}},\n  note = {{Data-table source used by {2} "
        "computation{3}}}\n}}\n",
        source_key(i++), tex(text), rows, rows == 1 ? "" : "s");
  }
  return out;
}

std::string render_batch_markdown(const BatchSummary& s, const Dataset& data) {
  std::string o;
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  const auto& t = s.total;
  out("# Carbon footprint of {} computation{}\n\n", t.rows - t.failed, t.rows - t.failed == 1 ? "" : "s");
  out("**Total: {} kWh, {} kg CO2e** ({} rows", num(t.energy_kwh), num(t.co2e_kg), t.rows);
  if (t.failed > 0) out(", {} failed and not counted", t.failed);
  out("). Estimated with co2e {}.\n\n", version());

  // Totals per group, then the total.
  const std::string key_title =
      s.group_by.empty() ? std::string("rows") : md_cell(fmt::format("{}", fmt::join(s.group_by, ", ")));
  out("## Totals{}\n\n", s.group_by.empty() ? std::string() : " per " + key_title);
  out("| {} | rows | failed | CPU (kWh) | GPU (kWh) | memory (kWh) | energy (kWh) | CO2e (kg) | share |\n", key_title);
  out("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& g : s.groups)
    out("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", md_cell(group_name(s, g)), g.totals.rows, g.totals.failed,
        num(g.totals.cpu_kwh), num(g.totals.gpu_kwh), num(g.totals.memory_kwh), num(g.totals.energy_kwh),
        num(g.totals.co2e_kg), share(g.totals.co2e_kg, t.co2e_kg));
  out("| **total** | {} | {} | {} | {} | {} | **{}** | **{}** | 100% |\n\n", t.rows, t.failed, num(t.cpu_kwh),
      num(t.gpu_kwh), num(t.memory_kwh), num(t.energy_kwh), num(t.co2e_kg));
  out("CPU, GPU and memory: IT energy, before PUE; energy: PUE included. All include the identical runs (PSF).\n\n");

  if (t.whole_footprint()) {
    out("## Whole footprint\n\n| part | amount | unit |\n|---|---:|---|\n");
    for (const auto& l : whole_footprint_lines(t)) out("| {} | {} | {} |\n", l.label, num(l.value), l.unit);
    out("\nOperational emissions (co2e_kg) count energy only; embodied emissions are reported apart and added into "
        "the total.\n\n");
  }

  // One table per group, listing its rows (the first rows of a large input only).
  for (const auto& g : s.groups) {
    if (g.rows.empty()) continue;
    out("### {}\n\n",
        s.group_by.empty() ? std::string("Rows") : md_cell(fmt::format("{} = {}", key_title, group_name(s, g))));
    out("| row | {} | energy (kWh) | CO2e (kg) | status |\n",
        s.label_column.empty() ? "label" : md_cell(s.label_column));
    out("|---:|---|---:|---:|---|\n");
    for (const auto& r : g.rows) {
      if (r.ok)
        out("| {} | {} | {} | {} | ok |\n", r.row, md_cell(r.label), num(r.energy_kwh), num(r.co2e_kg));
      else
        out("| {} | {} | - | - | error: {} |\n", r.row, md_cell(r.label), md_cell(r.error));
    }
    out("\n");
  }
  if (s.rows_truncated)
    out("Only the first rows are listed one by one; the CSV output (`--format csv`) has every row.\n\n");

  out("## Equivalences\n\n{} kg CO2e is about:\n\n", num(t.co2e_kg));
  for (const auto& e : equivalents(t.co2e_kg * 1000, data)) out("- {} {}\n", format_sig(e.amount, 3), e.row->name);
  out("\n## Methodology\n\n{}\n\n", methodology(s, data, false));

  out("## References\n\n");
  out("- Lannelongue, L., Grealey, J., Inouye, M. (2021). Green Algorithms: Quantifying the Carbon Footprint of "
      "Computation. "
      "Advanced Science 8, 2100707. https://doi.org/10.1002/advs.202100707\n");
  out("- Ember and Our World in Data (2024). Carbon intensity of electricity generation. "
      "https://ourworldindata.org/grapher/carbon-intensity-electricity (CC BY 4.0)\n");
  out("- co2e {}, data tables: {}\n", version(), data.version_summary());
  for (const auto& [text, rows] : s.methods.sources)
    out("- {} (used by {} computation{})\n", md_cell(text), rows, rows == 1 ? "" : "s");
  return o;
}

std::string render_batch_latex(const BatchSummary& s, const Dataset& data) {
  std::string o;
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  const auto& t = s.total;
  out("% Carbon footprint report written by co2e {} (co2e batch --format latex).\n", tex(version()));
  out("% Compile with: pdflatex report.tex && bibtex report && pdflatex report.tex && pdflatex report.tex\n");
  out("% To use it in a paper: paste the part between BEGIN APPENDIX and END APPENDIX into an appendix and the\n");
  out("% entries of co2e-references.bib (below) into your .bib file.\n");
  out("\\begin{{filecontents*}}[overwrite]{{co2e-references.bib}}\n{}\\end{{filecontents*}}\n", batch_bibtex(s));
  out("\\documentclass{{article}}\n\\begin{{document}}\n\n");
  out("% ---- BEGIN APPENDIX ----\n");
  out("\\section*{{Carbon footprint of the computations}}\n\n");
  out("The {} computation{} of this work used {}~kWh and emitted {}~kg CO$_2$e", t.rows - t.failed,
      t.rows - t.failed == 1 ? "" : "s", num(t.energy_kwh), num(t.co2e_kg));
  if (t.failed > 0) out(" ({} input rows could not be estimated and are not counted)", t.failed);
  out(", about");
  const auto eq = equivalents(t.co2e_kg * 1000, data);
  for (std::size_t i = 0; i < eq.size(); ++i)
    out("{} {} {}", i == 0 ? "" : (i + 1 == eq.size() ? " or" : ","), format_sig(eq[i].amount, 3),
        tex(eq[i].row->name));
  out(".\n\n");

  const std::string key_title =
      s.group_by.empty() ? std::string("Rows") : tex(fmt::format("{}", fmt::join(s.group_by, ", ")));
  out("\\begin{{table}}[ht]\n\\centering\n\\begin{{tabular}}{{lrrrrrrr}}\n\\hline\n");
  out("{} & rows & CPU (kWh) & GPU (kWh) & memory (kWh) & energy (kWh) & CO$_2$e (kg) & share \\\\\n\\hline\n",
      key_title);
  for (const auto& g : s.groups)
    out("{} & {} & {} & {} & {} & {} & {} & {} \\\\\n", tex(group_name(s, g)), g.totals.rows - g.totals.failed,
        num(g.totals.cpu_kwh), num(g.totals.gpu_kwh), num(g.totals.memory_kwh), num(g.totals.energy_kwh),
        num(g.totals.co2e_kg), tex(share(g.totals.co2e_kg, t.co2e_kg)));
  out("\\hline\nTotal & {} & {} & {} & {} & {} & {} & 100\\% \\\\\n\\hline\n\\end{{tabular}}\n", t.rows - t.failed,
      num(t.cpu_kwh), num(t.gpu_kwh), num(t.memory_kwh), num(t.energy_kwh), num(t.co2e_kg));
  out("\\caption{{Energy and carbon footprint{}. CPU, GPU and memory: IT energy before PUE; energy: PUE included; all "
      "include repeated runs. Estimated with co2e "
      "following Green Algorithms~\\cite{{lannelongue2021green}}.}}\n\\end{{table}}\n\n",
      s.group_by.empty() ? std::string() : " per " + key_title);

  if (t.whole_footprint()) {
    out("\\begin{{table}}[ht]\n\\centering\n\\begin{{tabular}}{{lrl}}\n\\hline\npart & amount & unit \\\\\n\\hline\n");
    for (const auto& l : whole_footprint_lines(t)) out("{} & {} & {} \\\\\n", tex(l.label), num(l.value), tex(l.unit));
    out("\\hline\n\\end{{tabular}}\n\\caption{{Whole footprint: server overhead, storage, network and embodied "
        "emissions beside the processors' energy.}}\n\\end{{table}}\n\n");
  }

  // One table per group with its rows (small inputs).
  for (const auto& g : s.groups) {
    if (g.rows.empty()) continue;
    out("\\begin{{table}}[ht]\n\\centering\n\\begin{{tabular}}{{rlrrl}}\n\\hline\n");
    out("row & {} & energy (kWh) & CO$_2$e (kg) & status \\\\\n\\hline\n",
        s.label_column.empty() ? "label" : tex(s.label_column));
    for (const auto& r : g.rows) {
      if (r.ok)
        out("{} & {} & {} & {} & ok \\\\\n", r.row, tex(r.label), num(r.energy_kwh), num(r.co2e_kg));
      else
        out("{} & {} & -- & -- & error \\\\\n", r.row, tex(r.label));
    }
    out("\\hline\n\\end{{tabular}}\n\\caption{{{}}}\n\\end{{table}}\n\n",
        s.group_by.empty() ? std::string("Computations")
                           : tex(fmt::format("{} = {}", fmt::join(s.group_by, ", "), group_name(s, g))));
  }
  if (s.rows_truncated) out("Only the first rows are listed one by one.\n\n");

  out("\\paragraph{{Methodology.}} {}", methodology(s, data, true));
  if (!s.methods.sources.empty()) {
    out(" Data-table sources:");
    for (std::size_t i = 0; i < s.methods.sources.size(); ++i)
      out("{}\\cite{{{}}}", i == 0 ? "~" : ", ", source_key(i));
    out(".");
  }
  out("\n\n% ---- END APPENDIX ----\n\n");
  out("\\bibliographystyle{{plain}}\n\\bibliography{{co2e-references}}\n\\end{{document}}\n");
  return o;
}

}  // namespace co2e
