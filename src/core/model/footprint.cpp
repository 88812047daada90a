// The whole footprint beyond the chips: parsing of its fields, server overhead, storage and
// network energy, and amortised embodied emissions (include/co2e/footprint.hpp).
#include "co2e/footprint.hpp"

#include <fmt/format.h>
#include <cmath>

#include "co2e/estimate.hpp"
#include "co2e/quote.hpp"

namespace co2e {

namespace {

constexpr double kMaxMassKg = 1e9;

std::string quote(std::string_view s) { return quote_for_message(s); }

/// A mass in kg: a bare number is kg, else any mass unit (`2.5t`, `150kg`).
Result<double> parse_kg(std::string_view text) {
  double kg = 0;
  if (auto n = parse_number(text)) {
    kg = *n;
  } else {
    auto g = parse_mass_g(text);
    if (!g)
      return Error::usage(fmt::format("{} is not a mass: give kg CO2e, e.g. 150, 150kg, 2.5t", quote(trim(text))));
    kg = *g / 1000.0;
  }
  if (!(kg > 0) || kg > kMaxMassKg)
    return Error::usage(fmt::format("{} must be more than 0 kg and at most {:g} kg", quote(trim(text)), kMaxMassKg));
  return kg;
}

/// Years: `6`, `6y`, `6 years`, `4.5yr`.
Result<double> parse_years(std::string_view text) {
  std::string_view t = trim(text);
  for (std::string_view suffix : {"years", "year", "yrs", "yr", "y"}) {
    if (t.size() > suffix.size() && t.ends_with(suffix)) {
      t = trim(t.substr(0, t.size() - suffix.size()));
      break;
    }
  }
  auto v = parse_number(t);
  if (!v) return Error::usage(fmt::format("{} is not a number of years (e.g. 6, 4y, 5.5 years)", quote(trim(text))));
  if (!(*v > 0) || *v > 50)
    return Error::usage(
        fmt::format("{} is out of range for a hardware lifetime (more than 0, at most 50 years)", quote(trim(text))));
  return *v;
}

Result<bool> parse_bool(std::string_view text) {
  std::string t(trim(text));
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "true" || t == "yes" || t == "1" || t == "on") return true;
  if (t == "false" || t == "no" || t == "0" || t == "off") return false;
  return Error::usage(
      fmt::format("{} is not a yes/no value (accepted: true, false, yes, no, 1, 0)", quote(trim(text))));
}

Error footprint_error(Field f, std::string message) {
  Error e = Error::usage(std::move(message));
  e.field = f;
  return e;
}

/// GPUs per node of the server row, 0 when unknown.
int gpus_per_node(const FootprintResult& fp) { return fp.server_row != nullptr ? fp.server_row->gpus : 0; }

/// Node-hours of one run: --nodes × runtime; without --nodes, the GPUs over the server row's GPUs
/// per node (rounded up) × runtime; without a runtime, GPU-hours / GPUs per node.
Status node_hours(const EstimateSpec& spec, EstimateResult& r, Field why) {
  FootprintResult& fp = r.footprint;
  if (fp.node_hours > 0) return std::nullopt;  // already worked out
  const int per_node = gpus_per_node(fp);
  if (spec.footprint.nodes) {
    fp.nodes = *spec.footprint.nodes;
  } else if (per_node > 0 && r.gpus > 0) {
    fp.nodes = (r.gpus + per_node - 1) / per_node;
    fp.add(FootprintNote::nodes_from_server_gpus);
  } else if (!(per_node > 0 && r.gpu_hours > 0 && !r.runtime_h)) {
    fp.nodes = 1;
    fp.add(FootprintNote::one_node_assumed);
  }
  if (r.runtime_h) {
    fp.node_hours = static_cast<double>(fp.nodes) * *r.runtime_h;
    return std::nullopt;
  }
  if (per_node > 0 && r.gpu_hours > 0 && !spec.footprint.nodes) {
    fp.nodes = 0;
    fp.node_hours = r.gpu_hours / per_node;
    fp.add(FootprintNote::node_hours_from_gpu_hours);
    return std::nullopt;
  }
  return footprint_error(why, fmt::format("{} needs {}: node figures are per node × wall time (or give {} with a "
                                          "{} whose GPUs per node are known)",
                                          input_name(spec, why), input_name(spec, Field::runtime),
                                          input_name(spec, Field::gpu_hours), input_name(spec, Field::server)));
}

/// The server row or figure, when one was given.
Status resolve_server(const EstimateSpec& spec, const Dataset& data, EstimateResult& r) {
  if (!spec.footprint.server || r.footprint.server_row != nullptr) return std::nullopt;
  auto row = data.find_server(*spec.footprint.server);
  if (!row) {
    Error e = row.error();
    e.message = fmt::format("{}: {}", input_name(spec, Field::server), e.message);
    e.field = Field::server;
    return e;
  }
  r.footprint.server_row = *row;
  return std::nullopt;
}

/// Amortises `kg_each` over `unit_hours` of the life in `fp`, for all runs.
void amortise(EmbodiedPart& p, double kg_each, double unit_hours, const FootprintResult& fp, double psf) {
  p.kg_each = kg_each;
  p.unit_hours = unit_hours;
  p.kg = amortised_kg(kg_each, unit_hours, fp.lifetime_years, fp.utilisation) * psf;
}

}  // namespace

std::string_view storage_media_name(StorageMedia m) { return m == StorageMedia::ssd ? "ssd" : "hdd"; }

Status set_footprint_field(FootprintSpec& spec, Field field, std::string_view text) {
  auto kg = [&](std::optional<double>& out) -> Status {
    auto v = parse_kg(text);
    if (!v) return v.error();
    out = *v;
    return std::nullopt;
  };
  auto size_gb = [&](std::optional<double>& out, double scale) -> Status {
    auto v = parse_data_size_gb(text);
    if (!v) return v.error();
    out = *v * scale;
    return std::nullopt;
  };
  switch (field) {
    case Field::embodied: {
      auto v = parse_bool(text);
      if (!v) return v.error();
      spec.embodied = *v;
      return std::nullopt;
    }
    case Field::lifetime: {
      auto v = parse_years(text);
      if (!v) return v.error();
      spec.lifetime_years = *v;
      return std::nullopt;
    }
    case Field::utilisation: {
      auto v = parse_fraction(text);
      if (!v) return v.error();
      if (!(*v > 0))
        return Error::usage(
            fmt::format("{} must be more than 0: a device never used has no jobs to charge", quote(trim(text))));
      spec.utilisation = *v;
      return std::nullopt;
    }
    case Field::server: {
      const auto t = trim(text);
      if (t.empty()) return Error::usage("empty server model");
      spec.server = std::string(t);
      return std::nullopt;
    }
    case Field::server_embodied:
      return kg(spec.server_embodied_kg);
    case Field::nodes: {
      auto v = parse_integer(text, 1, 10'000'000);
      if (!v) return v.error();
      spec.nodes = *v;
      return std::nullopt;
    }
    case Field::embodied_gpu:
      return kg(spec.embodied_gpu_kg);
    case Field::embodied_cpu:
      return kg(spec.embodied_cpu_kg);
    case Field::node_power: {
      auto v = parse_power_w(text);
      if (!v) return v.error();
      if (*v < 0 || *v > 1e6)
        return Error::usage(
            fmt::format("{} is out of range for a node's overhead power (0 to 1 MW)", quote(trim(text))));
      spec.node_power_w = *v;
      return std::nullopt;
    }
    case Field::storage:
      return size_gb(spec.storage_tb, 1e-3);
    case Field::storage_type: {
      const auto t = trim(text);
      if (t != "ssd" && t != "hdd")
        return Error::usage(fmt::format("{} is not a storage type (accepted: ssd, hdd)", quote(t)));
      spec.storage_media = t == "ssd" ? StorageMedia::ssd : StorageMedia::hdd;
      return std::nullopt;
    }
    case Field::transfer:
      return size_gb(spec.transfer_gb, 1);
    default:
      return Error::internal("not a whole-footprint field");
  }
}

bool has_footprint_field(const FootprintSpec& s, Field field) {
  switch (field) {
    case Field::embodied:
      return s.embodied.has_value();
    case Field::lifetime:
      return s.lifetime_years.has_value();
    case Field::utilisation:
      return s.utilisation.has_value();
    case Field::server:
      return s.server.has_value();
    case Field::server_embodied:
      return s.server_embodied_kg.has_value();
    case Field::nodes:
      return s.nodes.has_value();
    case Field::embodied_gpu:
      return s.embodied_gpu_kg.has_value();
    case Field::embodied_cpu:
      return s.embodied_cpu_kg.has_value();
    case Field::node_power:
      return s.node_power_w.has_value();
    case Field::storage:
      return s.storage_tb.has_value();
    case Field::storage_type:
      return s.storage_media.has_value();
    case Field::transfer:
      return s.transfer_gb.has_value();
    default:
      return false;
  }
}

Status estimate_overheads(const EstimateSpec& spec, const Dataset& data, EstimateResult& r) {
  const FootprintSpec& in = spec.footprint;
  FootprintResult& fp = r.footprint;
  if (auto err = resolve_server(spec, data, r)) return err;
  // Server overhead: W per node × node-hours, or (--nodes alone) a share of the chips' energy.
  if (in.node_power_w) {
    if (r.energy_source == EnergySource::power)
      return footprint_error(Field::node_power,
                             fmt::format("{} and {} conflict: power at the plug already includes the server's "
                                         "overhead",
                                         input_name(spec, Field::node_power), input_name(spec, Field::power)));
    if (auto err = node_hours(spec, r, Field::node_power)) return err;
    fp.node_power_w = *in.node_power_w;
    fp.node_power_source = NodePowerSource::flag;
  } else if (in.nodes && r.energy_source == EnergySource::components) {
    fp.nodes = *in.nodes;
    fp.node_overhead_fraction = data.constant(DefaultConstant::node_overhead_fraction);
    fp.node_power_source = NodePowerSource::fraction;
  }
  // compute_energy() (include/co2e/energy.hpp) turns these into server_kwh, storage_kwh and
  // network_kwh with the other components.
  // Storage: TB × W per TB × wall time.
  if (in.storage_media && !in.storage_tb)
    return footprint_error(Field::storage_type, fmt::format("{} needs {} SIZE", input_name(spec, Field::storage_type),
                                                            input_name(spec, Field::storage)));
  if (in.storage_tb) {
    if (!r.runtime_h)
      return footprint_error(Field::storage,
                             fmt::format("{} needs {}: storage energy is TB × W per TB × wall time",
                                         input_name(spec, Field::storage), input_name(spec, Field::runtime)));
    fp.storage_tb = *in.storage_tb;
    fp.storage_media = in.storage_media.value_or(StorageMedia::ssd);
    if (!in.storage_media) fp.add(FootprintNote::storage_media_assumed);
    fp.storage_w_per_tb = data.constant(fp.storage_media == StorageMedia::ssd ? DefaultConstant::storage_ssd_w_per_tb
                                                                              : DefaultConstant::storage_hdd_w_per_tb);
  }
  // Network: GB × kWh per GB, outside the data centre (no PUE).
  if (in.transfer_gb) {
    fp.transfer_gb = *in.transfer_gb;
    fp.network_kwh_per_gb = data.constant(DefaultConstant::network_kwh_per_gb);
  }
  return std::nullopt;
}

Status estimate_embodied(const EstimateSpec& spec, const Dataset& data, EstimateResult& r) {
  const FootprintSpec& in = spec.footprint;
  FootprintResult& fp = r.footprint;
  if (in.embodied == false && in.embodied_input()) {
    for (const Field f : {Field::server, Field::server_embodied, Field::embodied_gpu, Field::embodied_cpu,
                          Field::lifetime, Field::utilisation})
      if (has_footprint_field(in, f))
        return footprint_error(f, fmt::format("{} counts embodied emissions, which {} turns off; drop one",
                                              input_name(spec, f), input_name(spec, Field::embodied)));
  }
  fp.embodied = in.embodied.value_or(in.embodied_input());
  if (!fp.embodied) return std::nullopt;
  fp.lifetime_years = in.lifetime_years.value_or(data.constant(DefaultConstant::embodied_lifetime_years));
  fp.utilisation = in.utilisation.value_or(data.constant(DefaultConstant::embodied_utilisation));
  const double psf = static_cast<double>(r.psf);
  const bool has_server = in.server || in.server_embodied_kg;
  if (has_server && in.embodied_cpu_kg)
    return footprint_error(Field::embodied_cpu,
                           fmt::format("{} and {} conflict: a server's figure already covers its CPUs",
                                       input_name(spec, Field::embodied_cpu),
                                       input_name(spec, in.server ? Field::server : Field::server_embodied)));
  // GPUs: per GPU × GPU-hours.
  if (in.embodied_gpu_kg && !(r.gpu_hours > 0))
    return footprint_error(Field::embodied_gpu,
                           fmt::format("{} needs GPUs ({} N or {} H)", input_name(spec, Field::embodied_gpu),
                                       input_name(spec, Field::gpus), input_name(spec, Field::gpu_hours)));
  if (r.gpu_hours > 0) {
    double kg = 0;
    if (in.embodied_gpu_kg) {
      kg = *in.embodied_gpu_kg;
      fp.gpu.from_input = true;
    } else if ((fp.gpu.row = data.find_embodied("gpu", r.gpu_model != nullptr ? r.gpu_model->name : "")) != nullptr) {
      kg = fp.gpu.row->kg;
      bool named = false;
      if (r.gpu_model != nullptr)
        for (std::string_view rest = fp.gpu.row->applies_to; !rest.empty();) {
          const auto bar = rest.find('|');
          named = named || rest.substr(0, bar) == r.gpu_model->name;
          rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
        }
      if (!named) fp.add(FootprintNote::gpu_default_row);
    }
    amortise(fp.gpu, kg, r.gpu_hours, fp, psf);
  }
  if (has_server) {
    // A server node: its figure covers CPUs, memory and disks (GPUs are counted above).
    double kg = 0;
    if (in.server_embodied_kg) {
      kg = *in.server_embodied_kg;
      fp.server.from_input = true;
    } else {
      kg = fp.server_row->kg;
      fp.server.row = fp.server_row;
    }
    if (auto err = node_hours(spec, r, in.server ? Field::server : Field::server_embodied)) return err;
    amortise(fp.server, kg, fp.node_hours, fp, psf);
    if (r.core_hours > 0 || r.memory_gb > 0) fp.add(FootprintNote::cpu_in_server);
  } else {
    // CPUs: per chip × chip-hours, which needs the model's cores per chip.
    if (in.embodied_cpu_kg && !(r.core_hours > 0))
      return footprint_error(Field::embodied_cpu,
                             fmt::format("{} needs CPU cores ({} N or {} H)", input_name(spec, Field::embodied_cpu),
                                         input_name(spec, Field::cores), input_name(spec, Field::core_hours)));
    if (r.core_hours > 0) {
      if (r.cpu_model == nullptr) {
        if (in.embodied_cpu_kg)
          return footprint_error(Field::embodied_cpu,
                                 fmt::format("{} is per CPU chip: add {} MODEL, whose cores per chip turn core-hours "
                                             "into chip-hours",
                                             input_name(spec, Field::embodied_cpu), input_name(spec, Field::cpu)));
        fp.add(FootprintNote::cpu_needs_model);
      } else {
        double kg = 0;
        if (in.embodied_cpu_kg) {
          kg = *in.embodied_cpu_kg;
          fp.cpu.from_input = true;
        } else if ((fp.cpu.row = data.find_embodied("cpu", r.cpu_model->name)) != nullptr) {
          kg = fp.cpu.row->kg;
        }
        amortise(fp.cpu, kg, r.core_hours / r.cpu_model->cores, fp, psf);
      }
    }
    // Memory: per GB × GB-hours.
    if (r.memory_gb > 0 && r.runtime_h) {
      if ((fp.memory.row = data.find_embodied("memory")) != nullptr)
        amortise(fp.memory, fp.memory.row->kg, r.memory_gb * *r.runtime_h, fp, psf);
    }
  }
  // Storage: per TB × TB-hours.
  if (fp.storage_tb > 0 && r.runtime_h) {
    if ((fp.storage.row = data.find_embodied(storage_media_name(fp.storage_media))) != nullptr)
      amortise(fp.storage, fp.storage.row->kg, fp.storage_tb * *r.runtime_h, fp, psf);
  }
  fp.embodied_kg = fp.gpu.kg + fp.cpu.kg + fp.memory.kg + fp.server.kg + fp.storage.kg;
  if (!std::isfinite(fp.embodied_kg))
    return Error::usage("the inputs give embodied emissions too large to be meaningful: check the counts and hours");
  return std::nullopt;
}

}  // namespace co2e
