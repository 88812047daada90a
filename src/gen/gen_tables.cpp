// co2e_gen_tables: compiles data/*.json into a C++ source file of constant rows.
// Usage: co2e_gen_tables --root DIR -o OUT.cpp FILE.json...
// Every file goes through the same parser as user tables (with provenance required), then the
// tables are checked as a whole: unique keys, cloud locations that exist, known providers.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "co2e/data.hpp"
#include "co2e/range.hpp"
#include "model/data_audit.hpp"
#include "model/data_json.hpp"

namespace {

using co2e::detail::TableSet;

/// A std::string_view of a C++ string literal for `s` (quotes, backslashes, control and
/// non-ASCII bytes escaped), with its length spelled out so the compiler need not count it.
std::string lit(std::string_view s) {
  if (s.empty()) return "{}";
  std::string out = "std::string_view{\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\{:03o}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + fmt::format("\", {}}}", s.size());
}

std::string prov(const co2e::Provenance& p) {
  return fmt::format("{{{}, {}, {}, {}, {}, {}, {}, {}}}", lit(p.source), p.year, lit(p.licence), lit(p.origin),
                     lit(p.release), lit(p.url), lit(p.retrieved), lit(p.note));
}

std::string num(double v) { return fmt::format("{:.17g}", v); }

template <class Row, class Fn>
void emit(std::ostream& os, const char* type, const char* name, const std::vector<Row>& rows, Fn row) {
  if (rows.empty()) {
    os << "const std::span<const " << type << "> " << name << "{};\n\n";
    return;
  }
  // constexpr: constant initialization guaranteed, so no giant dynamic initializer for the
  // optimizer to chew on (that made -O2 builds of this file take minutes).
  os << "static constexpr " << type << " k_" << name << "[] = {\n";
  for (const auto& r : rows) os << "  " << row(r) << ",\n";
  os << "};\nconst std::span<const " << type << "> " << name << "{k_" << name << "};\n\n";
}

template <class Row, class KeyFn>
bool unique(const std::vector<Row>& rows, const char* table, KeyFn key) {
  std::map<std::string, std::string> seen;
  bool ok = true;
  for (const auto& r : rows) {
    auto k = co2e::normalize_name(key(r));
    auto [it, inserted] = seen.emplace(k, std::string(key(r)));
    if (!inserted) {
      std::cerr << "co2e_gen_tables: " << table << ": \"" << key(r) << "\" duplicates \"" << it->second << "\"\n";
      ok = false;
    }
  }
  return ok;
}

template <class Row>
int newest(const std::vector<Row>& rows) {
  int y = 0;
  for (const auto& r : rows) y = std::max(y, r.prov.year);
  return y;
}

}  // namespace

// long-function: a build-time tool: its arguments, then one loop per table written out, in order.
int main(int argc, char** argv) {
  std::string root, out_path;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--root" && i + 1 < argc)
      root = argv[++i];
    else if (a == "-o" && i + 1 < argc)
      out_path = argv[++i];
    else
      files.push_back(a);
  }
  if (out_path.empty() || files.empty()) {
    std::cerr << "usage: co2e_gen_tables --root DIR -o OUT.cpp FILE.json...\n";
    return 2;
  }

  TableSet set;
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over every file's bytes
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << "co2e_gen_tables: cannot read " << f << "\n";
      return 3;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
    std::string origin = f;
    if (!root.empty() && origin.starts_with(root)) origin = origin.substr(root.size());
    while (origin.starts_with('/')) origin.erase(0, 1);
    if (auto err = co2e::detail::parse_tables_json(text, origin, /*require_provenance=*/true, set)) {
      std::cerr << "co2e_gen_tables: " << err->message << "\n";
      return 3;
    }
  }

  const co2e::detail::Rows& rows = set.rows;
  bool ok = unique(rows.cpus, "cpus", [](const auto& r) { return r.name; }) &&
            unique(rows.gpus, "gpus", [](const auto& r) { return r.name; }) &&
            unique(rows.regions, "regions", [](const auto& r) { return r.code; }) &&
            unique(rows.cloud_regions, "cloud_regions", [](const auto& r) { return r.code; }) &&
            unique(rows.providers, "providers", [](const auto& r) { return r.id; }) &&
            unique(rows.equivalences, "equivalences", [](const auto& r) { return r.id; }) &&
            unique(rows.constants, "constants", [](const auto& r) { return r.id; }) &&
            unique(rows.instances, "instances", [](const auto& r) { return r.code; }) &&
            unique(rows.embodied, "embodied", [](const auto& r) { return r.id; });
  // The formula's fallbacks are read from these rows only (Dataset::constant): no row, no build.
  for (const std::string_view id : co2e::kDefaultConstantIds) {
    if (std::none_of(rows.constants.begin(), rows.constants.end(), [&](const auto& c) { return c.id == id; })) {
      std::cerr << "co2e_gen_tables: constants: no row \"" << id
                << "\" (the formula's default; see docs/data-schema.md)\n";
      ok = false;
    }
  }
  // The ranges' constants (issue 17) likewise: every range_* row the code reads.
  for (const std::string_view id : co2e::kRangeConstantIds) {
    if (std::none_of(rows.constants.begin(), rows.constants.end(), [&](const auto& c) { return c.id == id; })) {
      std::cerr << "co2e_gen_tables: constants: no row \"" << id
                << "\" (a range's bound; see docs/methodology.md, Ranges)\n";
      ok = false;
    }
  }
  std::set<std::string_view> region_codes, provider_ids;
  for (const auto& r : rows.regions) region_codes.insert(r.code);
  for (const auto& p : rows.providers) provider_ids.insert(p.id);
  for (const auto& c : rows.cloud_regions) {
    if (!region_codes.contains(c.location)) {
      std::cerr << "co2e_gen_tables: cloud region " << c.code << ": location \"" << c.location
                << "\" is not a code in regions\n";
      ok = false;
    }
    if (!provider_ids.contains(c.provider)) {
      std::cerr << "co2e_gen_tables: cloud region " << c.code << ": provider \"" << c.provider
                << "\" is not an id in providers\n";
      ok = false;
    }
  }
  if (set.data_release.empty()) {
    std::cerr << "co2e_gen_tables: no \"data_release\" in data/*.json (data/constants.json names the release)\n";
    ok = false;
  }
  // An instance names its CPU and GPU by a row's full name, so that it can never resolve to
  // another row or to an ambiguity at run time.
  std::set<std::string> cpu_keys, gpu_keys;
  for (const auto& c : rows.cpus) cpu_keys.insert(std::string(c.key));
  for (const auto& g : rows.gpus) gpu_keys.insert(std::string(g.key));
  for (const auto& i : rows.instances) {
    if (!provider_ids.contains(i.provider) || !i.code.starts_with(std::string(i.provider) + ":")) {
      std::cerr << "co2e_gen_tables: instance " << i.code << ": provider \"" << i.provider
                << "\" is not an id in providers or not the code's prefix\n";
      ok = false;
    }
    if (!i.cpu.empty() && !cpu_keys.contains(co2e::normalize_name(i.cpu))) {
      std::cerr << "co2e_gen_tables: instance " << i.code << ": cpu \"" << i.cpu << "\" is not a name in cpus\n";
      ok = false;
    }
    if (!i.gpu.empty() && !gpu_keys.contains(co2e::normalize_name(i.gpu))) {
      std::cerr << "co2e_gen_tables: instance " << i.code << ": gpu \"" << i.gpu << "\" is not a name in gpus\n";
      ok = false;
    }
  }
  if (!ok) return 3;

  // The audit: errors fail the build; the whole report goes beside the generated tables.
  const auto findings = co2e::detail::audit_tables(rows);
  std::ostringstream audit;
  int errors = 0;
  for (const auto& f : findings) {
    audit << (f.error ? "error" : "note") << " [" << f.check << "] " << f.message << "\n";
    if (f.error) {
      std::cerr << "co2e_gen_tables: data audit: [" << f.check << "] " << f.message << "\n";
      ++errors;
    }
  }
  if (errors > 0) return 3;
  {
    std::ofstream rep(out_path + ".audit.txt", std::ios::binary);
    rep << "# data audit of data/*.json (co2e_gen_tables); notes are for review, errors fail the build\n"
        << audit.str();
  }

  std::ostringstream os;
  os << "// Generated by co2e_gen_tables from data/*.json. Do not edit.\n"
     << "#include \"model/builtin_tables.hpp\"\n\nnamespace co2e::builtin {\n\n";
  emit(os, "CpuModel", "cpus", rows.cpus, [](const co2e::CpuModel& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}, {}}}", lit(r.name), lit(r.key), num(r.tdp_w), r.cores, lit(r.vendor),
                       lit(r.aliases), prov(r.prov));
  });
  emit(os, "GpuModel", "gpus", rows.gpus, [](const co2e::GpuModel& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}, {}, {}}}", lit(r.name), lit(r.key), num(r.tdp_w), lit(r.kind),
                       lit(r.vendor), num(r.memory_gb), lit(r.aliases), prov(r.prov));
  });
  emit(os, "Region", "regions", rows.regions, [](const co2e::Region& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}, {}, {}, {}}}", lit(r.code), lit(r.name), lit(r.kind), lit(r.iso3),
                       lit(r.country), num(r.intensity_g_per_kwh), lit(r.basis), num(r.other_g_per_kwh), prov(r.prov));
  });
  emit(os, "CloudRegion", "cloud_regions", rows.cloud_regions, [](const co2e::CloudRegion& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}, {}, {}, {}, {}}}", lit(r.code), lit(r.provider), lit(r.name),
                       lit(r.location), num(r.intensity_g_per_kwh), lit(r.intensity_basis), prov(r.intensity_prov),
                       lit(r.location_note), num(r.pue), prov(r.prov));
  });
  emit(os, "Provider", "providers", rows.providers, [](const co2e::Provider& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}}}", lit(r.id), lit(r.name), lit(r.kind), num(r.pue), lit(r.aliases),
                       prov(r.prov));
  });
  emit(os, "Equivalence", "equivalences", rows.equivalences, [](const co2e::Equivalence& r) {
    return fmt::format("{{{}, {}, {}, {}}}", lit(r.id), lit(r.name), num(r.g_per_unit), prov(r.prov));
  });
  emit(os, "Constant", "constants", rows.constants, [](const co2e::Constant& r) {
    return fmt::format("{{{}, {}, {}, {}}}", lit(r.id), num(r.value), lit(r.description), prov(r.prov));
  });
  emit(os, "CloudInstance", "instances", rows.instances, [](const co2e::CloudInstance& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}, {}, {}}}", lit(r.code), lit(r.provider), r.vcpus, lit(r.cpu),
                       num(r.memory_gb), r.gpus, lit(r.gpu), prov(r.prov));
  });
  emit(os, "EmbodiedItem", "embodied", rows.embodied, [](const co2e::EmbodiedItem& r) {
    return fmt::format("{{{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}}}", lit(r.id), lit(r.name), lit(r.key),
                       lit(r.kind), lit(r.per), num(r.kg), num(r.low_kg), num(r.high_kg), r.gpus,
                       r.is_default ? "true" : "false", lit(r.scope), lit(r.applies_to), lit(r.aliases), prov(r.prov));
  });
  const std::string summary = fmt::format(
      "release {}: cpus {} ({}), gpus {} ({}), regions {} ({}), cloud regions {}, providers {}, instances {}; data "
      "{:016x}",
      set.data_release, rows.cpus.size(), newest(rows.cpus), rows.gpus.size(), newest(rows.gpus), rows.regions.size(),
      newest(rows.regions), rows.cloud_regions.size(), rows.providers.size(), rows.instances.size(), hash);
  os << "const std::string_view summary = " << lit(summary) << ";\n";
  os << "const std::string_view data_release = " << lit(set.data_release) << ";\n\n}  // namespace co2e::builtin\n";

  const std::string tmp = out_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << os.str();
    if (!out) {
      std::cerr << "co2e_gen_tables: cannot write " << tmp << "\n";
      return 3;
    }
  }
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    std::cerr << "co2e_gen_tables: cannot rename " << tmp << " to " << out_path << "\n";
    return 3;
  }
  return 0;
}
