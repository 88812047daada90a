// libFuzzer harness: every quantity parser, and the message quoting, on arbitrary text. They must return a value or an
// Error, never crash, hang or return a non-finite value.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "co2e/estimate.hpp"
#include "co2e/quote.hpp"
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
  if (auto r = co2e::parse_power_w(text)) finite(*r);
  if (auto r = co2e::parse_power_w_per_gb(text)) finite(*r);
  if (auto r = co2e::parse_intensity_g_per_kwh(text)) finite(*r);
  if (auto r = co2e::parse_number(text)) finite(*r);
  if (auto r = co2e::parse_integer(text, 0, 1'000'000); r && (*r < 0 || *r > 1'000'000)) std::abort();
  // What a message quotes is valid UTF-8 with no control byte, and bounded.
  const std::string quoted = co2e::quote_for_message(text);
  if (co2e::looks_binary(quoted) || quoted.size() > 4 * 80 + 5) std::abort();
  for (unsigned char c : quoted)
    if (c < 0x20 || c == 0x7f) std::abort();
  if (auto r = co2e::parse_fraction(text); r && (*r < 0 || *r > 1)) std::abort();
  (void)co2e::parse_integer(text, 1, 1'000'000);
  co2e::EstimateSpec spec;
  for (const auto& f : co2e::estimate_fields()) (void)co2e::set_field(spec, f.field, text);
  (void)co2e::format_sig(static_cast<double>(size) * 1.37e-3, 4);
  return 0;
}
