// Batch reports: Markdown and LaTeX (with BibTeX and a pgfplots chart) from a BatchSummary, and
// the same methodology and references for a single estimate. Rendering only.
#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cctype>

#include "co2e/batch.hpp"
#include "co2e/chart.hpp"
#include "co2e/render.hpp"
#include "co2e/units.hpp"
#include "co2e/version.hpp"

namespace co2e {

namespace {

/// A table figure: 4 significant digits, no trailing zeros.
std::string num(double v) { return format_sig(v, 4); }

/// A total's CO2e range (issue 17), `low–high` in kg; `-` when some row had none (--no-range).
std::string kg_range(const BatchTotals& t, std::string_view dash = "–") {
  if (!t.ranged) return "-";
  return fmt::format("{}{}{}", num(t.co2e_kg_low), dash, num(t.co2e_kg_high));
}

std::string share(double part, double whole) { return whole > 0 ? fmt::format("{:.1f}%", 100.0 * part / whole) : "-"; }

/// `1 computation`, `2 computations`.
std::string count(std::uint64_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

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

std::string tex(std::string_view text) { return tex_escape(text); }

std::string range(double lo, double hi, std::string_view unit) {
  if (lo == hi) return fmt::format("{}{}", num(lo), unit);
  return fmt::format("{} to {}{}", num(lo), num(hi), unit);
}

/// The parts a table shows as columns: the parts before PUE that some row used (CPU, GPU and
/// memory always). The PUE overhead and the network energy are the difference to the energy
/// column, which includes them; the "Whole footprint" table gives the network and embodied parts.
std::vector<Part> table_parts(const BatchTotals& t) {
  std::vector<Part> out;
  for (const auto& p : parts()) {
    if (p.kind != PartBasis::before_pue) continue;
    const bool always = p.part == Part::cpu || p.part == Part::gpu || p.part == Part::memory;
    if (always || t.energy_parts[static_cast<std::size_t>(p.part)] > 0) out.push_back(p.part);
  }
  return out;
}

double part_kwh(const BatchTotals& t, Part p) { return t.energy_parts[static_cast<std::size_t>(p)]; }

bool all_failed(const BatchTotals& t) { return t.rows > 0 && t.failed == t.rows; }

// ---- Citations ----

/// Publishers the data tables cite, found by the URL's host (entries without a URL), else by a
/// phrase of the source text (entries with one): the author of the citation, and the URL for
/// sources whose text names none. A figure taken "via" a compilation names the original's
/// publisher first. A paper cited by its authors' names alone also gives its title.
struct Publisher {
  std::string_view match;  ///< a phrase of the source text, or the end of a URL host
  std::string_view author;
  std::string_view url;    ///< for a source text without a URL
  std::string_view title;  ///< for a source text that names the authors but not the title
  bool persons = false;    ///< `author` lists people
};
constexpr std::array<Publisher, 32> kPublishers{{
    {"nvidia.com", "NVIDIA", "", "", false},
    {"amd.com", "AMD", "", "", false},
    {"intel.com", "Intel", "", "", false},
    {"amperecomputing.com", "Ampere Computing", "", "", false},
    {"amazon.com", "Amazon Web Services", "", "", false},
    {"google.com", "Google", "", "", false},
    {"google.co.uk", "Google", "", "", false},
    {"microsoft.com", "Microsoft", "", "", false},
    {"ourworldindata.org", "Ember and Our World in Data", "", "", false},
    {"ember-energy.org", "Ember", "", "", false},
    {"dcceew.gov.au", "Australian Government DCCEEW", "", "", false},
    {"canada.ca", "Environment and Climate Change Canada", "", "", false},
    {"iea.org", "International Energy Agency", "", "", false},
    {"epa.gov", "US Environmental Protection Agency", "", "", false},
    {"uptimeinstitute.com", "Uptime Institute", "", "", false},
    {"techpowerup.com", "TechPowerUp", "", "", false},
    {"cloudcarbonfootprint.org", "Cloud Carbon Footprint", "", "", false},
    {"delltechnologies.com", "Dell Technologies", "", "", false},
    {"Intel ARK", "Intel", "https://ark.intel.com/", "", false},
    {"Intel product", "Intel", "https://ark.intel.com/", "", false},
    {"AMD product", "AMD", "https://www.amd.com/en/products/specifications.html", "", false},
    {"AMD Instinct", "AMD", "https://www.amd.com/en/products/accelerators/instinct.html", "", false},
    {"AnandTech / Notebookcheck", "AnandTech and Notebookcheck", "https://www.notebookcheck.net/", "", false},
    {"techpowerup", "TechPowerUp", "https://www.techpowerup.com/gpu-specs/", "", false},
    {"Green Algorithms", "Green Algorithms", "https://github.com/GreenAlgorithms/green-algorithms-tool", "", false},
    {"CodeCarbon", "CodeCarbon", "https://github.com/mlco2/codecarbon", "", false},
    {"Our World in Data", "Ember and Our World in Data",
     "https://ourworldindata.org/grapher/carbon-intensity-electricity", "", false},
    {"Ember, Yearly Electricity Data", "Ember", "https://ember-energy.org/data/yearly-electricity-data/", "", false},
    {"Google Cloud region carbon", "Google", "https://cloud.google.com/sustainability/region-carbon", "", false},
    // BLOOM's footprint (issue 15's defaults): JMLR's page of the paper.
    {"Luccioni, Viguier, Ligozat", "Luccioni, Viguier, Ligozat", "https://jmlr.org/papers/v24/23-0069.html",
     "Estimating the Carbon Footprint of BLOOM, a 176B Parameter Language Model", true},
    // The same report as the row that gives its URL (data/embodied.json's Dell R740 rows).
    {"Life Cycle Assessment of Dell PowerEdge R740", "Dell Technologies",
     "https://corporate.delltechnologies.com/content/dam/digitalassets/active/en/unauth/data-sheets/products/servers/"
     "lca_poweredge_r740.pdf",
     "", false},
    {"IPCC AR5 WG3", "IPCC", "https://www.ipcc.ch/report/ar5/wg3/", "", false},
}};

/// Where a URL in prose ends: at a space, `)` or `;`, and at a comma followed by a space (a comma
/// inside a URL, as in `...-cpu,3918-13.html`, is part of it).
bool is_url_end(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (c == ',') return i + 1 == text.size() || text[i + 1] == ' ';
  return c == ' ' || c == ')' || c == ';' || c == '\n';
}

/// The first http(s) URL in `text` (without trailing punctuation), and where it starts.
std::pair<std::string_view, std::size_t> first_url(std::string_view text) {
  const auto at = text.find("http");
  if (at == std::string_view::npos) return {{}, std::string_view::npos};
  std::size_t end = at;
  while (end < text.size() && !is_url_end(text, end)) ++end;
  std::string_view url = text.substr(at, end - at);
  while (!url.empty() && (url.back() == '.' || url.back() == ':')) url.remove_suffix(1);
  if (!url.starts_with("http://") && !url.starts_with("https://")) return {{}, std::string_view::npos};
  return {url, at};
}

std::string_view host_of(std::string_view url) {
  auto rest = url.substr(url.find("//") + 2);
  return rest.substr(0, rest.find('/'));
}

/// "Jouppi et al. 2023, ..." → "Jouppi and others"; empty without "et al.".
std::string et_al_author(std::string_view text) {
  const auto at = text.find(" et al.");
  if (at == std::string_view::npos || at == 0 || at > 40) return {};
  return fmt::format("{} and others", text.substr(0, at));
}

std::string trim_copy(std::string_view s) {
  const auto b = s.find_first_not_of(" ,;:-");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" ,;:-(");
  return std::string(s.substr(b, e - b + 1));
}

/// A source written `Names, 'Title', where`: `Aslan, Mayers, Koomey, France, 'Electricity ...',
/// Journal of Industrial Ecology 22(4), ...` or `Tailpipe, 'Operational ...' https://...`. A first
/// word of remark (`estimate: `) is skipped. Empty names when the text is not written so.
struct QuotedSource {
  std::string names;  ///< `Aslan, Mayers, Koomey, France`
  std::size_t count = 0;
  std::string title;
  std::string rest;  ///< what follows the title
};
QuotedSource quoted_source(std::string_view text) {
  QuotedSource q;
  if (const auto colon = text.find(": "); colon != std::string_view::npos && colon < 12 &&
                                          text.substr(0, colon).find_first_of(" ,'") == std::string_view::npos)
    text.remove_prefix(colon + 2);
  const auto open = text.find(", '");
  if (open == std::string_view::npos || open == 0 || open > 80) return q;
  // The title ends at a quote that no letter follows (`Seagate's` is inside a title).
  std::size_t close = open + 3;
  while ((close = text.find('\'', close)) != std::string_view::npos && close + 1 < text.size() &&
         std::isalpha(static_cast<unsigned char>(text[close + 1])) != 0)
    ++close;
  if (close == std::string_view::npos) return q;
  // Names: capitalised, of at most three words each, no digits.
  const std::string_view names = text.substr(0, open);
  std::size_t count = 0;
  for (std::size_t at = 0; at <= names.size();) {
    const auto comma = std::min(names.find(", ", at), names.size());
    const std::string_view name = names.substr(at, comma - at);
    const bool ok = !name.empty() && std::isupper(static_cast<unsigned char>(name.front())) != 0 &&
                    name.find_first_of("0123456789:;()'") == std::string_view::npos &&
                    std::count(name.begin(), name.end(), ' ') <= 2;
    if (!ok) return q;
    ++count;
    at = comma + 2;
  }
  q.names = names;
  q.count = count;
  q.title = text.substr(open + 3, close - open - 3);
  q.rest = trim_copy(text.substr(close + 1));
  return q;
}

/// The fixed references every report cites, then the data-table sources, as (key, citation).
struct Reference {
  std::string key;
  Citation cite;
  std::uint64_t rows = 0;  ///< data-table sources: the computations that used it
};

/// Citation keys of the data-table sources, in the order of BatchMethods::sources.
std::string source_key(std::size_t i) { return fmt::format("co2esource{}", i + 1); }

Citation owid_citation() {
  return {"Ember and Our World in Data", "Carbon intensity of electricity generation", 2024,
          "https://ourworldindata.org/grapher/carbon-intensity-electricity", "Licence CC BY 4.0"};
}

Citation co2e_citation(const Dataset& data) {
  // The entry names the version, the commit and the data release (the row of every figure is in
  // its tables), which is what makes the figures reproducible, and the address of CMakeLists.txt.
  return {"co2e contributors", fmt::format("co2e {}: energy and carbon footprint of computation", version()), 2026,
          std::string(homepage_url()),
          fmt::format("Command-line tool, commit {}; data tables: {}", git_commit(), data.version_summary())};
}

std::vector<Reference> data_references(const BatchSummary& s) {
  std::vector<Reference> out;
  std::size_t i = 0;
  for (const auto& [text, use] : s.methods.sources) out.push_back({source_key(i++), use.cite, use.rows});
  return out;
}

/// A BibTeX field value: braced twice for titles and organisations, so that BibTeX styles keep
/// their case ("AMD", "CI_aggregated.csv") instead of lowering it.
std::string bib_entry(const std::string& key, const Citation& c) {
  std::string out = fmt::format("@misc{{{},\n", key);
  // An author in braces is one name (an organisation); people are BibTeX's `A and B and others`.
  std::string people = c.author;
  for (std::size_t i = 0; c.persons && (i = people.find(", ", i)) != std::string::npos;) people.replace(i, 2, " and ");
  out += fmt::format("  author = {{{}}},\n", c.persons ? tex(people) : "{" + tex(c.author) + "}");
  out += fmt::format("  title = {{{{{}}}}},\n", tex(c.title));
  if (c.year != 0) out += fmt::format("  year = {{{}}},\n", c.year);
  if (!c.url.empty()) {
    out += fmt::format("  url = {{{}}},\n", c.url);
    out += fmt::format("  howpublished = {{\\url{{{}}}}},\n", c.url);
  }
  if (!c.note.empty()) out += fmt::format("  note = {{{}}},\n", tex(c.note));
  out += "}\n";
  return out;
}

/// One Markdown reference line: `Author (year). Title. URL (note)`.
std::string md_reference(const Citation& c) {
  std::string out =
      fmt::format("{}{}. {}.", c.author, c.year != 0 ? fmt::format(" ({})", c.year) : std::string(), c.title);
  if (!c.url.empty()) out += " " + c.url;
  if (!c.note.empty()) out += fmt::format(" ({})", c.note);
  return md_cell(out);
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
        " manufacturing (embodied) emissions of {} were amortised as embodied kg × hours used / "
        "(lifetime hours × utilisation), following Luccioni et al. (JMLR 24(253), 2023), giving {} kg CO{}e "
        "apart from the operational {} kg, {} kg in total; manufacturers' footprints are uncertain, often by a "
        "factor of two;",
        count(s.methods.embodied_rows, "computation"), num(t.embodied_kg), latex ? "$_2$" : "2", num(t.co2e_kg),
        num(t.total_co2e_kg()));
  p.back() = '.';
  p += " The sources of each figure are listed with the references.";
  return p;
}

/// The methodology's sentence on computations whose energy was given, not modelled (--energy,
/// --power, their columns): the formula's CPU, GPU and memory terms do not apply to them, so the
/// paragraph must say how many there were and what was applied to their figure; empty when none.
std::string known_energy_method(const BatchMethods& m, std::uint64_t ok) {
  const std::uint64_t known = m.known_energy_rows + m.known_power_rows;
  if (known == 0) return {};
  // One kind: no count needed; both kinds: how many of each.
  const bool both = m.known_energy_rows > 0 && m.known_power_rows > 0;
  std::vector<std::string> how;
  if (m.known_energy_rows > 0)
    how.push_back(fmt::format("{}as a known energy per run, such as a wattmeter's reading or a published figure",
                              both ? fmt::format("{} ", m.known_energy_rows) : std::string()));
  if (m.known_power_rows > 0)
    how.push_back(fmt::format("{}as a known average power at the plug, times the runtime",
                              both ? fmt::format("{} ", m.known_power_rows) : std::string()));
  const std::string which = ok == 1       ? std::string("this computation")
                            : known == ok ? fmt::format("all {}", count(ok, "computation"))
                                          : fmt::format("{} of the {}", known, count(ok, "computation"));
  std::string p = fmt::format(
      "For {}, the energy was given rather than modelled ({}): it replaces the CPU, GPU and memory terms of the "
      "formula",
      which, fmt::join(how, "; "));
  p += "; PSF and the carbon intensity were applied to it as to a modelled energy, and PUE ";
  if (m.facility_rows == known)
    p += "was not: the figure covered the whole facility (PUE included)";
  else if (m.facility_rows > 0)
    p += fmt::format("too, except to the {} that covered the whole facility (PUE included)", m.facility_rows);
  else
    p += "too (the figure covered the IT equipment only)";
  return p + ". ";
}

/// What the ranges mean (issue 17): the bounds of exact interval propagation over the stated
/// input ranges, not a probability interval.
std::string range_method(const BatchSummary& s, bool latex) {
  const auto& t = s.total;
  const std::string_view co2 = latex ? "CO$_2$e" : "CO2e";
  std::string p = fmt::format(" The range given with each total ({} to {} kg {} in all", num(t.co2e_kg_low),
                              num(t.co2e_kg_high), co2);
  if (t.embodied_kg > 0)
    p += fmt::format("; {} to {} kg with embodied emissions", num(t.total_co2e_kg_low()), num(t.total_co2e_kg_high()));
  p += fmt::format(
      ") bounds the footprint over the stated range of every input: values given exactly are exact, and defaults "
      "and table figures (power from TDP, usage, PUE, memory power, grid factors{}) carry the sourced ranges of "
      "the co2e documentation. The formula only adds and multiplies non-negative inputs (and divides by the "
      "service life and utilisation), so it is monotone in each: evaluating it with every input at the end of its "
      "range that lowers the footprint, then at the end that raises it, gives the exact lowest and highest values "
      "(exact interval propagation); the bounds add up over computations. It is a bound, not a probability "
      "interval: the real footprint is usually well inside it.",
      t.whole_footprint() ? ", and the whole footprint's node overhead, storage and network power, embodied "
                            "figures and service life"
                          : "");
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
         "t\\,n_g P_g u_g + t\\,M P_M) / 1000$~kWh and the emissions are $E \\times \\mathrm{CI}$, where ";
  else
    p += "For each computation, the energy is E = PUE × PSF × (t·n_c·P_c·u_c + t·n_g·P_g·u_g + t·M·P_M) / 1000 kWh and "
         "the emissions are E × CI, where ";
  const std::string_view vars_tex =
      "$t$ is the runtime in hours, $n_c$ and $n_g$ the numbers of CPU cores and GPUs (core- and GPU-hours, when "
      "given, replace $t$ times the count), $P_c$ and $P_g$ the power drawn per core and per GPU in watts, $u_c$ and "
      "$u_g$ their usage factors, $M$ the memory allocated in GB, $P_M$ the power per GB of memory, PUE the power "
      "usage effectiveness of the data centre, PSF the number of identical runs and CI the carbon intensity of the "
      "electricity in gCO$_2$e/kWh. ";
  const std::string_view vars_md =
      "t is the runtime in hours, n_c and n_g the numbers of CPU cores and GPUs (core- and GPU-hours, when given, "
      "replace t times the count), P_c and P_g the power drawn per core and per GPU in watts, u_c and u_g their usage "
      "factors, M the memory allocated in GB, P_M the power per GB of memory, PUE the power usage effectiveness of "
      "the data centre, PSF the number of identical runs and CI the carbon intensity of the electricity in "
      "gCO2e/kWh. ";
  p += latex ? vars_tex : vars_md;
  if (ok == 0) return p + "No computation of the input could be estimated.";
  const bool one = m.pue_min == m.pue_max;
  p += fmt::format(
      "PUE {} {} ({} of {} with a PUE given explicitly, the others with the default of their provider or platform "
      "from the data tables). ",
      one ? "was" : "ranged from", range(m.pue_min, m.pue_max, ""), m.pue_given, count(ok, "computation"));
  p += fmt::format(
      "Carbon intensities {} {} ({} given explicitly, the others annual averages of the local grid from the data "
      "tables, mainly Our World in Data / Ember{}). ",
      m.intensity_min == m.intensity_max ? "were" : "ranged from",
      range(m.intensity_min, m.intensity_max, latex ? "~gCO$_2$e/kWh" : " gCO2e/kWh"), m.intensity_given,
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
  // Processor and memory power say nothing when every energy was given (it holds them all).
  const bool all_given = m.known_energy_rows + m.known_power_rows == ok;
  if (!all_given)
    p += fmt::format(
        "Processor power: {1} used the rated power (TDP) of their CPU model and {2} of their GPU model from the "
        "data tables, {3} had a power given explicitly (e.g. measured), and {4} used the Green Algorithms defaults "
        "for unknown hardware (12{0}W per core, 200{0}W per GPU). ",
        latex ? "~" : " ", count(m.cpu_from_model, "computation"), m.gpu_from_model, count(m.power_given, "component"),
        m.power_default);
  p += known_energy_method(m, ok);
  if (m.any_memory)
    p += fmt::format("Memory power was {} W per GB allocated. ", range(m.memory_power_min, m.memory_power_max, ""));
  else if (!all_given)
    p += "Memory power was not counted (no memory given). ";
  p += fmt::format("In total, {} used {} kWh and emitted {} kg CO{}e", count(ok, "computation"),
                   num(s.total.energy_kwh), num(s.total.co2e_kg), latex ? "$_2$" : "2");
  if (s.total.failed > 0)
    p += fmt::format(" ({} of the input could not be estimated and {} not counted)", count(s.total.failed, "row"),
                     s.total.failed == 1 ? "is" : "are");
  p += ". These are estimates from annual-average emission factors and rated or stated power; the real footprint "
       "varies with the hour, the actual power draw and the data centre.";
  p += whole_footprint_method(s, latex);
  if (s.total.ranged && ok > 0) p += range_method(s, latex);
  return p;
}

constexpr std::string_view kLannelongueBib =
    "@article{lannelongue2021green,\n"
    "  author = {Lannelongue, Lo{\\\"\\i}c and Grealey, Jason and Inouye, Michael},\n"
    "  title = {{Green Algorithms: Quantifying the Carbon Footprint of Computation}},\n"
    "  journal = {Advanced Science},\n"
    "  volume = {8},\n"
    "  number = {12},\n"
    "  pages = {2100707},\n"
    "  year = {2021},\n"
    "  doi = {10.1002/advs.202100707},\n"
    "  url = {https://doi.org/10.1002/advs.202100707},\n"
    "  note = {\\url{https://doi.org/10.1002/advs.202100707}}\n"
    "}\n";
constexpr std::string_view kLannelongueMd =
    "Lannelongue, L., Grealey, J., Inouye, M. (2021). Green Algorithms: Quantifying the Carbon Footprint of "
    "Computation. Advanced Science 8(12), 2100707. https://doi.org/10.1002/advs.202100707";

/// The References section of a Markdown report.
std::string md_references(const BatchSummary& s, const Dataset& data) {
  std::string o = "## References\n\n";
  o += fmt::format("- {}\n", kLannelongueMd);
  o += fmt::format("- {}\n", md_reference(owid_citation()));
  o += fmt::format("- {}\n", md_reference(co2e_citation(data)));
  for (const auto& r : data_references(s))
    o += fmt::format("- {} Data-table source of {}.\n", md_reference(r.cite), count(r.rows, "computation"));
  return o;
}

/// The LaTeX preamble of a report: the packages its tables and figure need, all in Debian's
/// texlive-latex-base, -latex-recommended and -pictures.
constexpr std::string_view kLatexPreamble =
    "\\documentclass{article}\n"
    "\\usepackage{booktabs}\n"
    "\\usepackage{tabularx}\n"
    "\\usepackage[hyphens]{url}\n"  // long URLs in the bibliography break after hyphens too
    "\\Urlmuskip=0mu plus 1mu\\relax\n"
    "\\usepackage{pgfplots}\n"
    "\\pgfplotsset{compat=1.17}\n"
    "\\begin{document}\n\n";

/// The document's end: the bibliography from the embedded co2e-references.bib.
constexpr std::string_view kLatexEnd = "\\bibliographystyle{plain}\n\\bibliography{co2e-references}\n\\end{document}\n";

/// The end of every LaTeX report (batch and a single estimate): the methodology paragraph citing
/// the data-table sources, the end of the appendix and the bibliography.
void latex_methodology_and_end(std::string& o, const BatchSummary& s, const Dataset& data) {
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  out("\\paragraph{{Methodology.}} {}", methodology(s, data, true));
  if (!s.methods.sources.empty()) {
    out(" Data-table sources:");
    for (std::size_t i = 0; i < s.methods.sources.size(); ++i)
      out("{}\\cite{{{}}}", i == 0 ? "~" : ", ", source_key(i));
    out(".");
  }
  out("\n\n% ---- END APPENDIX ----\n\n");
  o += kLatexEnd;
}

std::string latex_header(std::string_view command, const std::string& bib) {
  std::string o;
  fmt::format_to(std::back_inserter(o), "% Carbon footprint report written by co2e {} ({}).\n", tex(version()),
                 command);
  o += "% Compile with: pdflatex report.tex && bibtex report && pdflatex report.tex && pdflatex report.tex\n";
  o += "% Packages: booktabs, tabularx, url, pgfplots (Debian: texlive-latex-base, texlive-latex-recommended,\n";
  o += "% texlive-pictures). To use it in a paper: paste the part between BEGIN APPENDIX and END APPENDIX into an\n";
  o += "% appendix and the entries of co2e-references.bib (below) into your .bib file.\n";
  fmt::format_to(std::back_inserter(o),
                 "\\begin{{filecontents*}}[overwrite]{{co2e-references.bib}}\n{}\\end{{filecontents*}}\n", bib);
  o += kLatexPreamble;
  return o;
}

/// The header cells of the part columns, e.g. `CPU (kWh, before PUE)`.
std::string md_part_heads(const std::vector<Part>& ps) {
  std::string out;
  for (Part p : ps) out += fmt::format(" {} (kWh, {}) |", part_info(p).label, part_info(p).basis);
  return out;
}

/// The failed rows, with their reasons: a Markdown section.
std::string md_failures(const BatchSummary& s) {
  if (s.total.failed == 0) return {};
  std::string o = fmt::format(
      "## Rows that could not be estimated\n\n{} could not be estimated and {} not counted in any total:\n\n",
      count(s.total.failed, "row"), s.total.failed == 1 ? "is" : "are");
  o += fmt::format("| row | {} | {} | reason |\n|---:|---|---|---|\n",
                   s.label_column.empty() ? "label" : md_cell(s.label_column),
                   s.group_by.empty() ? "group" : md_cell(fmt::format("{}", fmt::join(s.group_by, ", "))));
  for (const auto& f : s.failures)
    o += fmt::format("| {} | {} | {} | {} |\n", f.row, md_cell(f.label), md_cell(group_name(s, s.groups[f.group])),
                     md_cell(f.error));
  if (s.total.failed > s.failures.size())
    o += fmt::format("\n... and {} more: the CSV output (`--format csv`) gives every row's error.\n",
                     s.total.failed - s.failures.size());
  return o + "\n";
}

}  // namespace

// long-function: one citation from the row's text, in the order of the fields (URL, title,
// author, the fallbacks of each, the note); each step is two or three lines.
Citation cite_source(const Provenance& p, std::string_view fallback_title) {
  Citation c;
  const auto [text_url, at] = first_url(p.source);
  c.url = !p.url.empty() ? std::string(p.url) : std::string(text_url);
  // The title is the text before its first URL ("... memoryPower, in W/GB from http://..."), less
  // a dangling connective; a text that starts with its URL has only remarks after it: a note.
  std::string rest = trim_copy(p.source.substr(0, std::min(at, p.source.size())));
  std::string remark = at == std::string_view::npos ? std::string() : trim_copy(p.source.substr(at + text_url.size()));
  for (bool cut = true; cut;) {
    cut = false;
    for (std::string_view w : {" from", " and", " see", " at", " in"})
      if (rest.ends_with(w)) {
        rest = trim_copy(rest.substr(0, rest.size() - w.size()));
        cut = true;
      }
  }
  if (rest.starts_with("via ")) rest = rest.substr(4);
  // `Names, 'Title', where`: the names are the author, the quoted title the title, the rest a note.
  QuotedSource quoted = quoted_source(p.source);
  if (!text_url.empty()) {
    if (const auto u = quoted.rest.find(text_url); u != std::string::npos) quoted.rest.erase(u, text_url.size());
    quoted.rest = trim_copy(quoted.rest);
  }
  const Publisher* pub = nullptr;
  for (const auto& candidate : kPublishers) {  // hosts first, then phrases
    const bool host = candidate.url.empty();
    const bool hit = host ? !c.url.empty() && host_of(c.url).ends_with(candidate.match)
                          : p.source.find(candidate.match) != std::string_view::npos;
    if (hit) {
      pub = &candidate;
      break;
    }
  }
  c.title = !p.release.empty()                      ? std::string(p.release)
            : !quoted.title.empty()                 ? quoted.title
            : pub != nullptr && !pub->title.empty() ? std::string(pub->title)
            : !rest.empty()                         ? rest
                                                    : std::string(fallback_title);
  c.year = p.year;
  c.author = et_al_author(p.source);
  c.persons = !c.author.empty();
  if (c.author.empty() && quoted.count > 0) {
    c.author = quoted.names;
    c.persons = quoted.count > 1;  // one name is an organisation: `Tailpipe`, `Dell Technologies`
  }
  if (c.author.empty() && pub != nullptr) {
    c.author = pub->author;
    c.persons = pub->persons;
  }
  if (c.url.empty() && pub != nullptr) c.url = pub->url;
  auto after = [&](std::string_view tag) -> std::string {
    const auto i = p.source.find(tag);
    if (i == std::string_view::npos) return {};
    std::size_t end = i + tag.size();
    while (end < p.source.size() && !is_url_end(p.source, end)) ++end;
    std::string_view id = p.source.substr(i + tag.size(), end - i - tag.size());
    while (!id.empty() && id.back() == '.') id.remove_suffix(1);
    return std::string(id);
  };
  if (c.url.empty())
    if (const std::string arxiv = after("arXiv:"); !arxiv.empty()) c.url = "https://arxiv.org/abs/" + arxiv;
  if (c.url.empty())
    if (const std::string doi = after("doi:"); !doi.empty()) c.url = "https://doi.org/" + doi;
  if (c.author.empty() && p.source.starts_with("co2e")) {
    // A figure co2e derived from its own tables or chose ("co2e data/cpus.json ...: 5th
    // percentile", "co2e's choice from published spreads: ..."): co2e is its author.
    c.author = "co2e contributors";
    if (c.url.empty()) c.url = homepage_url();
  }
  if (c.author.empty() && !c.url.empty() && host_of(c.url) == "github.com") {
    // A file of a repository: its owner (`GoogleCloudPlatform`, `thegreenwebfoundation`).
    const std::string_view path = std::string_view(c.url).substr(c.url.find("github.com/") + 11);
    c.author = path.substr(0, path.find('/'));
  }
  if (c.author.empty()) c.author = c.url.empty() ? std::string("co2e data tables") : std::string(host_of(c.url));
  if (!p.licence.empty())
    c.note = p.licence == "fact" ? std::string("Factual data") : fmt::format("Licence {}", p.licence);
  if (!p.retrieved.empty()) c.note += fmt::format("{}retrieved {}", c.note.empty() ? "" : "; ", p.retrieved);
  // Where in the work the figure is: a paper's journal and section, a title's remarks.
  std::string where;
  if (!quoted.title.empty() && p.release.empty())
    where = quoted.rest;
  else if (quoted.title.empty() && pub != nullptr && !pub->title.empty() && p.release.empty())
    where = rest.starts_with(pub->match) ? trim_copy(std::string_view(rest).substr(pub->match.size())) : rest;
  else if (rest.empty() && remark.find("http") == std::string::npos)
    where = remark;
  if (where.size() > 1 && where.front() == '(' && where.back() == ')') where = where.substr(1, where.size() - 2);
  if (!where.empty()) c.note += fmt::format("{}{}", c.note.empty() ? "" : "; ", where);
  return c;
}

std::string batch_bibtex(const BatchSummary& s, const Dataset& data) {
  std::string out(kLannelongueBib);
  out += "\n" + bib_entry("owid2024carbon", owid_citation());
  out += "\n" + bib_entry("co2e", co2e_citation(data));
  for (const auto& r : data_references(s)) out += "\n" + bib_entry(r.key, r.cite);
  return out;
}

StackedBars batch_chart(const BatchSummary& s) {
  StackedBars c;
  const std::string dim = s.group_by.empty() ? std::string() : s.group_by.front();
  c.title = dim.empty() ? "CO2e of all rows (kg), by component" : fmt::format("CO2e per {} (kg), by component", dim);
  c.axis = "kg CO2e";
  // Groups of the first dimension, in first-seen order, summed over the other dimensions.
  std::vector<std::string> keys;
  std::vector<BatchTotals> totals;
  for (const auto& g : s.groups) {
    const std::string key = s.group_by.empty()      ? std::string("all rows")
                            : g.key.front().empty() ? std::string("(empty)")
                                                    : g.key.front();
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      totals.emplace_back();
      it = keys.end() - 1;
    }
    BatchTotals& t = totals[static_cast<std::size_t>(it - keys.begin())];
    t.rows += g.totals.rows;
    t.failed += g.totals.failed;
    t.co2e_kg += g.totals.co2e_kg;
    add_parts(t.co2e_parts, g.totals.co2e_parts);
  }
  // A chart that fits a page: at most kMaxBars bars, the biggest (in first-seen order), then the
  // others summed in one bar.
  constexpr std::size_t kMaxBars = 25;
  std::vector<bool> shown(keys.size(), true);
  if (keys.size() > kMaxBars) {
    std::vector<std::size_t> order(keys.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return totals[a].co2e_kg > totals[b].co2e_kg; });
    for (std::size_t i = kMaxBars - 1; i < order.size(); ++i) shown[order[i]] = false;
  }
  BatchTotals others;
  std::size_t hidden = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const BatchTotals& t = totals[i];
    if (!shown[i]) {
      ++hidden;
      others.rows += t.rows;
      others.failed += t.failed;
      add_parts(others.co2e_parts, t.co2e_parts);
      continue;
    }
    std::string label = keys[i];
    if (all_failed(t))
      label += fmt::format(" (all {} failed)", t.rows);
    else if (t.failed > 0)
      label += fmt::format(" ({} of {} failed)", t.failed, t.rows);
    c.categories.push_back(std::move(label));
    c.values.push_back(t.co2e_parts);
    c.no_estimate.push_back(all_failed(t));
  }
  if (hidden > 0) {
    c.categories.push_back(fmt::format("({} others)", hidden));
    c.values.push_back(others.co2e_parts);
    c.no_estimate.push_back(all_failed(others));
  }
  if (s.total.failed > 0)
    c.notes.push_back(fmt::format("{} not estimated and not drawn: the report lists them with their reasons.",
                                  count(s.total.failed, "row")));
  return c;
}

std::string render_batch_markdown(const BatchSummary& s, const Dataset& data, const ReportOptions& opt) {
  std::string o;
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  const auto& t = s.total;
  out("# Carbon footprint of {}\n\n", count(t.rows - t.failed, "computation"));
  out("**Total: {} kWh, {} kg CO2e** (", num(t.energy_kwh), num(t.co2e_kg));
  if (t.ranged && t.rows > t.failed && t.co2e_kg_low != t.co2e_kg_high)  // exact inputs: no range to give
    out("range {} kg CO2e; ", kg_range(t, " to "));
  out("{}", count(t.rows, "row"));
  if (t.failed > 0) out(", {} failed and not counted: see below", t.failed);
  out(")");
  if (t.embodied_kg > 0)
    out("; with embodied emissions, **{} kg CO2e** in all{} (see Whole footprint)", num(t.total_co2e_kg()),
        t.ranged && t.total_co2e_kg_low() != t.total_co2e_kg_high()
            ? fmt::format(", range {} to {} kg", num(t.total_co2e_kg_low()), num(t.total_co2e_kg_high()))
            : std::string());
  out(". Estimated with co2e {}.\n\n", version());
  if (!opt.svg_link.empty()) {
    // CommonMark: a destination with spaces or parentheses goes in angle brackets.
    const bool plain = opt.svg_link.find_first_of(" ()<>") == std::string::npos;
    out("![CO2e by component]({}{}{})\n\n", plain ? "" : "<", opt.svg_link, plain ? "" : ">");
  }

  // Totals per group, then the total. Part columns say their basis in the header itself.
  const auto ps = table_parts(t);
  const std::string key_title =
      s.group_by.empty() ? std::string("group") : md_cell(fmt::format("{}", fmt::join(s.group_by, ", ")));
  out("## Totals{}\n\n", s.group_by.empty() ? std::string() : " per " + key_title);
  out("| {} | rows | failed |{} energy (kWh, with PUE) | CO2e (kg) | CO2e range (kg) | share |\n", key_title,
      md_part_heads(ps));
  out("|---|---:|---:|{}---:|---:|---:|---:|\n", [&] {
    std::string a;
    for (std::size_t i = 0; i < ps.size(); ++i) a += "---:|";
    return a;
  }());
  bool any_partial = false, any_all = false;
  for (const auto& g : s.groups) {
    out("| {} | {} | {} |", md_cell(group_name(s, g)), g.totals.rows, g.totals.failed);
    if (all_failed(g.totals)) {
      // Not a zero footprint: nothing could be estimated.
      any_all = true;
      for (std::size_t i = 0; i < ps.size() + 3; ++i) out(" n/a |");
      out(" - |\n");
      continue;
    }
    any_partial = any_partial || g.totals.failed > 0;
    for (Part p : ps) out(" {} |", num(part_kwh(g.totals, p)));
    out(" {} | {} | {} | {} |\n", num(g.totals.energy_kwh), num(g.totals.co2e_kg), kg_range(g.totals),
        share(g.totals.co2e_kg, t.co2e_kg));
  }
  out("| **total** | {} | {} |", t.rows, t.failed);
  for (Part p : ps) out(" {} |", num(part_kwh(t, p)));
  out(" **{}** | **{}** | {} | 100% |\n\n", num(t.energy_kwh), num(t.co2e_kg), kg_range(t));
  out("Components: energy before PUE; energy: PUE included{}. All include the identical runs (PSF).",
      t.network_kwh > 0 ? ", and network transfers (no PUE)" : "");
  if (any_all) out(" n/a: every row of the group failed, so it has no estimate (not a zero footprint).");
  if (any_partial) out(" A group with failed rows counts only its estimated rows.");
  out("\n\n");

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
    out("| row | {} | energy (kWh, with PUE) | CO2e (kg) | status |\n",
        s.label_column.empty() ? "label" : md_cell(s.label_column));
    out("|---:|---|---:|---:|---|\n");
    for (const auto& r : g.rows) {
      if (r.ok)
        out("| {} | {} | {} | {} | ok |\n", r.row, md_cell(r.label), num(r.energy_kwh), num(r.co2e_kg));
      else
        out("| {} | {} | - | - | failed (reason below) |\n", r.row, md_cell(r.label));
    }
    out("\n");
  }
  if (s.rows_truncated)
    out("Only the first rows are listed one by one; the CSV output (`--format csv`) has every row.\n\n");
  o += md_failures(s);

  out("## Equivalences\n\n{} kg CO2e is about:\n\n", num(t.co2e_kg));
  for (const auto& e : equivalents(t.co2e_kg * 1000, data)) out("- {} {}\n", format_sig(e.amount, 3), e.row->name);
  out("\n## Methodology\n\n{}\n\n", methodology(s, data, false));
  o += md_references(s, data);
  return o;
}

namespace {

/// The totals table: tabularx at the text width, the group names wrapping in the one X column,
/// numbers in \small, the part columns under one "before PUE" heading.
std::string latex_totals(const BatchSummary& s) {
  std::string o;
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  const auto& t = s.total;
  const auto ps = table_parts(t);
  const bool failures = t.failed > 0;
  const std::string key_title =
      s.group_by.empty() ? std::string("Group") : tex_breakable(fmt::format("{}", fmt::join(s.group_by, ", ")));
  const std::size_t first_part = failures ? 4 : 3;  // columns: name, rows, [failed], parts...
  out("\\begin{{table}}[ht]\n\\centering\\small\\setlength{{\\tabcolsep}}{{3.5pt}}\n");
  out("\\begin{{tabularx}}{{\\linewidth}}{{@{{}}>{{\\raggedright\\arraybackslash}}X r{}{}rrr@{{}}}}\n\\toprule\n",
      failures ? "r" : "", std::string(ps.size(), 'r'));
  out("& &{} \\multicolumn{{{}}}{{c}}{{kWh, before PUE}} & kWh & kg & \\\\\n", failures ? " &" : "", ps.size());
  out("\\cmidrule(lr){{{}-{}}}\n", first_part, first_part + ps.size() - 1);
  out("{} & rows{}", key_title, failures ? " & failed" : "");
  for (Part p : ps) out(" & {}", tex(part_info(p).column));
  out(" & energy$^a$ & CO$_2$e & share \\\\\n\\midrule\n");
  bool any_all = false;
  for (const auto& g : s.groups) {
    out("{} & {}", tex_breakable(group_name(s, g)), g.totals.rows);
    if (failures) out(" & {}", g.totals.failed);
    if (all_failed(g.totals)) {
      any_all = true;
      for (std::size_t i = 0; i < ps.size() + 2; ++i) out(" & n/a$^b$");
      out(" & -- \\\\\n");
      continue;
    }
    for (Part p : ps) out(" & {}", num(part_kwh(g.totals, p)));
    out(" & {} & {} & {} \\\\\n", num(g.totals.energy_kwh), num(g.totals.co2e_kg),
        tex(share(g.totals.co2e_kg, t.co2e_kg)));
  }
  out("\\midrule\nTotal & {}", t.rows);
  if (failures) out(" & {}", t.failed);
  for (Part p : ps) out(" & {}", num(part_kwh(t, p)));
  out(" & {} & {} & 100\\% \\\\\n\\bottomrule\n\\end{{tabularx}}\n", num(t.energy_kwh), num(t.co2e_kg));
  out("\\caption{{Energy and carbon footprint{}. Components: energy before PUE{}. $^a$Energy: PUE included{}. All "
      "figures include repeated runs.{}{}{} Estimated with co2e following Green "
      "Algorithms~\\cite{{lannelongue2021green}}.}}"
      "\n\\end{{table}}\n\n",
      s.group_by.empty() ? std::string() : " per " + key_title,
      std::find(ps.begin(), ps.end(), Part::known) != ps.end() ? " (known: an energy measured or given as a whole)"
                                                               : "",
      t.network_kwh > 0 ? ", and network transfers (no PUE)" : "",
      any_all ? " $^b$Every row of the group failed: no estimate (not a zero footprint)." : "",
      failures ? " Failed rows are not counted; Table~\\ref{tab:co2e-failed} gives their reasons." : "",
      // The total's range (issue 17) in words: a column more would not fit the page.
      t.ranged && t.rows > t.failed
          ? fmt::format(" CO$_2$e range in all: {} kg{}, if every input lies within its stated range.",
                        kg_range(t, "--"),
                        t.embodied_kg > 0 ? fmt::format(" ({}--{} kg with embodied emissions)",
                                                        num(t.total_co2e_kg_low()), num(t.total_co2e_kg_high()))
                                          : std::string())
          : std::string());
  return o;
}

/// The failed rows and their reasons, wrapping in an X column.
std::string latex_failures(const BatchSummary& s) {
  if (s.total.failed == 0) return {};
  std::string o;
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  out("\\begin{{table}}[ht]\n\\centering\\small\n");
  out("\\begin{{tabularx}}{{\\linewidth}}{{@{{}}r>{{\\raggedright\\arraybackslash}}p{{0.24\\linewidth}}>{{"
      "\\raggedright\\arraybackslash}}X@{{}}}}\n\\toprule\n");
  out("row & {} ({}) & reason \\\\\n\\midrule\n", s.label_column.empty() ? "label" : tex_breakable(s.label_column),
      s.group_by.empty() ? std::string("group") : tex_breakable(fmt::format("{}", fmt::join(s.group_by, ", "))));
  for (const auto& f : s.failures)
    out("{} & {} ({}) & {} \\\\\n", f.row, tex_breakable(f.label), tex_breakable(group_name(s, s.groups[f.group])),
        tex_breakable(f.error));
  out("\\bottomrule\n\\end{{tabularx}}\n");
  out("\\caption{{Input rows that could not be estimated ({} of {}{}); they are in no total.}}\n",
      count(s.total.failed, "row"), s.total.rows,
      s.total.failed > s.failures.size()
          ? fmt::format("; the first {} shown, the CSV output gives every row's error", s.failures.size())
          : std::string());
  out("\\label{{tab:co2e-failed}}\n\\end{{table}}\n\n");
  return o;
}

}  // namespace

std::string render_batch_latex(const BatchSummary& s, const Dataset& data, const ReportOptions& opt) {
  std::string o = latex_header("co2e batch --format latex", batch_bibtex(s, data));
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  const auto& t = s.total;
  out("% ---- BEGIN APPENDIX ----\n");
  out("\\section*{{Carbon footprint of the computations}}\n\n");
  out("The {} of this work used {}~kWh and emitted {}~kg CO$_2$e", count(t.rows - t.failed, "computation"),
      num(t.energy_kwh), num(t.co2e_kg));
  if (t.failed > 0)
    out(" ({} input {} could not be estimated and {} not counted)", t.failed, t.failed == 1 ? "row" : "rows",
        t.failed == 1 ? "is" : "are");
  if (t.embodied_kg > 0)
    out(", {}~kg CO$_2$e in all with the embodied (manufacturing) emissions of the hardware", num(t.total_co2e_kg()));
  const auto eq = equivalents(t.co2e_kg * 1000, data);
  if (!eq.empty()) out(", about");
  for (std::size_t i = 0; i < eq.size(); ++i)
    out("{} {} {}", i == 0 ? "" : (i + 1 == eq.size() ? " or" : ","), format_sig(eq[i].amount, 3),
        tex(eq[i].row->name));
  out(".\n\n");
  o += latex_totals(s);

  if (opt.latex_chart && t.rows > t.failed) {
    const StackedBars chart = batch_chart(s);
    out("\\begin{{figure}}[ht]\n\\centering\n{}", render_chart_pgfplots(chart));
    out("\\caption{{{}; energy parts before PUE, the data-centre overhead from PUE{}{}.{}}}\n\\end{{figure}}\n\n",
        tex_breakable(chart.title), t.network_kwh > 0 ? ", network transfers without PUE" : "",
        t.embodied_kg > 0 ? ", embodied (manufacturing) emissions amortised over the runs" : "",
        t.failed > 0 ? " Groups with failed rows show the estimated rows only." : "");
  }

  if (t.whole_footprint()) {
    out("\\begin{{table}}[ht]\n\\centering\\small\n\\begin{{tabular}}{{@{{}}lrl@{{}}}}\n\\toprule\npart & amount & "
        "unit "
        "\\\\\n\\midrule\n");
    for (const auto& l : whole_footprint_lines(t)) out("{} & {} & {} \\\\\n", tex(l.label), num(l.value), tex(l.unit));
    out("\\bottomrule\n\\end{{tabular}}\n\\caption{{Whole footprint: server overhead, storage, network and embodied "
        "emissions beside the processors' energy.}}\n\\end{{table}}\n\n");
  }

  // One table per group with its rows (small inputs).
  for (const auto& g : s.groups) {
    if (g.rows.empty()) continue;
    out("\\begin{{table}}[ht]\n\\centering\\small\n");
    out("\\begin{{tabularx}}{{\\linewidth}}{{@{{}}r>{{\\raggedright\\arraybackslash}}Xrrl@{{}}}}\n\\toprule\n");
    out("row & {} & energy (kWh, with PUE) & CO$_2$e (kg) & status \\\\\n\\midrule\n",
        s.label_column.empty() ? "label" : tex_breakable(s.label_column));
    for (const auto& r : g.rows) {
      if (r.ok)
        out("{} & {} & {} & {} & ok \\\\\n", r.row, tex_breakable(r.label), num(r.energy_kwh), num(r.co2e_kg));
      else
        out("{} & {} & -- & -- & failed \\\\\n", r.row, tex_breakable(r.label));
    }
    out("\\bottomrule\n\\end{{tabularx}}\n\\caption{{{}}}\n\\end{{table}}\n\n",
        s.group_by.empty() ? std::string("Computations")
                           : tex_breakable(fmt::format("{} = {}", fmt::join(s.group_by, ", "), group_name(s, g))));
  }
  if (s.rows_truncated) out("Only the first rows are listed one by one.\n\n");
  o += latex_failures(s);

  latex_methodology_and_end(o, s, data);
  return o;
}

std::string render_estimate_report(const EstimateResult& r, const Dataset& data, bool latex,
                                   const FunctionalUnit* per) {
  const BatchSummary s = summarize_estimate(r, data);
  if (!latex) {
    // The summary table (figure, breakdown, assumptions), then the batch reports' methodology and
    // references, so that one estimate is as citable as a batch.
    return render_markdown(r, data, per) + fmt::format("\n## Methodology\n\n{}\n\n", methodology(s, data, false)) +
           md_references(s, data);
  }
  std::string o = latex_header("co2e estimate --format latex", batch_bibtex(s, data));
  auto out = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(o), f, std::forward<A>(args)...);
  };
  const auto& t = s.total;
  out("% ---- BEGIN APPENDIX ----\n\\section*{{Carbon footprint of the computation}}\n\n");
  // Each figure with its range (issue 17), as the text report gives it; none when every input is exact.
  const bool ranged = r.range.has_value() && !r.range->total_co2e_kg.is_exact();
  const auto kg_range = [&](double low, double high) {
    return ranged ? fmt::format(", range {}--{}~kg", num(low), num(high)) : std::string();
  };
  out("The computation used {}~kWh and emitted {}~kg CO$_2$e{}", num(t.energy_kwh), num(t.co2e_kg),
      kg_range(t.co2e_kg_low, t.co2e_kg_high));
  if (r.psf > 1) out(" over {} identical runs", r.psf);
  if (t.embodied_kg > 0)
    out("; with {}~kg CO$_2$e of embodied (manufacturing) emissions, {}~kg in all{}", num(t.embodied_kg),
        num(t.total_co2e_kg()), kg_range(t.total_co2e_kg_low(), t.total_co2e_kg_high()));
  out(" (Table~\\ref{{tab:co2e-breakdown}}).\n\n");
  out("\\begin{{table}}[ht]\n\\centering\\small\n\\begin{{tabular}}{{@{{}}lrrr@{{}}}}\n\\toprule\n");
  out("part & energy (kWh) & share & CO$_2$e (kg) \\\\\n\\midrule\n");
  for (const auto& p : parts()) {
    const auto k = static_cast<std::size_t>(p.part);
    if (p.kind == PartBasis::not_energy) continue;  // below the operational total
    if (t.energy_parts[k] <= 0) continue;
    // A facility-scope energy (--energy-scope facility) already holds the data centre's overhead.
    const bool facility = p.part == Part::known && r.energy_scope == EnergyScope::facility;
    out("{} ({}) & {} & {} & {} \\\\\n", tex(p.label), facility ? "facility, PUE included" : tex(p.basis),
        num(t.energy_parts[k]), tex(share(t.energy_parts[k], t.energy_kwh)), num(t.co2e_parts[k]));
  }
  out("\\midrule\nOperational total (with PUE {}) & {} & 100\\% & {} \\\\\n", num(r.pue), num(t.energy_kwh),
      num(t.co2e_kg));
  if (t.embodied_kg > 0) {
    // Embodied emissions have no energy and no grid (issue 15): apart, then added into the total.
    const PartInfo& e = part_info(Part::embodied);
    out("{} ({}) & -- & -- & {} \\\\\nTotal with embodied & & & {} \\\\\n", tex(e.label), tex(e.basis),
        num(t.embodied_kg), num(t.total_co2e_kg()));
  }
  out("\\bottomrule\n\\end{{tabular}}\n");
  out("\\caption{{Energy and carbon footprint by part. Estimated with co2e following Green "
      "Algorithms~\\cite{{lannelongue2021green}}.}}\n\\label{{tab:co2e-breakdown}}\n\\end{{table}}\n\n");
  latex_methodology_and_end(o, s, data);
  return o;
}

}  // namespace co2e
