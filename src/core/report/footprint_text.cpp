// The whole footprint as rows and sentences: see footprint_text.hpp.
#include "report/footprint_text.hpp"

#include <fmt/format.h>

namespace co2e {

namespace {

std::string cite(const Provenance& p) {
  std::string s(p.source);
  if (p.year != 0) s += fmt::format(", {}", p.year);
  if (!p.licence.empty()) s += fmt::format(", {}", p.licence);
  if (!p.origin.starts_with("data/")) s += fmt::format("; from {}", p.origin);
  return s;
}

std::string given(const EstimateResult& r, Field f) {
  const Origin& o = r.origin(f);
  return o.given() ? origin_phrase(o) : fmt::format("given with {}", field_info(f).flag);
}

int gpus_of(const FootprintResult& fp) { return fp.server_row != nullptr ? fp.server_row->gpus : 0; }

std::string constant_cite(const Dataset& data, std::string_view id) {
  const Constant* c = data.find_constant(id);
  return c != nullptr ? cite(c->prov) : std::string("built-in fallback");
}

/// `150 kg CO2e per GPU (BLOOM ...; range 110-160)`.
std::string range_text(const EmbodiedItem& e) {
  if (e.low_kg < 0 && e.high_kg < 0) return {};
  return fmt::format("; the sources' range {} to {} kg", format_sig(e.low_kg >= 0 ? e.low_kg : e.kg, 3),
                     format_sig(e.high_kg >= 0 ? e.high_kg : e.kg, 3));
}

}  // namespace

std::vector<FootprintRow> footprint_energy_rows(const EstimateResult& r) {
  const FootprintResult& fp = r.footprint;
  std::vector<FootprintRow> rows;
  if (fp.node_power_source == NodePowerSource::flag)
    rows.push_back({"server", "Server", "kWh", r.components.server_kwh,
                    fmt::format("{} node-hours x {} W", format_sig(fp.node_hours, 6), format_sig(fp.node_power_w, 5))});
  else if (fp.node_power_source == NodePowerSource::fraction)
    rows.push_back({"server", "Server", "kWh", r.components.server_kwh,
                    fmt::format("{}% of CPU, GPU and memory", format_sig(100 * fp.node_overhead_fraction, 3))});
  if (fp.storage_tb > 0)
    rows.push_back(
        {"storage", "Storage", "kWh", r.components.storage_kwh,
         fmt::format("{} TB {} x {} W/TB x {} h", format_sig(fp.storage_tb, 4), storage_media_name(fp.storage_media),
                     format_sig(fp.storage_w_per_tb, 3), format_sig(r.runtime_h.value_or(0), 4))});
  if (fp.transfer_gb > 0)
    rows.push_back({"network", "Network", "kWh", fp.network_kwh,
                    fmt::format("{} GB x {} kWh/GB, no PUE", format_sig(fp.transfer_gb, 4),
                                format_sig(fp.network_kwh_per_gb, 3))});
  return rows;
}

std::vector<FootprintRow> footprint_embodied_rows(const EstimateResult& r) {
  const FootprintResult& fp = r.footprint;
  std::vector<FootprintRow> rows;
  if (!fp.embodied) return rows;
  const double life_h = fp.life_hours();
  auto add = [&](std::string_view key, std::string_view label, const EmbodiedPart& p, std::string_view units) {
    if (!p.counted()) return;
    rows.push_back({key, label, "kg CO2e", p.kg,
                    fmt::format("{} kg x {} {} / {} h of life", format_sig(p.kg_each, 4), format_sig(p.unit_hours, 6),
                                units, format_sig(life_h, 5))});
  };
  add("embodied_gpu", "GPUs", fp.gpu, "GPU-hours");
  add("embodied_cpu", "CPUs", fp.cpu, "chip-hours");
  add("embodied_memory", "Memory", fp.memory, "GB-hours");
  add("embodied_server", "Servers", fp.server, "node-hours");
  add("embodied_storage", "Storage", fp.storage, "TB-hours");
  return rows;
}

std::vector<std::string> footprint_assumptions(const EstimateResult& r, const Dataset& data) {
  const FootprintResult& fp = r.footprint;
  std::vector<std::string> out;
  // Server overhead
  if (fp.node_power_source == NodePowerSource::flag)
    out.push_back(fmt::format("server overhead: {} W per node beyond CPUs, GPUs and memory, {}, before PUE",
                              format_sig(fp.node_power_w, 6), given(r, Field::node_power)));
  if (fp.node_power_source == NodePowerSource::fraction)
    out.push_back(fmt::format(
        "--nodes without --node-power: server overhead taken as {}% of the CPU, GPU and memory energy, the "
        "default; a lower bound (the motherboard alone: fans, power-supply losses and NICs come on top, so the "
        "whole overhead may be up to ~70%); give --node-power W from a measurement at the plug ({})",
        format_sig(100 * fp.node_overhead_fraction, 3), constant_cite(data, "node_overhead_fraction")));
  if (fp.has(FootprintNote::one_node_assumed))
    out.push_back("--nodes not given: 1 node assumed for the per-node figures");
  if (fp.has(FootprintNote::nodes_from_server_gpus))
    out.push_back(fmt::format("--nodes not given: {} node{} of {} GPUs each ({})", fp.nodes, fp.nodes > 1 ? "s" : "",
                              gpus_of(fp), fp.server_row->name));
  if (fp.has(FootprintNote::node_hours_from_gpu_hours))
    out.push_back(fmt::format("no runtime: node-hours = GPU-hours / {} GPUs per node ({}) = {}", gpus_of(fp),
                              fp.server_row->name, format_sig(fp.node_hours, 6)));
  // Storage and network
  if (fp.storage_tb > 0)
    out.push_back(fmt::format(
        "storage: {} W per TB of {} kept ({}); storage power figures are uncertain and falling as drives grow",
        format_sig(fp.storage_w_per_tb, 3), fp.storage_media == StorageMedia::ssd ? "SSD" : "HDD",
        constant_cite(data, fp.storage_media == StorageMedia::ssd ? "storage_ssd_w_per_tb" : "storage_hdd_w_per_tb")));
  if (fp.has(FootprintNote::storage_media_assumed))
    out.push_back("--storage-type not given: SSD assumed (give --storage-type hdd for disks)");
  if (fp.transfer_gb > 0) {
    const Constant* c = data.find_constant("network_kwh_per_gb");
    out.push_back(
        fmt::format("network: {} kWh per GB moved, a figure for {} that has halved about every 2 years, so likely an "
                    "overestimate today; spent outside the data centre, so no PUE, at the job's grid factor ({})",
                    format_sig(fp.network_kwh_per_gb, 3), c != nullptr ? c->prov.year : 0,
                    constant_cite(data, "network_kwh_per_gb")));
  }
  if (!fp.embodied) return out;
  // Embodied
  out.push_back(fmt::format(
      "embodied emissions: manufacturing footprint x hours used / ({} years x 8760 h x {} utilisation = {} h); "
      "reported apart from operational emissions (no PUE, no grid factor) and added into total_co2e_kg",
      format_sig(fp.lifetime_years, 3), format_sig(fp.utilisation, 3), format_sig(fp.life_hours(), 6)));
  out.push_back(fmt::format("lifetime {} years {}; utilisation {} {}", format_sig(fp.lifetime_years, 3),
                            r.origin(Field::lifetime).given()
                                ? given(r, Field::lifetime)
                                : fmt::format("(default: {})", constant_cite(data, "embodied_lifetime_years")),
                            format_sig(fp.utilisation, 3),
                            r.origin(Field::utilisation).given()
                                ? given(r, Field::utilisation)
                                : fmt::format("(default: {})", constant_cite(data, "embodied_utilisation"))));
  auto part = [&](std::string_view what, const EmbodiedPart& p, Field flag, std::string_view per) {
    if (!p.counted()) return;
    if (p.from_input)
      out.push_back(fmt::format("{}: {} kg CO2e per {}, {}", what, format_sig(p.kg_each, 5), per, given(r, flag)));
    else if (p.row != nullptr)
      out.push_back(fmt::format("{}: {} kg CO2e per {} ({}; {}{})", what, format_sig(p.kg_each, 5), per, p.row->name,
                                p.row->scope, range_text(*p.row)) +
                    fmt::format(" ({})", cite(p.row->prov)));
  };
  part("embodied GPU", fp.gpu, Field::embodied_gpu, "GPU");
  if (fp.has(FootprintNote::gpu_default_row) && r.gpu_model != nullptr)
    out.push_back(
        fmt::format("no manufacturing figure for the {} in the tables: the default GPU figure is used "
                    "(give --embodied-gpu KG from its maker's product carbon footprint)",
                    r.gpu_model->name));
  part("embodied CPU", fp.cpu, Field::embodied_cpu, "CPU chip");
  part("embodied memory", fp.memory, Field::embodied, "GB");
  part("embodied server", fp.server, Field::server_embodied, "node");
  part("embodied storage", fp.storage, Field::storage, "TB");
  if (fp.has(FootprintNote::cpu_in_server))
    out.push_back("the server figure covers its CPUs and memory: they are not counted apart");
  if (fp.has(FootprintNote::cpu_needs_model))
    out.push_back("CPU embodied emissions not counted: give --cpu MODEL (cores per chip) or a --server");
  out.push_back(
      "manufacturing footprints are uncertain, often by a factor of two or more; product carbon footprints of "
      "one maker are not comparable with another's");
  return out;
}

}  // namespace co2e
