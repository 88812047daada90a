// --instance: a cloud instance type stands for the cores, CPU, GPUs and memory the provider
// documents for it (data/instances.json). Whatever the user gave explicitly wins, and the
// result records which of the instance's values were replaced so the report can say so. Each
// value the instance fills carries the origin "table row <code>", so reports say where it came from.
#include <fmt/format.h>

#include "co2e/estimate.hpp"
#include "co2e/quote.hpp"

namespace co2e {

namespace {

void mark(std::uint64_t& bits, Field f) { bits |= std::uint64_t{1} << static_cast<unsigned>(f); }

Error usage_error(Field f, std::string message) {
  Error e = Error::usage(std::move(message));
  e.field = f;
  return e;
}

}  // namespace

Result<InstanceExpansion> expand_instance(const EstimateSpec& spec, const Dataset& data) {
  InstanceExpansion x;
  x.spec = spec;
  x.spec.instance.reset();
  if (!spec.instance) return x;
  const std::string name = input_name(spec, Field::instance);
  auto row = data.find_instance(*spec.instance);
  if (!row) {
    Error e = row.error().with_context(name);
    e.field = Field::instance;
    return e;
  }
  const CloudInstance& i = **row;
  x.row = &i;
  EstimateSpec& s = x.spec;
  // A known energy replaces the component sum the instance describes: one or the other.
  if (spec.energy_kwh || spec.power_w) {
    const Field f = spec.energy_kwh ? Field::energy : Field::power;
    return usage_error(f, fmt::format("{} and {} conflict: {} is the whole energy of a run, which replaces the "
                                      "instance's CPU, GPUs and memory; give one or the other",
                                      name, input_name(spec, f), input_name(spec, f)));
  }
  // What the instance fills comes from its table row.
  const Origin from_row = Origin::table(i.code);
  auto fill = [&](Field f) { s.origins[static_cast<std::size_t>(f)] = from_row; };

  // CPU: the instance's vCPUs count as cores (one per vCPU, as the explicit flags would be
  // written; docs/cli.md says why this is an upper bound on x86).
  if (spec.cores || spec.core_hours)
    mark(x.overrides, spec.cores ? Field::cores : Field::core_hours);
  else {
    s.cores = i.vcpus;
    fill(Field::cores);
  }
  if (spec.cpu || spec.core_power_w) {
    if (!i.cpu.empty()) mark(x.overrides, spec.cpu ? Field::cpu : Field::core_power);
  } else if (!i.cpu.empty()) {
    s.cpu = std::string(i.cpu);
    fill(Field::cpu);
  }
  // GPUs.
  if (i.gpus > 0) {
    if (spec.gpus || spec.gpu_hours)
      mark(x.overrides, spec.gpus ? Field::gpus : Field::gpu_hours);
    else {
      s.gpus = i.gpus;
      fill(Field::gpus);
    }
    if (spec.gpu || spec.gpu_power_w)
      mark(x.overrides, spec.gpu ? Field::gpu : Field::gpu_power);
    else {
      s.gpu = std::string(i.gpu);
      fill(Field::gpu);
    }
  }
  // Memory.
  if (spec.memory_gb)
    mark(x.overrides, Field::memory);
  else {
    s.memory_gb = i.memory_gb;
    s.memory_bare_number = false;  // the table's GB, not a guess about a bare number
    fill(Field::memory);
  }

  // Where it runs: a cloud region of another provider is a contradiction; nothing at all means
  // the provider's default PUE (as --provider would give).
  if (spec.region) {
    if (auto m = data.find_region(*spec.region); m && m->cloud != nullptr && m->cloud->provider != i.provider)
      return usage_error(Field::region,
                         fmt::format("{} {} runs on {}, but {} {} is a region of {}: give one of {} (see `co2e "
                                     "list regions --match {}:`) or a grid region such as FR",
                                     name, i.code, i.provider, input_name(spec, Field::region),
                                     quote_for_message(*spec.region), m->cloud->provider, i.provider, i.provider));
  } else if (!spec.provider && !spec.platform && !spec.pue) {
    s.provider = std::string(i.provider);
    fill(Field::provider);
  }
  return x;
}

Result<EstimateResult> estimate_instance(const EstimateSpec& spec, const Dataset& data, LookupCache* cache) {
  auto x = expand_instance(spec, data);
  if (!x) return x.error();
  auto r = estimate(x->spec, data, cache);
  if (!r) return r.error();
  r->instance = x->row;
  r->instance_overrides = x->overrides;
  return r;
}

}  // namespace co2e
