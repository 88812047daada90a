// Renderers for one estimate: text for people, JSON and CSV for programs.
#include "co2e/render.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "co2e/csv.hpp"
#include "co2e/intensity_series.hpp"
#include "co2e/version.hpp"
#include "report/json_text.hpp"

namespace co2e {

namespace {

using ojson = nlohmann::ordered_json;

std::string cite(const Provenance& p) {
  std::string s(p.source);
  if (p.year != 0) s += fmt::format(", {}", p.year);
  if (!p.licence.empty()) s += fmt::format(", {}", p.licence);
  if (!p.origin.starts_with("data/")) s += fmt::format("; from {}", p.origin);
  return s;
}

ojson prov_json(const Provenance& p) {
  return ojson{{"source", p.source}, {"year", p.year}, {"licence", p.licence}, {"origin", p.origin}};
}

std::string region_label(const RegionMatch& m) {
  if (m.cloud != nullptr)
    return fmt::format("{} ({}, grid of {} {})", m.cloud->code, m.cloud->name, m.grid->name, m.grid->code);
  return fmt::format("{} ({})", m.grid->name, m.grid->code);
}

}  // namespace

Result<Format> parse_format(std::string_view text, std::string_view accepted) {
  if (text == "text") return Format::text;
  if (text == "json") return Format::json;
  if (text == "csv") return Format::csv;
  return Error::usage(fmt::format("\"{}\" is not a format (accepted: {})", text, accepted));
}

std::vector<std::string> assumptions(const EstimateResult& r, const Dataset& data) {
  std::vector<std::string> out;
  // CPU
  if (r.cpu_model != nullptr && r.cpu_power_source == PowerSource::model)
    out.push_back(fmt::format("CPU {}: {} W TDP / {} cores = {} W per core ({})", r.cpu_model->name,
                              format_sig(r.cpu_model->tdp_w, 4), r.cpu_model->cores,
                              format_sig(r.cpu_model->watts_per_core(), 4), cite(r.cpu_model->prov)));
  if (r.cpu_power_source == PowerSource::flag)
    out.push_back(fmt::format("CPU: {} W per core, given with --core-power", format_sig(r.core_power_w, 6)));
  if (r.has(Note::cpu_power_overrides_model))
    out.push_back(fmt::format("--core-power overrides the {} W per core of {}",
                              format_sig(r.cpu_model->watts_per_core(), 4), r.cpu_model->name));
  if (r.cpu_power_source == PowerSource::default_value) {
    const Constant* c = data.find_constant("default_core_power_w");
    out.push_back(
        fmt::format("no CPU model or --core-power given: {} W per core, Green Algorithms' default for an unknown CPU{}",
                    format_sig(r.core_power_w, 4), c != nullptr ? fmt::format(" ({})", cite(c->prov)) : ""));
  }
  if (r.has(Note::cores_from_model))
    out.push_back(fmt::format("--cores not given: all {} cores of one {} assumed", r.cores, r.cpu_model->name));
  if (r.cpu_power_source != PowerSource::none && r.cpu_usage == 1.0)
    out.push_back("CPU usage factor 1: the cores were busy the whole time (give --cpu-usage F if not)");
  // GPU
  if (r.gpu_model != nullptr && r.gpu_power_source == PowerSource::model)
    out.push_back(fmt::format("GPU {}: {} W per device ({})", r.gpu_model->name, format_sig(r.gpu_model->tdp_w, 4),
                              cite(r.gpu_model->prov)));
  if (r.gpu_power_source == PowerSource::flag)
    out.push_back(fmt::format("GPU: {} W per GPU, given with --gpu-power", format_sig(r.gpu_power_w, 6)));
  if (r.has(Note::gpu_power_overrides_model))
    out.push_back(
        fmt::format("--gpu-power overrides the {} W TDP of {}", format_sig(r.gpu_model->tdp_w, 4), r.gpu_model->name));
  if (r.gpu_power_source == PowerSource::default_value) {
    const Constant* c = data.find_constant("default_gpu_power_w");
    out.push_back(
        fmt::format("no GPU model or --gpu-power given: {} W per GPU, Green Algorithms' default for an unknown GPU{}",
                    format_sig(r.gpu_power_w, 4), c != nullptr ? fmt::format(" ({})", cite(c->prov)) : ""));
  }
  if (r.has(Note::one_gpu_assumed)) out.push_back("--gpus not given: 1 GPU assumed");
  if (r.gpu_power_source != PowerSource::none && r.gpu_usage == 1.0)
    out.push_back(
        "GPU usage factor 1: the GPUs ran at their rated power the whole time (give --gpu-usage F or a measured "
        "--gpu-power W if not)");
  if (r.has(Note::gpu_only_no_cpu))
    out.push_back(
        "no CPU given: the CPU's power is not counted (the Green Algorithms convention for GPU jobs); add --cores N to "
        "include it");
  // Memory
  if (r.has(Note::no_memory)) {
    out.push_back("no --memory given: memory power is not counted; add --memory SIZE (e.g. 64G) to include it");
  } else if (r.memory_power_from_flag) {
    out.push_back(
        fmt::format("memory: {} W per GB, given with --memory-power", format_sig(r.memory_power_w_per_gb, 6)));
  } else {
    const Constant* c = data.find_constant("memory_power_w_per_gb");
    out.push_back(fmt::format(
        "memory: {} W per GB allocated ({}); estimates range from ~0.08 to ~0.6 W/GB, set --memory-power to change it",
        format_sig(r.memory_power_w_per_gb, 6), c != nullptr ? cite(c->prov) : "Green Algorithms"));
  }
  // PUE
  switch (r.pue_source) {
    case PueSource::flag:
      out.push_back(fmt::format("PUE {} given with --pue", format_sig(r.pue, 6)));
      break;
    case PueSource::provider:
      out.push_back(
          fmt::format("PUE {}: default of {} ({})", format_sig(r.pue, 6), r.provider->name, cite(r.provider->prov)));
      break;
    case PueSource::cloud_region:
      out.push_back(fmt::format("PUE {} published for {} ({})", format_sig(r.pue, 6), r.region->cloud->code,
                                cite(r.region->cloud->prov)));
      break;
    case PueSource::platform:
      out.push_back(fmt::format("PUE {}: default for platform \"{}\" ({})", format_sig(r.pue, 6), r.provider->id,
                                cite(r.provider->prov)));
      break;
    case PueSource::default_local:
      out.push_back(
          fmt::format("no --pue, --provider or --platform given: PUE {} of an average data centre assumed ({})",
                      format_sig(r.pue, 6), r.provider != nullptr ? cite(r.provider->prov) : "built-in"));
      break;
  }
  if (r.has(Note::pue_overrides_provider)) out.push_back("--pue overrides the provider's default PUE");
  // Grid: with a series, the sentences describe the annual figure it is compared with.
  const IntensitySource annual_source = r.window ? r.window->annual_source : r.intensity_source;
  const double annual = r.window ? r.window->annual_g_per_kwh : r.intensity_g_per_kwh;
  switch (annual_source) {
    case IntensitySource::flag:
      out.push_back(fmt::format("emission factor {} gCO2e/kWh given with --intensity", format_sig(annual, 6)));
      break;
    case IntensitySource::region:
      out.push_back(fmt::format("emission factor of {}: {} gCO2e/kWh ({})", region_label(*r.region),
                                format_sig(annual, 6), cite(r.region->intensity_prov())));
      break;
    case IntensitySource::cloud_region:
      out.push_back(fmt::format("emission factor of {}: {} gCO2e/kWh ({})", region_label(*r.region),
                                format_sig(annual, 6), cite(r.region->intensity_prov())));
      break;
    case IntensitySource::default_world:
      out.push_back(fmt::format(
          "no --region or --intensity given: world average {} gCO2e/kWh assumed ({}); give --region for your grid",
          format_sig(annual, 6), r.region ? cite(r.region->grid->prov) : "built-in"));
      break;
    case IntensitySource::series:
      break;  // never the annual figure
  }
  if (r.window && !out.empty()) out.back() = "for comparison: " + out.back();
  if (r.has(Note::intensity_overrides_region))
    out.push_back(fmt::format("--intensity overrides the {} gCO2e/kWh of {}",
                              format_sig(r.region->intensity_g_per_kwh(), 6), region_label(*r.region)));
  if (r.psf > 1) out.push_back(fmt::format("PSF {}: {} identical runs counted", r.psf, r.psf));
  if (r.window)
    out.push_back(
        fmt::format("emission factor {} gCO2e/kWh: the intensity series averaged over the job's window {} to {}, "
                    "its energy spread evenly over the runtime (constant power)",
                    format_sig(r.window->average_g_per_kwh, 6), format_timestamp(r.window->start),
                    format_timestamp(r.window->end)));
  else
    out.push_back("annual-average emission factor: the real one varies by hour (by a factor of 2 to 5 in some grids)");
  return out;
}

std::vector<Equivalent> text_equivalents(double co2e_g, const Dataset& data) {
  std::vector<Equivalent> out = equivalents(co2e_g, data);
  std::erase_if(out, [](const Equivalent& e) { return std::fabs(e.amount) < 1e-3; });
  return out;
}

std::string render_text(const EstimateResult& r, const Dataset& data) {
  std::string out;
  auto line = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
    out += '\n';
  };
  const double g = r.co2e_kg * 1000;
  line("Carbon footprint  {} CO2e", format_mass(g));
  line("Energy            {}{}", format_energy(r.energy_kwh),
       r.psf > 1 ? fmt::format(" ({} runs)", r.psf) : std::string());
  out += '\n';
  const double run_total = r.components.total_kwh();
  auto share = [&](double kwh) {
    return run_total > 0 ? fmt::format("{:5.1f}%", 100.0 * kwh / run_total) : std::string("  -  ");
  };
  line("Energy per run, before PUE");
  if (r.cpu_power_source != PowerSource::none) {
    const std::string what =
        r.cores > 0 && r.runtime_h
            ? fmt::format("{} cores x {} W x {} h", r.cores, format_sig(r.core_power_w, 4), format_sig(*r.runtime_h, 4))
            : fmt::format("{} core-hours x {} W", format_sig(r.core_hours, 6), format_sig(r.core_power_w, 4));
    line("  CPU     {:>12}  {}  {}{}", format_energy(r.components.cpu_kwh), share(r.components.cpu_kwh), what,
         r.cpu_usage < 1 ? fmt::format(" x {} usage", format_sig(r.cpu_usage, 3)) : "");
  }
  if (r.gpu_power_source != PowerSource::none) {
    const std::string what =
        r.gpus > 0 && r.runtime_h
            ? fmt::format("{} GPU{} x {} W x {} h", r.gpus, r.gpus > 1 ? "s" : "", format_sig(r.gpu_power_w, 4),
                          format_sig(*r.runtime_h, 4))
            : fmt::format("{} GPU-hours x {} W", format_sig(r.gpu_hours, 6), format_sig(r.gpu_power_w, 4));
    line("  GPU     {:>12}  {}  {}{}", format_energy(r.components.gpu_kwh), share(r.components.gpu_kwh), what,
         r.gpu_usage < 1 ? fmt::format(" x {} usage", format_sig(r.gpu_usage, 3)) : "");
  }
  if (r.memory_gb > 0)
    line("  Memory  {:>12}  {}  {} GB x {} W/GB x {} h", format_energy(r.components.memory_kwh),
         share(r.components.memory_kwh), format_sig(r.memory_gb, 4), format_sig(r.memory_power_w_per_gb, 4),
         format_sig(r.runtime_h.value_or(0), 4));
  else
    line("  Memory  {:>12}          not given (--memory)", "-");
  line("  Total   {:>12}", format_energy(run_total));
  out += '\n';
  line("PUE {} adds {} per run{}", format_sig(r.pue, 4), format_energy(run_total * (r.pue - 1)),
       r.psf > 1 ? fmt::format("; x {} runs (PSF)", r.psf) : std::string());
  const std::string annual_label = (r.window ? r.window->annual_source : r.intensity_source) == IntensitySource::flag
                                       ? std::string("given with --intensity")
                                   : r.region ? region_label(*r.region)
                                              : std::string("world average");
  if (r.window) {
    const double diff = r.window->average_g_per_kwh - r.window->annual_g_per_kwh;
    line("Grid {} gCO2e/kWh: average of the intensity series over {} to {}", format_sig(r.window->average_g_per_kwh, 5),
         format_timestamp(r.window->start), format_timestamp(r.window->end));
    line("     annual {} gCO2e/kWh ({}): the window is {}{} gCO2e/kWh{}", format_sig(r.window->annual_g_per_kwh, 5),
         annual_label, diff >= 0 ? "+" : "", format_sig(diff, 4),
         r.window->annual_g_per_kwh > 0
             ? fmt::format(" ({}{}%)", diff >= 0 ? "+" : "", format_sig(100 * diff / r.window->annual_g_per_kwh, 3))
             : std::string());
  } else {
    line("Grid {} gCO2e/kWh: {}", format_sig(r.intensity_g_per_kwh, 5), annual_label);
  }
  out += '\n';
  if (const auto eq = text_equivalents(g, data); !eq.empty()) {
    line("That is about");
    for (const auto& e : eq) line("  {:>10}  {}", format_sig(e.amount, 3), e.row->name);
    out += '\n';
  }
  line("Assumptions and sources");
  for (const auto& a : assumptions(r, data)) line("  - {}", a);
  return out;
}

std::string render_json(const EstimateResult& r, const Dataset& data) {
  ojson j;
  j["schema_version"] = 2;
  j["co2e_version"] = version();
  for (const ResultColumn& c : result_columns()) {
    if (c.number != nullptr) {
      const double v = c.number(r);
      j[std::string(c.name)] = std::isnan(v) ? ojson(nullptr) : ojson(v);
    } else {
      const std::string_view v = c.text(r);
      j[std::string(c.name)] = v.empty() ? ojson(nullptr) : ojson(v);
    }
  }

  ojson inputs;
  if (r.cpu_power_source != PowerSource::none) {
    ojson cpu{{"cores", r.cores},
              {"core_hours", r.core_hours},
              {"core_power_w", r.core_power_w},
              {"usage", r.cpu_usage},
              {"power_source", power_source_name(r.cpu_power_source)}};
    if (r.cpu_model != nullptr)
      cpu["model"] = {{"name", r.cpu_model->name},
                      {"tdp_w", r.cpu_model->tdp_w},
                      {"cores", r.cpu_model->cores},
                      {"provenance", prov_json(r.cpu_model->prov)}};
    inputs["cpu"] = cpu;
  } else {
    inputs["cpu"] = nullptr;
  }
  if (r.gpu_power_source != PowerSource::none) {
    ojson gpu{{"gpus", r.gpus},
              {"gpu_hours", r.gpu_hours},
              {"gpu_power_w", r.gpu_power_w},
              {"usage", r.gpu_usage},
              {"power_source", power_source_name(r.gpu_power_source)}};
    if (r.gpu_model != nullptr)
      gpu["model"] = {{"name", r.gpu_model->name},
                      {"tdp_w", r.gpu_model->tdp_w},
                      {"kind", r.gpu_model->kind},
                      {"provenance", prov_json(r.gpu_model->prov)}};
    inputs["gpu"] = gpu;
  } else {
    inputs["gpu"] = nullptr;
  }
  inputs["memory"] = {{"memory_gb", r.memory_gb},
                      {"memory_power_w_per_gb", r.memory_power_w_per_gb},
                      {"power_source", r.memory_power_from_flag ? "flag" : "default"}};
  ojson pue{{"value", r.pue}, {"source", pue_source_name(r.pue_source)}};
  if (r.provider != nullptr)
    pue["provider"] = {{"id", r.provider->id},
                       {"name", r.provider->name},
                       {"pue", r.provider->pue},
                       {"provenance", prov_json(r.provider->prov)}};
  inputs["pue"] = pue;
  ojson grid{{"intensity_g_per_kwh", r.intensity_g_per_kwh}, {"source", intensity_source_name(r.intensity_source)}};
  if (r.region) {
    grid["region"] = {{"code", r.region->grid->code},
                      {"name", r.region->grid->name},
                      {"kind", r.region->grid->kind},
                      {"intensity_g_per_kwh", r.region->grid->intensity_g_per_kwh},
                      {"provenance", prov_json(r.region->grid->prov)}};
    if (r.region->cloud != nullptr) {
      ojson cloud{{"code", r.region->cloud->code},
                  {"provider", r.region->cloud->provider},
                  {"name", r.region->cloud->name},
                  {"location", r.region->cloud->location},
                  {"provenance", prov_json(r.region->cloud->prov)}};
      cloud["intensity_g_per_kwh"] =
          r.region->cloud->intensity_g_per_kwh >= 0 ? ojson(r.region->cloud->intensity_g_per_kwh) : ojson(nullptr);
      cloud["pue"] = r.region->cloud->pue >= 1 ? ojson(r.region->cloud->pue) : ojson(nullptr);
      grid["cloud_region"] = cloud;
    }
  }
  if (r.window) {
    const double diff = r.window->average_g_per_kwh - r.window->annual_g_per_kwh;
    grid["window"] = {{"start", format_timestamp(r.window->start)},
                      {"end", format_timestamp(r.window->end)},
                      {"average_g_per_kwh", r.window->average_g_per_kwh},
                      {"annual_g_per_kwh", r.window->annual_g_per_kwh},
                      {"annual_source", intensity_source_name(r.window->annual_source)},
                      {"difference_g_per_kwh", diff},
                      {"difference_pct", r.window->annual_g_per_kwh > 0 ? ojson(100 * diff / r.window->annual_g_per_kwh)
                                                                        : ojson(nullptr)}};
  }
  inputs["grid"] = grid;
  j["inputs"] = inputs;

  ojson eq = ojson::array();
  for (const auto& e : equivalents(r.co2e_kg * 1000, data))
    eq.push_back({{"id", e.row->id},
                  {"name", e.row->name},
                  {"amount", e.amount},
                  {"g_per_unit", e.row->g_per_unit},
                  {"provenance", prov_json(e.row->prov)}});
  j["equivalents"] = eq;
  j["assumptions"] = assumptions(r, data);
  j["data_version"] = data.version_summary();
  return json_text(j);
}

namespace {

constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

std::string_view region_code(const EstimateResult& r) {
  if (!r.region) return {};
  return r.region->cloud != nullptr ? r.region->cloud->code : r.region->grid->code;
}

// The one list of result columns (ccache keeps its config keys in one table the same way): the
// CSV header and rows, the JSON Lines members, the estimate JSON's top level and the
// documentation's table all come from here. Component energies are before PUE and for all runs,
// so that energy_kwh = pue × (cpu_kwh + gpu_kwh + memory_kwh) in every row.
constexpr std::array<ResultColumn, kResultColumnCount> kResultColumns{{
    {"energy_kwh", "kWh", "energy of all runs, PUE included: pue × (cpu_kwh + gpu_kwh + memory_kwh)",
     [](const EstimateResult& r) { return r.energy_kwh; }},
    {"co2e_kg", "kg CO2e", "emissions: energy_kwh × intensity_g_per_kwh / 1000",
     [](const EstimateResult& r) { return r.co2e_kg; }},
    {"cpu_kwh", "kWh", "energy of the CPU cores, all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.cpu_kwh * static_cast<double>(r.psf); }},
    {"gpu_kwh", "kWh", "energy of the GPUs, all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.gpu_kwh * static_cast<double>(r.psf); }},
    {"memory_kwh", "kWh", "energy of the memory, all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.memory_kwh * static_cast<double>(r.psf); }},
    {"pue", "ratio", "power usage effectiveness applied (facility energy / IT energy)",
     [](const EstimateResult& r) { return r.pue; }},
    {"psf", "count", "pragmatic scaling factor: the number of identical runs counted",
     [](const EstimateResult& r) { return static_cast<double>(r.psf); }},
    {"intensity_g_per_kwh", "g CO2e/kWh",
     "emission factor applied (with a start time: the series' average over the run's window)",
     [](const EstimateResult& r) { return r.intensity_g_per_kwh; }},
    {"runtime_h", "h", "wall time of one run; null when only core-hours or GPU-hours were given",
     [](const EstimateResult& r) { return r.runtime_h.value_or(kAbsent); }},
    {"core_hours", "h", "core-hours of one run (cores × runtime, or as given)",
     [](const EstimateResult& r) { return r.core_hours; }},
    {"core_power_w", "W", "power drawn per core (usage factor not applied)",
     [](const EstimateResult& r) { return r.core_power_w; }},
    {"gpu_hours", "h", "GPU-hours of one run (GPUs × runtime, or as given)",
     [](const EstimateResult& r) { return r.gpu_hours; }},
    {"gpu_power_w", "W", "power drawn per GPU (usage factor not applied)",
     [](const EstimateResult& r) { return r.gpu_power_w; }},
    {"memory_gb", "GB", "memory allocated", [](const EstimateResult& r) { return r.memory_gb; }},
    {"region", "name", "code of the grid or cloud region used; null when none (e.g. --intensity alone)", nullptr,
     region_code},
    {"cpu_model", "name", "name of the CPU model row used; null when none", nullptr,
     [](const EstimateResult& r) { return r.cpu_model != nullptr ? r.cpu_model->name : std::string_view(); }},
    {"gpu_model", "name", "name of the GPU model row used; null when none", nullptr,
     [](const EstimateResult& r) { return r.gpu_model != nullptr ? r.gpu_model->name : std::string_view(); }},
}};

constexpr bool one_accessor_each() {
  for (const auto& c : kResultColumns)
    if ((c.number == nullptr) == (c.text == nullptr)) return false;
  return true;
}
static_assert(one_accessor_each(), "each result column is a number or a text, never both");

constexpr int text_columns() {
  int n = 0;
  for (const auto& c : kResultColumns) n += c.text != nullptr ? 1 : 0;
  return n;
}
static_assert(text_columns() == 3,
              "csv_result_values_bound sizes region, cpu_model and gpu_model: add a new one there");

}  // namespace

std::span<const ResultColumn, kResultColumnCount> result_columns() { return kResultColumns; }

std::size_t csv_result_values_bound(const EstimateResult* r) {
  std::size_t n = kResultColumnCount * (kNumberChars + 1);
  if (r == nullptr) return n;
  // The text columns: region code and model names (written quoted at worst: twice + 2).
  if (r->region) n += 2 * region_code(*r).size() + 2;
  if (r->cpu_model != nullptr) n += 2 * r->cpu_model->name.size() + 2;
  if (r->gpu_model != nullptr) n += 2 * r->gpu_model->name.size() + 2;
  return n;
}

char* write_csv_result_values(char* p, const EstimateResult* r, char sep) {
  if (r == nullptr) return std::fill_n(p, kResultColumnCount - 1, sep);
  for (const ResultColumn& c : kResultColumns) {
    if (&c != kResultColumns.data()) *p++ = sep;
    if (c.number != nullptr) {
      const double v = c.number(*r);
      if (!std::isnan(v)) p = write_number(p, v);
    } else {
      p = write_csv_field(p, c.text(*r), sep);
    }
  }
  return p;
}

void append_csv_result_values(std::string& out, const EstimateResult* r, char sep) {
  const std::size_t at = out.size();
  out.resize(at + csv_result_values_bound(r));
  out.resize(static_cast<std::size_t>(write_csv_result_values(out.data() + at, r, sep) - out.data()));
}

void append_json_result_members(std::string& out, const EstimateResult* r) {
  static const std::array<std::string, kResultColumnCount> keys = [] {
    std::array<std::string, kResultColumnCount> k;
    for (std::size_t i = 0; i < kResultColumnCount; ++i) {
      append_json_string(k[i], kResultColumns[i].name);
      k[i] += ':';
    }
    return k;
  }();
  for (std::size_t i = 0; i < kResultColumnCount; ++i) {
    if (i > 0) out += ',';
    out += keys[i];
    const ResultColumn& c = kResultColumns[i];
    if (r == nullptr) {
      out += "null";
    } else if (c.number != nullptr) {
      const double v = c.number(*r);
      if (std::isfinite(v))
        append_number(out, v);
      else
        out += "null";
    } else if (const std::string_view t = c.text(*r); !t.empty()) {
      append_json_string(out, t);
    } else {
      out += "null";
    }
  }
}

std::string render_csv(const EstimateResult& r) {
  std::string out;
  for (const ResultColumn& c : kResultColumns) {
    if (!out.empty()) out += ',';
    out += c.name;
  }
  out += '\n';
  append_csv_result_values(out, &r, ',');
  out += '\n';
  return out;
}

std::string csv_escape(std::string_view field, char sep) {
  if (field.find_first_of(std::string{sep, '"', '\n', '\r'}) == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace co2e
