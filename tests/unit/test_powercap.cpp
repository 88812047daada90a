// RAPL through a fake powercap tree: nesting, sockets, psys, wrap-around, unreadable counters.
// Tests run as root, for whom chmod 000 blocks nothing: an unreadable counter is simulated with a
// directory where energy_uj should be (read fails with EISDIR) and with a dangling symlink (ENOENT).
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "co2e/powercap.hpp"
#include "support.hpp"

using co2e::Rapl;
using co2e::rapl_delta_uj;
using co2e::test::TempDir;

namespace {

void zone(const TempDir& d, const std::string& z, const std::string& name, std::uint64_t uj,
          std::uint64_t range = 262143328850) {
  std::filesystem::create_directories(d.path() + "/" + z);
  d.write(z + "/name", name + "\n");
  d.write(z + "/energy_uj", std::to_string(uj) + "\n");
  d.write(z + "/max_energy_range_uj", std::to_string(range) + "\n");
}

void set(const TempDir& d, const std::string& z, std::uint64_t uj) {
  d.write(z + "/energy_uj", std::to_string(uj) + "\n");
}

/// Two sockets with nested core/uncore/dram, as a two-socket Xeon server shows them.
void two_sockets(const TempDir& d) {
  zone(d, "intel-rapl:0", "package-0", 1'000'000);
  zone(d, "intel-rapl:0:0", "core", 500'000);
  zone(d, "intel-rapl:0:1", "uncore", 100'000);
  zone(d, "intel-rapl:0:2", "dram", 200'000);
  zone(d, "intel-rapl:1", "package-1", 3'000'000);
  zone(d, "intel-rapl:1:0", "core", 700'000);
  zone(d, "intel-rapl:1:1", "dram", 400'000);
}

}  // namespace

TEST_CASE("rapl_delta_uj", "[unit]") {
  SECTION("counter grows") { CHECK(rapl_delta_uj(100, 250, 1000) == 150); }
  SECTION("counter wraps at max_energy_range_uj") { CHECK(rapl_delta_uj(900, 50, 1000) == 150); }
  SECTION("unknown range: only what is certain") { CHECK(rapl_delta_uj(900, 50, 0) == 50); }
}

TEST_CASE("Rapl::open", "[unit]") {
  TempDir d;
  SECTION("packages of two sockets and their dram are counted, core and uncore are not") {
    two_sockets(d);
    const Rapl r = Rapl::open(d.path());
    CHECK(r.has_cpu());
    CHECK(r.has_dram());
    CHECK(r.problems().empty());
    CHECK(r.describe() == "package-0, package-1 (2 sockets); dram, dram");
    int counted = 0;
    for (const auto& dom : r.domains()) counted += dom.counted ? 1 : 0;
    CHECK(counted == 4);
  }
  SECTION("psys contains the packages: not counted beside them") {
    zone(d, "intel-rapl:0", "package-0", 10);
    zone(d, "intel-rapl:1", "psys", 20);
    const Rapl r = Rapl::open(d.path());
    CHECK(r.describe() == "package-0");
  }
  SECTION("psys alone is the CPU figure") {
    zone(d, "intel-rapl:1", "psys", 20);
    const Rapl r = Rapl::open(d.path());
    CHECK(r.has_cpu());
    CHECK_FALSE(r.has_dram());
    CHECK(r.describe() == "psys");
  }
  SECTION("AMD zones are read too") {
    zone(d, "amd-rapl:0", "package-0", 10);
    CHECK(Rapl::open(d.path()).has_cpu());
  }
  SECTION("missing root: the reason is reported") {
    const Rapl r = Rapl::open(d.path() + "/nope");
    CHECK_FALSE(r.has_cpu());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == d.path() + "/nope: No such file or directory");
  }
  SECTION("no zones") {
    const Rapl r = Rapl::open(d.path());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == d.path() + ": no intel-rapl zones");
  }
  SECTION("unreadable counter (a directory): left out, with the reason") {
    zone(d, "intel-rapl:0", "package-0", 10);
    std::filesystem::remove(d.path() + "/intel-rapl:0/energy_uj");
    std::filesystem::create_directory(d.path() + "/intel-rapl:0/energy_uj");
    zone(d, "intel-rapl:1", "package-1", 10);
    const Rapl r = Rapl::open(d.path());
    CHECK(r.describe() == "package-1");
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == d.path() + "/intel-rapl:0/energy_uj: Is a directory");
  }
  SECTION("unreadable counter (a dangling symlink)") {
    zone(d, "intel-rapl:0", "package-0", 10);
    std::filesystem::remove(d.path() + "/intel-rapl:0/energy_uj");
    std::filesystem::create_symlink(d.path() + "/gone", d.path() + "/intel-rapl:0/energy_uj");
    const Rapl r = Rapl::open(d.path());
    CHECK_FALSE(r.has_cpu());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == d.path() + "/intel-rapl:0/energy_uj: No such file or directory");
  }
  SECTION("a counter that is not a number") {
    zone(d, "intel-rapl:0", "package-0", 10);
    d.write("intel-rapl:0/energy_uj", "lots\n");
    const Rapl r = Rapl::open(d.path());
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == d.path() + "/intel-rapl:0/energy_uj: not a counter: \"lots\"");
  }
}

TEST_CASE("Rapl::sample", "[unit]") {
  TempDir d;
  two_sockets(d);
  Rapl r = Rapl::open(d.path());
  SECTION("sums both packages and both dram domains, ignores nested core") {
    set(d, "intel-rapl:0", 3'000'000);    // +2 J
    set(d, "intel-rapl:0:0", 9'000'000);  // nested: ignored
    set(d, "intel-rapl:1", 4'000'000);    // +1 J
    set(d, "intel-rapl:0:2", 700'000);    // +0.5 J
    set(d, "intel-rapl:1:1", 900'000);    // +0.5 J
    r.sample();
    CHECK(r.cpu_j() == Approx(3.0));
    CHECK(r.dram_j() == Approx(1.0));
  }
  SECTION("wrap-around adds the range") {
    zone(d, "intel-rapl:0", "package-0", 990, 1000);
    Rapl w = Rapl::open(d.path());
    set(d, "intel-rapl:0", 10);  // wrapped: +20 µJ
    w.sample();
    set(d, "intel-rapl:0", 500);  // +490 µJ
    w.sample();
    CHECK(w.cpu_j() == Approx(510e-6));  // the other domains did not move
  }
  SECTION("a counter that becomes unreadable keeps its total and is reported") {
    set(d, "intel-rapl:1", 5'000'000);  // +2 J
    r.sample();
    std::filesystem::remove(d.path() + "/intel-rapl:1/energy_uj");
    r.sample();
    CHECK(r.cpu_j() == Approx(2.0));
    REQUIRE(r.problems().size() == 1);
    CHECK(r.problems()[0] == d.path() + "/intel-rapl:1/energy_uj: No such file or directory");
  }
}
