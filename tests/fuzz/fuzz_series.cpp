// libFuzzer harness: intensity series (plain CSV, Electricity Maps CSV, UK National Grid JSON)
// and ISO 8601 timestamps, then queries over whatever was read.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "co2e/intensity_series.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)co2e::parse_timestamp(text.substr(0, 64));
  co2e::SeriesOptions options;
  auto s = co2e::read_intensity_series(text, options);
  if (!s || s->series.empty()) return 0;
  const auto& series = s->series;
  const auto mid = series.begin() + (series.end() - series.begin()) / 2;
  (void)series.at(mid);
  (void)series.average(series.begin(), series.end());
  (void)series.integrate(mid, series.end() + std::chrono::hours(1));
  return 0;
}
