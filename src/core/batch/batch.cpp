// co2e batch: columns → roles, rows → estimates, streaming output and totals.
#include "co2e/batch.hpp"
#include "co2e/quote.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "co2e/render.hpp"
#include "util/json_error.hpp"

namespace co2e {

namespace {

constexpr std::size_t kFlushBytes = std::size_t{256} << 10;
constexpr std::size_t kFieldCount = 19;

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

/// `--core-power` → the header's name for it (`core_power`, or `tdpCPU` in a GA export).
std::string rewrite_flags(std::string_view msg, const ColumnMap& map) {
  std::string out;
  out.reserve(msg.size());
  std::size_t i = 0;
  while (i < msg.size()) {
    if (msg[i] == '-' && i + 2 < msg.size() && msg[i + 1] == '-' &&
        std::islower(static_cast<unsigned char>(msg[i + 2])) != 0 &&
        (i == 0 || std::isalnum(static_cast<unsigned char>(msg[i - 1])) == 0)) {
      std::size_t j = i + 2;
      while (j < msg.size() && (std::islower(static_cast<unsigned char>(msg[j])) != 0 || msg[j] == '-')) ++j;
      std::size_t k = j;
      while (k > i + 2 && msg[k - 1] == '-') --k;
      if (auto f = field_from_name(msg.substr(i, k - i))) {
        out += map.name_of(*f);
        i = k;
        continue;
      }
    }
    out += msg[i++];
  }
  return out;
}

/// A Green Algorithms export writes Python's None (and pandas' nan) for unused inputs.
bool ga_missing(std::string_view cell) { return cell.empty() || cell == "None" || cell == "nan" || cell == "NaN"; }

struct GaCells {
  std::optional<double> hours, minutes, cpus, cpu_tdp, cpu_cores, cpu_usage, gpus, gpu_tdp, gpu_usage;
  std::string_view core_type;
  bool any = false;
};

}  // namespace

Result<BatchFormat> parse_batch_format(std::string_view text) {
  if (text == "csv") return BatchFormat::csv;
  if (text == "jsonl" || text == "ndjson") return BatchFormat::jsonl;
  if (text == "markdown" || text == "md") return BatchFormat::markdown;
  if (text == "latex" || text == "tex") return BatchFormat::latex;
  return Error::usage(fmt::format("\"{}\" is not a batch format (accepted: csv, jsonl, markdown, latex)", text));
}

std::span<const ColumnAlias> column_aliases() { return kAliases; }

std::string_view ColumnMap::name_of(Field f) const {
  const auto i = static_cast<std::size_t>(f);
  if (i < field_names.size() && !field_names[i].empty()) return field_names[i];
  return field_info(f).column;
}

Result<ColumnMap> bind_columns(const std::vector<std::string_view>& header, const BatchOptions& opts) {
  ColumnMap map;
  map.field_names.assign(kFieldCount, "");
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
    bool bound = false;
    if (map.green_algorithms) {
      for (const auto& g : kGaColumns)
        if (g.name == b.name) {
          b.role = g.role;
          b.field = g.field;
          bound = true;
        }
      // The export's provider, platformType and location columns describe choices whose results
      // (PUE, carbonIntensity) are columns of their own: carried.
    } else {
      if (b.name == "start" && opts.series != nullptr) {
        b.role = ColumnRole::start;
        bound = true;
      } else if (b.name == "runtime_h" || b.name == "runtime_hours") {
        b.role = ColumnRole::hours;
        b.field = Field::runtime;
        bound = true;
      } else {
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
            bound = true;
          }
        if (!bound && !b.name.empty() && !b.name.starts_with('-')) {
          if (auto f = field_from_name(b.name)) {
            b.role = ColumnRole::field;
            b.field = *f;
            bound = true;
          }
        }
      }
    }
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
      if (b.role == ColumnRole::start) {
        // not an estimate field: no flag to rename in messages
      } else if (slot.empty() || b.role == ColumnRole::field || b.role == ColumnRole::ga_cpus ||
                 b.role == ColumnRole::ga_gpus || b.role == ColumnRole::hours)
        slot = b.name;
    }
    map.columns.push_back(std::move(b));
  }

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

void BatchTotals::add(const EstimateResult& r) {
  const double scale = r.pue * static_cast<double>(r.psf);
  energy_kwh += r.energy_kwh;
  co2e_kg += r.co2e_kg;
  cpu_kwh += scale * r.components.cpu_kwh;
  gpu_kwh += scale * r.components.gpu_kwh;
  memory_kwh += scale * r.components.memory_kwh;
  runs += static_cast<double>(r.psf);
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

  /// Fills `spec`; false with `error` set when a cell is bad.
  bool parse(const std::vector<std::string_view>& cells, std::uint64_t row, EstimateSpec& spec, std::string& error) {
    spec = opts_.defaults;
    start_.reset();
    GaCells ga;
    for (const ColumnBinding* c : inputs_) {
      if (c->index >= cells.size()) continue;
      const std::string_view cell = trim(cells[c->index]);
      if (cell.empty() || (map_.green_algorithms && ga_missing(cell))) continue;
      if (c->role == ColumnRole::start) {
        auto t = parse_timestamp(cell);
        if (!t) return fail(error, row, c->name, t.error().message);
        start_ = *t;
        continue;
      }
      if (c->role == ColumnRole::field) {
        if (auto err = set_field(spec, c->field, cell)) return fail(error, row, c->name, err->message);
        continue;
      }
      if (c->role == ColumnRole::ga_core_type) {
        ga.core_type = cell;
        continue;
      }
      auto v = parse_non_negative(cell);
      if (!v) return fail(error, row, c->name, v.error().message);
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
    if (ga.any || !ga.core_type.empty()) return apply_ga(ga, row, spec, error);
    return true;
  }

 private:
  bool fail(std::string& error, std::uint64_t row, std::string_view column, std::string_view msg) {
    error = fmt::format("row {}, column {}: {}", row, column, msg);
    return false;
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
    }
    const bool cpu =
        ga.core_type.empty() || ga.core_type.find("CPU") != std::string_view::npos || ga.core_type == "Both";
    const bool gpu =
        ga.core_type.empty() || ga.core_type.find("GPU") != std::string_view::npos || ga.core_type == "Both";
    if (cpu && ga.cpus && *ga.cpus > 0) {
      if (!count(spec.cores, *ga.cpus, ColumnRole::ga_cpus, row, error)) return false;
      if (ga.cpu_tdp && *ga.cpu_tdp > 0)
        spec.core_power_w = ga.cpu_cores && *ga.cpu_cores > 0 ? *ga.cpu_tdp / *ga.cpu_cores : *ga.cpu_tdp;
      if (ga.cpu_usage) {
        if (*ga.cpu_usage > 1) return fail(error, row, column(ColumnRole::ga_cpu_usage), "a usage factor is at most 1");
        spec.cpu_usage = *ga.cpu_usage;
      }
    }
    if (gpu && ga.gpus && *ga.gpus > 0) {
      if (!count(spec.gpus, *ga.gpus, ColumnRole::ga_gpus, row, error)) return false;
      if (ga.gpu_tdp && *ga.gpu_tdp > 0) spec.gpu_power_w = *ga.gpu_tdp;
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
        use(r.region->cloud->prov);
      else if (r.provider != nullptr)
        use(r.provider->prov);
    }
    if (r.intensity_source == IntensitySource::flag) {
      ++m.intensity_given;
    } else {
      ++m.intensity_from_tables;
      if (r.region) use(r.region->intensity_prov());
    }
    power(r.cpu_power_source, r.cpu_model != nullptr ? &r.cpu_model->prov : nullptr, "default_core_power_w");
    power(r.gpu_power_source, r.gpu_model != nullptr ? &r.gpu_model->prov : nullptr, "default_gpu_power_w");
    if (r.cpu_power_source == PowerSource::model) ++m.cpu_from_model;
    if (r.gpu_power_source == PowerSource::model) ++m.gpu_from_model;
    if (r.memory_gb > 0) {
      if (!m.any_memory) m.memory_power_min = m.memory_power_max = r.memory_power_w_per_gb;
      m.any_memory = true;
      m.memory_power_min = std::min(m.memory_power_min, r.memory_power_w_per_gb);
      m.memory_power_max = std::max(m.memory_power_max, r.memory_power_w_per_gb);
      if (!r.memory_power_from_flag)
        if (const Constant* c = data_.find_constant("memory_power_w_per_gb")) use(c->prov);
    }
  }

  BatchMethods finish() {
    for (const auto& [ptr, use] : uses_) methods_.sources[cite(use.first)] += use.second;
    return std::move(methods_);
  }

 private:
  void power(PowerSource s, const Provenance* model, std::string_view constant) {
    if (s == PowerSource::model && model != nullptr) use(*model);
    if (s == PowerSource::flag) ++methods_.power_given;
    if (s == PowerSource::default_value) {
      ++methods_.power_default;
      if (const Constant* c = data_.find_constant(constant)) use(c->prov);
    }
  }
  void use(const Provenance& p) {
    auto [it, fresh] = uses_.try_emplace(p.source.data(), p, 0);
    ++it->second.second;
  }
  static std::string cite(const Provenance& p) {
    std::string s(p.source);
    if (p.year != 0) s += fmt::format(" ({})", p.year);
    if (!p.licence.empty() && s.find(p.licence) == std::string::npos) s += fmt::format(", {}", p.licence);
    return s;
  }

  const Dataset& data_;
  BatchMethods methods_;
  bool first_ = true;
  std::unordered_map<const char*, std::pair<Provenance, std::uint64_t>> uses_;
};

constexpr std::string_view kEmptyResults = ",,,,,,,,,,,,,,,,";  // csv_result_columns().size() - 1 separators

}  // namespace

Result<BatchSummary> run_batch(CsvReader& in, const Dataset& data, const BatchOptions& opts, const BatchWriter& out,
                               const BatchProgress& progress) {
  const std::string& name = opts.input_name == "-" ? std::string("standard input") : opts.input_name;
  BatchSummary summary;
  summary.group_by = opts.group_by;
  const bool report = opts.format == BatchFormat::markdown || opts.format == BatchFormat::latex;
  const bool jsonl_out = opts.format == BatchFormat::jsonl;

  auto first = in.first_byte();
  if (!first) return first.error().with_context(name);
  if (!first->has_value())
    return Error::usage(
        fmt::format("{}: empty input: the first line must name the columns (e.g. name,runtime,cores,core_power), "
                    "or give JSON Lines (one {{...}} object per line)",
                    name));
  if (**first == '\0')
    return Error::data(fmt::format(
        "{}: a NUL byte at the start: this looks like binary data; batch reads CSV or JSON Lines text", name));
  const bool json_lines = **first == '{';
  summary.json_lines = json_lines;

  // --- Header ----------------------------------------------------------------------------
  std::vector<std::string> header;
  CsvRecord rec;
  nlohmann::ordered_json first_object;
  std::size_t first_line = 1;
  if (json_lines) {
    std::string_view line;
    for (;;) {
      auto got = in.next_line(line, first_line);
      if (!got) return got.error().with_context(name);
      if (!*got) break;
      if (!trim(line).empty()) break;
    }
    try {
      first_object = nlohmann::ordered_json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      const JsonProblem p = describe_json_error(e, line);
      return Error::usage(fmt::format("{}: line {}: not valid JSON{}: {}", name, first_line,
                                      p.line > 0 ? fmt::format(" at column {}", p.column) : "", p.reason));
    }
    if (!first_object.is_object())
      return Error::usage(fmt::format("{}: line {}: expected a JSON object per line", name, first_line));
    for (const auto& item : first_object.items()) header.push_back(item.key());
  } else {
    summary.separator = in.separator();
    auto got = in.next(rec);
    if (!got) return got.error().with_context(name);
    if (rec.has_nul)
      return Error::data(fmt::format(
          "{}: line 1: NUL byte in the header: is this a binary file? batch reads CSV or JSON Lines text", name));
    for (auto f : rec.fields) header.emplace_back(f);
  }
  // JSON Lines objects need not share keys: the first object names the carried columns, and
  // every estimate key is read from any object (hidden columns, written only when present).
  const std::size_t ncols = header.size();
  if (json_lines) {
    std::vector<std::string_view> views(header.begin(), header.end());
    auto first_map = bind_columns(views, BatchOptions{});
    std::vector<bool> has(kFieldCount, false);
    if (first_map)
      for (const auto& c : first_map->columns)
        if (c.role == ColumnRole::field || c.role == ColumnRole::hours) has[static_cast<std::size_t>(c.field)] = true;
    for (const auto& f : estimate_fields())
      if (!has[static_cast<std::size_t>(f.field)] && std::find(header.begin(), header.end(), f.column) == header.end())
        header.emplace_back(f.column);
  }
  const std::size_t all_cols = header.size();
  std::vector<std::string_view> header_views(header.begin(), header.end());
  auto bound = bind_columns(header_views, opts);
  if (!bound) return bound.error().with_context(name);
  const ColumnMap& map = *bound;

  for (std::size_t i = 0; i < ncols && summary.label_column.empty(); ++i)
    if (map.columns[i].role == ColumnRole::carried &&
        std::find(map.group_columns.begin(), map.group_columns.end(), i) == map.group_columns.end())
      summary.label_column = header[i];
  std::size_t label_index = ncols;
  for (std::size_t i = 0; i < ncols; ++i)
    if (header[i] == summary.label_column && !summary.label_column.empty()) label_index = i;

  std::string buf;
  buf.reserve(kFlushBytes + 65536);
  auto flush = [&]() -> Status {
    if (buf.empty()) return std::nullopt;
    auto st = out(buf);
    buf.clear();
    return st;
  };
  std::vector<std::string> json_keys;  // `"name":` per column, escaped once
  if (opts.format == BatchFormat::csv) {
    for (std::size_t i = 0; i < ncols; ++i) {
      if (i > 0) buf += ',';
      append_csv_field(buf, header[i], ',');
    }
    for (auto c : csv_result_columns()) {
      if (ncols > 0) buf += ',';
      buf += c;
    }
    buf += ",status,error\n";
  } else if (jsonl_out) {
    for (const auto& h : header) {  // hidden JSON Lines columns too
      std::string k;
      append_json_string(k, h);
      k += ':';
      json_keys.push_back(std::move(k));
    }
  }

  // --- Rows --------------------------------------------------------------------------------
  RowParser parser(map, opts);
  LookupCache cache(data);
  const PlausibilityLimits plausibility = plausibility_limits(data);
  MethodsCollector methods(data);
  EstimateSpec spec;
  std::string error;
  std::string clean;  // a cell without its NUL bytes
  std::vector<std::string_view> cells;
  std::vector<std::string> json_cells;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> group_index;
  std::string group_key;
  std::uint64_t row = 0;
  bool json_extra_warned = false;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> json_columns;
  for (std::size_t i = 0; i < all_cols; ++i) json_columns.emplace(header[i], i);
  bool pending_first = json_lines;

  if (map.group_columns.empty()) {
    summary.groups.emplace_back();
    summary.groups.back().key = {"all"};
  }

  for (;;) {
    // Read the next row's cells.
    error.clear();
    std::size_t line_no = 0;
    if (json_lines) {
      nlohmann::ordered_json obj;
      if (pending_first) {
        obj = std::move(first_object);
        line_no = first_line;
        pending_first = false;
      } else {
        std::string_view line;
        auto got = in.next_line(line, line_no);
        if (!got) return got.error().with_context(name);
        if (!*got) break;
        if (trim(line).empty()) continue;
        try {
          obj = nlohmann::ordered_json::parse(line);
        } catch (const nlohmann::json::exception& e) {
          const JsonProblem p = describe_json_error(e, line);
          error = fmt::format("row {} (line {}): not valid JSON{}: {}", row + 1, line_no,
                              p.line > 0 ? fmt::format(" at column {}", p.column) : "", p.reason);
        }
        if (error.empty() && !obj.is_object())
          error = fmt::format("row {} (line {}): expected a JSON object", row + 1, line_no);
      }
      json_cells.assign(all_cols, std::string());
      if (error.empty()) {
        for (const auto& item : obj.items()) {
          auto it = json_columns.find(item.key());
          if (it == json_columns.end()) {
            if (!json_extra_warned)
              summary.warnings.push_back(
                  fmt::format("line {}: key {} is not in the first line's object: not carried (the "
                              "first object names the carried columns)",
                              line_no, quote_for_message(item.key())));
            json_extra_warned = true;
            continue;
          }
          const auto& v = item.value();
          if (v.is_string())
            json_cells[it->second] = v.get<std::string>();
          else if (!v.is_null())
            json_cells[it->second] = v.dump();
        }
      }
      cells.assign(json_cells.begin(), json_cells.end());
    } else {
      auto got = in.next(rec);
      if (!got) return got.error().with_context(name);
      if (!*got) break;
      if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // blank line
      line_no = rec.line;
      if (!rec.problem.empty()) {
        error = fmt::format("row {} (line {}): {}", row + 1, line_no, rec.problem);
      } else if (rec.fields.size() != ncols) {
        error = fmt::format("row {} (line {}): {} field{} where the header has {}", row + 1, line_no, rec.fields.size(),
                            rec.fields.size() == 1 ? "" : "s", ncols);
      }
      if (rec.has_nul) {
        for (std::size_t i = 0; i < rec.fields.size(); ++i)
          if (rec.fields[i].find('\0') != std::string_view::npos) {
            if (error.empty())
              error = fmt::format("row {}, column {}: a NUL byte in the value (binary data?)", row + 1,
                                  i < ncols ? header[i] : "?");
          }
      }
      cells.assign(rec.fields.begin(), rec.fields.end());
    }
    ++row;

    // Estimate.
    std::optional<EstimateResult> result;
    if (error.empty() && parser.parse(cells, row, spec, error)) {
      auto r = estimate(spec, data, &cache);
      if (r)
        result = std::move(*r);
      else
        error = fmt::format("row {}: {}", row, rewrite_flags(r.error().message, map));
      if (result && parser.start() && opts.series != nullptr) {
        if (auto err = apply_intensity_series(*result, *opts.series, *parser.start())) {
          error = fmt::format("row {}, column start: {}", row, err->message);
          result.reset();
        }
      }
    }
    if (!result && opts.strict) return Error::usage(error);
    if (result)
      for (const Plausibility& p : check_plausibility(spec, *result, plausibility)) {
        auto it = std::find_if(summary.plausibility.begin(), summary.plausibility.end(),
                               [&](const BatchPlausibility& b) { return b.first.kind == p.kind; });
        if (it == summary.plausibility.end()) it = summary.plausibility.insert(it, {p, row, 0});
        ++it->rows;
      }

    // Totals.
    ++summary.total.rows;
    std::size_t gi = 0;
    if (!map.group_columns.empty()) {
      group_key.clear();
      for (std::size_t k = 0; k < map.group_columns.size(); ++k) {
        if (k > 0) group_key += '\x1f';
        const std::size_t c = map.group_columns[k];
        if (c < cells.size()) group_key += cells[c];
      }
      auto it = group_index.find(std::string_view(group_key));
      if (it == group_index.end()) {
        it = group_index.emplace(group_key, summary.groups.size()).first;
        BatchGroup g;
        for (std::size_t c : map.group_columns) g.key.emplace_back(c < cells.size() ? cells[c] : std::string_view());
        summary.groups.push_back(std::move(g));
      }
      gi = it->second;
    }
    BatchGroup& group = summary.groups[gi];
    ++group.totals.rows;
    if (result) {
      summary.total.add(*result);
      group.totals.add(*result);
      if (report) methods.add(*result);
    } else {
      ++summary.total.failed;
      ++group.totals.failed;
    }
    if (report) {
      if (row <= opts.max_report_rows) {
        BatchRowBrief b;
        b.row = row;
        if (label_index < cells.size()) b.label = std::string(cells[label_index]);
        b.ok = result.has_value();
        if (result) {
          b.energy_kwh = result->energy_kwh;
          b.co2e_kg = result->co2e_kg;
        } else {
          b.error = error;
        }
        group.rows.push_back(std::move(b));
      } else {
        summary.rows_truncated = true;
      }
    }

    // Output.
    if (opts.format == BatchFormat::csv) {
      for (std::size_t i = 0; i < ncols; ++i) {
        if (i > 0) buf += ',';
        if (i >= cells.size()) continue;
        std::string_view cell = cells[i];
        if (rec.has_nul && !json_lines) {
          clean.assign(cell);
          std::erase(clean, '\0');
          cell = clean;
        }
        append_csv_field(buf, cell, ',');
      }
      if (ncols > 0) buf += ',';
      if (result) {
        append_csv_result_values(buf, *result, ',');
        buf += ",ok,\n";
      } else {
        buf += kEmptyResults;
        buf += ",error,";
        append_csv_field(buf, error, ',');
        buf += '\n';
      }
    } else if (jsonl_out) {
      buf += '{';
      for (std::size_t i = 0; i < ncols; ++i) {
        if (i > 0) buf += ',';
        buf += json_keys[i];
        std::string_view cell = i < cells.size() ? cells[i] : std::string_view();
        if (!json_lines && rec.has_nul) {
          clean.assign(cell);
          std::erase(clean, '\0');
          cell = clean;
        }
        append_json_string(buf, cell);
      }
      for (std::size_t i = ncols; i < all_cols && i < cells.size(); ++i)
        if (!cells[i].empty()) {
          buf += ',';
          buf += json_keys[i];
          append_json_string(buf, cells[i]);
        }
      buf += ',';
      if (result) {
        const EstimateResult& r = *result;
        buf += "\"energy_kwh\":";
        append_number(buf, r.energy_kwh);
        buf += ",\"co2e_kg\":";
        append_number(buf, r.co2e_kg);
        buf += ",\"cpu_kwh\":";
        append_number(buf, r.components.cpu_kwh);
        buf += ",\"gpu_kwh\":";
        append_number(buf, r.components.gpu_kwh);
        buf += ",\"memory_kwh\":";
        append_number(buf, r.components.memory_kwh);
        buf += ",\"pue\":";
        append_number(buf, r.pue);
        fmt::format_to(std::back_inserter(buf), ",\"psf\":{}", r.psf);
        buf += ",\"intensity_g_per_kwh\":";
        append_number(buf, r.intensity_g_per_kwh);
        buf += ",\"runtime_h\":";
        if (r.runtime_h)
          append_number(buf, *r.runtime_h);
        else
          buf += "null";
        buf += ",\"core_hours\":";
        append_number(buf, r.core_hours);
        buf += ",\"core_power_w\":";
        append_number(buf, r.core_power_w);
        buf += ",\"gpu_hours\":";
        append_number(buf, r.gpu_hours);
        buf += ",\"gpu_power_w\":";
        append_number(buf, r.gpu_power_w);
        buf += ",\"memory_gb\":";
        append_number(buf, r.memory_gb);
        buf += ",\"region\":";
        if (r.region)
          append_json_string(buf, r.region->cloud != nullptr ? r.region->cloud->code : r.region->grid->code);
        else
          buf += "null";
        buf += ",\"cpu_model\":";
        if (r.cpu_model != nullptr)
          append_json_string(buf, r.cpu_model->name);
        else
          buf += "null";
        buf += ",\"gpu_model\":";
        if (r.gpu_model != nullptr)
          append_json_string(buf, r.gpu_model->name);
        else
          buf += "null";
        buf += ",\"status\":\"ok\",\"error\":null}\n";
      } else {
        buf += "\"status\":\"error\",\"error\":";
        append_json_string(buf, error);
        buf += "}\n";
      }
    }
    if (buf.size() >= kFlushBytes)
      if (auto st = flush()) return *st;
    if (progress && (row & 0xFFFF) == 0) progress(row, in.bytes_read());
  }
  if (auto st = flush()) return *st;
  if (progress) progress(row, in.bytes_read());
  if (row == 0) summary.warnings.push_back(fmt::format("{}: no rows after the header", name));
  summary.methods = methods.finish();
  return summary;
}

std::string batch_summary_line(const BatchSummary& s) {
  const auto ok = s.total.rows - s.total.failed;
  return fmt::format("co2e batch: {} row{}, {} ok, {} failed; {}, {} CO2e", s.total.rows, s.total.rows == 1 ? "" : "s",
                     ok, s.total.failed, format_energy(s.total.energy_kwh), format_mass(s.total.co2e_kg * 1000));
}

}  // namespace co2e
