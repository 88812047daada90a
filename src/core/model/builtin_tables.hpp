// The built-in rows, generated at build time from data/*.json by src/gen/gen_tables.cpp.
#pragma once

#include <span>
#include <string_view>

#include "co2e/data.hpp"

namespace co2e::builtin {

extern const std::span<const CpuModel> cpus;
extern const std::span<const GpuModel> gpus;
extern const std::span<const Region> regions;
extern const std::span<const CloudRegion> cloud_regions;
extern const std::span<const Provider> providers;
extern const std::span<const Equivalence> equivalences;
extern const std::span<const Constant> constants;
extern const std::span<const CloudInstance> instances;
extern const std::span<const EmbodiedItem> embodied;
/// Row counts, newest year per table and a content hash of data/*.json.
extern const std::string_view summary;
/// The release identifier of data/*.json (`data_release` in data/constants.json).
extern const std::string_view data_release;

}  // namespace co2e::builtin
