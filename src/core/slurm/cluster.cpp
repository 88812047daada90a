// The cluster description: JSON parsing with exact error messages, model lookups, and the
// template `co2e slurm init` writes.
#include "co2e/cluster.hpp"
#include "co2e/quote.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "co2e/units.hpp"
#include "util/json_error.hpp"

namespace co2e {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 13> kClusterKeys{"name",
                                                        "pue",
                                                        "provider",
                                                        "region",
                                                        "intensity_g_per_kwh",
                                                        "intensity_basis",
                                                        "intensity_source",
                                                        "memory_power_w_per_gb",
                                                        "memory_granularity_gb",
                                                        "partitions",
                                                        "default_partition",
                                                        "lifetime_years",
                                                        "utilisation"};
// node_power_w, embodied_kg_per_node, embodied_kg_per_gpu: the whole footprint (issue 15).
constexpr std::array<std::string_view, 8> kPartitionKeys{"cpu",
                                                         "core_power_w",
                                                         "gpu",
                                                         "gpu_power_w",
                                                         "node_memory_gb",
                                                         "node_power_w",
                                                         "embodied_kg_per_node",
                                                         "embodied_kg_per_gpu"};

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& keys) {
  std::string out;
  for (auto k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

/// `partitions.cpu` + `core_power_w` → `partitions.cpu.core_power_w`; top-level keys alone.
std::string key_path(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : fmt::format("{}.{}", where, key);
}

template <std::size_t N>
Status check_keys(const json& obj, const std::array<std::string_view, N>& keys, const std::string& where) {
  for (const auto& [key, value] : obj.items()) {
    if (key.starts_with('_')) continue;  // comments
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      return Error::data(fmt::format("unknown key {} (accepted: {}; keys starting with _ are comments)",
                                     quote_for_message(key_path(where, key)), join(keys)));
  }
  return std::nullopt;
}

/// A number in [lo, hi] at `key`, or nullopt when absent.
Result<std::optional<double>> number(const json& obj, std::string_view key, double lo, double hi,
                                     const std::string& where) {
  const auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return std::optional<double>{};
  if (!it->is_number()) return Error::data(fmt::format("{}: {} is not a number", key_path(where, key), it->dump()));
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi)
    return Error::data(fmt::format("{}: {} is out of range ({} to {})", key_path(where, key), it->dump(), lo, hi));
  return std::optional<double>{v};
}

Result<std::optional<std::string>> text(const json& obj, std::string_view key, const std::string& where) {
  const auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) return Error::data(fmt::format("{}: {} is not a string", key_path(where, key), it->dump()));
  return std::optional<std::string>{it->get<std::string>()};
}

Result<PartitionPower> partition(const json& obj, const std::string& name, const std::string& where,
                                 const Dataset& data) {
  if (!obj.is_object()) return Error::data(fmt::format("{}: expected an object, got {}", where, obj.dump()));
  if (auto err = check_keys(obj, kPartitionKeys, where)) return *err;
  PartitionPower p;
  p.name = name;
  auto cpu = text(obj, "cpu", where);
  if (!cpu) return cpu.error();
  auto core_w = number(obj, "core_power_w", 0, 10000, where);
  if (!core_w) return core_w.error();
  auto gpu = text(obj, "gpu", where);
  if (!gpu) return gpu.error();
  auto gpu_w = number(obj, "gpu_power_w", 0, 100000, where);
  if (!gpu_w) return gpu_w.error();
  auto mem = number(obj, "node_memory_gb", 0, 1e7, where);
  if (!mem) return mem.error();
  auto node_w = number(obj, "node_power_w", 0, 1e6, where);
  if (!node_w) return node_w.error();
  auto node_kg = number(obj, "embodied_kg_per_node", 0, 1e6, where);
  if (!node_kg) return node_kg.error();
  auto gpu_kg = number(obj, "embodied_kg_per_gpu", 0, 1e5, where);
  if (!gpu_kg) return gpu_kg.error();
  if (*cpu) {
    auto m = data.find_cpu(**cpu);
    if (!m)
      return Error{
          ErrorKind::data, fmt::format("{}: {}", key_path(where, "cpu"), m.error().message), m.error().suggestions, {}};
    p.cpu = *m;
  }
  if (*gpu) {
    auto m = data.find_gpu(**gpu);
    if (!m)
      return Error{
          ErrorKind::data, fmt::format("{}: {}", key_path(where, "gpu"), m.error().message), m.error().suggestions, {}};
    p.gpu = *m;
  }
  p.core_power_w = core_w->has_value() ? **core_w
                   : p.cpu != nullptr  ? p.cpu->watts_per_core()
                                       : data.constant(DefaultConstant::core_power_w);
  p.gpu_power_w = gpu_w->has_value() ? **gpu_w
                  : p.gpu != nullptr ? p.gpu->tdp_w
                                     : data.constant(DefaultConstant::gpu_power_w);
  p.node_memory_gb = mem->value_or(0);
  const RangeConstants k = range_constants(data);
  p.core_power_range = core_power_input_range(core_w->has_value() ? PowerSource::flag
                                              : p.cpu != nullptr  ? PowerSource::model
                                                                  : PowerSource::default_value,
                                              p.core_power_w, std::nullopt, k);
  p.gpu_power_range = gpu_power_input_range(gpu_w->has_value() ? PowerSource::flag
                                            : p.gpu != nullptr ? PowerSource::model
                                                               : PowerSource::default_value,
                                            p.gpu_power_w, std::nullopt, k);
  p.node_power_w = node_w->value_or(0);
  p.embodied_kg_per_node = node_kg->value_or(-1);
  p.embodied_kg_per_gpu = gpu_kg->value_or(-1);
  return p;
}

std::string json_string(std::string_view s) {
  return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

const PartitionPower* Cluster::find(std::string_view partition_name) const {
  for (const auto& p : partitions)
    if (p.name == partition_name) return &p;
  return nullptr;
}

// long-function: one key of the cluster file after the other, in the documented order (docs/cli.md);
// the override rule is one lambda (`overridden`), the partitions their own function.
Result<Cluster> load_cluster(std::string_view text_in, std::string_view origin, const ClusterOverrides& ov,
                             const Dataset& data) {
  Cluster c;
  c.origin = std::string(origin);
  const std::string where;  // key paths are relative to the document; errors get the origin in front
  const std::string file(origin.empty() ? "cluster description" : origin);
  auto fail = [&](const Error& e) { return e.with_context(file); };
  auto fail_data = [&](const Error& e) {  // a bad name in the file is the file's fault: exit 3
    Error out = e.with_context(file);
    out.kind = ErrorKind::data;
    return out;
  };
  json doc = json::object();
  if (!origin.empty() && trim(text_in).empty())
    return Error::data(
        fmt::format("{}: the file is empty: a cluster description is a JSON object (co2e slurm init "
                    "writes a template); without --cluster, co2e's defaults are used",
                    file));
  if (!trim(text_in).empty()) {
    try {
      doc = json::parse(text_in.begin(), text_in.end());
    } catch (const json::exception& e) {  // parse_error, and out_of_range for huge numbers
      return Error::data(json_error_message(file, e, text_in));
    }
    if (!doc.is_object()) return Error::data(fmt::format("{}: expected a JSON object at the top level", file));
  }
  if (auto err = check_keys(doc, kClusterKeys, where)) return fail(*err);
  auto name = text(doc, "name", where);
  if (!name) return fail(name.error());
  c.name = name->value_or("");
  auto pue = number(doc, "pue", 1, 10, where);
  if (!pue) return fail(pue.error());
  auto provider = text(doc, "provider", where);
  if (!provider) return fail(provider.error());
  auto region = text(doc, "region", where);
  if (!region) return fail(region.error());
  auto intensity = number(doc, "intensity_g_per_kwh", 0, 5000, where);
  if (!intensity) return fail(intensity.error());
  auto mem_w = number(doc, "memory_power_w_per_gb", 0, 1000, where);
  if (!mem_w) return fail(mem_w.error());
  auto gran = number(doc, "memory_granularity_gb", 0, 1e6, where);
  if (!gran) return fail(gran.error());

  // intensity_basis / intensity_source: the same words as --intensity-basis / --intensity-source.
  auto basis_text = text(doc, "intensity_basis", where);
  if (!basis_text) return fail(basis_text.error());
  auto source_text = text(doc, "intensity_source", where);
  if (!source_text) return fail(source_text.error());
  EstimateSpec choice;
  if (*basis_text)
    if (auto err = set_field(choice, Field::intensity_basis, **basis_text))
      return fail(Error::data(fmt::format("\"intensity_basis\": {}", err->message)));
  if (*source_text)
    if (auto err = set_field(choice, Field::intensity_source, **source_text))
      return fail(Error::data(fmt::format("\"intensity_source\": {}", err->message)));
  const Basis basis = ov.intensity_basis.value_or(choice.intensity_basis.value_or(Basis::lifecycle));
  const IntensityOrigin from =
      ov.intensity_source.value_or(choice.intensity_origin.value_or(IntensityOrigin::location));
  // Command-line inputs win over the file's; each replaced figure is recorded for the report.
  const auto overridden = [&](const Origin& by, std::string_view key, const auto& file_value, bool given) {
    if (!given || !file_value->has_value()) return;
    const auto& v = **file_value;
    std::string text;
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>)
      text = format_sig(v, 10);  // as the file wrote it, not JSON's 200.0
    else
      text = json_string(v);
    c.overrides.push_back({by, std::string(key), std::move(text)});
  };
  overridden(ov.pue_origin, "pue", pue, ov.pue.has_value());
  overridden(ov.provider_origin, "provider", provider, ov.provider.has_value());
  overridden(ov.region_origin, "region", region, ov.region.has_value());
  overridden(ov.intensity_origin, "intensity_g_per_kwh", intensity, ov.intensity_g_per_kwh.has_value());
  const auto from_file = [&](std::string_view key) { return Origin::cluster(origin, key); };  // not c.origin: moved

  const std::string region_name = ov.region ? origin_label(ov.region_origin) : "region";
  auto ic = resolve_intensity(ov.intensity_g_per_kwh ? ov.intensity_g_per_kwh : *intensity,
                              ov.region ? ov.region : *region, data, basis, from, region_name);
  if (!ic) return ov.region ? ic.error() : fail_data(ic.error());
  c.intensity_g_per_kwh = ic->g_per_kwh;
  c.intensity_source = ic->source;
  c.region = ic->region;
  c.intensity_origin = ov.intensity_g_per_kwh   ? ov.intensity_origin
                       : intensity->has_value() ? from_file("intensity_g_per_kwh")
                       : ov.region              ? ov.region_origin
                       : region->has_value()    ? from_file("region")
                                                : Origin{};
  const std::string provider_name = ov.provider ? origin_label(ov.provider_origin) : "provider";
  auto pc = resolve_pue(ov.pue ? ov.pue : *pue, ov.provider ? ov.provider : *provider, std::nullopt, c.region, data,
                        provider_name);
  if (!pc) return ov.provider ? pc.error() : fail_data(pc.error());
  c.pue = pc->pue;
  c.pue_source = pc->source;
  c.provider = pc->provider;
  c.pue_origin = ov.pue                  ? ov.pue_origin
                 : pue->has_value()      ? from_file("pue")
                 : ov.provider           ? ov.provider_origin
                 : provider->has_value() ? from_file("provider")
                                         : Origin{};
  c.memory_power_w_per_gb = mem_w->value_or(data.constant(DefaultConstant::memory_power_w_per_gb));
  c.memory_granularity_gb = gran->value_or(0);
  const RangeConstants k = range_constants(data);
  c.pue_range = pue_input_range(c.pue_source, c.pue, std::nullopt, k);
  c.intensity_range = intensity_input_range(c.intensity_source, c.intensity_g_per_kwh, c.region, std::nullopt, k);
  c.memory_power_range = memory_power_input_range(mem_w->has_value(), c.memory_power_w_per_gb, std::nullopt, k);
  auto life = number(doc, "lifetime_years", 0.1, 50, where);
  if (!life) return fail(life.error());
  auto util = number(doc, "utilisation", 0.01, 1, where);
  if (!util) return fail(util.error());
  c.lifetime_years = life->value_or(data.constant(DefaultConstant::embodied_lifetime_years));
  c.utilisation = util->value_or(data.constant(DefaultConstant::embodied_utilisation));
  c.lifetime_origin = life->has_value() ? from_file("lifetime_years") : Origin{};
  c.utilisation_origin = util->has_value() ? from_file("utilisation") : Origin{};

  const json empty = json::object();
  const auto def_it = doc.find("default_partition");
  auto fb = partition(def_it == doc.end() ? empty : *def_it, "(default)", "default_partition", data);
  if (!fb) return fail(fb.error());
  c.fallback = std::move(fb).value();
  c.fallback.described = false;

  if (const auto it = doc.find("partitions"); it != doc.end()) {
    if (!it->is_object())
      return Error::data(fmt::format("{}: partitions: expected an object of partition name → description", file));
    for (const auto& [pname, pobj] : it->items()) {
      if (pname.starts_with('_')) continue;
      auto p = partition(pobj, pname, "partitions." + pname, data);
      if (!p) return fail(p.error());
      c.partitions.push_back(std::move(p).value());
    }
  }
  const auto has_kg = [](const PartitionPower& p) { return p.embodied_kg_per_node >= 0 || p.embodied_kg_per_gpu >= 0; };
  c.embodied = has_kg(c.fallback) || std::any_of(c.partitions.begin(), c.partitions.end(), has_kg);
  if ((life->has_value() || util->has_value()) && !c.embodied)
    return fail(
        Error::data("lifetime_years and utilisation amortise embodied emissions: give embodied_kg_per_node or "
                    "embodied_kg_per_gpu in a partition (or default_partition) too"));
  return c;
}

std::vector<SinfoPartition> parse_sinfo(std::string_view text_in) {
  std::vector<SinfoPartition> out;
  auto num = [](std::string_view s) {
    long long v = 0;
    s = trim(s);
    while (!s.empty() && (s.back() < '0' || s.back() > '9')) s.remove_suffix(1);  // `64+`
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  };
  while (!text_in.empty()) {
    const auto nl = text_in.find('\n');
    std::string_view line = trim(text_in.substr(0, nl));
    text_in = nl == std::string_view::npos ? std::string_view{} : text_in.substr(nl + 1);
    std::array<std::string_view, 4> f{};
    for (std::size_t i = 0; i < f.size(); ++i) {
      const auto bar = line.find('|');
      f[i] = line.substr(0, bar);
      if (bar == std::string_view::npos) {
        line = {};
        break;
      }
      line.remove_prefix(bar + 1);
    }
    const std::string_view name = trim(f[0]);
    if (name.empty()) continue;
    // %G: `gpu:a100:4(S:0-1)`, `gpu:2`, `(null)`; may list several gres.
    long long gpus = 0;
    std::string_view g = f[3];
    while (!g.empty()) {
      const auto comma = g.find(',');
      std::string_view item = g.substr(0, comma);
      g = comma == std::string_view::npos ? std::string_view{} : g.substr(comma + 1);
      if (!item.starts_with("gpu")) continue;
      item = item.substr(0, item.find('('));
      const auto colon = item.rfind(':');
      if (colon != std::string_view::npos) gpus += num(item.substr(colon + 1));
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.name == name; });
    if (it == out.end()) {
      out.push_back({std::string(name), 0, 0, 0});
      it = out.end() - 1;
    }
    it->cpus_per_node = std::max(it->cpus_per_node, num(f[1]));
    it->memory_mb = std::max(it->memory_mb, num(f[2]));
    it->gpus_per_node = std::max(it->gpus_per_node, gpus);
  }
  return out;
}

std::vector<std::string> sinfo_argv() { return {"sinfo", "--noheader", "--format=%R|%c|%m|%G"}; }

std::string cluster_template(const std::vector<SinfoPartition>& parts_in) {
  std::vector<SinfoPartition> parts = parts_in;
  const bool from_sinfo = !parts.empty();
  if (parts.empty()) parts = {{"cpu", 64, 256000, 0}, {"gpu", 32, 512000, 4}};
  std::string out = "{\n";
  out +=
      "  \"_comment\": \"co2e slurm cluster description (docs/cluster.md). Keys starting with _ are comments. "
      "Replace the example figures with your cluster's.\",\n";
  out += "  \"name\": \"my-cluster\",\n";
  out += "  \"_comment_pue\": \"PUE of the machine room (1 to 10); or give provider (co2e list providers).\",\n";
  out += "  \"pue\": 1.5,\n";
  out +=
      "  \"_comment_region\": \"grid region (co2e list regions), or intensity_g_per_kwh for your supplier's "
      "figure\",\n";
  out += "  \"region\": \"WORLD\",\n";
  out +=
      "  \"_comment_memory\": \"smallest step of a memory request, GB: right-sized requests are rounded up to it\",\n";
  out += "  \"memory_granularity_gb\": 1,\n";
  out +=
      "  \"_comment_partitions\": \"per partition: cpu (a model from co2e list cpus) or core_power_w (W per core); "
      "gpu (co2e list gpus) or gpu_power_w (W per GPU); node_memory_gb (used for jobs that ask for a whole node's "
      "memory, ReqMem 0)\",\n";
  out += "  \"partitions\": {\n";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    out += fmt::format("    {}: {{\n", json_string(p.name));
    if (from_sinfo)
      out += fmt::format("      \"_comment\": \"sinfo: {} CPUs, {} MB and {} GPUs per node\",\n", p.cpus_per_node,
                         p.memory_mb, p.gpus_per_node);
    out += "      \"core_power_w\": 12";
    if (p.gpus_per_node > 0) out += ",\n      \"gpu_power_w\": 300";
    if (p.memory_mb > 0)
      out += fmt::format(",\n      \"node_memory_gb\": {}",
                         format_sig(static_cast<double>(p.memory_mb) * 1048576.0 / 1e9, 4));
    out += i + 1 < parts.size() ? "\n    },\n" : "\n    }\n";
  }
  out += "  },\n";
  out += "  \"_comment_default\": \"used for jobs on partitions not listed above (counted in the report)\",\n";
  out += "  \"default_partition\": {\"core_power_w\": 12, \"gpu_power_w\": 200}\n";
  out += "}\n";
  return out;
}

}  // namespace co2e
