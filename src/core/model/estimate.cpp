// The estimate: spec fields, their parsing, and the Green Algorithms formula.
#include "co2e/estimate.hpp"

#include "co2e/energy.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "co2e/quote.hpp"

namespace co2e {

namespace {

constexpr std::int64_t kMaxCount = 1'000'000'000;  // cores, GPUs, runs

constexpr std::array<FieldInfo, 19> kFields{{
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
    {Field::psf, "psf", "--psf", "N", "pragmatic scaling factor: number of identical runs (default 1)"},
}};

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

Result<IntensityChoice> resolve_intensity(std::optional<double> intensity, const std::optional<std::string>& region,
                                          const Dataset& data, LookupCache* cache);
Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data, LookupCache* cache);

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

  template <class T, class F>
  Result<T> get(Map<T>& map, std::string_view q, F&& find) {
    if (auto it = map.find(q); it != map.end()) return it->second;
    if (map.size() > 100'000) map.clear();  // bounded memory, whatever the input
    return map.emplace(std::string(q), find(q)).first->second;
  }
};

LookupCache::LookupCache(const Dataset& data) : impl_(std::make_unique<Impl>(Impl{data, {}, {}, {}, {}})) {}
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
      return in_range(parse_power_w(text), spec.core_power_w, true, 1e9, "watts per core");
    case Field::cpu_usage:
      return fraction(spec.cpu_usage);
    case Field::gpus:  // 0 is a count: no GPU (issue 12)
      return count(spec.gpus, 0);
    case Field::gpu:
      return name(spec.gpu, "GPU model");
    case Field::gpu_power:
      return in_range(parse_power_w(text), spec.gpu_power_w, true, 1e9, "watts per GPU");
    case Field::gpu_usage:
      return fraction(spec.gpu_usage);
    case Field::gpu_hours:
      return non_negative(spec.gpu_hours, 1e15, "GPU-hours");
    case Field::core_hours:
      return non_negative(spec.core_hours, 1e15, "core-hours");
    case Field::memory: {
      auto v = parse_size_gb(text);
      if (!v) return v.error();
      spec.memory_gb = *v;
      // A bare number is GB; HPC users often mean MB (SLURM's unit): check_plausibility() asks.
      spec.memory_bare_number = parse_number(text).ok();
      return std::nullopt;
    }
    case Field::memory_power:
      return in_range(parse_power_w_per_gb(text), spec.memory_power_w_per_gb, false, 1000, "watts per GB");
    case Field::pue: {
      auto v = parse_number(text);
      if (!v) return v.error();
      if (*v < 1)
        return Error::usage(fmt::format(
            "{} is below 1: a PUE is total facility power / IT power, so at least 1 (1.0 for a personal computer)",
            quote(trim(text))));
      if (*v > 10)
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
        return Error::usage(fmt::format("{} is not a platform (accepted: local, personal, cloud)", quote(t)));
      spec.platform = std::string(t);
      return std::nullopt;
    }
    case Field::region:
      return name(spec.region, "region");
    case Field::intensity:
      return in_range(parse_intensity_g_per_kwh(text), spec.intensity_g_per_kwh, false, 5000,
                      "an emission factor in gCO2e/kWh");
    case Field::psf:
      return count(spec.psf, 1);
  }
  return Error::internal("unknown field");
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
                                          const Dataset& data) {
  return resolve_intensity(intensity, region, data, nullptr);
}

Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data) {
  return resolve_pue(pue, provider, platform, region, data, nullptr);
}

namespace {

Result<IntensityChoice> resolve_intensity(std::optional<double> intensity, const std::optional<std::string>& region,
                                          const Dataset& data, LookupCache* cache) {
  IntensityChoice c;
  if (region) {
    auto m = find_region(data, cache, *region);
    if (!m) return m.error().with_context("--region");
    c.region = *m;
  }
  if (intensity) {
    c.g_per_kwh = *intensity;
    c.source = IntensitySource::flag;
  } else if (c.region) {
    c.g_per_kwh = c.region->intensity_g_per_kwh();
    c.source = c.region->cloud != nullptr ? IntensitySource::cloud_region : IntensitySource::region;
  } else {
    auto world = find_region(data, cache, "WORLD");
    c.g_per_kwh = world ? world->grid->intensity_g_per_kwh : data.constant(DefaultConstant::world_intensity_g_per_kwh);
    if (world) c.region = *world;
    c.source = IntensitySource::default_world;
  }
  return c;
}

Result<PueChoice> resolve_pue(std::optional<double> pue, const std::optional<std::string>& provider,
                              const std::optional<std::string>& platform, const std::optional<RegionMatch>& region,
                              const Dataset& data, LookupCache* cache) {
  PueChoice c;
  const Provider* prov = nullptr;
  if (provider) {
    auto p = find_provider(data, cache, *provider);
    if (!p) return p.error().with_context("--provider");
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

}  // namespace

Result<EstimateResult> estimate(const EstimateSpec& spec, const Dataset& data, LookupCache* cache) {
  EstimateResult r;
  if (spec.runtime) r.runtime_h = to_hours(*spec.runtime);

  // --- CPU -------------------------------------------------------------------------------
  if (spec.cores && spec.core_hours)
    return Error::usage("--cores and --core-hours conflict: give cores with --runtime, or core-hours alone");
  if (spec.cpu) {
    auto m = find_cpu(data, cache, *spec.cpu);
    if (!m) return m.error().with_context("--cpu");
    r.cpu_model = *m;
  }
  const bool cpu_given = spec.cores || spec.core_hours || spec.cpu || spec.core_power_w;
  if (cpu_given) {
    if (spec.core_power_w) {
      r.core_power_w = *spec.core_power_w;
      r.cpu_power_source = PowerSource::flag;
      if (r.cpu_model != nullptr) r.add(Note::cpu_power_overrides_model);
    } else if (r.cpu_model != nullptr) {
      r.core_power_w = r.cpu_model->watts_per_core();
      r.cpu_power_source = PowerSource::model;
    } else {
      r.core_power_w = data.constant(DefaultConstant::core_power_w);
      r.cpu_power_source = PowerSource::default_value;
    }
    r.cpu_usage = spec.cpu_usage.value_or(1.0);
    if (spec.core_hours) {
      r.core_hours = *spec.core_hours;
    } else {
      if (spec.cores) {
        r.cores = *spec.cores;
      } else if (r.cpu_model != nullptr) {
        r.cores = r.cpu_model->cores;
        r.add(Note::cores_from_model);
      } else {
        return Error::usage("--core-power needs --cores (or --core-hours): how many cores ran?");
      }
      if (!r.runtime_h) return Error::usage("--runtime is required with --cores or --cpu (or give --core-hours)");
      r.core_hours = static_cast<double>(r.cores) * *r.runtime_h;
    }
  } else if (spec.cpu_usage) {
    return Error::usage("--cpu-usage needs CPU cores: add --cores N (and --cpu MODEL or --core-power W)");
  }

  // --- GPU -------------------------------------------------------------------------------
  if (spec.gpus && spec.gpu_hours)
    return Error::usage("--gpus and --gpu-hours conflict: give GPUs with --runtime, or GPU-hours alone");
  if (spec.gpu) {
    auto m = find_gpu(data, cache, *spec.gpu);
    if (!m) return m.error().with_context("--gpu");
    r.gpu_model = *m;
  }
  const bool gpu_given = spec.gpus || spec.gpu_hours || spec.gpu || spec.gpu_power_w;
  if (gpu_given) {
    if (spec.gpu_power_w) {
      r.gpu_power_w = *spec.gpu_power_w;
      r.gpu_power_source = PowerSource::flag;
      if (r.gpu_model != nullptr) r.add(Note::gpu_power_overrides_model);
    } else if (r.gpu_model != nullptr) {
      r.gpu_power_w = r.gpu_model->tdp_w;
      r.gpu_power_source = PowerSource::model;
    } else {
      r.gpu_power_w = data.constant(DefaultConstant::gpu_power_w);
      r.gpu_power_source = PowerSource::default_value;
    }
    r.gpu_usage = spec.gpu_usage.value_or(1.0);
    if (spec.gpu_hours) {
      r.gpu_hours = *spec.gpu_hours;
    } else {
      if (spec.gpus) {
        r.gpus = *spec.gpus;
      } else {
        r.gpus = 1;
        r.add(Note::one_gpu_assumed);
      }
      if (!r.runtime_h) return Error::usage("--runtime is required with --gpus or --gpu (or give --gpu-hours)");
      r.gpu_hours = static_cast<double>(r.gpus) * *r.runtime_h;
    }
    if (!cpu_given) r.add(Note::gpu_only_no_cpu);
  } else if (spec.gpu_usage) {
    return Error::usage("--gpu-usage needs GPUs: add --gpus N (and --gpu MODEL or --gpu-power W)");
  }

  if (!cpu_given && !gpu_given)
    return Error::usage(
        "nothing to estimate: give CPU cores (--cores N with --cpu MODEL or --core-power W, or "
        "--core-hours H) and/or GPUs (--gpus N with --gpu MODEL or --gpu-power W, or --gpu-hours H)");

  // --- Memory ----------------------------------------------------------------------------
  r.memory_power_w_per_gb = spec.memory_power_w_per_gb.value_or(data.constant(DefaultConstant::memory_power_w_per_gb));
  r.memory_power_from_flag = spec.memory_power_w_per_gb.has_value();
  if (spec.memory_gb) {
    if (!r.runtime_h)
      return Error::usage("--memory needs --runtime: memory energy is memory x power per GB x wall time");
    r.memory_gb = *spec.memory_gb;
  } else {
    if (spec.memory_power_w_per_gb) return Error::usage("--memory-power needs --memory SIZE");
    r.add(Note::no_memory);
  }

  // --- Facility and grid -----------------------------------------------------------------
  auto ic = resolve_intensity(spec.intensity_g_per_kwh, spec.region, data, cache);
  if (!ic) return ic.error();
  r.intensity_g_per_kwh = ic->g_per_kwh;
  r.intensity_source = ic->source;
  r.region = ic->region;
  if (spec.intensity_g_per_kwh && spec.region) r.add(Note::intensity_overrides_region);

  auto pc = resolve_pue(spec.pue, spec.provider, spec.platform, r.region, data, cache);
  if (!pc) return pc.error();
  r.pue = pc->pue;
  r.pue_source = pc->source;
  r.provider = pc->provider;
  if (spec.pue && spec.provider) r.add(Note::pue_overrides_provider);

  r.psf = spec.psf.value_or(1);
  const EnergyFigures e = compute_energy({r.core_hours, r.core_power_w, r.cpu_usage, r.gpu_hours, r.gpu_power_w,
                                          r.gpu_usage, r.memory_gb, r.memory_power_w_per_gb, r.runtime_h.value_or(0),
                                          r.pue, static_cast<double>(r.psf), r.intensity_g_per_kwh});
  r.components = {e.cpu_kwh, e.gpu_kwh, e.memory_kwh};
  r.energy_kwh = e.energy_kwh;
  r.co2e_kg = e.co2e_g / 1000.0;
  if (!std::isfinite(r.energy_kwh) || !std::isfinite(r.co2e_kg) || r.energy_kwh > 1e18)
    return Error::usage(
        fmt::format("the inputs give an energy too large to be meaningful ({:g} kWh): check the "
                    "counts, durations and powers",
                    r.energy_kwh));
  return r;
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
