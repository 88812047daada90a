#include "model/data_json.hpp"
#include "co2e/quote.hpp"
#include "util/json_error.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <deque>
#include <nlohmann/json.hpp>

namespace co2e {

namespace {
constexpr std::string_view kTableNames[] = {"cpus",         "gpus",      "regions",   "cloud_regions", "providers",
                                            "equivalences", "constants", "instances", "embodied"};
}  // namespace

std::string_view table_name(Table t) { return kTableNames[static_cast<std::size_t>(t)]; }

std::string_view basis_name(Basis b) { return b == Basis::lifecycle ? "lifecycle" : "direct"; }

std::optional<Basis> basis_from_name(std::string_view name) {
  if (name == "lifecycle") return Basis::lifecycle;
  if (name == "direct") return Basis::direct;
  return std::nullopt;
}

std::string_view intensity_origin_name(IntensityOrigin o) {
  return o == IntensityOrigin::location ? "location" : "provider";
}

std::optional<Table> table_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kTableNames); ++i)
    if (kTableNames[i] == name) return static_cast<Table>(i);
  return std::nullopt;
}

}  // namespace co2e

namespace co2e::detail {

using nlohmann::json;

std::string_view TableSet::keep(std::string_view s) {
  if (s.empty()) return {};
  strings.emplace_back(s);
  return strings.back();
}

namespace {

/// Reads the fields of one row and records which keys were used, so that unknown keys (typos)
/// can be rejected.
class RowReader {
 public:
  RowReader(const json& row, std::string_view origin, std::string_view table, std::size_t index, TableSet& out)
      : row_(row), origin_(origin), table_(table), index_(index), out_(out) {}

  [[nodiscard]] const Status& status() const { return status_; }

  std::string_view str(const char* key, bool required) {
    used_.push_back(key);
    auto it = row_.find(key);
    if (it == row_.end() || it->is_null()) {
      if (required) fail(key, "is missing (a string is required)");
      return {};
    }
    if (!it->is_string()) {
      fail(key, fmt::format("must be a string, not {}", it->dump()));
      return {};
    }
    const auto& s = it->get_ref<const std::string&>();
    if (required && s.empty()) fail(key, "must not be empty");
    return out_.keep(s);
  }

  /// A number with `min <= value` (`min_exclusive`: `min < value`); `fallback` when absent and
  /// not required.
  double num(const char* key, bool required, double min, bool min_exclusive, double fallback) {
    used_.push_back(key);
    auto it = row_.find(key);
    if (it == row_.end() || it->is_null()) {
      if (required) fail(key, "is missing (a number is required)");
      return fallback;
    }
    if (!it->is_number()) {
      fail(key, fmt::format("must be a number, not {}", it->dump()));
      return fallback;
    }
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < min || (min_exclusive && v == min)) {
      fail(key, fmt::format("{} is out of range (must be {} {})", it->dump(), min_exclusive ? ">" : ">=", min));
      return fallback;
    }
    return v;
  }

  int integer(const char* key, bool required, int min, int fallback) {
    used_.push_back(key);
    auto it = row_.find(key);
    if (it == row_.end() || it->is_null()) {
      if (required) fail(key, "is missing (an integer is required)");
      return fallback;
    }
    if (!it->is_number_integer() || it->get<long long>() < min || it->get<long long>() > 1'000'000'000) {
      fail(key, fmt::format("must be an integer >= {}, not {}", min, it->dump()));
      return fallback;
    }
    return static_cast<int>(it->get<long long>());
  }

  /// Copies `s` into the table set's storage.
  std::string_view keep(std::string_view s) { return out_.keep(s); }

  /// A boolean, false when absent.
  bool flag(const char* key) {
    used_.push_back(key);
    auto it = row_.find(key);
    if (it == row_.end() || it->is_null()) return false;
    if (!it->is_boolean()) {
      fail(key, fmt::format("must be true or false, not {}", it->dump()));
      return false;
    }
    return it->get<bool>();
  }

  /// `aliases`: an array of strings, stored `|`-separated.
  std::string_view aliases() { return list("aliases"); }

  /// An array of strings under `key`, stored `|`-separated.
  std::string_view list(const char* key) {
    used_.push_back(key);
    auto it = row_.find(key);
    if (it == row_.end() || it->is_null()) return {};
    if (!it->is_array()) {
      fail(key, "must be an array of strings");
      return {};
    }
    std::string joined;
    for (const auto& a : *it) {
      if (!a.is_string() || a.get_ref<const std::string&>().empty() ||
          a.get_ref<const std::string&>().find('|') != std::string::npos) {
        fail(key, fmt::format("entries must be non-empty strings without '|', not {}", a.dump()));
        return {};
      }
      if (!joined.empty()) joined += '|';
      joined += a.get_ref<const std::string&>();
    }
    return out_.keep(joined);
  }

  /// source, year and licence (required in data/), then release, url, retrieved (required in
  /// data/ for grid figures: `release_required`) and note. `prefix` names the keys of a second
  /// figure in the same row (`intensity_` for a cloud region's published figure).
  Provenance provenance(bool required, bool release_required = false, const char* prefix = "") {
    Provenance p;
    auto key = [&](const char* k) { return keys_.emplace_back(std::string(prefix) + k).c_str(); };
    p.source = str(key("source"), required);
    p.year = integer(key("year"), required, 1900, 0);
    p.licence = str(key("licence"), required);
    p.release = str(key("release"), release_required);
    p.url = str(key("url"), release_required);
    p.retrieved = str(key("retrieved"), release_required);
    if (!p.retrieved.empty() && !is_iso_date(p.retrieved))
      fail(key("retrieved"), fmt::format("{} is not a date YYYY-MM-DD", quote_for_message(p.retrieved)));
    p.note = str(key("note"), false);
    p.origin = out_.keep(origin_);
    if (p.source.empty()) p.source = p.origin;
    return p;
  }

  static bool is_iso_date(std::string_view d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (d[i] < '0' || d[i] > '9') return false;
    return true;
  }

  /// Rejects keys that no field read.
  void check_unknown_keys() {
    if (status_) return;
    for (const auto& [key, value] : row_.items()) {
      bool known = key.starts_with('_');
      for (const char* u : used_) known = known || key == u;
      if (!known) {
        std::string accepted;
        for (const char* u : used_) accepted += fmt::format("{}{}", accepted.empty() ? "" : ", ", u);
        fail(key.c_str(), fmt::format("is not a field of this table (accepted: {})", accepted));
        return;
      }
    }
  }

  void fail(const char* key, const std::string& what) {
    if (status_) return;  // keep the first error
    status_ =
        Error::data(fmt::format("{}: {} row {}: {} {}", origin_, table_, index_ + 1, quote_for_message(key), what));
  }

 private:
  const json& row_;
  std::string_view origin_, table_;
  std::size_t index_;
  TableSet& out_;
  std::vector<const char*> used_;
  std::deque<std::string> keys_;  ///< prefixed key names that used_ points into
  Status status_;
};

template <class Row, class ReadFn>
Status read_table(const json& array, std::string_view origin, std::string_view table, std::vector<Row>& rows,
                  TableSet& out, ReadFn read) {
  if (!array.is_array()) return Error::data(fmt::format("{}: \"{}\" must be an array of rows", origin, table));
  rows.reserve(rows.size() + array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& row = array[i];
    if (!row.is_object())
      return Error::data(
          fmt::format("{}: {} row {}: must be an object, not {}", origin, table, i + 1, row.dump().substr(0, 60)));
    RowReader r(row, origin, table, i, out);
    Row parsed = read(r);
    r.check_unknown_keys();
    if (r.status()) return r.status();
    rows.push_back(parsed);
  }
  return std::nullopt;
}

/// One row of the embodied table: kg CO2e per unit, GB or TB of a kind of hardware.
EmbodiedItem read_embodied(RowReader& r, bool req) {
  static constexpr std::string_view kKinds[] = {"gpu", "cpu", "memory", "ssd", "hdd", "server", "laptop"};
  EmbodiedItem e;
  e.id = r.str("id", true);
  e.name = r.str("name", true);
  e.key = r.keep(normalize_name(e.name));
  e.kind = r.str("kind", true);
  if (!e.kind.empty() && std::find(std::begin(kKinds), std::end(kKinds), e.kind) == std::end(kKinds))
    r.fail("kind",
           fmt::format("{} is not one of gpu, cpu, memory, ssd, hdd, server, laptop", quote_for_message(e.kind)));
  e.per = r.str("per", false);
  if (e.per.empty()) e.per = e.kind == "memory" ? "GB" : e.kind == "ssd" || e.kind == "hdd" ? "TB" : "unit";
  const bool per_capacity = e.kind == "memory" || e.kind == "ssd" || e.kind == "hdd";
  if ((per_capacity && e.per != (e.kind == "memory" ? "GB" : "TB")) || (!per_capacity && e.per != "unit"))
    r.fail("per", fmt::format("{} does not fit kind {} (memory: GB; ssd, hdd: TB; others: unit)",
                              quote_for_message(e.per), e.kind));
  e.kg = r.num("kg", true, 0, true, 0);
  e.low_kg = r.num("low_kg", false, 0, false, -1);
  e.high_kg = r.num("high_kg", false, 0, false, -1);
  if (e.low_kg >= 0 && e.low_kg > e.kg) r.fail("low_kg", "must not be above kg");
  if (e.high_kg >= 0 && e.high_kg < e.kg) r.fail("high_kg", "must not be below kg");
  e.gpus = r.integer("gpus", false, 0, 0);
  e.is_default = r.flag("default");
  e.scope = r.str("scope", req);
  e.applies_to = r.list("applies_to");
  e.aliases = r.aliases();
  e.prov = r.provenance(req);
  return e;
}

}  // namespace

// long-function: one block per table of data/*.json, in file order, each reading its fields with the same
// helpers; a table, not a flow.
Status parse_tables_json(std::string_view text, std::string_view origin, bool require_provenance, TableSet& out) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for huge numbers
    return Error::data(json_error_message(origin, e, text) + " (see docs/data-schema.md for the format)");
  }
  if (!doc.is_object())
    return Error::data(
        fmt::format("{}: must be a JSON object whose keys name tables (cpus, gpus, regions, "
                    "cloud_regions, providers, equivalences, constants, instances, embodied)",
                    origin));
  const bool req = require_provenance;
  for (const auto& [key, value] : doc.items()) {
    Status st;
    if (key == "schema_version") {
      if (!value.is_number_integer() || value.get<long long>() != 1)
        return Error::data(
            fmt::format("{}: schema_version {} is not supported (this co2e reads 1)", origin, value.dump()));
      continue;
    }
    if (key.starts_with('_')) continue;
    if (key == "data_release") {
      if (!require_provenance)
        return Error::data(
            fmt::format("{}: \"data_release\" names co2e's built-in data; a user file cannot set it", origin));
      if (!value.is_string() || value.get_ref<const std::string&>().empty())
        return Error::data(fmt::format("{}: \"data_release\" must be a non-empty string", origin));
      out.data_release = out.keep(value.get_ref<const std::string&>());
      continue;
    }
    const auto table = table_from_name(key);
    if (!table)
      return Error::data(
          fmt::format("{}: unknown table {} (accepted: cpus, gpus, regions, cloud_regions, "
                      "providers, equivalences, constants, instances, embodied)",
                      origin, quote_for_message(key)));
    switch (*table) {
      case Table::cpus:
        st = read_table(value, origin, key, out.rows.cpus, out, [&](RowReader& r) {
          CpuModel m;
          m.name = r.str("name", true);
          m.key = out.keep(normalize_name(m.name));
          m.tdp_w = r.num("tdp_w", true, 0, true, 0);
          m.cores = r.integer("cores", true, 1, 1);
          m.vendor = r.str("vendor", false);
          m.aliases = r.aliases();
          m.prov = r.provenance(req);
          return m;
        });
        break;
      case Table::gpus:
        st = read_table(value, origin, key, out.rows.gpus, out, [&](RowReader& r) {
          GpuModel m;
          m.name = r.str("name", true);
          m.key = out.keep(normalize_name(m.name));
          m.tdp_w = r.num("tdp_w", true, 0, true, 0);
          m.kind = r.str("kind", false);
          if (m.kind.empty()) m.kind = "gpu";
          m.vendor = r.str("vendor", false);
          m.memory_gb = r.num("memory_gb", false, 0, false, 0);
          m.aliases = r.aliases();
          m.prov = r.provenance(req);
          return m;
        });
        break;
      case Table::regions:
        st = read_table(value, origin, key, out.rows.regions, out, [&](RowReader& r) {
          Region g;
          g.code = r.str("code", true);
          g.name = r.str("name", true);
          g.kind = r.str("kind", false);
          if (g.kind.empty()) g.kind = "country";
          if (g.kind != "world" && g.kind != "aggregate" && g.kind != "country" && g.kind != "subdivision")
            r.fail("kind",
                   fmt::format("{} is not one of world, aggregate, country, subdivision", quote_for_message(g.kind)));
          g.iso3 = r.str("iso3", false);
          g.country = r.str("country", false);
          g.intensity_g_per_kwh = r.num("intensity_g_per_kwh", true, 0, false, 0);
          g.basis = r.str("basis", req);
          if (!g.basis.empty() && !basis_from_name(g.basis))
            r.fail("basis", fmt::format("{} is not one of lifecycle, direct", quote_for_message(g.basis)));
          const double lifecycle = r.num("lifecycle_g_per_kwh", false, 0, false, -1);
          const double direct = r.num("direct_g_per_kwh", false, 0, false, -1);
          if ((lifecycle >= 0 && g.basis != "direct") || (direct >= 0 && g.basis != "lifecycle"))
            r.fail(lifecycle >= 0 ? "lifecycle_g_per_kwh" : "direct_g_per_kwh",
                   "is the figure on the other basis: give it only beside \"basis\" naming the main figure's basis");
          g.other_g_per_kwh = lifecycle >= 0 ? lifecycle : direct;
          g.prov = r.provenance(req, req);
          return g;
        });
        break;
      case Table::cloud_regions:
        st = read_table(value, origin, key, out.rows.cloud_regions, out, [&](RowReader& r) {
          CloudRegion c;
          c.code = r.str("code", true);
          c.provider = r.str("provider", true);
          c.name = r.str("name", false);
          c.location = r.str("location", true);
          c.intensity_g_per_kwh = r.num("intensity_g_per_kwh", false, 0, false, -1);
          c.intensity_basis = r.str("intensity_basis", req && c.intensity_g_per_kwh >= 0);
          if (!c.intensity_basis.empty() && !basis_from_name(c.intensity_basis))
            r.fail("intensity_basis",
                   fmt::format("{} is not one of lifecycle, direct", quote_for_message(c.intensity_basis)));
          c.location_note = r.str("location_note", false);
          c.pue = r.num("pue", false, 1, false, 0);
          c.prov = r.provenance(req);
          // A published figure carries its own provenance (in data/: all of it); without one in a
          // user file, the row's.
          const bool fig = c.intensity_g_per_kwh >= 0;
          c.intensity_prov = r.provenance(req && fig, req && fig, "intensity_");
          if (c.intensity_prov.source == c.intensity_prov.origin) c.intensity_prov = c.prov;
          if (c.code.find(':') == std::string_view::npos)
            r.fail("code",
                   fmt::format("{} must be <provider>:<region>, e.g. aws:eu-west-3", quote_for_message(c.code)));
          return c;
        });
        break;
      case Table::providers:
        st = read_table(value, origin, key, out.rows.providers, out, [&](RowReader& r) {
          Provider p;
          p.id = r.str("id", true);
          p.name = r.str("name", false);
          if (p.name.empty()) p.name = p.id;
          p.kind = r.str("kind", false);
          if (p.kind.empty()) p.kind = "datacentre";
          p.pue = r.num("pue", true, 1, false, 1);
          p.aliases = r.aliases();
          p.prov = r.provenance(req);
          return p;
        });
        break;
      case Table::equivalences:
        st = read_table(value, origin, key, out.rows.equivalences, out, [&](RowReader& r) {
          Equivalence e;
          e.id = r.str("id", true);
          e.name = r.str("name", true);
          e.g_per_unit = r.num("g_per_unit", true, 0, true, 1);
          e.prov = r.provenance(req);
          return e;
        });
        break;
      case Table::constants:
        st = read_table(value, origin, key, out.rows.constants, out, [&](RowReader& r) {
          Constant c;
          c.id = r.str("id", true);
          c.value = r.num("value", true, 0, false, 0);
          c.description = r.str("description", false);
          c.prov = r.provenance(req);
          return c;
        });
        break;
      case Table::instances:
        st = read_table(value, origin, key, out.rows.instances, out, [&](RowReader& r) {
          CloudInstance c;
          c.code = r.str("code", true);
          c.provider = r.str("provider", true);
          c.vcpus = r.integer("vcpus", true, 1, 1);
          c.cpu = r.str("cpu", false);
          c.memory_gb = r.num("memory_gb", true, 0, false, 0);
          c.gpus = r.integer("gpus", false, 0, 0);
          c.gpu = r.str("gpu", false);
          c.prov = r.provenance(req);
          if (c.code.find(':') == std::string_view::npos)
            r.fail("code", fmt::format("\"{}\" must be <provider>:<type>, e.g. aws:p4d.24xlarge", c.code));
          if ((c.gpus > 0) != !c.gpu.empty())
            r.fail("gpu", "and \"gpus\" go together: a GPU model needs a count of at least 1, and a count a model");
          return c;
        });
        break;
      case Table::embodied:
        st =
            read_table(value, origin, key, out.rows.embodied, out, [&](RowReader& r) { return read_embodied(r, req); });
        break;
    }
    if (st) return st;
  }
  return std::nullopt;
}

}  // namespace co2e::detail
