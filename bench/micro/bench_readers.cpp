// Reader throughput in process, input in memory (no I/O): CsvReader over a 10-column numeric CSV,
// and SacctReader over sacct -P lines of jobs with their steps. Bytes/s and items (rows or lines)/s.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "co2e/csv.hpp"
#include "co2e/sacct.hpp"

namespace {

/// `rows` rows of 10 numeric columns, with a header.
std::string numeric_csv(int rows) {
  std::string s = "runtime_h,cores,core_power,memory,pue,intensity,gpus,gpu_power,psf,id\n";
  for (int i = 0; i < rows; ++i)
    s += std::to_string(1 + i % 48) + "," + std::to_string(1 + i % 64) + ",12.5,64,1.2,231.12,0,0,1," +
         std::to_string(i) + "\n";
  return s;
}

/// `jobs` jobs, each followed by its batch and extern steps, as sacct --parsable2 writes them.
std::string sacct_lines(int jobs) {
  std::string s =
      "JobID|JobName|User|Account|Partition|Submit|Start|End|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|"
      "State|AllocTRES\n";
  for (int i = 0; i < jobs; ++i) {
    const std::string id = std::to_string(1000 + i);
    s += id +
         "|sim|alice|physics|cpu|2024-03-01T09:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|8|"
         "10:00:00|16:00:00|16G||COMPLETED|billing=8,cpu=8,mem=16G,node=1\n";
    s += id +
         ".batch|batch|||||2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|8|10:00:00|16:00:00||2000000K|"
         "COMPLETED|cpu=8,mem=16G,node=1\n";
    s += id +
         ".extern|extern|||||2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|8|00:00:00|16:00:00||1000K|"
         "COMPLETED|billing=8,cpu=8,mem=16G,node=1\n";
  }
  return s;
}

void csv_reader(benchmark::State& state) {
  const std::string text = numeric_csv(static_cast<int>(state.range(0)));
  std::int64_t rows = 0;
  for (auto _ : state) {
    co2e::CsvReader reader(co2e::string_reader(text));
    co2e::CsvRecord rec;
    while (true) {
      auto more = reader.next(rec);
      if (!more) std::abort();  // the generated input is well formed
      if (!*more) break;
      ++rows;
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(csv_reader)->Arg(100'000);

void sacct_reader(benchmark::State& state) {
  const std::string text = sacct_lines(static_cast<int>(state.range(0)));
  std::int64_t jobs = 0;
  for (auto _ : state) {
    co2e::SacctReader reader([&](const co2e::SacctJob&) { ++jobs; });
    if (reader.read_all(text)) std::abort();
  }
  state.SetItemsProcessed(jobs);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(sacct_reader)->Arg(30'000);

}  // namespace
