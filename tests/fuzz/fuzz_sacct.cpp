// libFuzzer harness: the sacct reader on arbitrary bytes, read whole and line by line. Messy
// accounting must be counted and skipped, never crash; every job it hands on must be finite.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "co2e/sacct.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  co2e::SacctReader whole([](const co2e::SacctJob& j) {
    if (!std::isfinite(j.req_mem_gb)) std::abort();
  });
  if (!whole.read_all(text)) (void)whole.finish();
  // The same bytes split at every newline must not crash either (the streaming path).
  co2e::SacctReader lines([](const co2e::SacctJob&) {});
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    if (lines.line(rest.substr(0, nl))) break;
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  (void)lines.finish();
  return 0;
}
