// libFuzzer harness: co2e batch end to end on arbitrary input (CSV with any separator, quotes,
// BOM, CRLF, NUL bytes, JSON Lines), with small read blocks so records straddle block edges,
// then the Markdown and LaTeX reports of whatever was read.
#include <cstdint>
#include <string>
#include <string_view>

#include "co2e/batch.hpp"
#include "co2e/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const co2e::Dataset d;
  const std::string text(reinterpret_cast<const char*>(data), size);
  co2e::CsvReader in(co2e::string_reader(text), 0, 61);
  co2e::BatchOptions opts;
  opts.defaults.runtime = co2e::Seconds(3600);  // so that rows without a time column still estimate
  std::size_t written = 0;
  auto summary = co2e::run_batch(in, d, opts, [&](std::string_view chunk) -> co2e::Status {
    written += chunk.size();
    return std::nullopt;
  });
  if (summary) {
    (void)co2e::render_batch_markdown(*summary, d);
    (void)co2e::render_batch_latex(*summary, d);
  }
  return 0;
}
