// The sacct reader: field order from the header, value forms, step merging and every quirk of
// issue 5, each counted with its reason. Expected values are computed by hand in the comments.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "co2e/sacct.hpp"
#include "support.hpp"

using co2e::SacctIssue;
using co2e::SacctJob;
using co2e::SacctReader;

namespace {

const std::string kHeader =
    "JobID|JobName|User|Account|Partition|Submit|Start|End|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|State|"
    "AllocTRES\n";

/// A job line with the fields that matter in most tests; the rest fixed.
std::string job(const std::string& id, const std::string& elapsed, const std::string& ncpus,
                const std::string& total_cpu, const std::string& req_mem, const std::string& max_rss,
                const std::string& state, const std::string& tres = "cpu=1", const std::string& partition = "cpu",
                const std::string& nnodes = "1", const std::string& start = "2024-03-01T10:00:00") {
  return id + "|name|alice|acct|" + partition + "|2024-03-01T09:00:00|" + start + "|2024-03-01T12:00:00|" + elapsed +
         "|" + nnodes + "|" + ncpus + "|" + total_cpu + "|" + elapsed + "|" + req_mem + "|" + max_rss + "|" + state +
         "|" + tres + "\n";
}

struct Collected {
  std::vector<SacctJob> jobs;
  co2e::SacctStats stats;
};

Collected read(const std::string& text) {
  Collected c;
  SacctReader reader([&](const SacctJob& j) { c.jobs.push_back(j); });
  const auto err = reader.read_all(text);
  INFO((err ? err->message : std::string()));
  REQUIRE_FALSE(err);
  c.stats = reader.stats();
  return c;
}

}  // namespace

TEST_CASE("SacctReader: header gives the field order", "[unit]") {
  // Fields in another order, with an unknown field in between.
  const auto c = read("State|Comment|Elapsed|JobID|NCPUS|TotalCPU\nCOMPLETED|x|01:00:00|7|2|01:30:00\n");
  REQUIRE(c.jobs.size() == 1);
  CHECK(c.jobs[0].job_id == "7");
  CHECK(c.jobs[0].elapsed_s == 3600);
  CHECK(c.jobs[0].cpu_s == 5400);
  CHECK(c.jobs[0].ncpus == 2);
  CHECK(c.jobs[0].req_mem_gb < 0);  // no ReqMem column
}

TEST_CASE("SacctReader: header errors", "[unit]") {
  SECTION("missing required fields") {
    SacctReader reader([](const SacctJob&) {});
    const auto err = reader.read_all("JobID|User\n1|a\n");
    REQUIRE(err);
    CHECK(err->kind == co2e::ErrorKind::data);
    CHECK(err->message.find("missing State, Elapsed") != std::string::npos);
    CHECK(err->message.find("sacct -P --noconvert --format=JobID,JobName") != std::string::npos);
  }
  SECTION("empty input") {
    SacctReader reader([](const SacctJob&) {});
    const auto err = reader.read_all("");
    REQUIRE(err);
    CHECK(err->message.find("empty") != std::string::npos);
  }
}

TEST_CASE("SacctReader: durations", "[unit]") {
  const auto c = read(kHeader + job("1", "1-02:00:00", "1", "05:30.250", "1G", "", "COMPLETED") +
                      job("2", "00:10:00", "1", "10:00:00.5", "1G", "", "COMPLETED"));
  REQUIRE(c.jobs.size() == 2);
  CHECK(c.jobs[0].elapsed_s == 93600);  // 1 day 2 h
  CHECK(c.jobs[0].cpu_s == Approx(330.25));
  CHECK(c.jobs[1].cpu_s == Approx(36000.5));
  // D-HH and D-HH:MM; a bare number, 61 seconds or junk is not a duration (the job is skipped).
  const auto d = read(kHeader + job("1", "1-02", "1", "1-02:30", "1G", "", "COMPLETED") +
                      job("2", "90", "1", "00:01:00", "1G", "", "COMPLETED") +
                      job("3", "00:61", "1", "00:01:00", "1G", "", "COMPLETED") +
                      job("4", "01:00:00x", "1", "00:01:00", "1G", "", "COMPLETED") +
                      job("5", "1-2-3", "1", "00:01:00", "1G", "", "COMPLETED"));
  REQUIRE(d.jobs.size() == 1);
  CHECK(d.jobs[0].elapsed_s == 93600);
  CHECK(d.jobs[0].cpu_s == 95400);
  CHECK(d.stats.count(SacctIssue::bad_elapsed) == 4);
}

TEST_CASE("SacctReader: ReqMem units and n/c suffixes (binary units to GB)", "[unit]") {
  const auto c = read(kHeader + job("1", "01:00:00", "4", "01:00:00", "8G", "", "COMPLETED") +
                      job("2", "01:00:00", "4", "01:00:00", "4Gc", "", "COMPLETED") +
                      job("3", "01:00:00", "4", "01:00:00", "2Gn", "", "COMPLETED", "cpu=4", "cpu", "3") +
                      job("4", "01:00:00", "4", "01:00:00", "1T", "", "COMPLETED") +
                      job("5", "01:00:00", "4", "01:00:00", "2048", "", "COMPLETED") +
                      job("6", "01:00:00", "4", "01:00:00", "0n", "", "COMPLETED") +
                      job("7", "01:00:00", "4", "01:00:00", "7812500K", "", "COMPLETED") +
                      job("8", "01:00:00", "4", "01:00:00", "lots", "", "COMPLETED"));
  REQUIRE(c.jobs.size() == 8);
  CHECK(c.jobs[0].req_mem_gb == Approx(8.589934592));     // 8 × 1024³ B
  CHECK(c.jobs[1].req_mem_gb == Approx(17.179869184));    // 4 GiB per CPU × 4 CPUs
  CHECK(c.jobs[2].req_mem_gb == Approx(6.442450944));     // 2 GiB per node × 3 nodes
  CHECK(c.jobs[3].req_mem_gb == Approx(1099.511627776));  // 1 TiB
  CHECK(c.jobs[4].req_mem_gb == Approx(2.147483648));     // bare number: MiB
  CHECK(c.jobs[5].req_mem_gb == 0);                       // 0n: the whole node
  CHECK(c.jobs[6].req_mem_gb == Approx(8.0));             // 7812500 × 1024 B
  CHECK(c.jobs[7].req_mem_gb < 0);
  CHECK(c.stats.count(SacctIssue::req_mem_zero) == 1);
  CHECK(c.stats.count(SacctIssue::req_mem_bad) == 1);
}

TEST_CASE("SacctReader: GPUs from AllocTRES", "[unit]") {
  const auto c =
      read(kHeader +
           job("1", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED", "billing=8,cpu=8,gres/gpu=2,mem=16G,node=1") +
           job("2", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED", "cpu=8,gres/gpu:a100=2,gres/gpu:v100=1") +
           job("3", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED", "cpu=8,gres/gpu=4,gres/gpu:a100=4") +
           job("4", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED", "cpu=8,gres/gpumem=40G") +
           job("5", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED", ""));
  REQUIRE(c.jobs.size() == 5);
  CHECK(c.jobs[0].gpus == 2);
  CHECK(c.jobs[1].gpus == 3);  // typed counts summed
  CHECK(c.jobs[2].gpus == 4);  // the plain count wins over typed ones
  CHECK(c.jobs[3].gpus == 0);
  CHECK(c.jobs[4].gpus == 0);
}

TEST_CASE("SacctReader: steps merged into their job", "[unit]") {
  // Job line: TotalCPU 02:00:00 (sum of steps), no MaxRSS; steps carry MaxRSS and the step times.
  const auto c = read(kHeader + job("10", "01:00:00", "4", "02:00:00", "8G", "", "COMPLETED") +
                      job("10.batch", "01:00:00", "4", "01:59:00", "8G", "2000000K", "COMPLETED") +
                      job("10.extern", "01:00:05", "4", "00:00:00", "8G", "1000", "COMPLETED") +
                      job("10.0", "00:30:00", "4", "00:01:00", "8G", "3000000K", "COMPLETED") +
                      job("11", "00:01:00", "1", "00:01:00", "1G", "", "COMPLETED"));
  REQUIRE(c.jobs.size() == 2);
  const auto& j = c.jobs[0];
  CHECK(j.job_id == "10");
  CHECK(j.steps == 3);
  CHECK(j.elapsed_s == 3605);            // max over job and steps
  CHECK(j.cpu_s == 7200);                // max: the job line's sum
  CHECK(j.max_rss_gb == Approx(3.072));  // 3,000,000 KiB
  CHECK(c.stats.steps == 3);
  CHECK(c.stats.jobs == 2);
  CHECK(c.stats.count(SacctIssue::max_rss_empty) == 1);  // job 11
}

TEST_CASE("SacctReader: a failed step fails a COMPLETED job", "[unit]") {
  const auto c = read(kHeader + job("10", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED") +
                      job("10.0", "01:00:00", "1", "01:00:00", "1G", "1K", "OUT_OF_MEMORY"));
  REQUIRE(c.jobs.size() == 1);
  CHECK(c.jobs[0].state == "OUT_OF_MEMORY");
  CHECK(c.stats.count(SacctIssue::step_failed) == 1);
}

TEST_CASE("SacctReader: skipped jobs and lines, each counted", "[unit]") {
  const auto c = read(
      kHeader + job("9.batch", "01:00:00", "1", "01:00:00", "1G", "", "COMPLETED") +  // orphan
      job("1", "00:00:00", "1", "00:00:00", "1G", "", "PENDING", "cpu=1", "cpu", "1", "Unknown") +
      job("2", "05:00:00", "1", "00:00:00", "1G", "", "RUNNING") +
      job("2.batch", "05:00:00", "1", "00:00:00", "1G", "", "RUNNING") +  // belongs to a skipped job
      job("3", "00:00:00", "1", "00:00:00", "1G", "", "CANCELLED by 1000", "cpu=1", "cpu", "1", "None") +
      job("3b", "00:00:00", "1", "00:00:00", "1G", "", "CANCELLED by 0", "") +  // Start = End, no TRES
      job("4", "Unknown", "1", "00:00:00", "1G", "", "COMPLETED") + job("5", "", "1", "00:00:00", "1G", "", "FAILED") +
      "6|too|few\n" + "|||||||||||||||||\n" + job("7", "00:10:00", "1", "00:10:00", "1G", "", "COMPLETED") +
      job("8.0", "00:10:00", "1", "00:10:00", "1G", "", "COMPLETED"));  // another job's step
  REQUIRE(c.jobs.size() == 1);
  CHECK(c.jobs[0].job_id == "7");
  CHECK(c.stats.count(SacctIssue::orphan_step) == 2);
  CHECK(c.stats.count(SacctIssue::pending) == 1);
  CHECK(c.stats.count(SacctIssue::running) == 1);
  CHECK(c.stats.count(SacctIssue::never_started) == 2);
  CHECK(c.stats.count(SacctIssue::bad_elapsed) == 2);
  CHECK(c.stats.count(SacctIssue::malformed_line) == 1);
  CHECK(c.stats.count(SacctIssue::bad_job_id) == 1);
  CHECK(c.stats.lines == 12);
}

TEST_CASE("SacctReader: CPU time fallbacks", "[unit]") {
  // TotalCPU 0 → CPUTime (= Elapsed × NCPUS); empty → CPUTime; both unreadable → Elapsed × NCPUS.
  const auto c =
      read(kHeader + job("1", "02:00:00", "2", "00:00:00", "1G", "", "COMPLETED") +
           job("2", "02:00:00", "2", "", "1G", "", "COMPLETED") +
           "3|n|u|a|cpu|x|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|1|3|Unknown|INVALID|1G||COMPLETED|cpu=3\n");
  REQUIRE(c.jobs.size() == 3);
  CHECK(c.jobs[0].cpu_s == 7200);  // job() writes Elapsed as CPUTime: 2 h
  CHECK(c.jobs[1].cpu_s == 7200);
  CHECK(c.jobs[2].cpu_s == 21600);  // 2 h × 3 CPUs
  CHECK(c.stats.count(SacctIssue::total_cpu_zero) == 1);
  CHECK(c.stats.count(SacctIssue::total_cpu_bad) == 2);
  CHECK(c.stats.count(SacctIssue::cpu_time_bad) == 1);
}

TEST_CASE("SacctReader: line forms", "[unit]") {
  SECTION("sacct -p trailing bar and CRLF") {
    const auto c = read("JobID|State|Elapsed|\r\n1|COMPLETED|00:10:00|\r\n");
    REQUIRE(c.jobs.size() == 1);
    CHECK(c.jobs[0].elapsed_s == 600);
  }
  SECTION("a job name containing |") {
    const auto c = read(kHeader +
                        "1|a|b|c|alice|acct|cpu|x|2024-03-01T10:00:00|2024-03-01T11:00:00|01:00:00|1|1|"
                        "01:00:00|01:00:00|1G||COMPLETED|cpu=1\n");
    REQUIRE(c.jobs.size() == 1);
    CHECK(c.jobs[0].job_name == "a|b|c");
    CHECK(c.jobs[0].user == "alice");
    CHECK(c.jobs[0].state == "COMPLETED");
    CHECK(c.stats.count(SacctIssue::job_name_pipe) == 1);
  }
  SECTION("concatenated files repeat the header") {
    const auto c = read(kHeader + job("1", "00:10:00", "1", "00:10:00", "1G", "", "COMPLETED") + kHeader +
                        job("2", "00:10:00", "1", "00:10:00", "1G", "", "COMPLETED") +
                        "JobID|State|Elapsed\n3|COMPLETED|00:01:00\n");
    REQUIRE(c.jobs.size() == 3);
    CHECK(c.jobs[2].elapsed_s == 60);
  }
  SECTION("array and heterogeneous job ids; day from End, else Start") {
    const auto c = read(kHeader + job("5_1", "00:10:00", "1", "00:10:00", "1G", "", "COMPLETED") +
                        job("5_1.batch", "00:10:00", "1", "00:10:00", "1G", "5K", "COMPLETED") +
                        job("6+0", "00:10:00", "1", "00:10:00", "1G", "", "COMPLETED") +
                        "7|n|u|a|cpu|x|2024-02-28T23:00:00|Unknown|00:10:00|1|1|00:10:00|00:10:00|1G||TIMEOUT|cpu=1\n");
    REQUIRE(c.jobs.size() == 3);
    CHECK(c.jobs[0].job_id == "5_1");
    CHECK(c.jobs[0].steps == 1);
    CHECK(c.jobs[1].job_id == "6+0");
    CHECK(c.jobs[0].day == "2024-03-01");
    CHECK(c.jobs[2].day == "2024-02-28");
    CHECK(c.jobs[2].state == "TIMEOUT");
  }
}

TEST_CASE("SacctReader::read_fd: lines across buffer boundaries and longer than the buffer", "[unit]") {
  co2e::test::TempDir dir;
  std::string text = kHeader;
  for (int i = 0; i < 30000; ++i) text += job(std::to_string(i), "00:01:00", "1", "00:01:00", "1G", "", "COMPLETED");
  text += job("long", "00:01:00", "1", "00:01:00", "1G", "", "COMPLETED");
  // A 3 MiB job name: the buffer (1 MiB) must grow.
  const auto pos = text.rfind("|name|");
  text.insert(pos + 1, std::string(3U << 20U, 'x'));
  text += job("last", "00:01:00", "1", "00:01:00", "1G", "", "COMPLETED");
  text.pop_back();  // no final line break
  const std::string path = dir.write("big.txt", text);
  std::size_t jobs = 0;
  std::size_t longest = 0;
  std::string last;
  SacctReader reader([&](const SacctJob& j) {
    ++jobs;
    longest = std::max(longest, j.job_name.size());
    last = j.job_id;
  });
  const int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE_FALSE(reader.read_fd(fd, path));
  ::close(fd);
  REQUIRE_FALSE(reader.finish());
  CHECK(jobs == 30002);
  CHECK(longest == (3U << 20U) + 4);
  CHECK(last == "last");
}

TEST_CASE("sacct_argv", "[unit]") {
  co2e::SacctQuery q;
  q.start = "2024-01-01";
  q.user = "alice,bob";
  q.all_users = true;
  const auto a = co2e::sacct_argv(q);
  REQUIRE(a.size() == 9);
  CHECK(a[0] == "sacct");
  CHECK(a[1] == "--parsable2");
  CHECK(a[2] == "--noconvert");
  CHECK(a[3] ==
        "--format=JobID,JobName,User,Account,Partition,Submit,Start,End,Elapsed,NNodes,NCPUS,TotalCPU,"
        "CPUTime,ReqMem,MaxRSS,State,AllocTRES,ConsumedEnergyRaw");
  CHECK(a[4] == "--starttime");
  CHECK(a[5] == "2024-01-01");
  CHECK(a[6] == "--user");
  CHECK(a[7] == "alice,bob");
  CHECK(a[8] == "--allusers");
}

TEST_CASE("SacctReader: durations with absurd digit counts are skipped, not overflowed", "[unit]") {
  // Found by fuzz_sacct: "5555555555555555555" overflowed int64 in the duration parser (UBSan).
  const auto c = read(kHeader + job("1", "5555555555555555555:00", "1", "00:01:00", "1G", "", "COMPLETED") +
                      job("2", "00:10:00", "1", "99999999999999999999:00:00", "1G", "", "COMPLETED") +
                      job("3", "00:10:00", "1", "00:01:00", "1G", "", "COMPLETED"));
  REQUIRE(c.jobs.size() == 2);  // job 2 keeps its elapsed time and falls back to CPUTime
  CHECK(c.stats.count(SacctIssue::bad_elapsed) == 1);
  CHECK(c.jobs.back().elapsed_s == 600);
}
