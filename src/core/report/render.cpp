// Renderers for one estimate: text for people, JSON and CSV for programs.
#include "co2e/render.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "co2e/csv.hpp"
#include "co2e/intensity_series.hpp"
#include "co2e/quote.hpp"
#include "co2e/version.hpp"
#include "report/footprint_text.hpp"
#include "report/json_text.hpp"
#include "report/origin_json.hpp"
#include "report/range_render.hpp"

namespace co2e {

namespace {

using ojson = nlohmann::ordered_json;

std::string cite(const Provenance& p) {
  std::string s(p.source);
  if (p.year != 0) s += fmt::format(", {}", p.year);
  if (!p.licence.empty()) s += fmt::format(", {}", p.licence);
  if (!p.release.empty()) s += fmt::format("; release {}", p.release);
  if (!p.retrieved.empty()) s += fmt::format(", retrieved {}", p.retrieved);
  if (!p.note.empty()) s += fmt::format("; {}", p.note);
  if (!p.origin.starts_with("data/")) s += fmt::format("; from {}", p.origin);
  return s;
}

ojson prov_json(const Provenance& p) {
  ojson j{{"source", p.source}, {"year", p.year}, {"licence", p.licence}, {"origin", p.origin}};
  // Grid figures carry their dataset release (docs/data-schema.md); hardware rows may not.
  if (!p.release.empty()) j["release"] = p.release;
  if (!p.url.empty()) j["url"] = p.url;
  if (!p.retrieved.empty()) j["retrieved"] = p.retrieved;
  if (!p.note.empty()) j["note"] = p.note;
  return j;
}

std::string basis_text(std::string_view basis) {
  // Only user data files may leave the basis out (a supplier's or residual-mix row is market-based).
  return basis.empty() ? std::string("basis not stated in its data file") : fmt::format("{} basis", basis);
}

/// Input `f` of the result as the user gave it: its origin's name, or its flag.
std::string given_name(const EstimateResult& r, Field f) {
  const Origin& o = r.origin(f);
  return o.given() ? origin_label(o) : std::string(field_info(f).flag);
}

/// `given with --pue`, `from CO2E_PUE`, `from column pue`: where input `f` came from.
std::string given_phrase(const EstimateResult& r, Field f) {
  const Origin& o = r.origin(f);
  return o.given() ? origin_phrase(o) : fmt::format("given with {}", field_info(f).flag);
}

std::string region_label(const RegionMatch& m) {
  if (m.cloud != nullptr)
    return fmt::format("{} ({}, grid of {} {})", m.cloud->code, m.cloud->name, m.grid->name, m.grid->code);
  return fmt::format("{} ({})", m.grid->name, m.grid->code);
}

}  // namespace

std::string grid_basis_label(const RegionMatch& m) {
  std::string s = basis_text(m.intensity_basis());
  if (m.uses_provider_figure()) s += fmt::format(", published by {}", m.cloud->provider);
  return s;
}

std::vector<std::string> grid_sentences(const RegionMatch& m) {
  std::vector<std::string> out;
  out.push_back(fmt::format("emission factor of {}: {} gCO2e/kWh, {} ({})", region_label(m),
                            format_sig(m.intensity_g_per_kwh(), 6), grid_basis_label(m), cite(m.intensity_prov())));
  if (m.basis_fallback())
    out.push_back(
        fmt::format("{} has no {} figure: its {} figure is used instead (rule: the same place on the other "
                    "basis; docs/methodology.md)",
                    m.grid->code, basis_name(m.basis), m.intensity_basis()));
  if (m.cloud != nullptr && m.cloud->intensity_g_per_kwh >= 0) {
    if (m.uses_provider_figure()) {
      RegionMatch loc = m;
      loc.origin = IntensityOrigin::location;
      out.push_back(fmt::format("--intensity-source provider: the grid of {} ({}) would give {} gCO2e/kWh, {}",
                                m.grid->name, m.grid->code, format_sig(loc.intensity_g_per_kwh(), 6),
                                basis_text(loc.intensity_basis())));
    } else {
      out.push_back(fmt::format("{} publishes {} gCO2e/kWh for {}, {} ({}); --intensity-source provider uses it",
                                m.cloud->provider, format_sig(m.cloud->intensity_g_per_kwh, 6), m.cloud->code,
                                basis_text(m.cloud->intensity_basis), cite(m.cloud->intensity_prov)));
    }
  }
  if (m.provider_fallback())
    out.push_back(
        fmt::format("--intensity-source provider: {} publishes no figure{}; the grid of its location is used",
                    m.cloud != nullptr ? m.cloud->provider : std::string_view("no provider"),
                    m.cloud != nullptr ? fmt::format(" for {}", m.cloud->code) : std::string(" (not a cloud region)")));
  if (m.cloud != nullptr && !m.cloud->location_note.empty())
    out.push_back(fmt::format("location of {}: {}", m.cloud->code, m.cloud->location_note));
  return out;
}

Result<Format> parse_format(std::string_view text, std::string_view accepted) {
  if (text == "text") return Format::text;
  if (text == "json") return Format::json;
  if (text == "csv") return Format::csv;
  // A slip's suggestion, only among the formats this command accepts (`show` takes no csv).
  std::string hint;
  for (const std::string_view c : {"text", "json", "csv", "markdown", "latex"})
    if (hint.empty() && accepted.find(c) != std::string_view::npos) hint = nearest_hint(text, {c});
  return Error::usage(fmt::format("\"{}\" is not a format (accepted: {}){}", text, accepted, hint));
}

namespace {

/// The sentences about names: what an instance type filled in and what the user's flags replaced,
/// and the other variants a family name (`--gpu A100`) could have meant.
void name_sentences(const EstimateResult& r, std::vector<std::string>& out) {
  if (const CloudInstance* i = r.instance) {
    std::string what = fmt::format("{} vCPUs counted as cores", i->vcpus);
    if (!i->cpu.empty()) what += fmt::format(" of {}", i->cpu);
    if (i->gpus > 0) what += fmt::format(", {} x {}", i->gpus, i->gpu);
    what += fmt::format(", {} GB of memory", format_sig(i->memory_gb, 6));
    out.push_back(fmt::format("instance {}: {} ({})", i->code, what, cite(i->prov)));
    if (i->cpu.empty()) out.push_back(fmt::format("instance {}: the provider does not name its CPU model", i->code));
    // Each flag that replaced one of the instance's values, with both values.
    auto replaced = [&](Field f) { return ((r.instance_overrides >> static_cast<unsigned>(f)) & 1U) != 0; };
    auto say = [&](Field f, const std::string& instead) {
      if (replaced(f))
        out.push_back(fmt::format("{} given: used instead of the instance's {}",
                                  r.origin(f).given() ? origin_label(r.origin(f)) : std::string(field_info(f).flag),
                                  instead));
    };
    say(Field::cores, fmt::format("{} vCPUs ({} cores used)", i->vcpus, r.cores));
    say(Field::core_hours, fmt::format("{} vCPUs", i->vcpus));
    say(Field::cpu, std::string(i->cpu));
    say(Field::core_power, std::string(i->cpu));
    say(Field::gpus, fmt::format("{} GPUs ({} used)", i->gpus, r.gpus));
    say(Field::gpu_hours, fmt::format("{} GPUs", i->gpus));
    say(Field::gpu, std::string(i->gpu));
    say(Field::gpu_power, std::string(i->gpu));
    say(Field::memory, fmt::format("{} GB ({} GB used)", format_sig(i->memory_gb, 6), format_sig(r.memory_gb, 6)));
  }
  if (!r.gpu_variants.empty() && r.gpu_model != nullptr) {
    std::string others;
    for (const GpuModel* g : r.gpu_variants)
      others += fmt::format("{}{} ({} W)", others.empty() ? "" : ", ", g->name, format_sig(g->tdp_w, 4));
    out.push_back(
        fmt::format("the GPU name given also fits {}; {} ({} W) used, the table's default for that name: give the full "
                    "name to choose another",
                    others, r.gpu_model->name, format_sig(r.gpu_model->tdp_w, 4)));
  }
}

}  // namespace

// long-function: one sentence per assumption, in the order the report prints them (CPU, GPU, memory,
// known energy, PUE, grid); each branch is a few lines and the function reads as the list it writes.
std::vector<std::string> assumptions(const EstimateResult& r, const Dataset& data) {
  std::vector<std::string> out;
  name_sentences(r, out);
  // CPU
  if (r.cpu_model != nullptr && r.cpu_power_source == PowerSource::model)
    out.push_back(fmt::format("CPU {}: {} W TDP / {} cores = {} W per core ({})", r.cpu_model->name,
                              format_sig(r.cpu_model->tdp_w, 4), r.cpu_model->cores,
                              format_sig(r.cpu_model->watts_per_core(), 4), cite(r.cpu_model->prov)));
  if (r.cpu_power_source == PowerSource::flag)
    out.push_back(
        fmt::format("CPU: {} W per core, {}", format_sig(r.core_power_w, 6), given_phrase(r, Field::core_power)));
  if (r.has(Note::cpu_power_overrides_model))
    out.push_back(fmt::format("{} overrides the {} W per core of {}", given_name(r, Field::core_power),
                              format_sig(r.cpu_model->watts_per_core(), 4), r.cpu_model->name));
  if (r.has(Note::cpu_count_zero))
    out.push_back(fmt::format("{} 0: no CPU counted, its part is 0{}", given_name(r, Field::cores),
                              r.cpu_model != nullptr ? fmt::format(" (the {} is not used)", r.cpu_model->name) : ""));
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
    out.push_back(
        fmt::format("GPU: {} W per GPU, {}", format_sig(r.gpu_power_w, 6), given_phrase(r, Field::gpu_power)));
  if (r.has(Note::gpu_power_overrides_model))
    out.push_back(fmt::format("{} overrides the {} W TDP of {}", given_name(r, Field::gpu_power),
                              format_sig(r.gpu_model->tdp_w, 4), r.gpu_model->name));
  if (r.has(Note::gpu_count_zero))
    out.push_back(fmt::format("{} 0: no GPU counted, its part is 0{}", given_name(r, Field::gpus),
                              r.gpu_model != nullptr ? fmt::format(" (the {} is not used)", r.gpu_model->name) : ""));
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
  // A known energy instead of the components
  if (r.energy_source == EnergySource::energy)
    out.push_back(fmt::format("energy of one run {}, {}: a known figure, used instead of CPU, GPU and memory",
                              format_energy(r.components.known_kwh), given_phrase(r, Field::energy)));
  if (r.energy_source == EnergySource::power)
    out.push_back(
        fmt::format("average power {} W at the plug, {}, x {} h = {} per run, used instead of CPU, GPU and "
                    "memory",
                    format_sig(r.power_w, 6), given_phrase(r, Field::power), format_sig(*r.runtime_h, 6),
                    format_energy(r.components.known_kwh)));
  if (r.energy_source != EnergySource::components && r.energy_scope == EnergyScope::it)
    out.push_back(
        fmt::format("{} taken as the IT equipment's energy: PUE applied (give {} facility if it already "
                    "includes the data centre's overhead)",
                    given_name(r, r.energy_source == EnergySource::energy ? Field::energy : Field::power),
                    given_name(r, Field::energy_scope)));
  // Memory
  if (r.energy_source != EnergySource::components) {
    // not estimated: the known energy covers it
  } else if (r.has(Note::no_memory)) {
    out.push_back("no --memory given: memory power is not counted; add --memory SIZE (e.g. 64G) to include it");
  } else if (r.memory_power_from_flag) {
    out.push_back(fmt::format("memory: {} W per GB, {}", format_sig(r.memory_power_w_per_gb, 6),
                              given_phrase(r, Field::memory_power)));
  } else {
    const Constant* c = data.find_constant("memory_power_w_per_gb");
    out.push_back(fmt::format(
        "memory: {} W per GB allocated ({}); estimates range from ~0.08 to ~0.6 W/GB, set --memory-power to change it",
        format_sig(r.memory_power_w_per_gb, 6), c != nullptr ? cite(c->prov) : "Green Algorithms"));
  }
  // PUE
  switch (r.pue_source) {
    case PueSource::flag:
      out.push_back(fmt::format("PUE {} {}", format_sig(r.pue, 6), given_phrase(r, Field::pue)));
      break;
    case PueSource::included:
      out.push_back(
          fmt::format("no PUE applied: {} facility says the energy already includes the data centre's "
                      "overhead",
                      given_name(r, Field::energy_scope)));
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
  if (r.has(Note::pue_overrides_provider))
    out.push_back(fmt::format("{} overrides the default PUE {} of {}", given_name(r, Field::pue),
                              format_sig(r.provider->pue, 6), r.provider->name));
  if (r.has(Note::pue_overrides_platform) && r.platform != nullptr)
    out.push_back(fmt::format("{} overrides the default PUE {} of platform \"{}\"", given_name(r, Field::pue),
                              format_sig(r.platform->pue, 6), r.platform->id));
  if (r.has(Note::provider_overrides_platform) && r.platform != nullptr)
    out.push_back(fmt::format("{} overrides the default PUE {} of platform \"{}\"", given_name(r, Field::provider),
                              format_sig(r.platform->pue, 6), r.platform->id));
  if (r.has(Note::pue_overrides_cloud_region))
    out.push_back(fmt::format(
        "{} overrides the PUE of cloud region {}{}",
        given_name(r, r.pue_source == PueSource::flag ? Field::pue : Field::provider), r.region->cloud->code,
        r.region->cloud->pue >= 1 ? fmt::format(" (published: {})", format_sig(r.region->cloud->pue, 6)) : ""));
  // Grid: with a series, the sentences describe the annual figure it is compared with.
  const IntensitySource annual_source = r.window ? r.window->annual_source : r.intensity_source;
  const double annual = r.window ? r.window->annual_g_per_kwh : r.intensity_g_per_kwh;
  switch (annual_source) {
    case IntensitySource::flag:
      // A figure from the user may be a supplier's or a residual mix (market-based) or a grid
      // average on either basis: co2e cannot tell, so it says whose it is (issue 14).
      out.push_back(
          fmt::format("emission factor {} gCO2e/kWh {}: its basis (lifecycle or direct; "
                      "location- or market-based, e.g. a supplier's or residual-mix factor) is its "
                      "publisher's, not checked by co2e",
                      format_sig(annual, 6), given_phrase(r, Field::intensity)));
      break;
    case IntensitySource::region:
    case IntensitySource::cloud_region: {
      auto grid = grid_sentences(*r.region);
      if (r.window) grid.resize(1);  // the comparison line only
      out.insert(out.end(), grid.begin(), grid.end());
      break;
    }
    case IntensitySource::default_world:
      out.push_back(fmt::format(
          "no --region or --intensity given: world average {} gCO2e/kWh assumed, {} ({}); give --region for your grid",
          format_sig(annual, 6), r.region ? basis_text(r.region->intensity_basis()) : "basis not stated",
          r.region ? cite(r.region->grid->prov) : "built-in"));
      if (r.region && r.region->basis_fallback())
        out.push_back(fmt::format("the world average has no {} figure: its {} figure is used instead",
                                  basis_name(r.region->basis), r.region->intensity_basis()));
      break;
    case IntensitySource::series:
      break;  // never the annual figure
  }
  if (r.window && !out.empty()) out.back() = "for comparison: " + out.back();
  if (r.has(Note::intensity_overrides_region))
    out.push_back(fmt::format("{} overrides the {} gCO2e/kWh of {}", given_name(r, Field::intensity),
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
  for (auto& s : footprint_assumptions(r, data)) out.push_back(std::move(s));
  return out;
}

std::vector<Equivalent> text_equivalents(double co2e_g, const Dataset& data) {
  std::vector<Equivalent> out = equivalents(co2e_g, data);
  std::erase_if(out, [](const Equivalent& e) { return std::fabs(e.amount) < 1e-3; });
  return out;
}

namespace {

/// `Budget 5 kg CO2e (given with --budget): 492.5 g used, 4.508 kg left`: under budget as well as over.
std::string budget_line(const EstimateResult& r) {
  const CarbonBudget& b = *r.budget;
  const double margin_g = (b.budget_kg - r.co2e_kg) * 1000;
  return fmt::format("Budget {} CO2e ({}): {} used, {}", format_mass(b.budget_kg * 1000), origin_phrase(b.origin),
                     format_mass(r.co2e_kg * 1000),
                     margin_g >= 0 ? fmt::format("{} left", format_mass(margin_g))
                                   : fmt::format("over by {}", format_mass(-margin_g)));
}

/// The text report's first lines: the footprint, embodied and total when counted, the energy;
/// each figure with its range (issue 17).
std::string headline_text(const EstimateResult& r) {
  std::string out = fmt::format("Carbon footprint  {} CO2e{}{}\n", format_mass(r.co2e_kg * 1000),
                                r.footprint.embodied ? " operational" : "", range_phrase_mass(r));
  if (r.footprint.embodied) {
    out += fmt::format("Embodied          {} CO2e (manufacturing, amortised){}\n", format_mass(r.embodied_kg() * 1000),
                       range_phrase_embodied(r));
    out += fmt::format("Total             {} CO2e{}\n", format_mass(r.total_co2e_kg() * 1000), range_phrase_total(r));
  }
  out += fmt::format("Energy            {}{}{}\n", format_energy(r.energy_kwh),
                     r.psf > 1 ? fmt::format(" ({} runs)", r.psf) : std::string(), range_phrase_energy(r));
  return out;
}

}  // namespace

std::string render_text(const EstimateResult& r, const Dataset& data, const FunctionalUnit* per) {
  std::string out;
  auto line = [&]<class... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
    out += '\n';
  };
  const double g = r.co2e_kg * 1000;
  out += headline_text(r);
  if (per != nullptr) line("{}", escape_for_message(per_unit_text(*per, r.energy_kwh, r.co2e_kg), 200));
  out += '\n';
  const double run_total = r.components.total_kwh();
  auto share = [&](double kwh) {
    return run_total > 0 ? fmt::format("{:5.1f}%", 100.0 * kwh / run_total) : std::string("  -  ");
  };
  line("Energy per run, before PUE");
  if (r.energy_source == EnergySource::energy)
    line("  Given   {:>12}  {}", format_energy(r.components.known_kwh), given_name(r, Field::energy));
  if (r.energy_source == EnergySource::power)
    line("  Given   {:>12}  {} W x {} h ({})", format_energy(r.components.known_kwh), format_sig(r.power_w, 4),
         format_sig(*r.runtime_h, 4), given_name(r, Field::power));
  if (r.has(Note::cpu_count_zero)) line("  CPU     {:>12}          {} 0", "0 Wh", given_name(r, Field::cores));
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
  if (r.has(Note::gpu_count_zero)) line("  GPU     {:>12}          {} 0", "0 Wh", given_name(r, Field::gpus));
  if (r.energy_source != EnergySource::components) {
    // the known energy covers memory
  } else if (r.memory_gb > 0)
    line("  Memory  {:>12}  {}  {} GB x {} W/GB x {} h", format_energy(r.components.memory_kwh),
         share(r.components.memory_kwh), format_sig(r.memory_gb, 4), format_sig(r.memory_power_w_per_gb, 4),
         format_sig(r.runtime_h.value_or(0), 4));
  else
    line("  Memory  {:>12}          not given (--memory)", "-");
  const auto extra = footprint_energy_rows(r);
  for (const auto& row : extra)
    if (row.key != "network")
      line("  {:<7} {:>12}  {}  {}", row.label, format_energy(row.value), share(row.value), row.detail);
  line("  Total   {:>12}", format_energy(run_total));
  out += '\n';
  if (r.pue_source == PueSource::included)
    line("PUE not applied: the energy given includes it ({} facility){}", given_name(r, Field::energy_scope),
         r.psf > 1 ? fmt::format("; x {} runs (PSF)", r.psf) : std::string());
  else
    line("PUE {} adds {} per run{}", format_sig(r.pue, 4), format_energy(run_total * (r.pue - 1)),
         r.psf > 1 ? fmt::format("; x {} runs (PSF)", r.psf) : std::string());
  for (const auto& row : extra)
    if (row.key == "network") line("Network {} per run: {}", format_energy(row.value), row.detail);
  const std::string annual_label = (r.window ? r.window->annual_source : r.intensity_source) == IntensitySource::flag
                                       ? given_phrase(r, Field::intensity)
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
    line("Grid {} gCO2e/kWh: {}{}", format_sig(r.intensity_g_per_kwh, 5), annual_label,
         r.region && r.intensity_source != IntensitySource::flag ? "; " + grid_basis_label(*r.region) : std::string());
  }
  if (r.budget) line("{}", budget_line(r));
  out += '\n';
  if (const auto parts = footprint_embodied_rows(r); !parts.empty()) {
    line("Embodied emissions, all runs");
    for (const auto& p : parts) line("  {:<8} {:>12}  {}", p.label, format_mass(p.value * 1000), p.detail);
    out += '\n';
  }
  if (const auto rl = range_lines(r); !rl.empty()) {
    for (const auto& l : rl) line("{}", l);
    out += '\n';
  }
  if (const auto eq = text_equivalents(g, data); !eq.empty()) {
    line("That is about");
    for (const auto& e : eq) line("  {:>10}  {}", format_sig(e.amount, 3), e.row->name);
    out += '\n';
  }
  line("Assumptions and sources");
  for (const auto& a : assumptions(r, data)) line("  - {}", a);
  return out;
}

namespace {

ojson energy_json(const EstimateResult& r) {
  if (r.energy_source == EnergySource::components) return nullptr;
  ojson e{{"source", r.energy_source == EnergySource::energy ? "energy" : "power"},
          {"energy_kwh", r.components.known_kwh},
          {"scope", r.energy_scope == EnergyScope::it ? "it" : "facility"}};
  e["power_w"] = r.energy_source == EnergySource::power ? ojson(r.power_w) : ojson(nullptr);
  return e;
}

ojson embodied_part_json(const EmbodiedPart& p) {
  if (!p.counted()) return nullptr;
  ojson j{
      {"kg", p.kg}, {"kg_each", p.kg_each}, {"unit_hours", p.unit_hours}, {"from", p.from_input ? "input" : "table"}};
  if (p.row != nullptr)
    j["row"] = {{"id", p.row->id},
                {"name", p.row->name},
                {"scope", p.row->scope},
                {"low_kg", p.row->low_kg >= 0 ? ojson(p.row->low_kg) : ojson(nullptr)},
                {"high_kg", p.row->high_kg >= 0 ? ojson(p.row->high_kg) : ojson(nullptr)},
                {"provenance", prov_json(p.row->prov)}};
  return j;
}

/// Server overhead, storage, network and embodied details (null parts: not counted).
ojson footprint_json(const EstimateResult& r) {
  const FootprintResult& fp = r.footprint;
  static constexpr std::string_view kNodeSources[] = {"none", "flag", "fraction"};
  ojson j;
  j["server"] = fp.node_power_source == NodePowerSource::none
                    ? ojson(nullptr)
                    : ojson{{"source", kNodeSources[static_cast<int>(fp.node_power_source)]},
                            {"nodes", fp.nodes > 0 ? ojson(fp.nodes) : ojson(nullptr)},
                            {"node_hours", fp.node_hours},
                            {"node_power_w", fp.node_power_w},
                            {"overhead_fraction", fp.node_overhead_fraction},
                            {"energy_kwh", r.components.server_kwh}};
  j["storage"] = fp.storage_tb > 0 ? ojson{{"tb", fp.storage_tb},
                                           {"type", storage_media_name(fp.storage_media)},
                                           {"w_per_tb", fp.storage_w_per_tb},
                                           {"energy_kwh", r.components.storage_kwh}}
                                   : ojson(nullptr);
  j["network"] =
      fp.transfer_gb > 0
          ? ojson{{"gb", fp.transfer_gb}, {"kwh_per_gb", fp.network_kwh_per_gb}, {"energy_kwh", fp.network_kwh}}
          : ojson(nullptr);
  if (!fp.embodied) {
    j["embodied"] = nullptr;
    return j;
  }
  j["embodied"] = {{"lifetime_years", fp.lifetime_years},
                   {"utilisation", fp.utilisation},
                   {"life_hours", fp.life_hours()},
                   {"embodied_kg", fp.embodied_kg},
                   {"gpu", embodied_part_json(fp.gpu)},
                   {"cpu", embodied_part_json(fp.cpu)},
                   {"memory", embodied_part_json(fp.memory)},
                   {"server", embodied_part_json(fp.server)},
                   {"storage", embodied_part_json(fp.storage)}};
  return j;
}

ojson budget_json(const EstimateResult& r) {
  if (!r.budget) return nullptr;
  return ojson{{"budget_kg", r.budget->budget_kg},
               {"co2e_kg", r.co2e_kg},
               {"margin_kg", r.budget->budget_kg - r.co2e_kg},
               {"exceeded", r.budget->exceeded(r.co2e_kg)},
               {"origin", origin_json(r.budget->origin)}};
}

}  // namespace

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out;
}

std::string render_markdown(const EstimateResult& r, const Dataset& data, const FunctionalUnit* per) {
  std::string out = "| co2e estimate | |\n|---|---|\n";
  auto row = [&](std::string_view label, const std::string& value) {
    out += fmt::format("| {} | {} |\n", label, markdown_cell(value));
  };
  row("**Carbon footprint**", fmt::format("**{} CO2e**{}{}", format_mass(r.co2e_kg * 1000),
                                          r.footprint.embodied ? " operational" : "", range_phrase_mass(r)));
  if (r.footprint.embodied) {
    row("Embodied", fmt::format("{} CO2e (manufacturing, amortised){}", format_mass(r.embodied_kg() * 1000),
                                range_phrase_embodied(r)));
    row("**Total**", fmt::format("**{} CO2e**{}", format_mass(r.total_co2e_kg() * 1000), range_phrase_total(r)));
  }
  row("Energy", format_energy(r.energy_kwh) + (r.psf > 1 ? fmt::format(" ({} runs)", r.psf) : std::string()) +
                    range_phrase_energy(r));
  if (per != nullptr) {
    const PerUnitFigures f = per_unit_figures(*per, r.energy_kwh, r.co2e_kg);
    row(fmt::format("Per {}", escape_for_message(per_unit_label(*per), 60)),
        fmt::format("{} CO2e, {} ({} {} in all)", format_mass(f.co2e_g), format_energy(f.energy_wh / 1000),
                    format_sig(per->count, 6), escape_for_message(per->unit, 60)));
  }
  const double run_total = r.components.total_kwh();
  auto part = [&](std::string_view label, double kwh, std::string what) {
    row(label, fmt::format("{} per run before PUE ({:.1f}%): {}", format_energy(kwh),
                           run_total > 0 ? 100 * kwh / run_total : 0.0, what));
  };
  if (r.cpu_power_source != PowerSource::none)
    part("CPU", r.components.cpu_kwh,
         fmt::format("{} core-hours x {} W{}", format_sig(r.core_hours, 6), format_sig(r.core_power_w, 4),
                     r.cpu_model != nullptr ? fmt::format(" ({})", r.cpu_model->name) : std::string()));
  if (r.gpu_power_source != PowerSource::none)
    part("GPU", r.components.gpu_kwh,
         fmt::format("{} GPU-hours x {} W{}", format_sig(r.gpu_hours, 6), format_sig(r.gpu_power_w, 4),
                     r.gpu_model != nullptr ? fmt::format(" ({})", r.gpu_model->name) : std::string()));
  if (r.memory_gb > 0)
    part("Memory", r.components.memory_kwh,
         fmt::format("{} GB x {} W/GB", format_sig(r.memory_gb, 4), format_sig(r.memory_power_w_per_gb, 4)));
  for (const auto& e : footprint_energy_rows(r)) {
    if (e.key == "network")  // spent outside the data centre: neither before PUE nor a share of what PUE multiplies
      row(e.label, fmt::format("{} per run: {}", format_energy(e.value), e.detail));
    else
      part(e.label, e.value, e.detail);
  }
  for (const auto& e : footprint_embodied_rows(r))
    row(fmt::format("Embodied {}", e.label), fmt::format("{} CO2e: {}", format_mass(e.value * 1000), e.detail));
  row("PUE", format_sig(r.pue, 4));
  const double grid = r.window ? r.window->average_g_per_kwh : r.intensity_g_per_kwh;
  const std::string where = r.window                                      ? std::string("intensity series window")
                            : r.intensity_source == IntensitySource::flag ? std::string("--intensity")
                            : r.region                                    ? region_label(*r.region)
                                                                          : std::string("world average");
  row("Grid", fmt::format("{} gCO2e/kWh ({})", format_sig(grid, 5), where));
  if (const std::string head = range_headline(r); !head.empty()) {  // the text's range section
    row("Range", head);
    for (const RangeInputText& x : range_inputs(r))
      row(fmt::format("  {}", x.label), fmt::format("{} ({})", x.bounds, x.why));
  }
  out += "\n<details><summary>Assumptions and sources</summary>\n\n";
  for (const auto& a : assumptions(r, data)) out += fmt::format("- {}\n", a);
  out += fmt::format("\n</details>\n");
  return out;
}

// long-function: one key per member of the documented JSON document (docs/cli.md), in its order.
std::string render_json(const EstimateResult& r, const Dataset& data, const FunctionalUnit* per) {
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
  if (per != nullptr)
    for (const PerUnitValue& v : per_unit_values(*per, r.energy_kwh, r.co2e_kg))
      j[std::string(v.name)] = v.is_text ? ojson(v.text) : ojson(v.number);

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
    if (!r.gpu_variants.empty()) {
      ojson variants = ojson::array();
      for (const GpuModel* g : r.gpu_variants) variants.push_back(g->name);
      gpu["other_variants"] = variants;
    }
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
    const RegionMatch& m = *r.region;
    // The basis of the figure used (null with --intensity: a figure given by the user carries
    // whatever basis its publisher used, co2e cannot know it).
    grid["basis"] = r.intensity_source == IntensitySource::flag || m.intensity_basis().empty()
                        ? ojson(nullptr)
                        : ojson(m.intensity_basis());
    grid["basis_requested"] = basis_name(m.basis);
    grid["basis_fallback"] = r.intensity_source != IntensitySource::flag && m.basis_fallback();
    grid["intensity_source_requested"] = intensity_origin_name(m.origin);
    grid["figure_from"] = m.uses_provider_figure() ? "provider" : "location";
    grid["region"] = {{"code", m.grid->code},
                      {"name", m.grid->name},
                      {"kind", m.grid->kind},
                      {"intensity_g_per_kwh", m.grid->intensity_g_per_kwh},
                      {"basis", m.grid->basis.empty() ? ojson(nullptr) : ojson(m.grid->basis)},
                      {"lifecycle_g_per_kwh", m.grid->on_basis(Basis::lifecycle) >= 0 && !m.grid->basis.empty()
                                                  ? ojson(m.grid->on_basis(Basis::lifecycle))
                                                  : ojson(nullptr)},
                      {"direct_g_per_kwh", m.grid->on_basis(Basis::direct) >= 0 && !m.grid->basis.empty()
                                               ? ojson(m.grid->on_basis(Basis::direct))
                                               : ojson(nullptr)},
                      {"provenance", prov_json(m.grid->prov)}};
    if (m.cloud != nullptr) {
      ojson cloud{{"code", m.cloud->code},
                  {"provider", m.cloud->provider},
                  {"name", m.cloud->name},
                  {"location", m.cloud->location},
                  {"location_note", m.cloud->location_note.empty() ? ojson(nullptr) : ojson(m.cloud->location_note)},
                  {"provenance", prov_json(m.cloud->prov)}};
      cloud["intensity_g_per_kwh"] =
          m.cloud->intensity_g_per_kwh >= 0 ? ojson(m.cloud->intensity_g_per_kwh) : ojson(nullptr);
      if (m.cloud->intensity_g_per_kwh >= 0) {
        cloud["intensity_basis"] = m.cloud->intensity_basis.empty() ? ojson(nullptr) : ojson(m.cloud->intensity_basis);
        cloud["intensity_provenance"] = prov_json(m.cloud->intensity_prov);
      }
      cloud["pue"] = m.cloud->pue >= 1 ? ojson(m.cloud->pue) : ojson(nullptr);
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
  if (const CloudInstance* i = r.instance) {
    ojson replaced = ojson::array();
    for (const auto& f : estimate_fields())
      if ((r.instance_overrides >> static_cast<unsigned>(f.field)) & 1U) replaced.push_back(f.column);
    inputs["instance"] = {{"code", i->code},
                          {"vcpus", i->vcpus},
                          {"cpu", i->cpu},
                          {"gpus", i->gpus},
                          {"gpu", i->gpu},
                          {"memory_gb", i->memory_gb},
                          {"replaced_by_user", replaced},
                          {"provenance", prov_json(i->prov)}};
  }
  inputs["energy"] = energy_json(r);
  inputs["footprint"] = footprint_json(r);
  inputs["origins"] = origins_json(r.origins);
  j["inputs"] = inputs;
  j["budget"] = budget_json(r);
  j["range"] = range_json(r);

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
  j["data_release"] = data_release();
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
    {"energy_kwh", "kWh",
     "energy of all runs, PUE included: pue × (cpu_kwh + gpu_kwh + memory_kwh + known_kwh + server_kwh + storage_kwh) "
     "+ network_kwh",
     [](const EstimateResult& r) { return r.energy_kwh; }},
    {"co2e_kg", "kg CO2e", "operational emissions: energy_kwh × intensity_g_per_kwh / 1000 (embodied apart)",
     [](const EstimateResult& r) { return r.co2e_kg; }},
    {"cpu_kwh", "kWh", "energy of the CPU cores, all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.cpu_kwh * static_cast<double>(r.psf); }},
    {"gpu_kwh", "kWh", "energy of the GPUs, all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.gpu_kwh * static_cast<double>(r.psf); }},
    {"memory_kwh", "kWh", "energy of the memory, all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.memory_kwh * static_cast<double>(r.psf); }},
    {"known_kwh", "kWh",
     "a known energy instead of the components (--energy, or --power × runtime), all runs (× psf), before PUE",
     [](const EstimateResult& r) { return r.components.known_kwh * static_cast<double>(r.psf); }},
    {"pue", "ratio", "power usage effectiveness applied (facility energy / IT energy; 1 for a facility energy)",
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
    {"server_kwh", "kWh", "server overhead beyond CPUs, GPUs and memory (--node-power, --nodes), all runs, before PUE",
     [](const EstimateResult& r) { return r.components.server_kwh * static_cast<double>(r.psf); }},
    {"storage_kwh", "kWh", "storage kept for the runs (--storage), all runs, before PUE",
     [](const EstimateResult& r) { return r.components.storage_kwh * static_cast<double>(r.psf); }},
    {"network_kwh", "kWh", "data moved over networks (--transfer), all runs; outside the data centre, no PUE",
     [](const EstimateResult& r) { return r.footprint.network_kwh * static_cast<double>(r.psf); }},
    {"embodied_kg", "kg CO2e",
     "manufacturing emissions amortised over the runs (--embodied); 0 when not counted; not in co2e_kg",
     [](const EstimateResult& r) { return r.embodied_kg(); }},
    {"total_co2e_kg", "kg CO2e", "operational plus embodied: co2e_kg + embodied_kg",
     [](const EstimateResult& r) { return r.total_co2e_kg(); }},
    {"co2e_kg_low", "kg CO2e",
     "low bound of co2e_kg: every input at the low end of its range (docs/methodology.md, Ranges); null with "
     "--no-range",
     [](const EstimateResult& r) { return r.range ? r.range->co2e_kg.low : kAbsent; }},
    {"co2e_kg_high", "kg CO2e", "high bound of co2e_kg: every input at the high end of its range; null with --no-range",
     [](const EstimateResult& r) { return r.range ? r.range->co2e_kg.high : kAbsent; }},
    {"total_co2e_kg_low", "kg CO2e",
     "low bound of total_co2e_kg (operational plus embodied, each input at the low end of its range); null with "
     "--no-range",
     [](const EstimateResult& r) { return r.range ? r.range->total_co2e_kg.low : kAbsent; }},
    {"total_co2e_kg_high", "kg CO2e", "high bound of total_co2e_kg; null with --no-range",
     [](const EstimateResult& r) { return r.range ? r.range->total_co2e_kg.high : kAbsent; }},
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

namespace {

/// The numbers a row has written so far, by value: a row repeats figures (co2e_kg is also
/// total_co2e_kg without embodied emissions, and its bounds when every input is exact; runtime_h is
/// gpu_hours for one GPU), and copying the text written earlier costs a tenth of formatting it
/// again (issue 18: a quarter of batch's time was write_number). Direct-mapped on the double's
/// bits, so a lookup is one comparison; the text is the same bytes write_number gave.
class WrittenNumbers {
 public:
  /// Writes `v` at `p` (kNumberChars free, as write_number asks); returns the end.
  char* write(char* p, double v) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    Slot& s = slots_[(bits * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotBits)];
    if (s.bits == bits && s.at != nullptr) {
      // A fixed-size copy through a temporary (the earlier text may end within 32 bytes of p):
      // two 16-byte loads and stores, where a memmove call of a few bytes costs more.
      char text[kNumberChars];
      std::memcpy(text, s.at, kNumberChars);
      std::memcpy(p, text, kNumberChars);
      return p + s.size;
    }
    char* end = write_number(p, v);
    s = {bits, p, static_cast<std::uint32_t>(end - p)};
    return end;
  }

 private:
  // 8 slots: fewer than a row's numbers, but measured (callgrind, 100k rows) cheaper than 16 or 32
  // with a bit set of used slots; the repeats are mostly close together.
  static constexpr int kSlotBits = 3;
  struct Slot {
    std::uint64_t bits = 0;
    const char* at = nullptr;  ///< the text, earlier in the same output buffer
    std::uint32_t size = 0;
  };
  std::array<Slot, std::size_t{1} << kSlotBits> slots_{};
};

/// Column I of the table, its accessor called directly: the loop over the table is unrolled at
/// compile time (csv_values), so each column is inlined code instead of a call through a pointer
/// from one call site, whose target changes every column (batch calls this for every row).
template <std::size_t I>
char* csv_value(char* p, const EstimateResult& r, char sep, WrittenNumbers& written) {
  constexpr ResultColumn c = kResultColumns[I];
  if constexpr (I > 0) *p++ = sep;
  if constexpr (c.number != nullptr) {
    const double v = c.number(r);
    if (!std::isnan(v)) p = written.write(p, v);
  } else {
    p = write_csv_field(p, c.text(r), sep);
  }
  return p;
}

template <std::size_t... I>
char* csv_values(char* p, const EstimateResult& r, char sep, std::index_sequence<I...> /*columns*/) {
  WrittenNumbers written;
  ((p = csv_value<I>(p, r, sep, written)), ...);
  return p;
}

}  // namespace

char* write_csv_result_values(char* p, const EstimateResult* r, char sep) {
  if (r == nullptr) return std::fill_n(p, kResultColumnCount - 1, sep);
  return csv_values(p, *r, sep, std::make_index_sequence<kResultColumnCount>());
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

std::string render_csv(const EstimateResult& r, const FunctionalUnit* per) {
  std::string out;
  for (const ResultColumn& c : kResultColumns) {
    if (!out.empty()) out += ',';
    out += c.name;
  }
  if (per != nullptr)
    for (const PerUnitColumn& c : per_unit_columns()) out += fmt::format(",{}", c.name);
  out += '\n';
  append_csv_result_values(out, &r, ',');
  if (per != nullptr) append_per_unit_csv(out, per, r.energy_kwh, r.co2e_kg);
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
