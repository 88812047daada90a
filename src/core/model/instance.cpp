// --instance: a cloud instance type stands for the cores, CPU, GPUs and memory the provider
// documents for it (data/instances.json). Whatever the user gave explicitly wins, and the
// result records which of the instance's values were replaced so the report can say so.
#include <fmt/format.h>

#include "co2e/estimate.hpp"

namespace co2e {

namespace {

void mark(std::uint32_t& bits, Field f) { bits |= 1U << static_cast<unsigned>(f); }

}  // namespace

Result<InstanceExpansion> expand_instance(const EstimateSpec& spec, const Dataset& data) {
  InstanceExpansion x;
  x.spec = spec;
  x.spec.instance.reset();
  if (!spec.instance) return x;
  auto row = data.find_instance(*spec.instance);
  if (!row) return row.error().with_context("--instance");
  const CloudInstance& i = **row;
  x.row = &i;
  EstimateSpec& s = x.spec;

  // CPU: the instance's vCPUs count as cores (one per vCPU, as the explicit flags would be
  // written; docs/cli.md says why this is an upper bound on x86).
  if (spec.cores || spec.core_hours)
    mark(x.overrides, spec.cores ? Field::cores : Field::core_hours);
  else
    s.cores = i.vcpus;
  if (spec.cpu || spec.core_power_w) {
    if (!i.cpu.empty()) mark(x.overrides, spec.cpu ? Field::cpu : Field::core_power);
  } else if (!i.cpu.empty()) {
    s.cpu = std::string(i.cpu);
  }
  // GPUs.
  if (i.gpus > 0) {
    if (spec.gpus || spec.gpu_hours)
      mark(x.overrides, spec.gpus ? Field::gpus : Field::gpu_hours);
    else
      s.gpus = i.gpus;
    if (spec.gpu || spec.gpu_power_w)
      mark(x.overrides, spec.gpu ? Field::gpu : Field::gpu_power);
    else
      s.gpu = std::string(i.gpu);
  }
  // Memory.
  if (spec.memory_gb)
    mark(x.overrides, Field::memory);
  else
    s.memory_gb = i.memory_gb;

  // Where it runs: a cloud region of another provider is a contradiction; nothing at all means
  // the provider's default PUE (as --provider would give).
  if (spec.region) {
    if (auto m = data.find_region(*spec.region); m && m->cloud != nullptr && m->cloud->provider != i.provider)
      return Error::usage(fmt::format(
          "--instance {} runs on {}, but --region {} is a {} region: give a region of {} (see `co2e list regions "
          "--match {}:`) or a grid region such as FR",
          i.code, i.provider, *spec.region, m->cloud->provider, i.provider, i.provider));
  } else if (!spec.provider && !spec.platform && !spec.pue) {
    s.provider = std::string(i.provider);
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
