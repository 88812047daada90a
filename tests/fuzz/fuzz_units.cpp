// libFuzzer harness: every quantity parser on arbitrary text. They must return a value or an
// Error, never crash, hang or return a non-finite value.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "co2e/estimate.hpp"
#include "co2e/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto finite = [](double v) {
    if (!std::isfinite(v)) std::abort();
  };
  if (auto r = co2e::parse_duration(text)) finite(r->count());
  if (auto r = co2e::parse_slurm_duration(text)) finite(r->count());
  if (auto r = co2e::parse_size_gb(text)) finite(*r);
  if (auto r = co2e::parse_mass_g(text)) finite(*r);
  if (auto r = co2e::parse_energy_kwh(text)) finite(*r);
  if (auto r = co2e::parse_number(text)) finite(*r);
  if (auto r = co2e::parse_fraction(text); r && (*r < 0 || *r > 1)) std::abort();
  (void)co2e::parse_integer(text, 1, 1'000'000);
  co2e::EstimateSpec spec;
  for (const auto& f : co2e::estimate_fields()) (void)co2e::set_field(spec, f.field, text);
  (void)co2e::format_sig(static_cast<double>(size) * 1.37e-3, 4);
  return 0;
}
