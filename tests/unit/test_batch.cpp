#include <fmt/format.h>
#include <array>
#include <catch2/catch.hpp>

#include "co2e/batch.hpp"

using namespace co2e;

namespace {

const Dataset& dataset() {
  static const Dataset data;
  return data;
}

struct Ran {
  std::string out;
  BatchSummary summary;
};

/// run_batch over `input` (read in 64-byte blocks), collecting the output.
Ran run(const std::string& input, const BatchOptions& opts = {}) {
  CsvReader reader(string_reader(input), 0, 64);
  Ran r;
  auto s = run_batch(reader, dataset(), opts, [&](std::string_view t) -> Status {
    r.out += t;
    return std::nullopt;
  });
  if (!s) FAIL(s.error().message);
  r.summary = std::move(*s);
  return r;
}

Error run_error(const std::string& input, const BatchOptions& opts = {}) {
  CsvReader reader(string_reader(input), 0, 64);
  auto s = run_batch(reader, dataset(), opts, [](std::string_view) -> Status { return std::nullopt; });
  REQUIRE_FALSE(s.ok());
  return s.error();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

/// Field `i` of a simple CSV line (no quoted fields).
std::string cell(const std::string& line, std::size_t i) {
  std::size_t start = 0;
  for (std::size_t k = 0; k < i; ++k) start = line.find(',', start) + 1;
  return line.substr(start, line.find(',', start) - start);
}

// Green Algorithms worked example (METHODS.md): 12 h, 12 cores x 7.5 W, 64 GB, PUE 1.56,
// 231.12 g/kWh: CPU 12*12*7.5/1000 = 1.08 kWh, memory 64*0.3725*12/1000 = 0.28608 kWh,
// (1.08 + 0.28608) * 1.56 = 2.1310848 kWh; * 231.12 / 1000 = 0.492536318976 kg.
constexpr double kExampleKwh = 2.1310848;
constexpr double kExampleKg = 0.492536318976;

}  // namespace

TEST_CASE("bind_columns", "[unit]") {
  auto bind = [](const std::vector<std::string_view>& h, const BatchOptions& o = {}) { return bind_columns(h, o); };
  SECTION("estimate columns, aliases and carried columns") {
    auto m = bind({"name", "runtime", "Cores", "core-power", "memory_gb", "seed"});
    REQUIRE(m.ok());
    CHECK(m->columns[0].role == ColumnRole::carried);
    CHECK(m->columns[1].role == ColumnRole::field);
    CHECK(m->columns[2].field == Field::cores);
    CHECK(m->columns[3].field == Field::core_power);
    CHECK(m->columns[4].field == Field::memory);
    CHECK(m->columns[5].role == ColumnRole::carried);
    CHECK(m->name_of(Field::cores) == "Cores");
    CHECK(m->name_of(Field::gpus) == "gpus");
    CHECK_FALSE(m->green_algorithms);
  }
  SECTION("runtime_h is a bare number of hours") {
    auto m = bind({"runtime_h", "cores"});
    REQUIRE(m.ok());
    CHECK(m->columns[0].role == ColumnRole::hours);
  }
  SECTION("Green Algorithms export") {
    auto m = bind(
        {"numberCPUs", "tdpCPU", "runTime_hour", "runTime_min", "PUE", "carbonIntensity", "mult_factor", "provider"});
    REQUIRE(m.ok());
    CHECK(m->green_algorithms);
    CHECK(m->columns[0].role == ColumnRole::ga_cpus);
    CHECK(m->columns[2].role == ColumnRole::hours);
    CHECK(m->columns[4].field == Field::pue);
    CHECK(m->columns[5].field == Field::intensity);
    CHECK(m->columns[6].field == Field::psf);
    CHECK(m->columns[7].role == ColumnRole::carried);
    CHECK(m->name_of(Field::cores) == "numberCPUs");
  }
  SECTION("duplicate column names") {
    auto m = bind({"name", "runtime", "cores", "cores"});
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "duplicate column \"cores\" (columns 3 and 4): rename one");
  }
  SECTION("duplicate carried column names") {
    auto m = bind({"name", "runtime", "name"});
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "duplicate column \"name\" (columns 1 and 3): rename one");
  }
  SECTION("two columns for one input") {
    auto m = bind({"runtime", "memory", "memory_gb"});
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "columns \"memory\" and \"memory_gb\" both give memory: keep one");
  }
  SECTION("required: the time of each run") {
    auto m = bind({"name", "cores", "core_power"});
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message ==
          "no column gives the time of each run: add a column runtime (e.g. 12h), core_hours or gpu_hours "
          "(runTime_hour in a "
          "Green Algorithms export), or give --runtime, --core-hours or --gpu-hours for every row (the header has: "
          "name, cores, "
          "core_power)");
    BatchOptions o;
    o.defaults.runtime = Seconds(3600);
    CHECK(bind({"name", "cores", "core_power"}, o).ok());
    CHECK(bind({"gpu_hours", "gpu_power"}).ok());
  }
  SECTION("group-by column must exist") {
    BatchOptions o;
    o.group_by = {"modle"};
    auto m = bind({"model", "runtime"}, o);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "--group-by: no column \"modle\" in the header (columns: model, runtime)");
  }
  SECTION("empty header") {
    auto m = bind({"", " "});
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message ==
          "the header line is empty: the first line must name the columns (e.g. name,runtime,cores,core_power)");
  }
}

TEST_CASE("run_batch computes each row with estimate()", "[unit]") {
  auto r = run("name,runtime,cores,core_power,memory,pue,intensity\nuk,12h,12,7.5,64,1.56,231.12\n");
  const auto l = lines(r.out);
  REQUIRE(l.size() == 2);
  CHECK(l[0] ==
        "name,runtime,cores,core_power,memory,input_pue,intensity,energy_kwh,co2e_kg,cpu_kwh,gpu_kwh,memory_kwh,known_"
        "kwh,pue,psf,"
        "intensity_g_per_kwh,runtime_h,core_hours,core_power_w,gpu_hours,gpu_power_w,memory_gb,region,cpu_model,gpu_"
        "model,server_kwh,storage_kwh,network_kwh,embodied_kg,total_co2e_kg,co2e_kg_low,co2e_kg_high,total_co2e_kg_low,"
        "total_co2e_kg_high,"
        "status,error");
  CHECK(std::stod(cell(l[1], 7)) == Approx(kExampleKwh).epsilon(1e-12));
  // The range (issue 17): only the memory's W/GB is a default, 0.08 to 0.6: 1.56 × (1.08 + 64 ×
  // 12 × 0.08 / 1000) × 231.12 / 1000 = 0.411543 kg and, with 0.6 W/GB, 0.555531 kg.
  CHECK(std::stod(cell(l[1], 30)) == Approx(0.411543));
  CHECK(std::stod(cell(l[1], 31)) == Approx(0.555531));
  CHECK(cell(l[1], 8) == "0.492536319");                // kExampleKg to 10 significant digits
  CHECK(std::stod(cell(l[1], 9)) == Approx(1.08));      // cpu_kwh, before PUE
  CHECK(std::stod(cell(l[1], 11)) == Approx(0.28608));  // memory_kwh
  CHECK(cell(l[1], 0) == "uk");
  CHECK(l[1].ends_with(",ok,"));
  CHECK(r.summary.total.rows == 1);
  CHECK(r.summary.total.failed == 0);
  CHECK(r.summary.total.energy_kwh == Approx(kExampleKwh));
}

TEST_CASE("run_batch: defaults from the flags fill missing and empty cells", "[unit]") {
  BatchOptions o;
  o.defaults.pue = 1.56;
  o.defaults.intensity_g_per_kwh = 231.12;
  o.defaults.memory_gb = 64;
  auto r = run("runtime,cores,core_power,memory\n12h,12,7.5,\n", o);
  CHECK(r.summary.total.energy_kwh == Approx(kExampleKwh));
  CHECK(r.summary.total.co2e_kg == Approx(kExampleKg));
  // A cell wins over the default: 1.0 instead of 1.56.
  auto r2 = run("runtime,cores,core_power,memory,pue\n12h,12,7.5,64,1\n", o);
  CHECK(r2.summary.total.energy_kwh == Approx(1.36608));
}

TEST_CASE("run_batch: group totals", "[unit]") {
  BatchOptions o;
  o.group_by = {"model"};
  // bert: 1 h x 2 cores x 10 W = 0.02 kWh, and 2 h x 1 GPU x 300 W = 0.6 kWh (PUE 1, 100 g/kWh)
  // gpt:  3 runs (psf) x 1 h x 4 cores x 10 W x PUE 1.5 = 0.18 kWh
  auto r =
      run("name,model,runtime,cores,core_power,gpus,gpu_power,pue,intensity,psf\n"
          "a,bert,1h,2,10,,,1,100,\n"
          "b,gpt,1h,4,10,,,1.5,100,3\n"
          "c,bert,2h,,,1,300,1,100,\n"
          "d,gpt,1h,x,10,,,1,100,\n",
          o);
  const auto& g = r.summary.groups;
  REQUIRE(g.size() == 2);
  CHECK(g[0].key == std::vector<std::string>{"bert"});
  CHECK(g[0].totals.rows == 2);
  CHECK(g[0].totals.energy_kwh == Approx(0.62));
  CHECK(g[0].totals.co2e_kg == Approx(0.062));
  CHECK(g[0].totals.cpu_kwh == Approx(0.02));
  CHECK(g[0].totals.gpu_kwh == Approx(0.6));
  CHECK(g[1].key == std::vector<std::string>{"gpt"});
  CHECK(g[1].totals.rows == 2);
  CHECK(g[1].totals.failed == 1);
  CHECK(g[1].totals.energy_kwh == Approx(0.18));
  CHECK(g[1].totals.runs == Approx(3));
  CHECK(r.summary.total.rows == 4);
  CHECK(r.summary.total.failed == 1);
  CHECK(r.summary.total.energy_kwh == Approx(0.8));
  CHECK(r.summary.total.co2e_kg == Approx(0.08));
}

TEST_CASE("run_batch: two group-by columns", "[unit]") {
  BatchOptions o;
  o.group_by = {"model", "seed"};
  auto r = run(
      "model,seed,runtime,cores,core_power,pue,intensity\nm,1,1h,1,10,1,100\nm,2,1h,1,10,1,100\nm,1,2h,1,10,1,100\n",
      o);
  REQUIRE(r.summary.groups.size() == 2);
  CHECK(r.summary.groups[0].key == std::vector<std::string>{"m", "1"});
  CHECK(r.summary.groups[0].totals.energy_kwh == Approx(0.03));
  CHECK(r.summary.groups[1].totals.energy_kwh == Approx(0.01));
}

TEST_CASE("run_batch: bad rows name the row, the column and the value", "[unit]") {
  auto r =
      run("name,runtime,cores,core_power,cpu,region,pue\n"
          "a,12,1,10,,FR,1\n"
          "b,1h,abc,10,,FR,1\n"
          "c,1h,1,,Nonexistium 9000,FR,1\n"
          "d,1h,2,10,,FR,0.5\n"
          "e,1h,,10,,FR,1\n");
  const auto l = lines(r.out);
  REQUIRE(l.size() == 6);
  CHECK(
      l[1].ends_with(",error,\"row 1, column runtime: \"\"12\"\": add a unit, e.g. 12h, 90m, 45s, 2d, 1d2h30m, "
                     "01:30:00 or SLURM's 2-03:00:00\""));
  CHECK(l[2].ends_with(",error,\"row 2, column cores: \"\"abc\"\" is not a whole number\""));
  CHECK(l[3].find(",error,\"row 3: cpu: ") != std::string::npos);
  CHECK(
      l[4].ends_with(",error,\"row 4, column pue: \"\"0.5\"\" is below 1: a PUE is total facility power / IT power, so "
                     "at least 1 (1.0 for a "
                     "personal computer)\""));
  // estimate()'s --flags become the header's column names.
  CHECK(l[5].ends_with(",error,row 5: core_power needs cores (or core_hours): how many cores ran?"));
  CHECK(r.summary.total.failed == 5);
}

TEST_CASE("run_batch: --strict stops at the first bad row", "[unit]") {
  BatchOptions o;
  o.strict = true;
  auto e = run_error("name,runtime,cores,core_power\na,1h,1,10\nb,1h,zero,10\nc,1h,1,10\n", o);
  CHECK(e.kind == ErrorKind::usage);
  CHECK(e.message == "row 2, column cores: \"zero\" is not a whole number");
}

TEST_CASE("run_batch: Green Algorithms export", "[unit]") {
  // The calculator's own export of the worked example: tdpCPU 120 W / 16 cores = 7.5 W per core.
  auto r =
      run("coreType;numberCPUs;CPU_model_n_cores;tdpCPU;usageCPU;numberGPUs;tdpGPU;usageGPU;memory;runTime_hour;"
          "runTime_min;"
          "provider;carbonIntensity;PUE;mult_factor\n"
          "CPU;12;16;120;1.0;0;0;1;64;12;0;None;231.12;1.56;1\n"
          // GPU only: 4 GPUs x 1.5 h x 400 W x 0.5 = 1.2 kWh; memory 32 x 0.3725 x 1.5 = 0.01788 kWh;
          // (1.2 + 0.01788) x PUE 1.12 x 2 runs = 2.7280512 kWh; x 100 g/kWh = 0.27280512 kg.
          "GPU;0;0;0;1;4;400;0.5;32;1;30;gcp;100;1.12;2\n");
  const auto& g = r.summary.groups[0].totals;
  CHECK(r.summary.total.failed == 0);
  CHECK(g.energy_kwh == Approx(kExampleKwh + 2.7280512));
  CHECK(g.co2e_kg == Approx(kExampleKg + 0.27280512));
  CHECK(g.gpu_kwh == Approx(1.2 * 2));  // before PUE, both runs
}

TEST_CASE("run_batch: Green Algorithms errors name the export's columns", "[unit]") {
  auto r = run("numberCPUs;tdpCPU;runTime_hour\n2.5;10;1\n");
  CHECK(lines(r.out)[1].ends_with(",error,\"row 1, column numberCPUs: 2.5 is not a whole number\""));
}

TEST_CASE("run_batch: JSON Lines in, keys differ between objects", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::jsonl;
  auto r =
      run("{\"name\": \"uk\", \"runtime\": \"12h\", \"cores\": 12, \"core_power\": 7.5, \"memory\": \"64G\", \"pue\": "
          "1.56, "
          "\"intensity\": 231.12}\n"
          "\n"
          "{\"name\": \"bloom\", \"gpu_hours\": 100, \"gpu_power\": 400, \"pue\": 1, \"intensity\": 57}\n"
          "[1, 2]\n",
          o);
  const auto l = lines(r.out);
  REQUIRE(l.size() == 3);
  CHECK(l[0].starts_with("{\"name\":\"uk\",\"runtime\":\"12h\",\"cores\":\"12\","));
  CHECK(l[0].find("\"energy_kwh\":2.1310848,") != std::string::npos);
  CHECK(l[1].starts_with("{\"name\":\"bloom\",\"runtime\":\"\","));
  // A hidden column (not in the first object) named like a result column: input_<name> too.
  CHECK(l[1].find("\"input_gpu_hours\":\"100\"") != std::string::npos);
  CHECK(l[1].find("\"gpu_hours\":100,") != std::string::npos);
  CHECK(l[1].find("\"energy_kwh\":40,\"co2e_kg\":2.28,") != std::string::npos);
  CHECK(l[2].ends_with("\"status\":\"error\",\"error\":\"row 3 (line 4): expected a JSON object\"}"));
}

TEST_CASE("run_batch: empty input and header only", "[unit]") {
  auto e = run_error("");
  CHECK(e.message ==
        "standard input: empty input: the first line must name the columns (e.g. name,runtime,cores,core_power), "
        "or give JSON Lines (one {...} object per line)");
  auto r = run("name,runtime,cores\n");
  CHECK(r.summary.total.rows == 0);
  CHECK(r.summary.warnings == std::vector<std::string>{"standard input: no rows after the header"});
  CHECK(lines(r.out).size() == 1);
}

TEST_CASE("run_batch: ragged rows and NUL bytes", "[unit]") {
  static const char kInput[] =
      "name,runtime,cores,core_power\nshort,1h\nlong,1h,1,10,x\nbin\0ary,1h,1,10\nok,1h,1,10\n";
  auto r = run(std::string(kInput, sizeof kInput - 1));
  const auto l = lines(r.out);
  REQUIRE(l.size() == 5);
  CHECK(l[1].ends_with(",error,row 1 (line 2): 2 fields where the header has 4"));
  CHECK(l[1].starts_with("short,1h,,,"));
  CHECK(l[2].ends_with(",error,row 2 (line 3): 5 fields where the header has 4"));
  CHECK(l[3].ends_with(",error,\"row 3, column name: a NUL byte in the value (binary data?)\""));
  CHECK(l[3].starts_with("binary,1h,1,10,"));
  CHECK(l[4].ends_with(",ok,"));
}

TEST_CASE("run_batch: the input's cells are written back, quoted where CSV needs it", "[unit]") {
  // A plain comma-separated row is copied as the input has it (issue 18); a row with a quoted
  // field or a quote inside a field goes cell by cell, quoted by RFC 4180's rules. Each row:
  // 1 h x 1 core x 10 W = 0.01 kWh, x the default PUE 1.56 = 0.0156 kWh.
  auto r =
      run("name,runtime,cores,core_power\n"
          "plain,1h,1,10\n"
          "\"in quotes\",1h,1,10\n"
          "\"a,b\",1h,1,10\n"
          "say \"hi\",1h,1,10\n"
          "\"x\"\"y\",1h,1,10\n");
  const auto l = lines(r.out);
  REQUIRE(l.size() == 6);
  CHECK(l[1].starts_with("plain,1h,1,10,0.0156,"));
  CHECK(l[2].starts_with("in quotes,1h,1,10,0.0156,"));  // quotes that CSV does not need are dropped
  CHECK(l[3].starts_with("\"a,b\",1h,1,10,0.0156,"));
  CHECK(l[4].starts_with("\"say \"\"hi\"\"\",1h,1,10,0.0156,"));
  CHECK(l[5].starts_with("\"x\"\"y\",1h,1,10,0.0156,"));
  // Another separator: a comma inside a cell is quoted on the way out.
  auto semi = run("name;runtime;cores;core_power\na,b;1h;1;10\n");
  CHECK(lines(semi.out)[1].starts_with("\"a,b\",1h,1,10,0.0156,"));
  // One column only, quoted because of its comma: the quotes are kept.
  BatchOptions o;
  o.defaults.runtime = Seconds(3600);
  o.defaults.cores = 1;
  o.defaults.core_power_w = 10;
  auto one = run("name\n\"a,b\"\n", o);
  CHECK(lines(one.out)[1].starts_with("\"a,b\",0.0156,"));
}

TEST_CASE("run_batch: without --group-by the one group is the total; part sums on demand", "[unit]") {
  const std::string input =
      "runtime,cores,core_power,gpus,gpu_power,pue,intensity\n1h,2,10,1,300,1.5,100\n2h,1,10,,,1,100\nx,1,1,,,1,1\n";
  auto r = run(input);
  REQUIRE(r.summary.groups.size() == 1);
  const BatchTotals& g = r.summary.groups[0].totals;
  const BatchTotals& t = r.summary.total;
  // By hand: 1.5 × (0.02 + 0.3) = 0.48 kWh, and 0.02 kWh: 0.5 kWh, 0.05 kg; one failed row.
  CHECK(t.energy_kwh == Approx(0.5));
  CHECK(t.co2e_kg == Approx(0.05));
  CHECK(t.rows == 3);
  CHECK(t.failed == 1);
  CHECK(g.rows == t.rows);
  CHECK(g.failed == t.failed);
  CHECK(g.energy_kwh == t.energy_kwh);
  CHECK(g.co2e_kg_low == t.co2e_kg_low);
  CHECK(g.energy_parts == t.energy_parts);
  // The parts (reports, --plot), before PUE: CPU 0.02 + 0.02 kWh, GPU 0.3 kWh; the PUE's share
  // is the rest, 0.5 - 0.34 = 0.16 kWh.
  CHECK(t.energy_parts[static_cast<std::size_t>(Part::cpu)] == Approx(0.04));
  CHECK(t.energy_parts[static_cast<std::size_t>(Part::gpu)] == Approx(0.3));
  CHECK(t.energy_parts[static_cast<std::size_t>(Part::pue_overhead)] == Approx(0.16));
  BatchOptions o;
  o.part_sums = false;
  auto lean = run(input, o);
  CHECK(lean.out == r.out);  // the rows do not change
  CHECK(lean.summary.total.energy_kwh == t.energy_kwh);
  CHECK(lean.summary.total.energy_parts == PartValues{});
}

TEST_CASE("render_batch_markdown", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::markdown;
  o.group_by = {"model"};
  auto r = run("name,model,runtime,cores,core_power,pue,intensity\na,bert,1h,2,10,1,100\nb,gpt,1h,4,10,1,100\n", o);
  CHECK(r.out.empty());  // reports are rendered at the end
  const std::string md = render_batch_markdown(r.summary, dataset());
  CHECK(md.find("| model | rows | failed | CPU (kWh, before PUE) | GPU (kWh, before PUE) | memory (kWh, before PUE) | "
                "energy (kWh, with PUE) | CO2e (kg) | CO2e range (kg) | share |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                "| bert | 1 | 0 | 0.02 | 0 | 0 | 0.02 | 0.002 | 0.002–0.002 | 33.3% |\n"
                "| gpt | 1 | 0 | 0.04 | 0 | 0 | 0.04 | 0.004 | 0.004–0.004 | 66.7% |\n"
                "| **total** | 2 | 0 | 0.06 | 0 | 0 | **0.06** | **0.006** | 0.006–0.006 | 100% |\n") !=
        std::string::npos);
  CHECK(
      md.find(
          "### model = bert\n\n| row | name | energy (kWh, with PUE) | CO2e (kg) | status |\n|---:|---|---:|---:|---|\n"
          "| 1 | a | 0.02 | 0.002 | ok |\n") != std::string::npos);
  CHECK(md.find("doi.org/10.1002/advs.202100707") != std::string::npos);
  CHECK(md.find("## Methodology") != std::string::npos);
  CHECK(md.find("PUE was 1 (2 of 2 computations with a PUE given explicitly") != std::string::npos);
  CHECK(md.find("# Carbon footprint of 2 computations\n") == 0);
}

TEST_CASE("render_batch_markdown: no --group-by, one row, failed rows", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::markdown;
  SECTION("one row: singular, and the first column is not called rows") {
    auto r = run("name,runtime,cores,core_power,pue,intensity\na,1h,2,10,1,100\n", o);
    const std::string md = render_batch_markdown(r.summary, dataset());
    CHECK(md.find("# Carbon footprint of 1 computation\n") == 0);
    CHECK(md.find("(1 row)") != std::string::npos);
    CHECK(md.find("| group | rows | failed |") != std::string::npos);
    CHECK(md.find("| rows | rows |") == std::string::npos);
    CHECK(md.find("1 computations") == std::string::npos);
  }
  SECTION("a group whose rows all failed is n/a, not 0; every failure has its row and reason") {
    o.group_by = {"model"};
    auto r =
        run("name,model,runtime,cores,core_power,pue,intensity\na,bert,1h,2,10,1,100\nb,gpt,1h,4,10,0.5,100\n"
            "c,gpt,12,4,10,1,100\n",
            o);
    REQUIRE(r.summary.failures.size() == 2);
    const std::string md = render_batch_markdown(r.summary, dataset());
    CHECK(md.find("| gpt | 2 | 2 | n/a | n/a | n/a | n/a | n/a | n/a | - |\n") != std::string::npos);
    CHECK(md.find("## Rows that could not be estimated\n\n2 rows could not be estimated") != std::string::npos);
    CHECK(md.find("| 3 | c | gpt | row 3, column runtime: \"12\": add a unit") != std::string::npos);
    const StackedBars chart = batch_chart(r.summary);
    REQUIRE(chart.categories.size() == 2);
    CHECK(chart.categories[1] == "gpt (all 2 failed)");
    CHECK(chart.no_estimate[1]);
    // bert: 1 h × 2 cores × 10 W = 0.02 kWh at PUE 1 and 100 g/kWh: 2 g, all CPU.
    CHECK(chart.values[0][static_cast<std::size_t>(Part::cpu)] == Approx(0.002));
    CHECK(chart.values[0][static_cast<std::size_t>(Part::pue_overhead)] == Approx(0.0));
  }
}

TEST_CASE("batch_chart: at most 25 bars, the biggest, then the others in one", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::markdown;
  o.group_by = {"model"};
  std::string input = "model,runtime,cores,core_power,pue,intensity\n";
  for (int i = 1; i <= 30; ++i) input += fmt::format("m{},{}h,1,10,1,100\n", i, i);  // m30 is the biggest
  auto r = run(input, o);
  const StackedBars c = batch_chart(r.summary);
  REQUIRE(c.categories.size() == 25);
  CHECK(c.categories.front() == "m7");  // m1 ... m6 are the six smallest
  CHECK(c.categories[23] == "m30");
  CHECK(c.categories.back() == "(6 others)");
  // m1 ... m6: 21 h × 10 W = 0.21 kWh at 100 g/kWh = 21 g, all CPU.
  CHECK(c.values.back()[static_cast<std::size_t>(Part::cpu)] == Approx(0.021));
}

TEST_CASE("batch_chart: the whole footprint's parts, each bar summing to total_co2e_kg", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::markdown;
  o.group_by = {"model"};
  // tests/fixtures/batch/good_footprint.csv, every figure given so that it is computed by hand below.
  auto r =
      run("name,model,runtime,gpus,gpu_power,cores,core_power,pue,intensity,psf,nodes,node_power,storage,transfer,"
          "embodied_gpu,server_embodied\n"
          "a1,a,10h,2,300,4,10,1.5,200,1,1,100,1T,10G,,\n"
          "b1,b,5h,1,400,,,1.2,100,1,1,200,,5G,150,2500\n"
          "b2,b,1h,1,400,,,1.2,100,2,,,,1G,,\n",
          o);
  const StackedBars c = batch_chart(r.summary);
  REQUIRE(c.categories == std::vector<std::string>{"a", "b"});
  auto at = [&](std::size_t bar, Part p) { return c.values[bar][static_cast<std::size_t>(p)]; };
  // a: CPU 4 × 10 W × 10 h = 0.4 kWh, GPU 2 × 300 W × 10 h = 6 kWh, server 100 W × 10 h = 1 kWh,
  // storage 1 TB × 1.2 W/TB (SSD) × 10 h = 0.012 kWh, all before PUE 1.5; network 10 GB × 0.06
  // kWh/GB = 0.6 kWh without PUE. Energy 1.5 × 7.412 + 0.6 = 11.718 kWh; at 0.2 kg/kWh 2.3436 kg.
  CHECK(at(0, Part::cpu) == Approx(0.08));
  CHECK(at(0, Part::gpu) == Approx(1.2));
  CHECK(at(0, Part::server) == Approx(0.2));
  CHECK(at(0, Part::storage) == Approx(0.0024));
  CHECK(at(0, Part::pue_overhead) == Approx(0.5 * 7.412 * 0.2));  // 0.7412: not the network's
  CHECK(at(0, Part::network) == Approx(0.12));
  CHECK(at(0, Part::embodied) == 0);
  // b1: GPU 400 W × 5 h = 2 kWh, server 200 W × 5 h = 1 kWh, PUE 1.2, network 5 GB = 0.3 kWh:
  // 3.9 kWh, 0.39 kg at 0.1 kg/kWh; embodied (150 kg GPU × 5 GPU-h + 2500 kg node × 5 node-h) /
  // (6 years × 8760 h × 0.85) = 13250 / 44676 kg. b2, 2 runs: GPU 2 × 0.4 kWh, network 2 × 0.06
  // kWh: 1.2 × 0.8 + 0.12 = 1.08 kWh, 0.108 kg.
  const double embodied = 13250.0 / 44676.0;
  CHECK(at(1, Part::gpu) == Approx((2 + 0.8) * 0.1));
  CHECK(at(1, Part::server) == Approx(0.1));
  CHECK(at(1, Part::pue_overhead) == Approx(0.2 * 3.8 * 0.1));
  CHECK(at(1, Part::network) == Approx((0.3 + 0.12) * 0.1));
  CHECK(at(1, Part::embodied) == Approx(embodied));
  const std::array<double, 2> totals{2.3436, 0.39 + 0.108 + embodied};
  for (std::size_t bar = 0; bar < 2; ++bar) {
    double sum = 0;
    for (double v : c.values[bar]) sum += v;
    CHECK(sum == Approx(totals[bar]));
    CHECK(sum == Approx(r.summary.groups[bar].totals.total_co2e_kg()));
  }
  // The tables' kWh parts: the PUE overhead is not the network's energy.
  const auto& kwh = r.summary.total.energy_parts;
  CHECK(kwh[static_cast<std::size_t>(Part::pue_overhead)] == Approx(0.5 * 7.412 + 0.2 * 3.8));
  CHECK(kwh[static_cast<std::size_t>(Part::network)] == Approx(0.6 + 0.3 + 0.12));
}

TEST_CASE("render_batch_markdown: the methodology names computations whose energy was given", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::markdown;
  SECTION("a known energy, a known power and a facility-scope energy among modelled rows") {
    auto r =
        run("name,runtime,energy,power,energy_scope,cores,core_power,pue,intensity\n"
            "a,1h,2kWh,,,,,1.5,100\nb,2h,,,,4,10,1.5,100\nc,1h,1kWh,,facility,,,,100\nd,2h,,300,,,,1.2,100\n",
            o);
    CHECK(r.summary.methods.known_energy_rows == 2);
    CHECK(r.summary.methods.known_power_rows == 1);
    CHECK(r.summary.methods.facility_rows == 1);
    const std::string md = render_batch_markdown(r.summary, dataset());
    CHECK(md.find("For 3 of the 4 computations, the energy was given rather than modelled (2 as a known energy per "
                  "run, such as a wattmeter's reading or a published figure; 1 as a known average power at the plug, "
                  "times the runtime): it replaces the CPU, GPU and memory terms of the formula; PSF and the carbon "
                  "intensity were applied to it as to a modelled energy, and PUE too, except to the 1 that covered "
                  "the whole facility (PUE included). ") != std::string::npos);
  }
  SECTION("every row given: all of them, and no processor or memory power sentence") {
    auto r = run("name,runtime,energy,pue,intensity\na,1h,2kWh,1.5,100\nb,1h,1kWh,1.5,100\n", o);
    const std::string md = render_batch_markdown(r.summary, dataset());
    CHECK(md.find("For all 2 computations, the energy was given rather than modelled (as a known energy per run, "
                  "such as a wattmeter's reading or a published figure): ") != std::string::npos);
    CHECK(md.find("Processor power:") == std::string::npos);
    CHECK(md.find("Memory power was not counted") == std::string::npos);
  }
  SECTION("only modelled rows: no such sentence") {
    auto r = run("name,runtime,cores,core_power,pue,intensity\na,1h,2,10,1,100\n", o);
    CHECK(render_batch_markdown(r.summary, dataset()).find("rather than modelled") == std::string::npos);
  }
}

TEST_CASE("run_batch: empty rows, decimal commas, the stderr summary", "[unit]") {
  SECTION("rows of empty cells (a spreadsheet's trailing ,,,) are skipped, counted and warned about") {
    auto r = run("name,runtime,cores,core_power\na,1h,2,10\n,,,\n , ,,\n");
    CHECK(r.summary.total.rows == 1);
    CHECK(r.summary.total.failed == 0);
    CHECK(r.summary.empty_rows == 2);
    REQUIRE(r.summary.warnings.size() == 1);
    CHECK(r.summary.warnings[0] ==
          "standard input: 2 rows with every cell empty skipped (a spreadsheet's trailing ,,, lines)");
  }
  SECTION("a decimal comma gets a hint") {
    auto r = run("name;runtime;cores;core_power\na;1h;2;7,5\n");
    REQUIRE(r.summary.failures.size() == 1);
    CHECK_THAT(r.summary.failures[0].error,
               Catch::Matchers::StartsWith("row 1, column core_power: ") &&
                   Catch::Matchers::EndsWith(" (a decimal comma? write a point, e.g. 7.5 for 7,5: co2e reads `.` as "
                                             "the decimal mark)"));
  }
  SECTION("the summary names the first three failures and counts the rest") {
    std::string input = "name,runtime,cores,core_power\n";
    for (int i = 0; i < 5; ++i) input += "x,12,2,10\n";
    auto r = run(input);
    const std::string line = batch_summary_line(r.summary);
    CHECK(line.starts_with("co2e batch: 5 rows, 0 ok, 5 failed; 0 Wh, 0 g CO2e\n  row 1, column runtime: "));
    CHECK(line.find("\n  row 3, column runtime: ") != std::string::npos);
    CHECK(line.find("\n  row 4") == std::string::npos);
    CHECK(line.ends_with("\n  ... and 2 more failed rows (status=error in the output)"));
  }
}

TEST_CASE("batch_bibtex", "[unit]") {
  BatchOptions o;
  o.format = BatchFormat::latex;  // sources are collected for reports only
  auto r = run("runtime,cores,cpu,region\n1h,2,Xeon Gold 6248,FR\n", o);
  const std::string bib = batch_bibtex(r.summary, dataset());
  CHECK(bib.find("@article{lannelongue2021green,") != std::string::npos);
  CHECK(bib.find("doi = {10.1002/advs.202100707}") != std::string::npos);
  CHECK(bib.find("@misc{owid2024carbon,") != std::string::npos);
  CHECK(bib.find("@misc{co2esource1,") != std::string::npos);  // the CPU, region and PUE rows' sources
  // Titles double-braced (BibTeX keeps their case); no entry is a bare URL.
  CHECK(bib.find("  title = {{Carbon intensity of electricity generation}},") != std::string::npos);
  CHECK(bib.find("title = {{http") == std::string::npos);
}

TEST_CASE("cite_source", "[unit]") {
  Provenance p;
  SECTION("a bare URL: the publisher by host, the fallback title") {
    p.source = "https://images.nvidia.com/content/pdf/tesla/184457-Tesla-P4-Datasheet-NV-Final-Letter-Web.pdf";
    p.year = 2016;
    p.licence = "fact";
    const Citation c = cite_source(p, "Specifications of NVIDIA Tesla P4");
    CHECK(c.author == "NVIDIA");
    CHECK(c.title == "Specifications of NVIDIA Tesla P4");
    CHECK(c.year == 2016);
    CHECK(c.url == p.source);
    CHECK(c.note == "Factual data");
    p.source = "https://www.nvidia.com/k80.pdf (per board of 2 GPUs)";
    CHECK(cite_source(p, "Specifications of NVIDIA Tesla K80").note == "Factual data; per board of 2 GPUs");
  }
  SECTION("a release and URL given: they are the title and the URL") {
    p.source = "Australian Government DCCEEW, National Greenhouse Accounts Factors 2024, electricity consumed";
    p.release = "National Greenhouse Accounts Factors 2024";
    p.url = "https://www.dcceew.gov.au/climate-change/publications/national-greenhouse-accounts-factors-2024";
    p.licence = "CC-BY-4.0";
    p.retrieved = "2025-02-05";
    const Citation c = cite_source(p, "unused");
    CHECK(c.author == "Australian Government DCCEEW");
    CHECK(c.title == "National Greenhouse Accounts Factors 2024");
    CHECK(c.url == p.url);
    CHECK(c.note == "Licence CC-BY-4.0; retrieved 2025-02-05");
  }
  SECTION("no URL in the text: the compilation's address; every URL out of the title") {
    p.source = "via Green Algorithms v3.0 (CC BY 4.0): TDP_cpu.csv row 'Any'";
    const Citation c = cite_source(p, "unused");
    CHECK(c.author == "Green Algorithms");
    CHECK(c.title == "Green Algorithms v3.0 (CC BY 4.0): TDP_cpu.csv row 'Any'");
    CHECK(c.url == "https://github.com/GreenAlgorithms/green-algorithms-tool");
    p.source =
        "memoryPower, in W/GB from http://dl.acm.org/citation.cfm?doid=3076113.3076117 and "
        "https://www.tomshardware.com/uk/reviews/intel-core-i7-5960x-haswell-e-cpu,3918-13.html, measured";
    const Citation d = cite_source(p, "unused");
    CHECK(d.url == "http://dl.acm.org/citation.cfm?doid=3076113.3076117");
    CHECK(d.title == "memoryPower, in W/GB");
  }
  SECTION("a paper: its first author and arXiv") {
    p.source = "Patterson et al. 2021, Carbon Emissions and Large Neural Network Training, arXiv:2104.10350, Table 4";
    const Citation c = cite_source(p, "unused");
    CHECK(c.author == "Patterson and others");
    CHECK(c.url == "https://arxiv.org/abs/2104.10350");
  }
}

TEST_CASE("cite_source: every built-in row's citation has an author, a title, a year and a URL", "[unit]") {
  // Issue 20: every bibliography entry a report can write. Each table's rows, through the one function.
  std::size_t rows = 0;
  auto check = [&](const Provenance& p, std::string_view what) {
    ++rows;
    const Citation c = cite_source(p, "Specifications");
    INFO(what << ": " << p.source);
    CHECK_FALSE(c.author.empty());
    CHECK(c.author != "co2e data tables");              // the last resort: no publisher found
    CHECK(c.author.find(".com") == std::string::npos);  // nor a bare host
    CHECK_FALSE(c.title.empty());
    CHECK(c.year != 0);
    CHECK((c.url.starts_with("https://") || c.url.starts_with("http://")));
  };
  const Dataset& d = dataset();
  for (const auto& r : d.cpus()) check(r.prov, r.name);
  for (const auto& r : d.gpus()) check(r.prov, r.name);
  for (const auto& r : d.regions()) check(r.prov, r.code);
  for (const auto& r : d.cloud_regions()) {
    check(r.prov, r.code);
    if (r.intensity_g_per_kwh >= 0) check(r.intensity_prov, r.code);
  }
  for (const auto& r : d.providers()) check(r.prov, r.name);
  for (const auto& r : d.constants()) check(r.prov, r.id);
  for (const auto& r : d.embodied()) check(r.prov, r.name);
  CHECK(rows > 3000);
}

TEST_CASE("cite_source: papers written `Names, 'Title', where`", "[unit]") {
  Provenance p;
  p.year = 2015;
  p.licence = "fact";
  SECTION("the names are the authors, the quoted title the title, the DOI the URL, the rest a note") {
    p.source =
        "Aslan, Mayers, Koomey, France, 'Electricity Intensity of Internet Data Transmission: Untangling the "
        "Estimates', Journal of Industrial Ecology 22(4), 785-798, 2018, doi:10.1111/jiec.12630";
    const Citation c = cite_source(p, "unused");
    CHECK(c.author == "Aslan, Mayers, Koomey, France");
    CHECK(c.persons);
    CHECK(c.title == "Electricity Intensity of Internet Data Transmission: Untangling the Estimates");
    CHECK(c.url == "https://doi.org/10.1111/jiec.12630");
    CHECK(c.note == "Factual data; Journal of Industrial Ecology 22(4), 785-798, 2018, doi:10.1111/jiec.12630");
  }
  SECTION("a remark before the names; the paper's address from the publishers' table") {
    p.source =
        "estimate: Luccioni, Viguier, Ligozat, 'Estimating the Carbon Footprint of BLOOM, a 176B Parameter Language "
        "Model', JMLR 24(253), 2023, section 4 (2,500 kg CO2e per server node)";
    const Citation c = cite_source(p, "unused");
    CHECK(c.author == "Luccioni, Viguier, Ligozat");
    CHECK(c.title == "Estimating the Carbon Footprint of BLOOM, a 176B Parameter Language Model");
    CHECK(c.url == "https://jmlr.org/papers/v24/23-0069.html");
  }
  SECTION("one name is an organisation; the URL is not in the note") {
    p.source = "Tailpipe, 'Operational emissions methodology: motherboard' https://tailpipe.ai/m citing IEEE (2021)";
    const Citation c = cite_source(p, "unused");
    CHECK(c.author == "Tailpipe");
    CHECK_FALSE(c.persons);
    CHECK(c.url == "https://tailpipe.ai/m");
    CHECK(c.note == "Factual data; citing IEEE (2021)");
  }
  SECTION("BibTeX: people joined by `and`, an organisation braced as one name") {
    BatchSummary s;
    s.methods.sources["a"] = {
        Citation{"Tannu, Nair", "The Dirty Secret of SSDs", 2022, "https://arxiv.org/abs/1", "", true}, 1};
    s.methods.sources["b"] = {Citation{"Dell Technologies", "LCA", 2019, "https://dell.com/x", "", false}, 1};
    const std::string bib = batch_bibtex(s, dataset());
    CHECK(bib.find("  author = {Tannu and Nair},\n") != std::string::npos);
    CHECK(bib.find("  author = {{Dell Technologies}},\n") != std::string::npos);
  }
}

TEST_CASE("parse_batch_format", "[unit]") {
  CHECK(*parse_batch_format("csv") == BatchFormat::csv);
  CHECK(*parse_batch_format("jsonl") == BatchFormat::jsonl);
  CHECK(*parse_batch_format("md") == BatchFormat::markdown);
  CHECK(*parse_batch_format("latex") == BatchFormat::latex);
  CHECK(parse_batch_format("xlsx").error().message ==
        "\"xlsx\" is not a batch format (accepted: csv, jsonl, markdown, latex)");
}
