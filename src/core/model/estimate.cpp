// The estimate: spec fields, their parsing, and the Green Algorithms formula.
#include "co2e/estimate.hpp"

#include "co2e/energy.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "co2e/number.hpp"
#include "co2e/quote.hpp"
#include "range_parse.hpp"

namespace co2e {

/// estimate() of a spec with an instance type: expand_instance(), then estimate() (instance.cpp).
Result<EstimateResult> estimate_instance(const EstimateSpec& spec, const Dataset& data, LookupCache* cache);

namespace {

constexpr std::int64_t kMaxCount = 1'000'000'000;  // cores, GPUs, runs
// The limits of the number fields, shared by set_field's general path and its plain-decimal fast
// path (set_plain_number), so that the two cannot drift apart.
constexpr double kMaxPowerW = 1e9;              // per core, per GPU, at the plug
constexpr double kMaxMemoryPowerWPerGb = 1000;  // W per GB
constexpr double kMaxIntensityGPerKwh = 5000;   // gCO2e/kWh
constexpr double kMaxDeviceHours = 1e15;        // core-hours, GPU-hours
constexpr double kMinPue = 1;
constexpr double kMaxPue = 10;

constexpr std::array<FieldInfo, kFieldCount> kFields{{
    {Field::runtime, "runtime", "--runtime", "D", "wall time: 90s, 45m, 12h, 2d, 1d2h30m, 01:30:00, 2-03:00:00"},
    {Field::cores, "cores", "--cores", "N", "CPU cores used"},
    {Field::cpu, "cpu", "--cpu", "MODEL", "CPU model from the table (watts per core = TDP / cores)"},
    {Field::core_power, "core_power", "--core-power", "W", "watts per CPU core (instead of --cpu)"},
    {Field::cpu_usage, "cpu_usage", "--cpu-usage", "F", "CPU usage factor in [0,1] (default 1)"},
    {Field::gpus, "gpus", "--gpus", "N", "number of GPUs"},
    {Field::gpu, "gpu", "--gpu", "MODEL", "GPU model from the table"},
    {Field::gpu_power, "gpu_power", "--gpu-power", "W", "watts per GPU (e.g. a measured average; instead of --gpu)"},
    {Field::gpu_usage, "gpu_usage", "--gpu-usage", "F", "GPU usage factor in [0,1] (default 1)"},
    {Field::gpu_hours, "gpu_hours", "--gpu-hours", "H", "GPU-hours instead of runtime x GPUs"},
    {Field::core_hours, "core_hours", "--core-hours", "H", "core-hours instead of runtime x cores"},
    {Field::memory, "memory", "--memory", "SIZE", "memory allocated: 64G, 512MiB, 1.5T (bare number: GB)"},
    {Field::memory_power, "memory_power", "--memory-power", "W", "watts per GB of memory (default 0.3725)"},
    {Field::pue, "pue", "--pue", "X", "power usage effectiveness of the data centre (>= 1)"},
    {Field::provider, "provider", "--provider", "NAME",
     "cloud provider whose default PUE to use: aws, gcp, azure, ..."},
    {Field::platform, "platform", "--platform", "KIND", "local, personal or cloud: the default PUE of that platform"},
    {Field::region, "region", "--region", "CODE",
     "FR, FRA, France, US-CA, aws:eu-west-3, gcp:europe-west1, azure:francecentral"},
    {Field::intensity, "intensity", "--intensity", "G", "grid emission factor in gCO2e/kWh (instead of --region)"},
    {Field::intensity_basis, "intensity_basis", "--intensity-basis", "BASIS",
     "lifecycle (default: combustion + upstream + construction, as OWID/Ember) or direct (combustion only: GHG "
     "Protocol scope 2 location-based, eGRID)"},
    {Field::intensity_source, "intensity_source", "--intensity-source", "FROM",
     "for a cloud region: location (default: the grid of its location, same for every provider) or provider (the "
     "provider's own published figure, where there is one)"},
    {Field::psf, "psf", "--psf", "N", "pragmatic scaling factor: number of identical runs (default 1)"},
    {Field::energy, "energy", "--energy", "E",
     "known energy of one run (1287MWh, 3.2kWh): a wattmeter or a paper's figure; replaces CPU, GPU and memory"},
    {Field::power, "power", "--power", "W",
     "known average power at the plug (PDU, IPMI), x --runtime; replaces CPU, GPU and memory"},
    {Field::energy_scope, "energy_scope", "--energy-scope", "SCOPE",
     "what --energy or --power covers: it (IT equipment, PUE applied; default) or facility (PUE included)"},
    {Field::instance, "instance", "--instance", "TYPE",
     "cloud instance type (aws:p4d.24xlarge, gcp:a2-highgpu-8g, azure:Standard_ND96asr_v4): its vCPUs, CPU, "
     "GPUs and memory, unless given"},
    {Field::embodied, "embodied", "--embodied", "",
     "count manufacturing (embodied) emissions, amortised over the job: embodied_kg and total_co2e_kg"},
    {Field::lifetime, "lifetime", "--lifetime", "Y",
     "years over which hardware's manufacturing footprint is amortised (default 6, BLOOM's)"},
    {Field::utilisation, "utilisation", "--utilisation", "F",
     "share of its life a device is busy, in (0,1] (default 0.85, BLOOM's): idle time is charged to the jobs"},
    {Field::server, "server", "--server", "MODEL",
     "server model whose manufacturing footprint to amortise per node (co2e list embodied)"},
    {Field::server_embodied, "server_embodied", "--server-embodied", "KG",
     "manufacturing footprint of one server node in kg CO2e (instead of --server)"},
    {Field::nodes, "nodes", "--nodes", "N",
     "server nodes used: node overhead power and server embodied emissions are per node"},
    {Field::embodied_gpu, "embodied_gpu", "--embodied-gpu", "KG",
     "manufacturing footprint of one GPU in kg CO2e (instead of the table)"},
    {Field::embodied_cpu, "embodied_cpu", "--embodied-cpu", "KG",
     "manufacturing footprint of one CPU chip in kg CO2e (instead of the table)"},
    {Field::node_power, "node_power", "--node-power", "W",
     "power each node draws beyond its CPUs, GPUs and memory (boards, fans, power supplies, NICs), before PUE"},
    {Field::storage, "storage", "--storage", "SIZE", "data kept on storage for the job's duration: 500G, 2T"},
    {Field::storage_type, "storage_type", "--storage-type", "KIND",
     "ssd (default) or hdd: the storage's W and kg per TB"},
    {Field::transfer, "transfer", "--transfer", "SIZE",
     "data moved over networks (kWh per GB: an uncertain, fast-falling factor)"},
}};
/// Whether kFields lists every Field once, in enum order (field_info() indexes it by Field).
constexpr bool fields_in_enum_order() {
  for (std::size_t i = 0; i < kFields.size(); ++i)
    if (static_cast<std::size_t>(kFields[i].field) != i) return false;
  return true;
}
static_assert(kFields.size() == kFieldCount && fields_in_enum_order() && kFields.back().field == Field::transfer,
              "kFields lists every Field in enum order, transfer last");

std::string quote(std::string_view s) { return quote_for_message(s); }

// Lookups through the cache when there is one.
Result<const CpuModel*> find_cpu(const Dataset& data, LookupCache* cache, std::string_view q) {
  return cache != nullptr ? cache->cpu(q) : data.find_cpu(q);
}
Result<const GpuModel*> find_gpu(const Dataset& data, LookupCache* cache, std::string_view q) {
  return cache != nullptr ? cache->gpu(q) : data.find_gpu(q);
}
Result<RegionMatch> find_region(const Dataset& data, LookupCache* cache, std::string_view q) {
  return cache != nullptr ? cache->region(q) : data.find_region(q);
}
Result<const Provider*> find_provider(const Dataset& data, LookupCache* cache, std::string_view q) {
  return cache != nullptr ? cache->provider(q) : data.find_provider(q);
}

/// The name of an input for an error message (`--region`, a batch column), built only when a
/// message is: each batch row would otherwise format two names it never shows (issue 18).
struct InputName {
  const EstimateSpec* spec = nullptr;  ///< when set, input_name(*spec, field)
  Field field{};
  std::string_view given;  ///< otherwise this text
  [[nodiscard]] std::string str() const { return spec != nullptr ? input_name(*spec, field) : std::string(given); }
};

Result<IntensityChoice> resolve_intensity(std::optional<double> intensity, const std::optional<std::string>& region,
                                          const Dataset& data, LookupCache* cache, Basis basis, IntensityOrigin origin,
                                          const InputName& region_name);
Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data, LookupCache* cache, const InputName& provider_name);

/// Transparent hashing so that lookups by string_view need no temporary string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct LookupCache::Impl {
  const Dataset& data;
  template <class T>
  using Map = std::unordered_map<std::string, Result<T>, StringHash, std::equal_to<>>;
  Map<const CpuModel*> cpus;
  Map<const GpuModel*> gpus;
  Map<RegionMatch> regions;
  Map<const Provider*> providers;
  std::optional<RangeConstants> range_constants;

  template <class T, class F>
  Result<T> get(Map<T>& map, std::string_view q, F&& find) {
    if (auto it = map.find(q); it != map.end()) return it->second;
    if (map.size() > 100'000) map.clear();  // bounded memory, whatever the input
    return map.emplace(std::string(q), find(q)).first->second;
  }
};

LookupCache::LookupCache(const Dataset& data) : impl_(std::make_unique<Impl>(Impl{data, {}, {}, {}, {}, {}})) {}
LookupCache::~LookupCache() = default;
Result<const CpuModel*> LookupCache::cpu(std::string_view q) {
  return impl_->get(impl_->cpus, q, [&](std::string_view s) { return impl_->data.find_cpu(s); });
}
Result<const GpuModel*> LookupCache::gpu(std::string_view q) {
  return impl_->get(impl_->gpus, q, [&](std::string_view s) { return impl_->data.find_gpu(s); });
}
Result<RegionMatch> LookupCache::region(std::string_view q) {
  return impl_->get(impl_->regions, q, [&](std::string_view s) { return impl_->data.find_region(s); });
}
Result<const Provider*> LookupCache::provider(std::string_view q) {
  return impl_->get(impl_->providers, q, [&](std::string_view s) { return impl_->data.find_provider(s); });
}

const RangeConstants& LookupCache::range_constants() {
  if (!impl_->range_constants) impl_->range_constants = co2e::range_constants(impl_->data);
  return *impl_->range_constants;
}

std::span<const FieldInfo> estimate_fields() { return kFields; }

const FieldInfo& field_info(Field f) { return kFields[static_cast<std::size_t>(f)]; }

std::optional<Field> field_from_name(std::string_view name) {
  while (name.starts_with('-')) name.remove_prefix(1);
  std::string key(name);
  for (auto& c : key) {
    if (c == '-') c = '_';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const auto& f : kFields)
    if (f.column == key) return f.field;
  return std::nullopt;
}

namespace {

/// set_field's fast path for a plain decimal (`12.4`, the common batch cell): the number fields
/// whose parsers read a bare number as the value itself (W, W per GB, GB, gCO2e/kWh, hours,
/// counts, fractions, PUE) take it here when it lies within what the general path accepts, the
/// same double and the same side effects; false leaves the text, untouched, to the general path,
/// which gives the value or the error. Issue 18: a batch cell cost ~270 instructions through the
/// general path. tests/unit/test_units.cpp holds the two paths equal on every field.
bool set_plain_number(EstimateSpec& spec, Field field, std::string_view text) {
  double v = 0;
  if (!plain_decimal(text, v)) return false;  // no sign: never -0, as the parsers' results
  auto take = [&](std::optional<double>& out, bool ok) {
    if (!ok) return false;
    clear_given_range(spec, field);
    out = v;
    return true;
  };
  auto count = [&](std::optional<std::int64_t>& out, double min) {
    if (std::trunc(v) != v || v < min || v > static_cast<double>(kMaxCount)) return false;
    clear_given_range(spec, field);
    out = static_cast<std::int64_t>(v);
    return true;
  };
  switch (field) {
    case Field::cores:
      return count(spec.cores, 0);
    case Field::gpus:
      return count(spec.gpus, 0);
    case Field::psf:
      return count(spec.psf, 1);
    case Field::core_power:  // set_field's in_range(..., positive, kMaxPowerW)
      return take(spec.core_power_w, v > 0 && v <= kMaxPowerW);
    case Field::gpu_power:
      return take(spec.gpu_power_w, v > 0 && v <= kMaxPowerW);
    case Field::power:
      return take(spec.power_w, v > 0 && v <= kMaxPowerW);
    case Field::memory_power:
      return take(spec.memory_power_w_per_gb, v <= kMaxMemoryPowerWPerGb);
    case Field::intensity:
      return take(spec.intensity_g_per_kwh, v <= kMaxIntensityGPerKwh);
    case Field::cpu_usage:  // parse_fraction
      return take(spec.cpu_usage, v <= 1);
    case Field::gpu_usage:
      return take(spec.gpu_usage, v <= 1);
    case Field::gpu_hours:  // non_negative(..., kMaxDeviceHours)
      return take(spec.gpu_hours, v <= kMaxDeviceHours);
    case Field::core_hours:
      return take(spec.core_hours, v <= kMaxDeviceHours);
    case Field::pue:
      return take(spec.pue, v >= kMinPue && v <= kMaxPue);
    case Field::memory:  // parse_size_gb's limit; a bare number, which check_plausibility() questions
      if (!take(spec.memory_gb, v <= kMaxMemoryGb)) return false;
      spec.memory_bare_number = true;
      return true;
    default:
      return false;  // durations and energies need a unit; names and the footprint's fields
  }
}

}  // namespace

// long-function: one case per Field, in the enum's order, each a line or two: a table, not a flow.
Status set_field(EstimateSpec& spec, Field field, std::string_view text) {
  // Powers and emission factors take their units (300W, 0.3kW, 0.2kg/kWh); a bare number is in
  // the unit the field's name says (W, W per GB, gCO2e/kWh).
  auto in_range = [&](Result<double> v, std::optional<double>& out, bool positive, double max,
                      const char* what) -> Status {
    if (!v) return v.error();
    if (positive && *v <= 0) return Error::usage(fmt::format("{} must be more than 0 ({})", quote(trim(text)), what));
    if (*v < 0) return Error::usage(fmt::format("{}: must be zero or more", quote(trim(text))));
    if (*v > max)
      return Error::usage(fmt::format("{} is too large for {} (at most {:g})", quote(trim(text)), what, max));
    out = *v;
    return std::nullopt;
  };
  auto non_negative = [&](std::optional<double>& out, double max, const char* what) -> Status {
    auto v = parse_non_negative(text);
    if (!v) return v.error();
    if (*v > max)
      return Error::usage(fmt::format("{} is too large for {} (at most {:g})", quote(trim(text)), what, max));
    out = *v;
    return std::nullopt;
  };
  auto count = [&](std::optional<std::int64_t>& out, std::int64_t min) -> Status {
    auto v = parse_integer(text, min, kMaxCount);
    if (!v) return v.error();
    out = *v;
    return std::nullopt;
  };
  auto name = [&](std::optional<std::string>& out, const char* what) -> Status {
    const auto t = trim(text);
    if (t.empty()) return Error::usage(fmt::format("empty {}", what));
    out = std::string(t);
    return std::nullopt;
  };
  auto fraction = [&](std::optional<double>& out) -> Status {
    auto v = parse_fraction(text);
    if (!v) return v.error();
    out = *v;
    return std::nullopt;
  };
  if (set_plain_number(spec, field, text)) return std::nullopt;
  if (is_range_text(field, text)) return set_range_field(spec, field, text);  // LOW:HIGH (issue 17)
  clear_given_range(spec, field);
  switch (field) {
    case Field::runtime: {
      auto d = parse_duration(text);
      if (!d) return d.error();
      spec.runtime = *d;
      return std::nullopt;
    }
    case Field::cores:  // 0 is a count: no CPU (issue 12)
      return count(spec.cores, 0);
    case Field::cpu:
      return name(spec.cpu, "CPU model");
    case Field::core_power:
      return in_range(parse_power_w(text), spec.core_power_w, true, kMaxPowerW, "watts per core");
    case Field::cpu_usage:
      return fraction(spec.cpu_usage);
    case Field::gpus:  // 0 is a count: no GPU (issue 12)
      return count(spec.gpus, 0);
    case Field::gpu:
      return name(spec.gpu, "GPU model");
    case Field::gpu_power:
      return in_range(parse_power_w(text), spec.gpu_power_w, true, kMaxPowerW, "watts per GPU");
    case Field::gpu_usage:
      return fraction(spec.gpu_usage);
    case Field::gpu_hours:
      return non_negative(spec.gpu_hours, kMaxDeviceHours, "GPU-hours");
    case Field::core_hours:
      return non_negative(spec.core_hours, kMaxDeviceHours, "core-hours");
    case Field::memory: {
      auto v = parse_size_gb(text);
      if (!v) return v.error();
      spec.memory_gb = *v;
      // A bare number is GB; HPC users often mean MB (SLURM's unit): check_plausibility() asks.
      spec.memory_bare_number = parse_number(text).ok();
      return std::nullopt;
    }
    case Field::memory_power:
      return in_range(parse_power_w_per_gb(text), spec.memory_power_w_per_gb, false, kMaxMemoryPowerWPerGb,
                      "watts per GB");
    case Field::pue: {
      auto v = parse_number(text);
      if (!v) return v.error();
      if (*v < kMinPue)
        return Error::usage(fmt::format(
            "{} is below 1: a PUE is total facility power / IT power, so at least 1 (1.0 for a personal computer)",
            quote(trim(text))));
      if (*v > kMaxPue)
        return Error::usage(
            fmt::format("{} is implausibly high for a PUE (at most 10; typical 1.1 to 2)", quote(trim(text))));
      spec.pue = *v;
      return std::nullopt;
    }
    case Field::provider:
      return name(spec.provider, "provider");
    case Field::platform: {
      const auto t = trim(text);
      if (t != "local" && t != "personal" && t != "cloud")
        return Error::usage(fmt::format("{} is not a platform (accepted: local, personal, cloud){}", quote(t),
                                        nearest_hint(t, {"local", "personal", "cloud"})));
      spec.platform = std::string(t);
      return std::nullopt;
    }
    case Field::region:
      return name(spec.region, "region");
    case Field::intensity:
      return in_range(parse_intensity_g_per_kwh(text), spec.intensity_g_per_kwh, false, kMaxIntensityGPerKwh,
                      "an emission factor in gCO2e/kWh");
    case Field::intensity_basis: {
      const auto t = trim(text);
      auto b = basis_from_name(t);
      if (!b)
        return Error::usage(fmt::format(
            "{} is not a basis (accepted: lifecycle, the default, or direct for GHG Protocol scope 2 location-based)",
            quote(t)));
      spec.intensity_basis = *b;
      return std::nullopt;
    }
    case Field::intensity_source: {
      const auto t = trim(text);
      if (t != "location" && t != "provider")
        return Error::usage(
            fmt::format("{} is not an intensity source (accepted: location, the default, or provider)", quote(t)));
      spec.intensity_origin = t == "location" ? IntensityOrigin::location : IntensityOrigin::provider;
      return std::nullopt;
    }
    case Field::psf:
      return count(spec.psf, 1);
    case Field::energy: {
      auto v = parse_energy_kwh(text);
      if (!v) return v.error();
      if (*v <= 0) return Error::usage(fmt::format("{} must be more than 0", quote(trim(text))));
      spec.energy_kwh = *v;
      return std::nullopt;
    }
    case Field::power:
      return in_range(parse_power_w(text), spec.power_w, true, kMaxPowerW, "watts at the plug");
    case Field::energy_scope: {
      const auto t = trim(text);
      if (t != "it" && t != "facility")
        return Error::usage(fmt::format(
            "{} is not an energy scope (accepted: it, the IT equipment's energy, PUE applied; facility, PUE included)",
            quote(t)));
      spec.energy_scope = t == "it" ? EnergyScope::it : EnergyScope::facility;
      return std::nullopt;
    }
    case Field::instance:
      return name(spec.instance, "instance type");
    case Field::embodied:
    case Field::lifetime:
    case Field::utilisation:
    case Field::server:
    case Field::server_embodied:
    case Field::nodes:
    case Field::embodied_gpu:
    case Field::embodied_cpu:
    case Field::node_power:
    case Field::storage:
    case Field::storage_type:
    case Field::transfer:
      return set_footprint_field(spec.footprint, field, text);
  }
  return Error::internal("unknown field");
}

Status set_field(EstimateSpec& spec, Field field, std::string_view text, const Origin& origin) {
  Status err = set_field(spec, field, text);
  if (err) {
    err->field = field;
    return err;
  }
  spec.origins[static_cast<std::size_t>(field)] = origin;
  return std::nullopt;
}

std::string input_name(const EstimateSpec& spec, Field f) {
  const Origin& o = spec.origin(f);
  if (o.given()) return origin_label(o);
  if (spec.names != nullptr) return std::string((*spec.names)[static_cast<std::size_t>(f)]);
  return std::string(field_info(f).flag);
}

std::string_view power_source_name(PowerSource s) {
  switch (s) {
    case PowerSource::none:
      return "none";
    case PowerSource::flag:
      return "flag";
    case PowerSource::model:
      return "model";
    case PowerSource::default_value:
      return "default";
  }
  return "none";
}

std::string_view pue_source_name(PueSource s) {
  switch (s) {
    case PueSource::flag:
      return "flag";
    case PueSource::provider:
      return "provider";
    case PueSource::cloud_region:
      return "cloud_region";
    case PueSource::platform:
      return "platform";
    case PueSource::default_local:
      return "default";
    case PueSource::included:
      return "included";
  }
  return "default";
}

std::string_view intensity_source_name(IntensitySource s) {
  switch (s) {
    case IntensitySource::flag:
      return "flag";
    case IntensitySource::region:
      return "region";
    case IntensitySource::cloud_region:
      return "cloud_region";
    case IntensitySource::default_world:
      return "default";
    case IntensitySource::series:
      return "series";
  }
  return "default";
}

Result<IntensityChoice> resolve_intensity(std::optional<double> intensity, const std::optional<std::string>& region,
                                          const Dataset& data, Basis basis, IntensityOrigin origin,
                                          std::string_view region_name) {
  return resolve_intensity(intensity, region, data, nullptr, basis, origin, InputName{.given = region_name});
}

Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data, std::string_view provider_name) {
  return resolve_pue(pue, provider, platform, region, data, nullptr, InputName{.given = provider_name});
}

namespace {

/// A lookup error (unknown model, region or provider) behind the input's name, carrying its Field.
Error lookup_error(const Error& e, Field f, std::string_view name) {
  Error out = e.with_context(std::string(name));
  out.field = f;
  return out;
}

Result<IntensityChoice> resolve_intensity(std::optional<double> intensity, const std::optional<std::string>& region,
                                          const Dataset& data, LookupCache* cache, Basis basis, IntensityOrigin origin,
                                          const InputName& region_name) {
  IntensityChoice c;
  if (region) {
    auto m = find_region(data, cache, *region);
    if (!m) return lookup_error(m.error(), Field::region, region_name.str());
    c.region = *m;
    c.region->basis = basis;
    c.region->origin = origin;
  }
  if (intensity) {
    c.g_per_kwh = *intensity;
    c.source = IntensitySource::flag;
  } else if (c.region) {
    c.g_per_kwh = c.region->intensity_g_per_kwh();
    c.source = c.region->cloud != nullptr ? IntensitySource::cloud_region : IntensitySource::region;
  } else {
    auto world = find_region(data, cache, "WORLD");
    if (world) {
      c.region = *world;
      c.region->basis = basis;
      c.region->origin = origin;
    }
    c.g_per_kwh = world ? c.region->intensity_g_per_kwh() : data.constant(DefaultConstant::world_intensity_g_per_kwh);
    c.source = IntensitySource::default_world;
  }
  return c;
}

Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data, LookupCache* cache, const InputName& provider_name) {
  PueChoice c;
  const Provider* prov = nullptr;
  if (provider) {
    auto p = find_provider(data, cache, *provider);
    if (!p) return lookup_error(p.error(), Field::provider, provider_name.str());
    prov = *p;
  }
  if (pue) {
    c.pue = *pue;
    c.source = PueSource::flag;
    c.provider = prov;
    return c;
  }
  if (prov != nullptr) {
    c.pue = prov->pue;
    c.source = PueSource::provider;
    c.provider = prov;
    return c;
  }
  if (region && region->cloud != nullptr) {
    if (region->cloud->pue >= 1) {
      c.pue = region->cloud->pue;
      c.source = PueSource::cloud_region;
      return c;
    }
    if (auto p = find_provider(data, cache, region->cloud->provider)) {
      c.pue = (*p)->pue;
      c.source = PueSource::provider;
      c.provider = *p;
      return c;
    }
  }
  const std::string which = platform ? *platform : "local";
  auto p = find_provider(data, cache, which);
  if (!p) return Error::data(fmt::format("the data tables have no PUE default for platform \"{}\"", which));
  c.pue = (*p)->pue;
  c.provider = *p;
  c.source = platform ? PueSource::platform : PueSource::default_local;
  return c;
}

/// The state of one estimate() call, shared by its steps: the spec, the tables, the result.
struct Estimation {
  const EstimateSpec& spec;
  const Dataset& data;
  LookupCache* cache;
  EstimateResult& r;

  /// Input `f` as the user gave it (`--cores`, `CO2E_CORES`, a batch column).
  [[nodiscard]] std::string name(Field f) const { return input_name(spec, f); }
  /// A usage error about input `f`.
  [[nodiscard]] static Error error(Field f, std::string message) {
    Error e = Error::usage(std::move(message));
    e.field = f;
    return e;
  }
};

/// CPU = core-hours x W per core x usage (Green Algorithms). `given`: any CPU input was.
Status estimate_cpu(const Estimation& e, bool& given) {
  const EstimateSpec& spec = e.spec;
  EstimateResult& r = e.r;
  if (spec.cores && spec.core_hours)
    return e.error(Field::cores, fmt::format("{} and {} conflict: give cores with {}, or core-hours alone",
                                             e.name(Field::cores), e.name(Field::core_hours), e.name(Field::runtime)));
  if (spec.cpu) {
    auto m = find_cpu(e.data, e.cache, *spec.cpu);
    if (!m) return lookup_error(m.error(), Field::cpu, e.name(Field::cpu));
    r.cpu_model = *m;
  }
  given = spec.cores || spec.core_hours || spec.cpu || spec.core_power_w;
  if (!given) {
    if (spec.cpu_usage)
      return e.error(Field::cpu_usage,
                     fmt::format("{} needs CPU cores: add {} N (and {} MODEL or {} W)", e.name(Field::cpu_usage),
                                 e.name(Field::cores), e.name(Field::cpu), e.name(Field::core_power)));
    return std::nullopt;
  }
  r.cpu_usage = spec.cpu_usage.value_or(1.0);
  if (spec.cores && *spec.cores == 0) {  // "none of these": the CPU part is 0, not an error
    r.add(Note::cpu_count_zero);
    return std::nullopt;
  }
  if (spec.core_power_w) {
    r.core_power_w = *spec.core_power_w;
    r.cpu_power_source = PowerSource::flag;
    if (r.cpu_model != nullptr) r.add(Note::cpu_power_overrides_model);
  } else if (r.cpu_model != nullptr) {
    r.core_power_w = r.cpu_model->watts_per_core();
    r.cpu_power_source = PowerSource::model;
  } else {
    r.core_power_w = e.data.constant(DefaultConstant::core_power_w);
    r.cpu_power_source = PowerSource::default_value;
  }
  if (spec.core_hours) {
    r.core_hours = *spec.core_hours;
  } else {
    if (spec.cores) {
      r.cores = *spec.cores;
    } else if (r.cpu_model != nullptr) {
      r.cores = r.cpu_model->cores;
      r.add(Note::cores_from_model);
    } else {
      return e.error(Field::cores, fmt::format("{} needs {} (or {}): how many cores ran?", e.name(Field::core_power),
                                               e.name(Field::cores), e.name(Field::core_hours)));
    }
    if (!r.runtime_h)
      return e.error(Field::runtime, fmt::format("{} is required with {} or {} (or give {})", e.name(Field::runtime),
                                                 e.name(Field::cores), e.name(Field::cpu), e.name(Field::core_hours)));
    r.core_hours = static_cast<double>(r.cores) * *r.runtime_h;
  }
  return std::nullopt;
}

/// GPU = GPU-hours x W per GPU x usage. Without CPU inputs the CPU is not counted (Green Algorithms).
Status estimate_gpu(const Estimation& e, bool cpu_given, bool& given) {
  const EstimateSpec& spec = e.spec;
  EstimateResult& r = e.r;
  if (spec.gpus && spec.gpu_hours)
    return e.error(Field::gpus, fmt::format("{} and {} conflict: give GPUs with {}, or GPU-hours alone",
                                            e.name(Field::gpus), e.name(Field::gpu_hours), e.name(Field::runtime)));
  if (spec.gpu) {
    auto m = find_gpu(e.data, e.cache, *spec.gpu);
    if (!m) return lookup_error(m.error(), Field::gpu, e.name(Field::gpu));
    r.gpu_model = *m;
    r.gpu_variants = e.data.gpu_variants(*spec.gpu, r.gpu_model);  // said in the assumptions
  }
  given = spec.gpus || spec.gpu_hours || spec.gpu || spec.gpu_power_w;
  if (!given) {
    if (spec.gpu_usage)
      return e.error(Field::gpu_usage,
                     fmt::format("{} needs GPUs: add {} N (and {} MODEL or {} W)", e.name(Field::gpu_usage),
                                 e.name(Field::gpus), e.name(Field::gpu), e.name(Field::gpu_power)));
    return std::nullopt;
  }
  r.gpu_usage = spec.gpu_usage.value_or(1.0);
  if (!cpu_given) r.add(Note::gpu_only_no_cpu);
  if (spec.gpus && *spec.gpus == 0) {  // "none of these": the GPU part is 0
    r.add(Note::gpu_count_zero);
    return std::nullopt;
  }
  if (spec.gpu_power_w) {
    r.gpu_power_w = *spec.gpu_power_w;
    r.gpu_power_source = PowerSource::flag;
    if (r.gpu_model != nullptr) r.add(Note::gpu_power_overrides_model);
  } else if (r.gpu_model != nullptr) {
    r.gpu_power_w = r.gpu_model->tdp_w;
    r.gpu_power_source = PowerSource::model;
  } else {
    r.gpu_power_w = e.data.constant(DefaultConstant::gpu_power_w);
    r.gpu_power_source = PowerSource::default_value;
  }
  if (spec.gpu_hours) {
    r.gpu_hours = *spec.gpu_hours;
  } else {
    if (spec.gpus) {
      r.gpus = *spec.gpus;
    } else {
      r.gpus = 1;
      r.add(Note::one_gpu_assumed);
    }
    if (!r.runtime_h)
      return e.error(Field::runtime, fmt::format("{} is required with {} or {} (or give {})", e.name(Field::runtime),
                                                 e.name(Field::gpus), e.name(Field::gpu), e.name(Field::gpu_hours)));
    r.gpu_hours = static_cast<double>(r.gpus) * *r.runtime_h;
  }
  return std::nullopt;
}

/// Memory = GB x W per GB x wall time (Green Algorithms); not counted when not given.
Status estimate_memory(const Estimation& e) {
  const EstimateSpec& spec = e.spec;
  EstimateResult& r = e.r;
  r.memory_power_w_per_gb =
      spec.memory_power_w_per_gb.value_or(e.data.constant(DefaultConstant::memory_power_w_per_gb));
  r.memory_power_from_flag = spec.memory_power_w_per_gb.has_value();
  if (!spec.memory_gb) {
    if (spec.memory_power_w_per_gb)
      return e.error(Field::memory_power,
                     fmt::format("{} needs {} SIZE", e.name(Field::memory_power), e.name(Field::memory)));
    r.add(Note::no_memory);
    return std::nullopt;
  }
  if (!r.runtime_h)
    return e.error(Field::memory, fmt::format("{} needs {}: memory energy is memory x power per GB x wall time",
                                              e.name(Field::memory), e.name(Field::runtime)));
  r.memory_gb = *spec.memory_gb;
  return std::nullopt;
}

/// The inputs of the component sum, which a known energy replaces.
constexpr std::array<Field, 12> kComponentInputs{
    Field::cores,     Field::cpu,       Field::core_power, Field::cpu_usage,  Field::gpus,   Field::gpu,
    Field::gpu_power, Field::gpu_usage, Field::gpu_hours,  Field::core_hours, Field::memory, Field::memory_power};

bool has(const EstimateSpec& s, Field f) {
  switch (f) {
    case Field::cores:
      return s.cores.has_value();
    case Field::cpu:
      return s.cpu.has_value();
    case Field::core_power:
      return s.core_power_w.has_value();
    case Field::cpu_usage:
      return s.cpu_usage.has_value();
    case Field::gpus:
      return s.gpus.has_value();
    case Field::gpu:
      return s.gpu.has_value();
    case Field::gpu_power:
      return s.gpu_power_w.has_value();
    case Field::gpu_usage:
      return s.gpu_usage.has_value();
    case Field::gpu_hours:
      return s.gpu_hours.has_value();
    case Field::core_hours:
      return s.core_hours.has_value();
    case Field::memory:
      return s.memory_gb.has_value();
    case Field::memory_power:
      return s.memory_power_w_per_gb.has_value();
    case Field::pue:
      return s.pue.has_value();
    case Field::provider:
      return s.provider.has_value();
    case Field::platform:
      return s.platform.has_value();
    default:
      return false;  // the others are not checked for conflicts
  }
}

/// A known energy: --energy E per run, or --power W x --runtime, measured at the plug or
/// published. It replaces the component sum, so giving components too is a conflict.
Status estimate_known_energy(const Estimation& e) {
  const EstimateSpec& spec = e.spec;
  EstimateResult& r = e.r;
  const std::string energy = e.name(spec.power_w && !spec.energy_kwh ? Field::power : Field::energy);
  if (!spec.energy_kwh && !spec.power_w)
    return e.error(Field::energy_scope,
                   fmt::format("{} needs {} E or {} W: it says what a known energy covers", e.name(Field::energy_scope),
                               e.name(Field::energy), e.name(Field::power)));
  if (spec.energy_kwh && spec.power_w)
    return e.error(Field::power, fmt::format("{} and {} conflict: give the energy of a run, or its average power",
                                             e.name(Field::energy), e.name(Field::power)));
  for (const Field f : kComponentInputs)
    if (has(spec, f))
      return e.error(f, fmt::format("{} and {} conflict: {} is the whole energy of a run, which replaces the sum of "
                                    "CPU, GPU and memory; give one or the other",
                                    e.name(f), energy, energy));
  r.energy_scope = spec.energy_scope.value_or(EnergyScope::it);
  if (spec.energy_kwh) {
    r.energy_source = EnergySource::energy;
    r.components.known_kwh = *spec.energy_kwh;  // an input, carried to compute_energy() by estimate_totals
    return std::nullopt;
  }
  if (!r.runtime_h)
    return e.error(Field::runtime, fmt::format("{} needs {}: the energy is average power x wall time",
                                               e.name(Field::power), e.name(Field::runtime)));
  r.energy_source = EnergySource::power;
  r.power_w = *spec.power_w;
  return std::nullopt;
}

/// The grid's emission factor and the data centre's PUE, with a note for each input that
/// replaced another's figure.
Status estimate_facility(const Estimation& e) {
  const EstimateSpec& spec = e.spec;
  EstimateResult& r = e.r;
  auto ic = resolve_intensity(
      spec.intensity_g_per_kwh, spec.region, e.data, e.cache, spec.intensity_basis.value_or(Basis::lifecycle),
      spec.intensity_origin.value_or(IntensityOrigin::location), InputName{&spec, Field::region, {}});
  if (!ic) return ic.error();
  r.intensity_g_per_kwh = ic->g_per_kwh;
  r.intensity_source = ic->source;
  r.region = ic->region;
  if (spec.intensity_g_per_kwh && spec.region) r.add(Note::intensity_overrides_region);

  if (r.energy_scope == EnergyScope::facility) {
    for (const Field f : {Field::pue, Field::provider, Field::platform})
      if (has(spec, f))
        return e.error(f, fmt::format("{} does not apply with {} facility: a facility's energy already includes its "
                                      "PUE; drop one",
                                      e.name(f), e.name(Field::energy_scope)));
    r.pue = 1;
    r.pue_source = PueSource::included;
    return std::nullopt;
  }
  auto pc = resolve_pue(spec.pue, spec.provider, spec.platform, r.region, e.data, e.cache,
                        InputName{&spec, Field::provider, {}});
  if (!pc) return pc.error();
  r.pue = pc->pue;
  r.pue_source = pc->source;
  r.provider = pc->provider;
  if (spec.platform)
    if (auto p = find_provider(e.data, e.cache, *spec.platform)) r.platform = *p;
  if (spec.pue && spec.provider) r.add(Note::pue_overrides_provider);
  if (spec.pue && spec.platform) r.add(Note::pue_overrides_platform);
  if (!spec.pue && spec.provider && spec.platform) r.add(Note::provider_overrides_platform);
  if ((spec.pue || spec.provider) && r.region && r.region->cloud != nullptr) r.add(Note::pue_overrides_cloud_region);
  return std::nullopt;
}

/// energy = PUE x PSF x one run's energy; CO2e = energy x intensity: the one formula (energy.hpp).
Status estimate_totals(const Estimation& e) {
  EstimateResult& r = e.r;
  r.psf = e.spec.psf.value_or(1);
  // A known energy (--energy) or power (--power x runtime) replaces the three components, which
  // are then all zero (estimate_known_energy refuses component inputs beside it).
  const bool known_power = r.energy_source == EnergySource::power;
  const bool known_energy = r.energy_source == EnergySource::energy;
  const FootprintResult& fp = r.footprint;  // server overhead, storage, network (issue 15)
  const EnergyFigures f = compute_energy({.core_hours = r.core_hours,
                                          .core_power_w = r.core_power_w,
                                          .cpu_usage = r.cpu_usage,
                                          .gpu_hours = r.gpu_hours,
                                          .gpu_power_w = r.gpu_power_w,
                                          .gpu_usage = r.gpu_usage,
                                          .memory_gb = r.memory_gb,
                                          .memory_power_w_per_gb = r.memory_power_w_per_gb,
                                          .memory_hours = r.runtime_h.value_or(0),
                                          .known_kwh = known_energy ? r.components.known_kwh : 0,
                                          .known_power_w = known_power ? r.power_w : 0,
                                          .known_hours = known_power ? r.runtime_h.value_or(0) : 0,
                                          .node_hours = fp.node_hours,
                                          .node_power_w = fp.node_power_w,
                                          .node_overhead_fraction = fp.node_overhead_fraction,
                                          .storage_tb = fp.storage_tb,
                                          .storage_w_per_tb = fp.storage_w_per_tb,
                                          .storage_hours = fp.storage_tb > 0 ? r.runtime_h.value_or(0) : 0,
                                          .transfer_gb = fp.transfer_gb,
                                          .network_kwh_per_gb = fp.network_kwh_per_gb,
                                          .pue = r.pue,
                                          .psf = static_cast<double>(r.psf),
                                          .intensity_g_per_kwh = r.intensity_g_per_kwh});
  r.components = {f.cpu_kwh, f.gpu_kwh, f.memory_kwh, f.known_kwh, f.server_kwh, f.storage_kwh};
  r.footprint.network_kwh = f.network_kwh;
  r.energy_kwh = f.energy_kwh;
  r.co2e_kg = f.co2e_g / 1000.0;
  if (!std::isfinite(r.energy_kwh) || !std::isfinite(r.co2e_kg) || r.energy_kwh > 1e18)
    return Error::usage(
        fmt::format("the inputs give an energy too large to be meaningful ({:g} kWh): check the "
                    "counts, durations and powers",
                    r.energy_kwh));
  return std::nullopt;
}

}  // namespace

Result<EstimateResult> estimate(const EstimateSpec& spec, const Dataset& data, LookupCache* cache) {
  EstimateResult r;
  if (auto err = estimate_into(spec, data, cache, r)) return *err;
  return r;
}

Status estimate_into(const EstimateSpec& spec, const Dataset& data, LookupCache* cache, EstimateResult& r) {
  if (spec.instance) {  // instance.cpp fills the spec and comes back here; batch rows too (an `instance` column)
    auto x = estimate_instance(spec, data, cache);
    if (!x) return x.error();
    r = std::move(*x);
    return std::nullopt;
  }
  // A fresh result in place: assigning EstimateResult{} built a 2.6 kB temporary, copied it and
  // destroyed it, ~800 instructions a batch row (issue 18). The reference stays valid (same type,
  // no const members: [basic.life]).
  std::destroy_at(&r);
  std::construct_at(&r, spec.origins);
  if (spec.runtime) r.runtime_h = to_hours(*spec.runtime);
  const Estimation e{spec, data, cache, r};
  if (spec.energy_kwh || spec.power_w || spec.energy_scope) {
    if (auto err = estimate_known_energy(e)) return err;
  } else {
    bool cpu_given = false;
    bool gpu_given = false;
    if (auto err = estimate_cpu(e, cpu_given)) return err;
    if (auto err = estimate_gpu(e, cpu_given, gpu_given)) return err;
    if (!cpu_given && !gpu_given)
      return Error::usage(fmt::format(
          "nothing to estimate: give CPU cores ({} N with {} MODEL or {} W, or {} H) and/or GPUs ({} N with {} MODEL "
          "or {} W, or {} H), or a known {} E or {} W",
          e.name(Field::cores), e.name(Field::cpu), e.name(Field::core_power), e.name(Field::core_hours),
          e.name(Field::gpus), e.name(Field::gpu), e.name(Field::gpu_power), e.name(Field::gpu_hours),
          e.name(Field::energy), e.name(Field::power)));
    if (auto err = estimate_memory(e)) return err;
  }
  if (auto err = estimate_overheads(spec, data, r)) return err;
  if (auto err = estimate_facility(e)) return err;
  if (auto err = estimate_totals(e)) return err;
  if (auto err = estimate_embodied(spec, data, r)) return err;
  if (!spec.no_range)
    estimate_range_into(r.range.emplace(), spec, r,
                        cache != nullptr ? cache->range_constants() : range_constants(data));
  return std::nullopt;
}

std::vector<Equivalent> equivalents(double co2e_g, const Dataset& data) {
  std::vector<Equivalent> out;
  auto add = [&](std::string_view id) {
    if (const Equivalence* e = data.find_equivalence(id)) out.push_back({e, co2e_g / e->g_per_unit});
  };
  add("tree_month");
  add("car_km_eu");
  // Green Algorithms v3.0 picks one flight by size.
  if (co2e_g < 285'000)
    add("flight_paris_dublin");
  else if (co2e_g < 1'155'000)
    add("flight_nyc_sf");
  else
    add("flight_nyc_melbourne");
  return out;
}

}  // namespace co2e
