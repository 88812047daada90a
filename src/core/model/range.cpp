// Ranges (issue 17): each input's range, and the exact interval of the figures that follows.
// The method and the sources are in range.hpp and docs/methodology.md, "Ranges".
#include "co2e/range.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "co2e/data.hpp"
#include "co2e/energy.hpp"
#include "co2e/estimate.hpp"
#include "co2e/footprint.hpp"
#include "co2e/quote.hpp"
#include "range_parse.hpp"

namespace co2e {

std::string_view range_reason_name(RangeReason r) {
  switch (r) {
    case RangeReason::exact:
      return "exact";
    case RangeReason::given:
      return "given";
    case RangeReason::tdp_draw:
      return "tdp_draw";
    case RangeReason::default_spread:
      return "default_spread";
    case RangeReason::usage_default:
      return "usage_default";
    case RangeReason::memory_default:
      return "memory_default";
    case RangeReason::pue_row:
      return "pue_row";
    case RangeReason::grid_year:
      return "grid_year";
    case RangeReason::grid_basis:
      return "grid_basis";
    case RangeReason::world_spread:
      return "world_spread";
    case RangeReason::node_overhead_default:
      return "node_overhead_default";
    case RangeReason::storage_default:
      return "storage_default";
    case RangeReason::network_default:
      return "network_default";
    case RangeReason::embodied_row:
      return "embodied_row";
    case RangeReason::embodied_default:
      return "embodied_default";
    case RangeReason::lifetime_default:
      return "lifetime_default";
  }
  return "exact";
}

RangeConstants range_constants(const Dataset& data) {
  RangeConstants k;
  // The members in kRangeConstantIds' order (range.hpp checks the count).
  std::array<double*, kRangeConstantIds.size()> members{&k.cpu_draw_low,
                                                        &k.cpu_draw_high,
                                                        &k.gpu_draw_low,
                                                        &k.gpu_draw_high,
                                                        &k.usage_low,
                                                        &k.default_core_power_low_w,
                                                        &k.default_core_power_high_w,
                                                        &k.default_gpu_power_low_w,
                                                        &k.default_gpu_power_high_w,
                                                        &k.memory_power_low_w_per_gb,
                                                        &k.memory_power_high_w_per_gb,
                                                        &k.pue_overhead_low,
                                                        &k.pue_overhead_high,
                                                        &k.grid_year_spread,
                                                        &k.grid_basis_factor,
                                                        &k.world_intensity_low_g_per_kwh,
                                                        &k.world_intensity_high_g_per_kwh,
                                                        &k.node_overhead_fraction_low,
                                                        &k.node_overhead_fraction_high,
                                                        &k.storage_power_low,
                                                        &k.storage_power_high,
                                                        &k.network_low_kwh_per_gb,
                                                        &k.network_high_kwh_per_gb,
                                                        &k.embodied_low,
                                                        &k.embodied_high,
                                                        &k.lifetime_low_years,
                                                        &k.lifetime_high_years};
  // Every row exists (co2e_gen_tables requires them); were one missing, its member stays 0 and
  // each range is still widened to hold the figure used.
  for (std::size_t i = 0; i < members.size(); ++i)
    if (const Constant* c = data.find_constant(kRangeConstantIds[i])) *members[i] = c->value;
  return k;
}

namespace {

/// Which spec slot holds a field's range; nullptr for fields that take no range.
std::optional<Bounds>* given_slot(GivenRanges& g, Field f) {
  switch (f) {
    case Field::core_power:
      return &g.core_power_w;
    case Field::cpu_usage:
      return &g.cpu_usage;
    case Field::gpu_power:
      return &g.gpu_power_w;
    case Field::gpu_usage:
      return &g.gpu_usage;
    case Field::memory_power:
      return &g.memory_power_w_per_gb;
    case Field::pue:
      return &g.pue;
    case Field::intensity:
      return &g.intensity_g_per_kwh;
    case Field::energy:
      return &g.energy_kwh;
    case Field::power:
      return &g.power_w;
    case Field::node_power:
      return &g.node_power_w;
    case Field::embodied_gpu:
      return &g.embodied_gpu_kg;
    case Field::embodied_cpu:
      return &g.embodied_cpu_kg;
    case Field::server_embodied:
      return &g.server_embodied_kg;
    case Field::lifetime:
      return &g.lifetime_years;
    case Field::utilisation:
      return &g.utilisation;
    default:
      return nullptr;
  }
}

/// The spec's value of a field that takes a range (set by set_field); nullptr for the others.
std::optional<double>* value_slot(EstimateSpec& s, Field f) {
  switch (f) {
    case Field::core_power:
      return &s.core_power_w;
    case Field::cpu_usage:
      return &s.cpu_usage;
    case Field::gpu_power:
      return &s.gpu_power_w;
    case Field::gpu_usage:
      return &s.gpu_usage;
    case Field::memory_power:
      return &s.memory_power_w_per_gb;
    case Field::pue:
      return &s.pue;
    case Field::intensity:
      return &s.intensity_g_per_kwh;
    case Field::energy:
      return &s.energy_kwh;
    case Field::power:
      return &s.power_w;
    case Field::node_power:
      return &s.footprint.node_power_w;
    case Field::embodied_gpu:
      return &s.footprint.embodied_gpu_kg;
    case Field::embodied_cpu:
      return &s.footprint.embodied_cpu_kg;
    case Field::server_embodied:
      return &s.footprint.server_embodied_kg;
    case Field::lifetime:
      return &s.footprint.lifetime_years;
    case Field::utilisation:
      return &s.footprint.utilisation;
    default:
      return nullptr;
  }
}

/// Number fields whose text never holds a colon: a colon there can only mean a range.
bool takes_no_range(Field f) {
  switch (f) {
    case Field::cores:
    case Field::gpus:
    case Field::gpu_hours:
    case Field::core_hours:
    case Field::memory:
    case Field::psf:
    case Field::nodes:
    case Field::storage:
    case Field::transfer:
      return true;
    default:
      return false;
  }
}

constexpr std::string_view kRangeFields =
    "--core-power, --cpu-usage, --gpu-power, --gpu-usage, --memory-power, --pue, --intensity, --energy, --power, "
    "--node-power, --embodied-gpu, --embodied-cpu, --server-embodied, --lifetime, --utilisation";

/// `given` when the user gave a range, else the value itself, exact.
InputRange given_or_exact(const std::optional<Bounds>& given, double v) {
  if (given) return {*given, RangeReason::given};
  return {Bounds::exact(v), RangeReason::exact};
}

/// A TDP-based power's range: the measured draw lies between the draw factors x TDP. A default
/// power ("Any" model) also spans the table's spread of TDPs.
InputRange power_range(PowerSource source, double power_w, const std::optional<Bounds>& given, double draw_low,
                       double draw_high, double default_low_w, double default_high_w) {
  switch (source) {
    case PowerSource::none:
      return {};
    case PowerSource::flag:
      return given_or_exact(given, power_w);
    case PowerSource::model:
      return {Bounds::exact(power_w).scaled(draw_low, draw_high), RangeReason::tdp_draw};
    case PowerSource::default_value:
      return {Bounds{default_low_w, default_high_w}.scaled(draw_low, draw_high), RangeReason::default_spread};
  }
  return {};
}

/// A usage factor's range: given, or (not given, with a TDP-based power) between the low usage
/// and 1. With a power given by the user (a measured average), usage 1 is exact: the average
/// already holds the usage.
InputRange usage_range(bool usage_given, const std::optional<Bounds>& given, double usage, PowerSource source,
                       double usage_low) {
  if (usage_given) return given_or_exact(given, usage);
  if (source == PowerSource::model || source == PowerSource::default_value)
    return {Bounds{usage_low, 1}, RangeReason::usage_default};
  return {Bounds::exact(usage), RangeReason::exact};
}

/// Widens `x` to hold `central`: a user's data file may move a default outside the bounds.
void hold(InputRange& x, double central) {
  x.bounds.low = std::min(x.bounds.low, central);
  x.bounds.high = std::max(x.bounds.high, central);
}

}  // namespace

InputRange core_power_input_range(PowerSource source, double w, const std::optional<Bounds>& given,
                                  const RangeConstants& k) {
  InputRange x = power_range(source, w, given, k.cpu_draw_low, k.cpu_draw_high, k.default_core_power_low_w,
                             k.default_core_power_high_w);
  if (source != PowerSource::none) hold(x, w);
  return x;
}

InputRange gpu_power_input_range(PowerSource source, double w, const std::optional<Bounds>& given,
                                 const RangeConstants& k) {
  InputRange x = power_range(source, w, given, k.gpu_draw_low, k.gpu_draw_high, k.default_gpu_power_low_w,
                             k.default_gpu_power_high_w);
  if (source != PowerSource::none) hold(x, w);
  return x;
}

InputRange memory_power_input_range(bool given_value, double w_per_gb, const std::optional<Bounds>& given,
                                    const RangeConstants& k) {
  InputRange x = given_value ? given_or_exact(given, w_per_gb)
                             : InputRange{Bounds{k.memory_power_low_w_per_gb, k.memory_power_high_w_per_gb},
                                          RangeReason::memory_default};
  hold(x, w_per_gb);
  return x;
}

InputRange intensity_input_range(IntensitySource source, double v, const std::optional<RegionMatch>& region,
                                 const std::optional<Bounds>& given, const RangeConstants& k) {
  InputRange x = [&]() -> InputRange {
    switch (source) {
      case IntensitySource::flag:
        return given_or_exact(given, v);
      case IntensitySource::series:
        return {Bounds::exact(v), RangeReason::exact};
      case IntensitySource::default_world:
        return {Bounds{k.world_intensity_low_g_per_kwh, k.world_intensity_high_g_per_kwh}, RangeReason::world_spread};
      case IntensitySource::region:
      case IntensitySource::cloud_region:
        break;
    }
    InputRange out{Bounds::exact(v).scaled(1 - k.grid_year_spread, 1 + k.grid_year_spread), RangeReason::grid_year};
    if (region) {
      const std::string_view used = region->intensity_basis();
      const std::string_view asked = basis_name(region->basis);
      if (used != asked) {
        out.reason = RangeReason::grid_basis;
        // A direct figure for a lifecycle question is low: the lifecycle one lies above it; the
        // other way round below; a basis not stated could be either.
        if (used != basis_name(Basis::lifecycle)) out.bounds.high *= k.grid_basis_factor;
        if (used != basis_name(Basis::direct)) out.bounds.low /= k.grid_basis_factor;
      }
    }
    return out;
  }();
  hold(x, v);
  return x;
}

InputRange pue_input_range(PueSource source, double pue, const std::optional<Bounds>& given, const RangeConstants& k) {
  InputRange x = [&]() -> InputRange {
    switch (source) {
      case PueSource::flag:
        return given_or_exact(given, pue);
      case PueSource::included:
        return {Bounds::exact(pue), RangeReason::exact};
      case PueSource::provider:
      case PueSource::cloud_region:
      case PueSource::platform:
      case PueSource::default_local:
        break;
    }
    if (pue <= 1) return {Bounds::exact(pue), RangeReason::exact};  // a personal computer: no facility
    const double overhead = pue - 1;
    return {Bounds{1 + overhead * k.pue_overhead_low, 1 + overhead * k.pue_overhead_high}, RangeReason::pue_row};
  }();
  hold(x, pue);
  return x;
}

InputRange stated_input_range(double value, const std::optional<Bounds>& given) {
  InputRange x = given_or_exact(given, value);
  hold(x, value);
  return x;
}

InputRange embodied_kg_input_range(const EmbodiedItem* row, double kg_each, const std::optional<Bounds>& given,
                                   const RangeConstants& k) {
  InputRange x;
  if (row == nullptr) {
    x = given_or_exact(given, kg_each);
  } else if (row->low_kg >= 0 || row->high_kg >= 0) {
    x = {Bounds{row->low_kg >= 0 ? row->low_kg : row->kg, row->high_kg >= 0 ? row->high_kg : row->kg},
         RangeReason::embodied_row};
  } else {
    x = {Bounds::exact(kg_each).scaled(k.embodied_low, k.embodied_high), RangeReason::embodied_default};
  }
  hold(x, kg_each);
  return x;
}

InputRange lifetime_input_range(bool given_value, double years, const std::optional<Bounds>& given,
                                const RangeConstants& k) {
  InputRange x = given_value
                     ? given_or_exact(given, years)
                     : InputRange{Bounds{k.lifetime_low_years, k.lifetime_high_years}, RangeReason::lifetime_default};
  hold(x, years);
  return x;
}

Bounds amortised_bounds(const Bounds& kg_each, double unit_hours, const Bounds& lifetime_years,
                        const Bounds& utilisation) {
  return {amortised_kg(kg_each.low, unit_hours, lifetime_years.high, utilisation.high),
          amortised_kg(kg_each.high, unit_hours, lifetime_years.low, utilisation.low)};
}

namespace {

/// The whole footprint's factors (issue 15): node overhead, storage and network power, embodied
/// figures and the service life. A part not counted keeps the exact 0 of InputRange{}.
void footprint_ranges(const EstimateSpec& spec, const EstimateResult& r, const RangeConstants& k, InputRanges& in) {
  const FootprintResult& fp = r.footprint;
  const GivenRanges& g = spec.ranges;
  if (fp.node_power_source == NodePowerSource::flag) in.node_power_w = given_or_exact(g.node_power_w, fp.node_power_w);
  if (fp.node_power_source == NodePowerSource::fraction) {
    in.node_overhead_fraction = {Bounds{k.node_overhead_fraction_low, k.node_overhead_fraction_high},
                                 RangeReason::node_overhead_default};
    hold(in.node_overhead_fraction, fp.node_overhead_fraction);
  }
  if (fp.storage_tb > 0) {
    in.storage_w_per_tb = {Bounds::exact(fp.storage_w_per_tb).scaled(k.storage_power_low, k.storage_power_high),
                           RangeReason::storage_default};
    hold(in.storage_w_per_tb, fp.storage_w_per_tb);
  }
  if (fp.transfer_gb > 0) {
    in.network_kwh_per_gb = {Bounds{k.network_low_kwh_per_gb, k.network_high_kwh_per_gb}, RangeReason::network_default};
    hold(in.network_kwh_per_gb, fp.network_kwh_per_gb);
  }
  if (!fp.embodied) return;
  auto part = [&](const EmbodiedPart& p, const std::optional<Bounds>& given) {
    return p.counted() ? embodied_kg_input_range(p.row, p.kg_each, given, k) : InputRange{};
  };
  in.embodied_gpu_kg = part(fp.gpu, g.embodied_gpu_kg);
  in.embodied_cpu_kg = part(fp.cpu, g.embodied_cpu_kg);
  in.embodied_memory_kg = part(fp.memory, std::nullopt);
  in.embodied_server_kg = part(fp.server, g.server_embodied_kg);
  in.embodied_storage_kg = part(fp.storage, std::nullopt);
  in.lifetime_years =
      lifetime_input_range(spec.footprint.lifetime_years.has_value(), fp.lifetime_years, g.lifetime_years, k);
  // The default utilisation (BLOOM's measured 85 %) has no published spread: exact unless given
  // as a range (docs/methodology.md, "Ranges").
  in.utilisation = given_or_exact(g.utilisation, fp.utilisation);
  hold(in.utilisation, fp.utilisation);
}

/// The formula's inputs with every uncertain one at its low (or high) bound.
PowerInputs inputs_at(const EstimateResult& r, const InputRanges& in, bool high) {
  auto at = [high](const InputRange& x) { return high ? x.bounds.high : x.bounds.low; };
  PowerInputs p;
  p.core_hours = r.core_hours;
  p.core_power_w = at(in.core_power_w);
  p.cpu_usage = at(in.cpu_usage);
  p.gpu_hours = r.gpu_hours;
  p.gpu_power_w = at(in.gpu_power_w);
  p.gpu_usage = at(in.gpu_usage);
  p.memory_gb = r.memory_gb;
  p.memory_power_w_per_gb = at(in.memory_power_w_per_gb);
  p.memory_hours = r.memory_gb > 0 ? r.runtime_h.value_or(0) : 0;
  if (r.energy_source == EnergySource::energy) p.known_kwh = at(in.known_kwh);
  if (r.energy_source == EnergySource::power) {
    p.known_power_w = at(in.known_power_w);
    p.known_hours = r.runtime_h.value_or(0);
  }
  // The whole footprint (issue 15): the amounts are exact, the factors at their ends.
  const FootprintResult& fp = r.footprint;
  p.node_hours = fp.node_hours;
  p.node_power_w = at(in.node_power_w);
  p.node_overhead_fraction = at(in.node_overhead_fraction);
  p.storage_tb = fp.storage_tb;
  p.storage_w_per_tb = at(in.storage_w_per_tb);
  p.storage_hours = fp.storage_tb > 0 ? r.runtime_h.value_or(0) : 0;
  p.transfer_gb = fp.transfer_gb;
  p.network_kwh_per_gb = at(in.network_kwh_per_gb);
  p.pue = at(in.pue);
  p.psf = static_cast<double>(r.psf);
  p.intensity_g_per_kwh = at(in.intensity_g_per_kwh);
  return p;
}

}  // namespace

bool is_range_text(Field f, std::string_view text) {
  // The colon first: batch asks this of every cell, and almost none has one. An inline loop, not
  // find's memchr call, for cells of a few bytes.
  if (std::find(text.begin(), text.end(), ':') == text.end()) return false;
  GivenRanges g;
  return given_slot(g, f) != nullptr || takes_no_range(f);
}

void clear_given_range(EstimateSpec& spec, Field field) {
  if (std::optional<Bounds>* slot = given_slot(spec.ranges, field)) slot->reset();
}

Status set_range_field(EstimateSpec& spec, Field field, std::string_view text) {
  const std::string_view t = trim(text);
  std::optional<Bounds>* slot = given_slot(spec.ranges, field);
  if (slot == nullptr)
    return Error::usage(fmt::format("{}: a range LOW:HIGH is accepted only by {}", quote_for_message(t), kRangeFields));
  const auto colon = t.find(':');
  const std::string_view lo_text = t.substr(0, colon);
  const std::string_view hi_text = t.substr(colon + 1);
  if (trim(lo_text).empty() || trim(hi_text).empty() || hi_text.find(':') != std::string_view::npos)
    return Error::usage(fmt::format("{} is not a range: give LOW:HIGH, e.g. 1.2:1.5", quote_for_message(t)));
  // Each end goes through the field's own parser, with its units and its limits.
  EstimateSpec lo;
  EstimateSpec hi;
  if (auto err = set_field(lo, field, lo_text)) return err;
  if (auto err = set_field(hi, field, hi_text)) return err;
  const double low = value_slot(lo, field)->value_or(0);
  const double high = value_slot(hi, field)->value_or(0);
  if (low > high)
    return Error::usage(
        fmt::format("{}: the low end is above the high end (give LOW:HIGH, e.g. 1.2:1.5)", quote_for_message(t)));
  // The figure used is the middle of the range (docs/methodology.md, "Ranges").
  *value_slot(spec, field) = low + (high - low) / 2;
  *slot = Bounds{low, high};
  return std::nullopt;
}

void estimate_range_into(EstimateRange& range, const EstimateSpec& spec, const EstimateResult& r,
                         const RangeConstants& k) {
  InputRanges& in = range.inputs;
  in.core_power_w = core_power_input_range(r.cpu_power_source, r.core_power_w, spec.ranges.core_power_w, k);
  in.cpu_usage =
      usage_range(spec.cpu_usage.has_value(), spec.ranges.cpu_usage, r.cpu_usage, r.cpu_power_source, k.usage_low);
  in.gpu_power_w = gpu_power_input_range(r.gpu_power_source, r.gpu_power_w, spec.ranges.gpu_power_w, k);
  in.gpu_usage =
      usage_range(spec.gpu_usage.has_value(), spec.ranges.gpu_usage, r.gpu_usage, r.gpu_power_source, k.usage_low);
  // Memory not counted: exact (its energy is 0 whatever the W/GB).
  in.memory_power_w_per_gb = memory_power_input_range(r.memory_gb <= 0 || r.memory_power_from_flag,
                                                      r.memory_power_w_per_gb, spec.ranges.memory_power_w_per_gb, k);
  in.pue = pue_input_range(r.pue_source, r.pue, spec.ranges.pue, k);
  in.intensity_g_per_kwh =
      intensity_input_range(r.intensity_source, r.intensity_g_per_kwh, r.region, spec.ranges.intensity_g_per_kwh, k);
  if (r.energy_source == EnergySource::energy)
    in.known_kwh = given_or_exact(spec.ranges.energy_kwh, r.components.known_kwh);
  if (r.energy_source == EnergySource::power) in.known_power_w = given_or_exact(spec.ranges.power_w, r.power_w);
  hold(in.core_power_w, r.core_power_w);
  hold(in.cpu_usage, r.cpu_usage);
  hold(in.gpu_power_w, r.gpu_power_w);
  hold(in.gpu_usage, r.gpu_usage);
  hold(in.memory_power_w_per_gb, r.memory_power_w_per_gb);
  hold(in.pue, r.pue);
  hold(in.intensity_g_per_kwh, r.intensity_g_per_kwh);
  if (r.energy_source == EnergySource::energy) hold(in.known_kwh, r.components.known_kwh);
  if (r.energy_source == EnergySource::power) hold(in.known_power_w, r.power_w);
  footprint_ranges(spec, r, k, in);
  propagate_range(range, r);
}

void propagate_range(EstimateRange& range, const EstimateResult& r) {
  const EnergyFigures lo = compute_energy(inputs_at(r, range.inputs, false));
  const EnergyFigures hi = compute_energy(inputs_at(r, range.inputs, true));
  // The central figures lie inside by monotonicity; min/max keep them inside whatever the
  // rounding (estimate()'s figures come from the same formula, so all-exact inputs give equality).
  range.energy_kwh = {std::min(lo.energy_kwh, r.energy_kwh), std::max(hi.energy_kwh, r.energy_kwh)};
  range.co2e_kg = {std::min(lo.co2e_g / 1000.0, r.co2e_kg), std::max(hi.co2e_g / 1000.0, r.co2e_kg)};
  // Embodied emissions: each part's amortised share at its ends, all runs.
  const FootprintResult& fp = r.footprint;
  const InputRanges& in = range.inputs;
  Bounds embodied{0, 0};
  if (fp.embodied) {
    const double psf = static_cast<double>(r.psf);
    for (const auto& [p, kg] :
         {std::pair{&fp.gpu, &in.embodied_gpu_kg}, std::pair{&fp.cpu, &in.embodied_cpu_kg},
          std::pair{&fp.memory, &in.embodied_memory_kg}, std::pair{&fp.server, &in.embodied_server_kg},
          std::pair{&fp.storage, &in.embodied_storage_kg}}) {
      if (!p->counted()) continue;
      const Bounds b = amortised_bounds(kg->bounds, p->unit_hours, in.lifetime_years.bounds, in.utilisation.bounds);
      embodied.low += b.low * psf;
      embodied.high += b.high * psf;
    }
  }
  range.embodied_kg = {std::min(embodied.low, r.embodied_kg()), std::max(embodied.high, r.embodied_kg())};
  range.total_co2e_kg = {std::min(range.co2e_kg.low + range.embodied_kg.low, r.total_co2e_kg()),
                         std::max(range.co2e_kg.high + range.embodied_kg.high, r.total_co2e_kg())};
}

}  // namespace co2e
