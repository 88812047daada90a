// co2e batch: columns → roles, rows → estimates, streaming output and totals.
#include "co2e/batch.hpp"
#include "co2e/quote.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "co2e/render.hpp"
#include "util/json_error.hpp"

namespace co2e {

namespace {

constexpr std::size_t kFlushBytes = std::size_t{256} << 10;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Our own names for inputs given in other units or under other names.
constexpr std::array<ColumnAlias, 8> kAliases{{
    {"runtime_h", "runtime as a bare number of hours"},
    {"runtime_hours", "runtime as a bare number of hours"},
    {"memory_gb", "memory"},
    {"core_power_w", "core_power"},
    {"gpu_power_w", "gpu_power"},
    {"intensity_g_per_kwh", "intensity"},
    {"memory_power_w_per_gb", "memory_power"},
    {"Green Algorithms export",
     "runTime_hour, runTime_min, numberCPUs, tdpCPU, CPU_model_n_cores, usageCPU, numberGPUs, "
     "tdpGPU, usageGPU, coreType, memory, PUE, carbonIntensity, mult_factor"},
}};

/// Columns of the Green Algorithms calculator's CSV export (v2.x-v3.0, `;`-separated) that co2e
/// reads; the other columns of the export are carried.
struct GaColumn {
  std::string_view name;
  ColumnRole role;
  Field field;
};
constexpr std::array<GaColumn, 14> kGaColumns{{
    {"runTime_hour", ColumnRole::hours, Field::runtime},
    {"runTime_min", ColumnRole::minutes, Field::runtime},
    {"numberCPUs", ColumnRole::ga_cpus, Field::cores},
    {"tdpCPU", ColumnRole::ga_cpu_tdp, Field::core_power},
    {"CPU_model_n_cores", ColumnRole::ga_cpu_cores, Field::core_power},
    {"usageCPU", ColumnRole::ga_cpu_usage, Field::cpu_usage},
    {"numberGPUs", ColumnRole::ga_gpus, Field::gpus},
    {"tdpGPU", ColumnRole::ga_gpu_tdp, Field::gpu_power},
    {"usageGPU", ColumnRole::ga_gpu_usage, Field::gpu_usage},
    {"coreType", ColumnRole::ga_core_type, Field::cores},
    {"memory", ColumnRole::field, Field::memory},
    {"PUE", ColumnRole::field, Field::pue},
    {"carbonIntensity", ColumnRole::field, Field::intensity},
    {"mult_factor", ColumnRole::field, Field::psf},
}};

bool is_ga_marker(std::string_view name) {
  return name == "runTime_hour" || name == "runTime_min" || name == "numberCPUs" || name == "numberGPUs" ||
         name == "tdpCPU" || name == "tdpGPU" || name == "carbonIntensity" || name == "mult_factor" ||
         name == "coreType" || name == "usageCPU" || name == "usageGPU";
}

/// A Green Algorithms export writes Python's None (and pandas' nan) for unused inputs.
bool ga_missing(std::string_view cell) { return cell.empty() || cell == "None" || cell == "nan" || cell == "NaN"; }

struct GaCells {
  std::optional<double> hours, minutes, cpus, cpu_tdp, cpu_cores, cpu_usage, gpus, gpu_tdp, gpu_usage;
  std::string_view core_type;
  bool any = false;
};

/// The role of the column named `b.name`: a Green Algorithms export column, `start` with a
/// series, an alias in other units, or an estimate field; false (carried) for anything else.
bool bind_role(ColumnBinding& b, bool green_algorithms, const BatchOptions& opts) {
  // A functional unit per row (issue 16), in any input: `per` (N, or "N UNIT") and `per_unit`.
  if (b.name == "per" || b.name == "per_unit") {
    b.role = b.name == "per" ? ColumnRole::per : ColumnRole::per_unit;
    return true;
  }
  if (green_algorithms) {
    // The export's provider, platformType and location columns describe choices whose results
    // (PUE, carbonIntensity) are columns of their own: carried.
    for (const auto& g : kGaColumns)
      if (g.name == b.name) {
        b.role = g.role;
        b.field = g.field;
        return true;
      }
    return false;
  }
  if (b.name == "start" && opts.series != nullptr) {
    b.role = ColumnRole::start;
    return true;
  }
  if (b.name == "runtime_h" || b.name == "runtime_hours") {
    b.role = ColumnRole::hours;
    b.field = Field::runtime;
    return true;
  }
  static constexpr std::array<std::pair<std::string_view, Field>, 5> kUnitAliases{{
      {"memory_gb", Field::memory},
      {"core_power_w", Field::core_power},
      {"gpu_power_w", Field::gpu_power},
      {"intensity_g_per_kwh", Field::intensity},
      {"memory_power_w_per_gb", Field::memory_power},
  }};
  for (const auto& [alias, f] : kUnitAliases)
    if (b.name == alias) {
      b.role = ColumnRole::field;
      b.field = f;
      return true;
    }
  if (b.name.empty() || b.name.starts_with('-')) return false;
  if (auto f = field_from_name(b.name)) {
    b.role = ColumnRole::field;
    b.field = *f;
    return true;
  }
  return false;
}

}  // namespace

Result<BatchFormat> parse_batch_format(std::string_view text) {
  if (text == "csv") return BatchFormat::csv;
  if (text == "jsonl" || text == "ndjson") return BatchFormat::jsonl;
  if (text == "markdown" || text == "md") return BatchFormat::markdown;
  if (text == "latex" || text == "tex") return BatchFormat::latex;
  return Error::usage(fmt::format("\"{}\" is not a batch format (accepted: csv, jsonl, markdown, latex){}", text,
                                  nearest_hint(text, {"csv", "jsonl", "markdown", "latex"})));
}

std::span<const ColumnAlias> column_aliases() { return kAliases; }

std::string_view ColumnMap::name_of(Field f) const {
  const auto i = static_cast<std::size_t>(f);
  if (i < field_names.size() && !field_names[i].empty()) return field_names[i];
  return field_info(f).column;
}

Result<ColumnMap> bind_columns(const std::vector<std::string_view>& header, const BatchOptions& opts) {
  ColumnMap map;
  map.field_names.assign(estimate_fields().size(), "");  // one per Field: derived, never counted by hand
  bool any_name = false;
  for (auto h : header) any_name = any_name || !trim(h).empty();
  if (!any_name)
    return Error::usage(
        "the header line is empty: the first line must name the columns (e.g. name,runtime,cores,core_power)");
  for (auto h : header) map.green_algorithms = map.green_algorithms || is_ga_marker(trim(h));

  std::unordered_map<std::string_view, std::size_t> seen_names;
  std::unordered_map<int, std::size_t> seen_roles;  // field or GA role → column
  for (std::size_t i = 0; i < header.size(); ++i) {
    ColumnBinding b;
    b.index = i;
    b.name = std::string(trim(header[i]));
    if (!b.name.empty()) {
      auto [it, fresh] = seen_names.emplace(header[i], i);
      if (!fresh)
        return Error::usage(fmt::format("duplicate column {} (columns {} and {}): rename one",
                                        quote_for_message(b.name), it->second + 1, i + 1));
    }
    const bool bound = bind_role(b, map.green_algorithms, opts);
    if (bound) {
      // One column per input: `memory` and `memory_gb` together would be ambiguous.
      const int key = b.role == ColumnRole::field ? static_cast<int>(b.field) : 100 + static_cast<int>(b.role);
      auto [it, fresh] = seen_roles.emplace(key, i);
      if (!fresh)
        return Error::usage(
            fmt::format("columns {} and {} both give {}: keep one", quote_for_message(map.columns[it->second].name),
                        quote_for_message(b.name),
                        b.role == ColumnRole::field ? field_info(b.field).column : std::string_view(b.name)));
      auto& slot = map.field_names[static_cast<std::size_t>(b.field)];
      if (b.role == ColumnRole::start || b.role == ColumnRole::per || b.role == ColumnRole::per_unit) {
        // not an estimate field: no flag to rename in messages
        map.per_columns = map.per_columns || b.role != ColumnRole::start;
      } else if (slot.empty() || b.role == ColumnRole::field || b.role == ColumnRole::ga_cpus ||
                 b.role == ColumnRole::ga_gpus || b.role == ColumnRole::hours)
        slot = b.name;
    }
    map.columns.push_back(std::move(b));
  }

  map.per_columns = map.per_columns || opts.per.has_value();
  for (const auto& g : opts.group_by) {
    auto it = std::find_if(map.columns.begin(), map.columns.end(), [&](const ColumnBinding& c) { return c.name == g; });
    if (it == map.columns.end()) {
      std::string names;
      for (const auto& c : map.columns) names += (names.empty() ? "" : ", ") + c.name;
      return Error::usage(fmt::format("--group-by: no column \"{}\" in the header (columns: {})", g, names));
    }
    map.group_columns.push_back(it->index);
  }

  // Required: each row's time. Without it no row can be estimated, so say so once.
  bool has_time = opts.defaults.runtime || opts.defaults.core_hours || opts.defaults.gpu_hours;
  for (const auto& c : map.columns)
    if (c.role == ColumnRole::hours || c.role == ColumnRole::minutes ||
        (c.role == ColumnRole::field &&
         (c.field == Field::runtime || c.field == Field::core_hours || c.field == Field::gpu_hours)))
      has_time = true;
  if (!has_time) {
    std::string names;
    for (const auto& c : map.columns) names += (names.empty() ? "" : ", ") + c.name;
    return Error::usage(fmt::format(
        "no column gives the time of each run: add a column runtime (e.g. 12h), core_hours or gpu_hours "
        "(runTime_hour in a Green Algorithms export), or give --runtime, --core-hours or --gpu-hours for every row "
        "(the header has: {})",
        names));
  }
  return map;
}

void BatchTotals::add(const EstimateResult& r, bool parts) {
  const auto runs_here = static_cast<double>(r.psf);
  energy_kwh += r.energy_kwh;
  co2e_kg += r.co2e_kg;
  cpu_kwh += runs_here * r.components.cpu_kwh;
  gpu_kwh += runs_here * r.components.gpu_kwh;
  memory_kwh += runs_here * r.components.memory_kwh;
  server_kwh += runs_here * r.components.server_kwh;
  storage_kwh += runs_here * r.components.storage_kwh;
  network_kwh += runs_here * r.footprint.network_kwh;
  embodied_kg += r.embodied_kg();
  runs += runs_here;
  if (parts) {
    const Components& c = r.components;
    const PartEnergies e{.cpu_kwh = runs_here * c.cpu_kwh,
                         .gpu_kwh = runs_here * c.gpu_kwh,
                         .memory_kwh = runs_here * c.memory_kwh,
                         .known_kwh = runs_here * c.known_kwh,
                         .server_kwh = runs_here * c.server_kwh,
                         .storage_kwh = runs_here * c.storage_kwh,
                         .network_kwh = runs_here * r.footprint.network_kwh};
    add_parts(energy_parts, split_energy(e, r.energy_kwh));
    add_parts(co2e_parts, split_co2e(e, r.energy_kwh, r.co2e_kg, r.embodied_kg()));
  }
  if (r.range) {
    energy_kwh_low += r.range->energy_kwh.low;
    energy_kwh_high += r.range->energy_kwh.high;
    co2e_kg_low += r.range->co2e_kg.low;
    co2e_kg_high += r.range->co2e_kg.high;
    embodied_kg_low += r.range->embodied_kg.low;
    embodied_kg_high += r.range->embodied_kg.high;
  } else {
    ranged = false;
  }
}

namespace {

/// Turns one row's cells into an EstimateSpec; the error names the row, the column and the value.
class RowParser {
 public:
  RowParser(const ColumnMap& map, const BatchOptions& opts) : map_(map), opts_(opts) {
    for (const auto& c : map.columns)
      if (c.role != ColumnRole::carried) inputs_.push_back(&c);
  }

  /// The last row's `start` cell, when it had one (and a series was given).
  [[nodiscard]] const std::optional<TimePoint>& start() const { return start_; }
  /// The last row's functional unit: its `per` / `per_unit` cells, else --per; null when none.
  [[nodiscard]] const FunctionalUnit* unit() const { return unit_ ? &*unit_ : nullptr; }

  /// Fills `spec`; false with `error` set when a cell is bad.
  bool parse(const std::vector<std::string_view>& cells, std::uint64_t row, EstimateSpec& spec, std::string& error) {
    spec = opts_.defaults;
    start_.reset();
    unit_.reset();
    std::string_view per, per_unit;
    GaCells ga;
    for (const ColumnBinding* c : inputs_) {
      if (c->index >= cells.size()) continue;
      const std::string_view raw = cells[c->index];
      // Most cells have no surrounding space: skip the call (this loop runs for every cell).
      const bool padded = !raw.empty() && (static_cast<unsigned char>(raw.front()) <= ' ' ||
                                           static_cast<unsigned char>(raw.back()) <= ' ');
      const std::string_view cell = padded ? trim(raw) : raw;
      if (cell.empty() || (map_.green_algorithms && ga_missing(cell))) continue;
      if (c->role == ColumnRole::start) {
        auto t = parse_timestamp(cell);
        if (!t) return fail(error, row, c->name, t.error().message);
        start_ = *t;
        continue;
      }
      if (c->role == ColumnRole::per || c->role == ColumnRole::per_unit) {
        (c->role == ColumnRole::per ? per : per_unit) = cell;
        continue;
      }
      if (c->role == ColumnRole::field) {
        if (auto err = set_field(spec, c->field, cell, Origin::column(c->name, row)))
          return fail(error, row, c->name, err->message, cell);
        continue;
      }
      if (c->role == ColumnRole::ga_core_type) {
        ga.core_type = cell;
        continue;
      }
      auto v = parse_non_negative(cell);
      if (!v) return fail(error, row, c->name, v.error().message, cell);
      ga.any = true;
      switch (c->role) {
        case ColumnRole::hours:
          ga.hours = *v;
          break;
        case ColumnRole::minutes:
          ga.minutes = *v;
          break;
        case ColumnRole::ga_cpus:
          ga.cpus = *v;
          break;
        case ColumnRole::ga_cpu_tdp:
          ga.cpu_tdp = *v;
          break;
        case ColumnRole::ga_cpu_cores:
          ga.cpu_cores = *v;
          break;
        case ColumnRole::ga_cpu_usage:
          ga.cpu_usage = *v;
          break;
        case ColumnRole::ga_gpus:
          ga.gpus = *v;
          break;
        case ColumnRole::ga_gpu_tdp:
          ga.gpu_tdp = *v;
          break;
        case ColumnRole::ga_gpu_usage:
          ga.gpu_usage = *v;
          break;
        default:
          break;
      }
    }
    if (!parse_unit(per, per_unit, row, error)) return false;
    if (ga.any || !ga.core_type.empty()) return apply_ga(ga, row, spec, error);
    return true;
  }

 private:
  /// The row's functional unit from its `per` (N or "N UNIT") and `per_unit` cells, the missing
  /// half from --per; --per alone for a row without them.
  bool parse_unit(std::string_view per, std::string_view per_unit, std::uint64_t row, std::string& error) {
    if (per.empty() && per_unit.empty()) {
      unit_ = opts_.per;
      return true;
    }
    if (per.empty()) {
      if (!opts_.per)
        return fail(error, row, column(ColumnRole::per_unit),
                    "a unit needs its count: add a column per (e.g. 1e6) or give --per N UNIT");
      auto u = parse_functional_unit("1", per_unit);  // the unit checked; the count is --per's
      if (!u) return fail(error, row, column(ColumnRole::per_unit), u.error().message);
      unit_ = std::move(*u);
      unit_->count = opts_.per->count;
      return true;
    }
    const bool has_unit = per.find_first_of(" \t") != std::string_view::npos;
    if (has_unit && !per_unit.empty())
      return fail(error, row, column(ColumnRole::per),
                  fmt::format("{} names a unit and column {} gives one too: keep one", quote_for_message(per),
                              column(ColumnRole::per_unit)));
    const std::string_view unit = has_unit            ? std::string_view()
                                  : !per_unit.empty() ? per_unit
                                  : opts_.per         ? std::string_view(opts_.per->unit)
                                                      : std::string_view();
    auto u = has_unit ? parse_functional_unit(per) : parse_functional_unit(per, unit);
    if (!u) return fail(error, row, column(ColumnRole::per), u.error().message);
    unit_ = std::move(*u);
    return true;
  }

  bool fail(std::string& error, std::uint64_t row, std::string_view column, std::string_view msg,
            std::string_view cell = {}) {
    error = fmt::format("row {}, column {}: {}{}", row, column, msg, decimal_comma_hint(cell));
    return false;
  }

  /// A number written with a decimal comma (`7,5`, as spreadsheets in much of Europe save it)
  /// gets a hint: co2e reads `.` as the decimal mark, whatever the locale.
  static std::string_view decimal_comma_hint(std::string_view cell) {
    const auto comma = cell.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 >= cell.size()) return {};
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!digit(cell[comma - 1]) || !digit(cell[comma + 1])) return {};
    return " (a decimal comma? write a point, e.g. 7.5 for 7,5: co2e reads `.` as the decimal mark)";
  }

  std::string_view column(ColumnRole role) const {
    for (const auto* c : inputs_)
      if (c->role == role) return c->name;
    return "?";
  }

  bool count(std::optional<std::int64_t>& out, double v, ColumnRole role, std::uint64_t row, std::string& error) {
    if (v != std::floor(v) || v > 1e9)
      return fail(error, row, column(role), fmt::format("{} is not a whole number", format_sig(v, 12)));
    out = static_cast<std::int64_t>(v);
    return true;
  }

  // Green Algorithms export semantics (calculator v3.0): tdpCPU is the chip's TDP and
  // CPU_model_n_cores its cores (older exports: tdpCPU per core, no core count); coreType says which
  // of the CPU and GPU columns apply; runTime_hour + runTime_min / 60 is the runtime.
  bool apply_ga(const GaCells& ga, std::uint64_t row, EstimateSpec& spec, std::string& error) {
    if (ga.hours || ga.minutes) {
      const double h = ga.hours.value_or(0) + ga.minutes.value_or(0) / 60.0;
      if (h > 1e7)
        return fail(error, row, map_.name_of(Field::runtime), fmt::format("{} hours is too long", format_sig(h, 6)));
      spec.runtime = Seconds(h * 3600.0);
      spec.origins[static_cast<std::size_t>(Field::runtime)] = Origin::column(map_.name_of(Field::runtime), row);
    }
    const bool cpu =
        ga.core_type.empty() || ga.core_type.find("CPU") != std::string_view::npos || ga.core_type == "Both";
    const bool gpu =
        ga.core_type.empty() || ga.core_type.find("GPU") != std::string_view::npos || ga.core_type == "Both";
    if (cpu && ga.cpus && *ga.cpus > 0) {
      if (!count(spec.cores, *ga.cpus, ColumnRole::ga_cpus, row, error)) return false;
      spec.origins[static_cast<std::size_t>(Field::cores)] = Origin::column(column(ColumnRole::ga_cpus), row);
      if (ga.cpu_tdp && *ga.cpu_tdp > 0) {
        spec.core_power_w = ga.cpu_cores && *ga.cpu_cores > 0 ? *ga.cpu_tdp / *ga.cpu_cores : *ga.cpu_tdp;
        spec.origins[static_cast<std::size_t>(Field::core_power)] = Origin::column(column(ColumnRole::ga_cpu_tdp), row);
      }
      if (ga.cpu_usage) {
        if (*ga.cpu_usage > 1) return fail(error, row, column(ColumnRole::ga_cpu_usage), "a usage factor is at most 1");
        spec.cpu_usage = *ga.cpu_usage;
      }
    }
    if (gpu && ga.gpus && *ga.gpus > 0) {
      if (!count(spec.gpus, *ga.gpus, ColumnRole::ga_gpus, row, error)) return false;
      spec.origins[static_cast<std::size_t>(Field::gpus)] = Origin::column(column(ColumnRole::ga_gpus), row);
      if (ga.gpu_tdp && *ga.gpu_tdp > 0) {
        spec.gpu_power_w = *ga.gpu_tdp;
        spec.origins[static_cast<std::size_t>(Field::gpu_power)] = Origin::column(column(ColumnRole::ga_gpu_tdp), row);
      }
      if (ga.gpu_usage) {
        if (*ga.gpu_usage > 1) return fail(error, row, column(ColumnRole::ga_gpu_usage), "a usage factor is at most 1");
        spec.gpu_usage = *ga.gpu_usage;
      }
    }
    return true;
  }

  const ColumnMap& map_;
  const BatchOptions& opts_;
  std::optional<TimePoint> start_;
  std::optional<FunctionalUnit> unit_;
  std::vector<const ColumnBinding*> inputs_;
};

/// Which data-table rows and figures the good rows used (reports only).
class MethodsCollector {
 public:
  explicit MethodsCollector(const Dataset& data) : data_(data) {}

  void add(const EstimateResult& r) {
    auto& m = methods_;
    if (first_) {
      m.pue_min = m.pue_max = r.pue;
      m.intensity_min = m.intensity_max = r.intensity_g_per_kwh;
      first_ = false;
    }
    m.pue_min = std::min(m.pue_min, r.pue);
    m.pue_max = std::max(m.pue_max, r.pue);
    m.intensity_min = std::min(m.intensity_min, r.intensity_g_per_kwh);
    m.intensity_max = std::max(m.intensity_max, r.intensity_g_per_kwh);
    if (r.pue_source == PueSource::flag) {
      ++m.pue_given;
    } else {
      ++m.pue_from_tables;
      if (r.pue_source == PueSource::cloud_region && r.region && r.region->cloud != nullptr)
        use(r.region->cloud->prov, "PUE of ", r.region->cloud->code);
      else if (r.provider != nullptr)
        use(r.provider->prov, "PUE of ", r.provider->name);
    }
    if (r.intensity_source == IntensitySource::flag) {
      ++m.intensity_given;
    } else {
      ++m.intensity_from_tables;
      if (r.region) {
        use(r.region->intensity_prov(), "Carbon intensity of electricity");
        const std::string_view b = r.region->intensity_basis();
        ++(b == "lifecycle" ? m.basis_lifecycle : b == "direct" ? m.basis_direct : m.basis_unstated);
        m.basis_fallback += r.region->basis_fallback();
        m.provider_figure += r.region->uses_provider_figure();
      }
    }
    power(r.cpu_power_source, r.cpu_model != nullptr ? &r.cpu_model->prov : nullptr,
          r.cpu_model != nullptr ? r.cpu_model->name : std::string_view(), "default_core_power_w");
    power(r.gpu_power_source, r.gpu_model != nullptr ? &r.gpu_model->prov : nullptr,
          r.gpu_model != nullptr ? r.gpu_model->name : std::string_view(), "default_gpu_power_w");
    if (r.cpu_power_source == PowerSource::model) ++m.cpu_from_model;
    if (r.gpu_power_source == PowerSource::model) ++m.gpu_from_model;
    if (r.memory_gb > 0) {
      if (!m.any_memory) m.memory_power_min = m.memory_power_max = r.memory_power_w_per_gb;
      m.any_memory = true;
      m.memory_power_min = std::min(m.memory_power_min, r.memory_power_w_per_gb);
      m.memory_power_max = std::max(m.memory_power_max, r.memory_power_w_per_gb);
      if (!r.memory_power_from_flag)
        if (const Constant* c = data_.find_constant("memory_power_w_per_gb")) use(c->prov, "Memory power per GB");
    }
    if (r.energy_source != EnergySource::components) {
      ++(r.energy_source == EnergySource::energy ? m.known_energy_rows : m.known_power_rows);
      if (r.energy_scope == EnergyScope::facility) ++m.facility_rows;
    }
    footprint(r);
  }

  BatchMethods finish() {
    for (const auto& [ptr, use] : uses_) {
      auto& s = methods_.sources[std::string(use.prov.source)];
      if (s.rows == 0) s.cite = cite_source(use.prov, use.title);
      s.rows += use.rows;
    }
    return std::move(methods_);
  }

 private:
  /// The whole footprint's rows and constants (issue 15), for the reports' references.
  void footprint(const EstimateResult& r) {
    const FootprintResult& fp = r.footprint;
    auto constant = [&](std::string_view id) {
      if (const Constant* c = data_.find_constant(id)) use(c->prov, "Whole-footprint default: ", id);
    };
    if (fp.node_power_source == NodePowerSource::fraction) constant("node_overhead_fraction");
    if (fp.storage_tb > 0)
      constant(fp.storage_media == StorageMedia::ssd ? "storage_ssd_w_per_tb" : "storage_hdd_w_per_tb");
    if (fp.transfer_gb > 0) constant("network_kwh_per_gb");
    if (!fp.embodied) return;
    ++methods_.embodied_rows;
    if (!r.origin(Field::lifetime).given()) constant("embodied_lifetime_years");
    if (!r.origin(Field::utilisation).given()) constant("embodied_utilisation");
    for (const EmbodiedPart* part : {&fp.gpu, &fp.cpu, &fp.memory, &fp.server, &fp.storage})
      if (part->counted() && part->row != nullptr) use(part->row->prov, "Manufacturing footprint: ", part->row->name);
  }
  void power(PowerSource s, const Provenance* model, std::string_view name, std::string_view constant) {
    if (s == PowerSource::model && model != nullptr) use(*model, "Specifications of ", name);
    if (s == PowerSource::flag) ++methods_.power_given;
    if (s == PowerSource::default_value) {
      ++methods_.power_default;
      if (const Constant* c = data_.find_constant(constant)) use(c->prov, "Default power of unknown hardware");
    }
  }
  /// `what`: what the row gives (a model's name), the title of a source that is a bare URL.
  /// `what` then `name`: the title of a source that is a bare URL ("Specifications of " + a model's
  /// name), made once per source.
  void use(const Provenance& p, std::string_view what, std::string_view name = {}) {
    auto [it, fresh] = uses_.try_emplace(p.source.data(), Use{p, {}, 0});
    if (fresh) it->second.title = fmt::format("{}{}", what, name);
    ++it->second.rows;
  }

  struct Use {
    Provenance prov;
    std::string title;
    std::uint64_t rows = 0;
  };
  const Dataset& data_;
  BatchMethods methods_;
  bool first_ = true;
  std::unordered_map<const char*, Use> uses_;
};

/// The input's rows as cells, from CSV or JSON Lines: the row source. JSON Lines objects need not
/// share keys: the first object names the carried columns, and every estimate key is read from
/// any object (hidden columns, written only when present).
class RowSource {
 public:
  RowSource(CsvReader& in, std::string name, std::vector<std::string>& warnings)
      : in_(in), name_(std::move(name)), warnings_(warnings) {}
  RowSource(const RowSource&) = delete;  // cells_of_row_ points into this object
  RowSource& operator=(const RowSource&) = delete;

  /// Reads the header line (CSV) or the first object (JSON Lines). Errors name the input.
  Status open() {
    auto first = in_.first_byte();
    if (!first) return first.error().with_context(name_);
    if (!first->has_value())
      return Error::usage(
          fmt::format("{}: empty input: the first line must name the columns (e.g. name,runtime,cores,core_power), "
                      "or give JSON Lines (one {{...}} object per line)",
                      name_));
    if (**first == '\0')
      return Error::data(fmt::format(
          "{}: a NUL byte at the start: this looks like binary data; batch reads CSV or JSON Lines text", name_));
    json_lines_ = **first == '{';
    return json_lines_ ? open_json() : open_csv();
  }

  [[nodiscard]] bool json_lines() const { return json_lines_; }
  /// Every column: the header's (or first object's) names, then the hidden JSON Lines ones.
  [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
  /// How many of header() the input named (the carried columns).
  [[nodiscard]] std::size_t named() const { return named_; }
  /// The cells of the last row read (NUL bytes removed), one per header() column at most.
  [[nodiscard]] const std::vector<std::string_view>& cells() const { return *cells_of_row_; }
  /// The row's text as the input has it, when that is its cells joined by commas (a comma-separated
  /// record with no quoted field and no NUL byte: the cells lie one after the other in the reader's
  /// buffer); empty otherwise. The CSV writer copies it at once instead of cell by cell.
  [[nodiscard]] std::string_view verbatim() const {
    if (json_lines_ || rec_.quoted || rec_.has_nul || in_.separator() != ',' || rec_.fields.empty()) return {};
    const char* begin = rec_.fields.front().data();
    return {begin, static_cast<std::size_t>(rec_.fields.back().data() + rec_.fields.back().size() - begin)};
  }
  [[nodiscard]] std::uint64_t bytes_read() const { return in_.bytes_read(); }
  /// Rows skipped because every cell was empty.
  [[nodiscard]] std::uint64_t empty_rows() const { return empty_rows_; }

  /// The next row; false at the end. `error` is set (and the row still returned) when the row is
  /// malformed; `row` is the number it will get, for that message.
  Result<bool> next(std::uint64_t row, std::string& error) {
    auto got = json_lines_ ? next_json(row, error) : next_csv(row, error);
    if (!got) return got.error().with_context(name_);
    return got;
  }

 private:
  Status open_csv() {
    auto got = in_.next(rec_);
    if (!got) return got.error().with_context(name_);
    if (rec_.has_nul)
      return Error::data(fmt::format(
          "{}: line 1: NUL byte in the header: is this a binary file? batch reads CSV or JSON Lines text", name_));
    for (auto f : rec_.fields) header_.emplace_back(f);
    named_ = header_.size();
    return std::nullopt;
  }

  Status open_json() {
    std::string_view line;
    for (;;) {
      auto got = in_.next_line(line, first_line_);
      if (!got) return got.error().with_context(name_);
      if (!*got || !trim(line).empty()) break;
    }
    try {
      first_object_ = nlohmann::ordered_json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      const JsonProblem p = describe_json_error(e, line);
      return Error::usage(fmt::format("{}: line {}: not valid JSON{}: {}", name_, first_line_,
                                      p.line > 0 ? fmt::format(" at column {}", p.column) : "", p.reason));
    }
    if (!first_object_.is_object())
      return Error::usage(fmt::format("{}: line {}: expected a JSON object per line", name_, first_line_));
    for (const auto& item : first_object_.items()) header_.push_back(item.key());
    named_ = header_.size();
    // Hidden columns: every estimate field the first object does not give under any name.
    std::vector<std::string_view> views(header_.begin(), header_.end());
    auto first_map = bind_columns(views, BatchOptions{});
    std::vector<bool> has(estimate_fields().size(), false);
    if (first_map)
      for (const auto& c : first_map->columns)
        if (c.role == ColumnRole::field || c.role == ColumnRole::hours) has[static_cast<std::size_t>(c.field)] = true;
    for (const auto& f : estimate_fields())
      if (!has[static_cast<std::size_t>(f.field)] &&
          std::find(header_.begin(), header_.end(), f.column) == header_.end())
        header_.emplace_back(f.column);
    for (std::size_t i = 0; i < header_.size(); ++i) json_columns_.emplace(header_[i], i);
    pending_first_ = true;
    return std::nullopt;
  }

  Result<bool> next_csv(std::uint64_t row, std::string& error) {
    for (;;) {
      auto got = in_.next(rec_);
      if (!got) return got.error();
      if (!*got) return false;
      if (rec_.fields.size() == 1 && rec_.fields[0].empty()) continue;  // skip blank lines
      // Every cell empty (Excel saves the rows below a table as `,,,`): skipped, and counted for
      // the warning, not failed.
      if (rec_.problem.empty() &&
          std::all_of(rec_.fields.begin(), rec_.fields.end(), [](std::string_view f) { return trim(f).empty(); })) {
        ++empty_rows_;
        continue;
      }
      break;
    }
    if (!rec_.problem.empty()) {
      error = fmt::format("row {} (line {}): {}", row, rec_.line, rec_.problem);
    } else if (rec_.fields.size() != named_) {
      error = fmt::format("row {} (line {}): {} field{} where the header has {}", row, rec_.line, rec_.fields.size(),
                          rec_.fields.size() == 1 ? "" : "s", named_);
    }
    cells_of_row_ = &rec_.fields;  // the record's own views, unless a NUL byte is dropped below
    if (rec_.has_nul) {
      cells_.assign(rec_.fields.begin(), rec_.fields.end());
      cells_of_row_ = &cells_;
      clean_.resize(cells_.size());
      for (std::size_t i = 0; i < cells_.size(); ++i) {
        if (cells_[i].find('\0') == std::string_view::npos) continue;
        if (error.empty())
          error = fmt::format("row {}, column {}: a NUL byte in the value (binary data?)", row,
                              i < named_ ? std::string_view(header_[i]) : std::string_view("?"));
        clean_[i].assign(cells_[i]);
        std::erase(clean_[i], '\0');
        cells_[i] = clean_[i];
      }
    }
    return true;
  }

  Result<bool> next_json(std::uint64_t row, std::string& error) {
    nlohmann::ordered_json obj;
    std::size_t line_no = first_line_;
    if (pending_first_) {
      obj = std::move(first_object_);
      pending_first_ = false;
    } else {
      std::string_view line;
      do {
        auto got = in_.next_line(line, line_no);
        if (!got) return got.error();
        if (!*got) return false;
      } while (trim(line).empty());
      try {
        obj = nlohmann::ordered_json::parse(line);
      } catch (const nlohmann::json::exception& e) {
        const JsonProblem p = describe_json_error(e, line);
        error = fmt::format("row {} (line {}): not valid JSON{}: {}", row, line_no,
                            p.line > 0 ? fmt::format(" at column {}", p.column) : "", p.reason);
      }
      if (error.empty() && !obj.is_object())
        error = fmt::format("row {} (line {}): expected a JSON object", row, line_no);
    }
    json_cells_.assign(header_.size(), std::string());
    if (error.empty())
      for (const auto& item : obj.items()) {
        auto it = json_columns_.find(item.key());
        if (it == json_columns_.end()) {
          if (!extra_warned_)
            warnings_.push_back(fmt::format(
                "line {}: key {} is not in the first line's object: not carried (the first object names the "
                "carried columns)",
                line_no, quote_for_message(item.key())));
          extra_warned_ = true;
          continue;
        }
        const auto& v = item.value();
        if (v.is_string())
          json_cells_[it->second] = v.get<std::string>();
        else if (!v.is_null())
          json_cells_[it->second] = v.dump();
      }
    cells_.assign(json_cells_.begin(), json_cells_.end());
    cells_of_row_ = &cells_;
    return true;
  }

  CsvReader& in_;
  std::string name_;
  std::vector<std::string>& warnings_;
  bool json_lines_ = false;
  std::vector<std::string> header_;
  std::size_t named_ = 0;
  std::vector<std::string_view> cells_;  // a JSON Lines row's cells, or a CSV row's with its NUL bytes dropped
  const std::vector<std::string_view>* cells_of_row_ = &cells_;  // rec_.fields or cells_
  CsvRecord rec_;
  std::vector<std::string> clean_;  // cells without their NUL bytes
  nlohmann::ordered_json first_object_;
  std::size_t first_line_ = 1;
  bool pending_first_ = false;
  bool extra_warned_ = false;
  std::uint64_t empty_rows_ = 0;
  std::vector<std::string> json_cells_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> json_columns_;
};

/// Writes each row as it comes (CSV or JSON Lines; nothing for the reports) into a 256 KiB
/// block handed to the BatchWriter as it fills: the row writer. CSV rows are composed in place
/// (no std::string appends): this is the hot loop of `co2e batch`.
class RowWriter {
 public:
  /// `names`: the output names of the input's columns (batch_output_names), `named` of them
  /// always written, the others (hidden JSON Lines columns) only when the row has them.
  /// `per`: the per-unit columns follow the result columns.
  RowWriter(BatchFormat format, const std::vector<std::string>& names, std::size_t named, bool per,
            const BatchWriter& out)
      : format_(format), named_(named), per_(per), out_(out), buf_(std::make_unique<char[]>(kBlockBytes)) {
    std::string header;
    if (format_ == BatchFormat::csv) {
      for (std::size_t i = 0; i < named_; ++i) {
        if (i > 0) header += ',';
        append_csv_field(header, names[i], ',');
      }
      for (const ResultColumn& c : result_columns()) {
        if (named_ > 0 || &c != result_columns().data()) header += ',';
        header += c.name;
      }
      if (per_)
        for (const PerUnitColumn& c : per_unit_columns()) {
          header += ',';
          header += c.name;
        }
      for (const auto s : kBatchStatusColumns) {
        header += ',';
        header += s;
      }
      header += '\n';
    } else if (format_ == BatchFormat::jsonl) {
      for (const auto& n : names) {  // `"name":` per column, escaped once
        std::string k;
        append_json_string(k, n);
        k += ':';
        keys_.push_back(std::move(k));
      }
    }
    append(header);
  }

  /// One row: its cells, then the result (or empty / null values and the error); `unit`: the
  /// row's functional unit (null: none); `verbatim`: RowSource::verbatim().
  Status row(const std::vector<std::string_view>& cells, std::string_view verbatim, const EstimateResult* r,
             const FunctionalUnit* unit, std::string_view error) {
    if (per_) {  // the per-unit cells, composed first (rare: only with --per or a per column)
      per_cells_.clear();
      const FunctionalUnit* u = r != nullptr ? unit : nullptr;
      if (format_ == BatchFormat::csv)
        append_per_unit_csv(per_cells_, u, u ? r->energy_kwh : 0, u ? r->co2e_kg : 0);
      else if (format_ == BatchFormat::jsonl)
        append_per_unit_json(per_cells_, u, u ? r->energy_kwh : 0, u ? r->co2e_kg : 0);
    }
    if (format_ == BatchFormat::csv) {
      // The cells as the input wrote them, when no cell needs quoting (no '"' in any: the record
      // had no quoted field, so no comma or line end either) and the row has the header's count.
      const bool copy =
          !verbatim.empty() && cells.size() == named_ && std::memchr(verbatim.data(), '"', verbatim.size()) == nullptr;
      std::size_t need = csv_result_values_bound(r) + per_cells_.size() + 2 * error.size() + 16;
      if (copy)
        need += verbatim.size() + 1;
      else
        for (std::size_t i = 0; i < named_ && i < cells.size(); ++i) need += 2 * cells[i].size() + 3;
      if (auto st = reserve(need)) return st;
      len_ = static_cast<std::size_t>(csv(buf_.get() + len_, cells, copy ? verbatim : std::string_view(), r, error) -
                                      buf_.get());
    } else if (format_ == BatchFormat::jsonl) {
      jsonl(cells, r, error);
      if (auto st = append(line_)) return st;
    }
    return len_ >= kFlushBytes ? flush() : std::nullopt;
  }

  Status flush() {
    if (len_ == 0) return std::nullopt;
    auto st = out_(std::string_view(buf_.get(), len_));
    len_ = 0;
    return st;
  }

 private:
  static constexpr std::size_t kBlockBytes = kFlushBytes + (std::size_t{64} << 10);

  /// Room for `n` more bytes: flushes a full block, grows for a row larger than a block.
  Status reserve(std::size_t n) {
    if (len_ + n <= cap_) return std::nullopt;
    if (auto st = flush()) return st;
    if (n > cap_) {
      buf_ = std::make_unique<char[]>(n);
      cap_ = n;
    }
    return std::nullopt;
  }

  Status append(std::string_view text) {
    if (auto st = reserve(text.size())) return st;
    std::copy(text.begin(), text.end(), buf_.get() + len_);
    len_ += text.size();
    return std::nullopt;
  }

  /// `verbatim`: the cells' text to copy as it is (non-empty only when that is what the loop writes).
  char* csv(char* p, const std::vector<std::string_view>& cells, std::string_view verbatim, const EstimateResult* r,
            std::string_view error) {
    if (!verbatim.empty()) {
      p = std::copy(verbatim.begin(), verbatim.end(), p);
    } else {
      for (std::size_t i = 0; i < named_; ++i) {
        if (i > 0) *p++ = ',';
        if (i < cells.size()) p = write_csv_field(p, cells[i], ',');
      }
    }
    if (named_ > 0) *p++ = ',';
    p = write_csv_result_values(p, r, ',');
    p = std::copy(per_cells_.begin(), per_cells_.end(), p);
    if (r != nullptr) {
      static constexpr std::string_view kOk = ",ok,\n";
      return std::copy(kOk.begin(), kOk.end(), p);
    }
    static constexpr std::string_view kError = ",error,";
    p = std::copy(kError.begin(), kError.end(), p);
    p = write_csv_field(p, error, ',');
    *p++ = '\n';
    return p;
  }

  void jsonl(const std::vector<std::string_view>& cells, const EstimateResult* r, std::string_view error) {
    line_.clear();
    line_ += '{';
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      const std::string_view cell = i < cells.size() ? cells[i] : std::string_view();
      if (i >= named_ && cell.empty()) continue;  // a hidden column the row does not have
      line_ += keys_[i];
      append_json_string(line_, cell);
      line_ += ',';
    }
    append_json_result_members(line_, r);
    line_ += per_cells_;
    if (r != nullptr) {
      append_origins(line_, *r);
      line_ += ",\"status\":\"ok\",\"error\":null}\n";
    } else {
      line_ += ",\"inputs\":null,\"status\":\"error\",\"error\":";
      append_json_string(line_, error);
      line_ += "}\n";
    }
  }

  /// `,"inputs":{"origins":{...}}`: where each input of this row came from, as estimate's JSON
  /// says it (docs/cli.md, "Input origins"): the row's column (with the row), a command-line flag
  /// or CO2E_ variable giving the default; inputs not given are absent (a default or a data-table
  /// figure: the row's pue, region and model columns say which).
  static void append_origins(std::string& out, const EstimateResult& r) {
    out += ",\"inputs\":{\"origins\":{";
    bool first = true;
    for (const auto& f : estimate_fields()) {
      const Origin& o = r.origin(f.field);
      if (!o.given()) continue;
      if (!first) out += ',';
      first = false;
      append_json_string(out, f.column);
      out += ":{\"origin\":";
      append_json_string(out, origin_kind_name(o.kind));
      out += ",\"name\":";
      append_json_string(out, o.name);
      if (o.kind == OriginKind::column && o.row > 0) {
        out += ",\"row\":";
        out += std::to_string(o.row);
      }
      out += '}';
    }
    out += "}}";
  }

  BatchFormat format_;
  std::size_t named_;
  bool per_ = false;
  std::string per_cells_;  // the row's per-unit cells (CSV) or members (JSON Lines)
  const BatchWriter& out_;
  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = kBlockBytes, len_ = 0;
  std::string line_;  // a JSON Lines row
  std::vector<std::string> keys_;
};

/// Totals per group and overall, the rows the reports list, the methods: the group accumulator.
class GroupAccumulator {
 public:
  GroupAccumulator(const ColumnMap& map, const BatchOptions& opts, const Dataset& data, BatchSummary& summary)
      : map_(map), opts_(opts), summary_(summary), methods_(data), plausibility_(plausibility_limits(data)) {
    report_ = opts.format == BatchFormat::markdown || opts.format == BatchFormat::latex;
    if (map.group_columns.empty()) {
      summary.groups.emplace_back();
      summary.groups.back().key = {"all"};
    }
  }

  /// The label column: the first carried column that is not a group column.
  void set_label(const std::vector<std::string>& header, std::size_t named) {
    for (std::size_t i = 0; i < named; ++i)
      if (map_.columns[i].role == ColumnRole::carried &&
          std::find(map_.group_columns.begin(), map_.group_columns.end(), i) == map_.group_columns.end()) {
        summary_.label_column = header[i];
        label_index_ = i;
        return;
      }
  }

  void add(std::uint64_t row, const std::vector<std::string_view>& cells, const EstimateResult* r,
           const std::string& error) {
    ++summary_.total.rows;
    const std::size_t group_index = group_of(cells);
    BatchGroup& group = summary_.groups[group_index];
    // Without --group-by the one group "all" is the total, copied by finish(): not summed twice.
    const bool grouped = !map_.group_columns.empty();
    if (grouped) ++group.totals.rows;
    if (r != nullptr) {
      summary_.total.add(*r, opts_.part_sums);
      if (grouped) group.totals.add(*r, opts_.part_sums);
      if (report_) methods_.add(*r);
    } else {
      ++summary_.total.failed;
      if (grouped) ++group.totals.failed;
      if (summary_.failures.size() < BatchSummary::kListedFailures) {
        BatchRowBrief b;
        b.row = row;
        b.group = group_index;
        if (label_index_ < cells.size()) b.label = std::string(cells[label_index_]);
        b.error = error;
        summary_.failures.push_back(std::move(b));
      }
    }
    if (!report_) return;
    if (row > opts_.max_report_rows) {
      summary_.rows_truncated = true;
      return;
    }
    BatchRowBrief b;
    b.row = row;
    b.group = group_index;
    if (label_index_ < cells.size()) b.label = std::string(cells[label_index_]);
    b.ok = r != nullptr;
    if (r != nullptr) {
      b.energy_kwh = r->energy_kwh;
      b.co2e_kg = r->co2e_kg;
    } else {
      b.error = error;
    }
    group.rows.push_back(std::move(b));
  }

  /// Values that parse but are probably mistakes: one entry per kind, naming the first row.
  void check_plausibility(const EstimateSpec& spec, const EstimateResult& r, std::uint64_t row) {
    for (const Plausibility& p : co2e::check_plausibility(spec, r, plausibility_)) {
      auto it = std::find_if(summary_.plausibility.begin(), summary_.plausibility.end(),
                             [&](const BatchPlausibility& b) { return b.first.kind == p.kind; });
      if (it == summary_.plausibility.end()) it = summary_.plausibility.insert(it, {p, row, 0});
      ++it->rows;
    }
  }

  void finish() {
    if (map_.group_columns.empty()) summary_.groups.front().totals = summary_.total;
    summary_.methods = methods_.finish();
  }

 private:
  std::size_t group_of(const std::vector<std::string_view>& cells) {
    if (map_.group_columns.empty()) return 0;
    key_.clear();
    for (std::size_t k = 0; k < map_.group_columns.size(); ++k) {
      if (k > 0) key_ += '\x1f';
      const std::size_t c = map_.group_columns[k];
      if (c < cells.size()) key_ += cells[c];
    }
    auto it = index_.find(std::string_view(key_));
    if (it == index_.end()) {
      it = index_.emplace(key_, summary_.groups.size()).first;
      BatchGroup g;
      for (std::size_t c : map_.group_columns) g.key.emplace_back(c < cells.size() ? cells[c] : std::string_view());
      summary_.groups.push_back(std::move(g));
    }
    return it->second;
  }

  const ColumnMap& map_;
  const BatchOptions& opts_;
  BatchSummary& summary_;
  MethodsCollector methods_;
  PlausibilityLimits plausibility_;
  bool report_ = false;
  std::size_t label_index_ = std::numeric_limits<std::size_t>::max();
  std::string key_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> index_;
};

/// One row's estimate into `r`, reused from row to row: its cells through the RowParser,
/// estimate_into(), the series. Nullptr with `error` set.
const EstimateResult* estimate_row(RowParser& parser, const std::vector<std::string_view>& cells, std::uint64_t row,
                                   const Dataset& data, LookupCache& cache, const FieldNames& names,
                                   const BatchOptions& opts, EstimateSpec& spec, EstimateResult& r,
                                   std::string& error) {
  if (!error.empty() || !parser.parse(cells, row, spec, error)) return nullptr;
  spec.names = &names;  // inputs not given are named by their column; given ones by their origin
  if (auto err = estimate_into(spec, data, &cache, r)) {
    error = fmt::format("row {}: {}", row, err->message);
    return nullptr;
  }
  if (parser.start() && opts.series != nullptr)
    if (auto err = apply_intensity_series(r, *opts.series, *parser.start())) {
      error = fmt::format("row {}, column start: {}", row, err->message);
      return nullptr;
    }
  return &r;
}

}  // namespace

std::vector<std::string> batch_output_names(const std::vector<std::string>& header) {
  std::unordered_set<std::string_view> taken(header.begin(), header.end());
  for (const ResultColumn& c : result_columns()) taken.insert(c.name);
  for (const PerUnitColumn& c : per_unit_columns()) taken.insert(c.name);
  for (const auto s : kBatchStatusColumns) taken.insert(s);
  taken.insert(kBatchInputsKey);
  std::vector<std::string> out;
  out.reserve(header.size());
  std::vector<std::string> fresh;  // names made here, kept alive for `taken`
  fresh.reserve(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    const bool reserved =
        std::any_of(result_columns().begin(), result_columns().end(),
                    [&](const ResultColumn& c) { return c.name == h; }) ||
        std::any_of(per_unit_columns().begin(), per_unit_columns().end(),
                    [&](const PerUnitColumn& c) { return c.name == h; }) ||
        std::find(kBatchStatusColumns.begin(), kBatchStatusColumns.end(), h) != kBatchStatusColumns.end() ||
        h == kBatchInputsKey;
    if (!reserved && !h.empty()) {
      out.push_back(h);
      continue;
    }
    std::string name = h.empty() ? fmt::format("column_{}", i + 1) : "input_" + h;
    while (taken.contains(name)) name.insert(0, "input_");
    fresh.push_back(name);
    taken.insert(fresh.back());
    out.push_back(std::move(name));
  }
  return out;
}

// The driver reads like a table of contents: source, binder, then per row estimate, accumulate, write.
Result<BatchSummary> run_batch(CsvReader& in, const Dataset& data, const BatchOptions& opts, const BatchWriter& out,
                               const BatchProgress& progress) {
  const std::string name = opts.input_name == "-" ? std::string("standard input") : opts.input_name;
  BatchSummary summary;
  summary.group_by = opts.group_by;
  // Row source: the header line or the first JSON object.
  RowSource source(in, name, summary.warnings);
  if (auto st = source.open()) return *st;
  summary.json_lines = source.json_lines();
  if (!source.json_lines()) summary.separator = in.separator();
  // Column binder: roles for the estimate, names for the output.
  const std::vector<std::string>& header = source.header();
  std::vector<std::string_view> header_views(header.begin(), header.end());
  auto bound = bind_columns(header_views, opts);
  if (!bound) return bound.error().with_context(name);
  const ColumnMap& map = *bound;
  // A renamed column (input_pue) shows in the header itself: no warning, the rule is in docs/cli.md.
  const std::vector<std::string> names = batch_output_names(header);
  // Row writer and group accumulator.
  RowWriter writer(opts.format, names, source.named(), map.per_columns, out);
  GroupAccumulator groups(map, opts, data, summary);
  groups.set_label(header, source.named());

  RowParser parser(map, opts);
  FieldNames field_names;
  for (const auto& f : estimate_fields()) field_names[static_cast<std::size_t>(f.field)] = map.name_of(f.field);
  LookupCache cache(data);
  EstimateSpec spec;
  EstimateResult result;
  std::string error;
  std::uint64_t row = 0;
  for (;;) {
    error.clear();
    auto got = source.next(row + 1, error);
    if (!got) return got.error();
    if (!*got) break;
    ++row;
    const std::vector<std::string_view>& cells = source.cells();
    const EstimateResult* r = estimate_row(parser, cells, row, data, cache, field_names, opts, spec, result, error);
    if (r == nullptr && opts.strict) return Error::usage(error);
    if (r != nullptr) groups.check_plausibility(spec, *r, row);
    groups.add(row, cells, r, error);
    if (auto st = writer.row(cells, source.verbatim(), r, parser.unit(), error)) return *st;
    if (progress && (row & 0xFFFF) == 0) progress(row, source.bytes_read());
  }
  if (auto st = writer.flush()) return *st;
  if (progress) progress(row, source.bytes_read());
  summary.empty_rows = source.empty_rows();
  if (summary.empty_rows > 0)
    summary.warnings.push_back(
        fmt::format("{}: {} row{} with every cell empty skipped (a spreadsheet's trailing ,,, lines)", name,
                    summary.empty_rows, summary.empty_rows == 1 ? "" : "s"));
  if (row == 0) summary.warnings.push_back(fmt::format("{}: no rows after the header", name));
  groups.finish();
  return summary;
}

Result<InputTable> read_input_table(CsvReader& in, std::string_view name, std::size_t max_rows) {
  std::vector<std::string> warnings;  // a JSON Lines key not in the first object: an error here
  RowSource source(in, std::string(name), warnings);
  if (auto st = source.open()) return *st;
  InputTable t{source.header(), {}};
  std::string error;
  for (std::uint64_t row = 1;; ++row) {
    error.clear();
    auto got = source.next(row, error);
    if (!got) return got.error();
    if (!*got) break;
    if (!error.empty()) return Error::usage(fmt::format("{}: {}", name, error));
    if (!warnings.empty()) return Error::usage(fmt::format("{}: {}", name, warnings.front()));
    if (t.rows.size() == max_rows) return Error::usage(fmt::format("{}: more than {} rows", name, max_rows));
    const auto& cells = source.cells();
    std::vector<std::string> r(t.header.size());
    for (std::size_t i = 0; i < cells.size() && i < r.size(); ++i) r[i] = std::string(cells[i]);
    t.rows.push_back(std::move(r));
  }
  return t;
}

std::string batch_summary_line(const BatchSummary& s) {
  const auto ok = s.total.rows - s.total.failed;
  std::string out =
      fmt::format("co2e batch: {} row{}, {} ok, {} failed; {}, {} CO2e", s.total.rows, s.total.rows == 1 ? "" : "s", ok,
                  s.total.failed, format_energy(s.total.energy_kwh), format_mass(s.total.co2e_kg * 1000));
  if (s.total.embodied_kg > 0)  // issue 15: operational above; the total with manufacturing too
    out += fmt::format(" operational, {} CO2e with embodied emissions", format_mass(s.total.total_co2e_kg() * 1000));
  // The first few failures by name, so that a user sees what to fix without opening the output.
  constexpr std::size_t kNamed = 3;
  for (std::size_t i = 0; i < s.failures.size() && i < kNamed; ++i) out += "\n  " + s.failures[i].error;
  if (s.total.failed > kNamed)
    out += fmt::format("\n  ... and {} more failed row{} (status=error in the output)", s.total.failed - kNamed,
                       s.total.failed - kNamed == 1 ? "" : "s");
  return out;
}

BatchSummary summarize_estimate(const EstimateResult& r, const Dataset& data) {
  BatchSummary s;
  s.groups.emplace_back();
  s.groups.back().key = {"all"};
  s.total.rows = 1;
  s.total.add(r, /*parts=*/true);  // the report's tables and chart
  s.groups.back().totals = s.total;
  MethodsCollector methods(data);
  methods.add(r);
  s.methods = methods.finish();
  return s;
}

}  // namespace co2e
