#include "co2e/table_view.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "co2e/number.hpp"
#include "report/json_text.hpp"

namespace co2e {

namespace {

using ojson = nlohmann::ordered_json;

std::string cell_text(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* d = std::get_if<double>(&c)) return format_sig(*d, 6);
  if (const auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  return "";
}

ojson cell_json(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&c)) return *i;
  return nullptr;
}

Cell str(std::string_view s) { return s.empty() ? Cell{} : Cell{std::string(s)}; }
Cell num(double v) { return Cell{v}; }
Cell opt_num(double v, double absent_below) { return v < absent_below ? Cell{} : Cell{v}; }

std::string aliases_text(std::string_view a) {
  std::string s(a);
  std::replace(s.begin(), s.end(), '|', ',');
  return s;
}

void add_prov(std::vector<Cell>& row, const Provenance& p) {
  row.push_back(str(p.source));
  row.push_back(p.year != 0 ? Cell{static_cast<std::int64_t>(p.year)} : Cell{});
  row.push_back(str(p.licence));
  row.push_back(str(p.release));
  row.push_back(str(p.url));
  row.push_back(str(p.retrieved));
  row.push_back(str(p.note));
  row.push_back(str(p.origin));
}

const std::vector<std::string> kProvColumns{"source", "year", "licence", "release", "url", "retrieved", "note", "file"};

/// The basis of the default figure, saying when the place has no lifecycle figure (the rule of
/// RegionMatch: the other basis is used).
Cell basis_label(const RegionMatch& m) {
  if (m.intensity_basis().empty()) return Cell{};
  if (m.basis_fallback()) return Cell{fmt::format("{} (no {} figure)", m.intensity_basis(), basis_name(m.basis))};
  return Cell{std::string(m.intensity_basis())};
}

Cell basis_cell(const Region& g, Basis b) {
  const double v = g.basis.empty() ? -1 : g.on_basis(b);
  return v < 0 ? Cell{} : Cell{v};
}

std::vector<std::string> with_prov(std::vector<std::string> cols) {
  cols.insert(cols.end(), kProvColumns.begin(), kProvColumns.end());
  return cols;
}

bool matches(const std::string& needle, std::initializer_list<std::string_view> hay) {
  if (needle.empty()) return true;
  for (auto h : hay) {
    if (normalize_name(h).find(needle) != std::string::npos) return true;
  }
  return false;
}

std::vector<Cell> cpu_row(const CpuModel& m) {
  std::vector<Cell> r{str(m.name),
                      str(m.vendor),
                      num(m.tdp_w),
                      Cell{static_cast<std::int64_t>(m.cores)},
                      num(m.watts_per_core()),
                      str(aliases_text(m.aliases))};
  add_prov(r, m.prov);
  return r;
}
std::vector<Cell> gpu_row(const GpuModel& m) {
  std::vector<Cell> r{
      str(m.name), str(m.vendor), str(m.kind), num(m.tdp_w), opt_num(m.memory_gb, 1e-9), str(aliases_text(m.aliases))};
  add_prov(r, m.prov);
  return r;
}
// A region row shows the default figure (lifecycle basis, location; RegionMatch's rule), the
// basis it is on, both bases' figures, and for a cloud region the provider's figure beside it.
std::vector<Cell> region_row(const Region& g) {
  const RegionMatch m{&g, nullptr};
  std::vector<Cell> r{str(g.code),
                      str(g.name),
                      str(g.kind),
                      str(g.kind == "subdivision" ? g.country : g.iso3),
                      num(m.intensity_g_per_kwh()),
                      basis_label(m),
                      basis_cell(g, Basis::lifecycle),
                      basis_cell(g, Basis::direct),
                      Cell{},
                      Cell{},
                      Cell{},
                      Cell{},
                      Cell{},
                      Cell{}};
  add_prov(r, g.prov);
  return r;
}
std::vector<Cell> cloud_row(const CloudRegion& c, const Dataset& data) {
  Cell intensity, basis, lifecycle, direct;
  if (auto m = data.find_region(c.code)) {
    intensity = num(m->intensity_g_per_kwh());
    basis = basis_label(*m);
    lifecycle = basis_cell(*m->grid, Basis::lifecycle);
    direct = basis_cell(*m->grid, Basis::direct);
  }
  const bool published = c.intensity_g_per_kwh >= 0;
  std::string provider_source;
  if (published) {
    const Provenance& p = c.intensity_prov;
    provider_source = fmt::format("{}{}{}{}", p.source, p.year != 0 ? fmt::format(", {}", p.year) : "",
                                  p.licence.empty() ? "" : fmt::format(", {}", p.licence),
                                  p.release.empty() ? "" : fmt::format("; release {}", p.release));
    if (!p.retrieved.empty()) provider_source += fmt::format(", retrieved {}", p.retrieved);
  }
  std::vector<Cell> r{str(c.code),
                      str(c.name),
                      Cell{std::string("cloud")},
                      str(c.location),
                      intensity,
                      basis,
                      lifecycle,
                      direct,
                      Cell{std::string("location")},
                      published ? num(c.intensity_g_per_kwh) : Cell{},
                      published ? str(c.intensity_basis) : Cell{},
                      str(provider_source),
                      str(c.location_note),
                      opt_num(c.pue, 1)};
  add_prov(r, c.prov);
  return r;
}
std::vector<Cell> provider_row(const Provider& p) {
  std::vector<Cell> r{str(p.id), str(p.name), str(p.kind), num(p.pue), str(aliases_text(p.aliases))};
  add_prov(r, p.prov);
  return r;
}

std::vector<Cell> instance_row(const CloudInstance& i) {
  std::vector<Cell> r{str(i.code), str(i.provider),  Cell{static_cast<std::int64_t>(i.vcpus)},
                      str(i.cpu),  num(i.memory_gb), i.gpus > 0 ? Cell{static_cast<std::int64_t>(i.gpus)} : Cell{},
                      str(i.gpu)};
  add_prov(r, i.prov);
  return r;
}

const std::vector<std::string> kInstanceCols =
    with_prov({"code", "provider", "vcpus", "cpu", "memory_gb", "gpus", "gpu"});
const std::vector<std::string> kCpuCols = with_prov({"name", "vendor", "tdp_w", "cores", "w_per_core", "aliases"});
const std::vector<std::string> kGpuCols = with_prov({"name", "vendor", "kind", "tdp_w", "memory_gb", "aliases"});
const std::vector<std::string> kRegionCols =
    with_prov({"code", "name", "kind", "iso3_or_location", "intensity_g_per_kwh", "basis", "lifecycle_g_per_kwh",
               "direct_g_per_kwh", "intensity_from", "provider_g_per_kwh", "provider_basis", "provider_source",
               "location_note", "pue"});
const std::vector<std::string> kProviderCols = with_prov({"id", "name", "kind", "pue", "aliases"});
const std::vector<std::string> kEmbodiedCols = with_prov(
    {"id", "name", "kind", "kg", "per", "low_kg", "high_kg", "gpus", "default", "scope", "applies_to", "aliases"});

std::vector<Cell> embodied_row(const EmbodiedItem& e) {
  std::vector<Cell> r{str(e.id),
                      str(e.name),
                      str(e.kind),
                      num(e.kg),
                      str(e.per),
                      opt_num(e.low_kg, 0),
                      opt_num(e.high_kg, 0),
                      e.gpus > 0 ? Cell{static_cast<std::int64_t>(e.gpus)} : Cell{},
                      Cell{std::string(e.is_default ? "yes" : "no")},
                      str(e.scope),
                      str(aliases_text(e.applies_to)),
                      str(aliases_text(e.aliases))};
  add_prov(r, e.prov);
  return r;
}

}  // namespace

Result<TableView> list_table(const Dataset& data, std::string_view table, std::string_view match) {
  const std::string needle = normalize_name(match);
  TableView t;
  if (table == "cpus") {
    t.columns = kCpuCols;
    for (const auto& m : data.cpus())
      if (matches(needle, {m.name, m.aliases})) t.rows.push_back(cpu_row(m));
  } else if (table == "gpus") {
    t.columns = kGpuCols;
    for (const auto& m : data.gpus())
      if (matches(needle, {m.name, m.aliases})) t.rows.push_back(gpu_row(m));
  } else if (table == "regions") {
    t.columns = kRegionCols;
    for (const auto& g : data.regions())
      if (matches(needle, {g.code, g.name, g.iso3})) t.rows.push_back(region_row(g));
    for (const auto& c : data.cloud_regions())
      if (matches(needle, {c.code, c.name, c.location})) t.rows.push_back(cloud_row(c, data));
  } else if (table == "providers") {
    t.columns = kProviderCols;
    for (const auto& p : data.providers())
      if (matches(needle, {p.id, p.name, p.aliases})) t.rows.push_back(provider_row(p));
  } else if (table == "instances") {
    t.columns = kInstanceCols;
    for (const auto& i : data.instances())
      if (matches(needle, {i.code, i.cpu, i.gpu})) t.rows.push_back(instance_row(i));
  } else if (table == "equivalences") {
    t.columns = with_prov({"id", "name", "g_per_unit"});
    for (const auto& e : data.equivalences()) {
      if (!matches(needle, {e.id, e.name})) continue;
      std::vector<Cell> r{str(e.id), str(e.name), num(e.g_per_unit)};
      add_prov(r, e.prov);
      t.rows.push_back(std::move(r));
    }
  } else if (table == "embodied") {
    t.columns = kEmbodiedCols;
    for (const auto& e : data.embodied())
      if (matches(needle, {e.id, e.name, e.aliases, e.applies_to})) t.rows.push_back(embodied_row(e));
  } else {
    return Error::usage(fmt::format(
        "\"{}\" is not a table (accepted: cpus, gpus, regions, providers, equivalences, instances, embodied){}", table,
        nearest_hint(table, {"cpus", "gpus", "regions", "providers", "equivalences", "instances", "embodied"})));
  }
  return t;
}

Result<TableView> show_row(const Dataset& data, std::string_view kind, std::string_view name) {
  TableView t;
  if (kind == "cpu") {
    auto m = data.find_cpu(name);
    if (!m) return m.error();
    t.columns = kCpuCols;
    t.rows.push_back(cpu_row(**m));
  } else if (kind == "gpu") {
    auto m = data.find_gpu(name);
    if (!m) return m.error();
    t.columns = kGpuCols;
    t.rows.push_back(gpu_row(**m));
    // Its manufacturing footprint (issue 15): the row naming it, or the default GPU figure.
    const EmbodiedItem* e = data.find_embodied("gpu", (*m)->name);
    bool named = false;
    if (e != nullptr)
      for (std::string_view rest = e->applies_to; !rest.empty();) {
        const auto bar = rest.find('|');
        named = named || rest.substr(0, bar) == (*m)->name;
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      }
    for (const char* c : {"embodied_kg", "embodied_figure", "embodied_scope", "embodied_source"})
      t.columns.push_back(c);
    auto& row = t.rows.back();
    row.push_back(e != nullptr ? num(e->kg) : Cell{});
    // A maker's figure for a multi-GPU board (NVIDIA's HGX PCF summaries) is shared equally by
    // its GPUs: the row's kg is the board's figure / `gpus`, and the output says so.
    std::string figure;
    if (e == nullptr)
      figure = "none in the tables";
    else if (!named)
      figure = fmt::format("no figure for this model: the default GPU figure, {} ({})", e->name, e->id);
    else if (e->gpus > 1)
      figure = fmt::format("{} ({}): 1/{} of the {:g} kg of one {}-GPU board", e->name, e->id, e->gpus, e->kg * e->gpus,
                           e->gpus);
    else
      figure = fmt::format("{} ({})", e->name, e->id);
    row.push_back(Cell{figure});
    row.push_back(e != nullptr ? str(e->scope) : Cell{});
    row.push_back(e != nullptr ? Cell{fmt::format("{}, {}, {}", e->prov.source, e->prov.year, e->prov.licence)}
                               : Cell{});
  } else if (kind == "region") {
    auto m = data.find_region(name);
    if (!m) return m.error();
    t.columns = kRegionCols;
    if (m->cloud != nullptr) {
      t.rows.push_back(cloud_row(*m->cloud, data));
      t.rows.push_back(region_row(*m->grid));  // the grid it draws from
    } else {
      t.rows.push_back(region_row(*m->grid));
    }
  } else if (kind == "instance") {
    auto i = data.find_instance(name);
    if (!i) return i.error();
    t.columns = kInstanceCols;
    t.rows.push_back(instance_row(**i));
  } else if (kind == "provider") {
    auto p = data.find_provider(name);
    if (!p) return p.error();
    t.columns = kProviderCols;
    t.rows.push_back(provider_row(**p));
  } else {
    return Error::usage(fmt::format("\"{}\" is not a kind of row (accepted: cpu, gpu, region, provider, instance){}",
                                    kind, nearest_hint(kind, {"cpu", "gpu", "region", "provider", "instance"})));
  }
  return t;
}

std::string render_table(const TableView& t, Format format, bool single) {
  std::string out;
  switch (format) {
    case Format::json: {
      ojson arr = ojson::array();
      for (const auto& row : t.rows) {
        ojson o;
        for (std::size_t i = 0; i < t.columns.size(); ++i) o[t.columns[i]] = cell_json(row[i]);
        arr.push_back(std::move(o));
      }
      return json_text(single && arr.size() == 1 ? arr[0] : arr);
    }
    case Format::csv: {
      for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i ? "," : "") + t.columns[i];
      out += '\n';
      for (const auto& row : t.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (i) out += ',';
          const auto* d = std::get_if<double>(&row[i]);  // machine output: the one number formatter
          out += csv_escape(d != nullptr ? format_number(*d) : cell_text(row[i]));
        }
        out += '\n';
      }
      return out;
    }
    case Format::text:
      break;
  }
  if (single) {
    std::size_t w = 0;
    for (const auto& c : t.columns) w = std::max(w, c.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      if (r > 0) out += "\ndraws from the grid of:\n";
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const std::string v = cell_text(t.rows[r][i]);
        if (!v.empty()) out += fmt::format("{:<{}}  {}\n", t.columns[i], w, v);
      }
    }
    return out;
  }
  // Aligned columns, without the long source and file columns (they are in json and csv, and in
  // `co2e show`), so that a row fits a terminal line.
  std::vector<std::size_t> shown;
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i] != "source" && t.columns[i] != "file") shown.push_back(i);
  std::vector<std::size_t> width(t.columns.size());
  for (std::size_t i = 0; i < t.columns.size(); ++i) width[i] = t.columns[i].size();
  for (const auto& row : t.rows)
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], std::min<std::size_t>(cell_text(row[i]).size(), 48));
  auto emit = [&](auto cell_at) {
    std::string line;
    for (std::size_t i : shown) line += fmt::format("{:<{}}  ", cell_at(i), width[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  };
  emit([&](std::size_t i) { return t.columns[i]; });
  for (const auto& row : t.rows) emit([&](std::size_t i) { return cell_text(row[i]); });
  return out;
}

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

/// Adds `name`, each `|`-separated alias and, for a model, the name without its vendor word.
void add_model_names(std::vector<std::string>& out, std::string_view name, std::string_view aliases,
                     std::string_view vendor, std::string_view prefix) {
  auto add = [&](std::string_view n) {
    if (!n.empty() && starts_with_nocase(n, prefix)) out.emplace_back(n);
  };
  add(name);
  const auto space = name.find(' ');
  if (space != std::string_view::npos && (vendor.empty() || starts_with_nocase(name, vendor)))
    add(name.substr(space + 1));
  while (!aliases.empty()) {
    const auto bar = aliases.find('|');
    add(aliases.substr(0, bar));
    if (bar == std::string_view::npos) break;
    aliases.remove_prefix(bar + 1);
  }
}

}  // namespace

std::vector<std::string> complete_names(const Dataset& data, std::string_view kind, std::string_view prefix) {
  std::vector<std::string> out;
  if (kind == "cpu") {
    for (const auto& c : data.cpus()) add_model_names(out, c.name, c.aliases, c.vendor, prefix);
  } else if (kind == "gpu") {
    for (const auto& g : data.gpus()) add_model_names(out, g.name, g.aliases, g.vendor, prefix);
  } else if (kind == "region") {
    for (const auto& r : data.regions())
      if (starts_with_nocase(r.code, prefix)) out.emplace_back(r.code);
    for (const auto& r : data.cloud_regions())
      if (starts_with_nocase(r.code, prefix)) out.emplace_back(r.code);
  } else if (kind == "provider") {
    for (const auto& p : data.providers()) add_model_names(out, p.id, p.aliases, "", prefix);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace co2e
