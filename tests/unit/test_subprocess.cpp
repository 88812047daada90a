// Unit tests of the resource owners in util/: Fd (fd.hpp) and the subprocess module
// (subprocess.hpp: spawn_output, wait_child, exit_status).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <utility>

#include "co2e/fd.hpp"
#include "co2e/subprocess.hpp"
#include "support.hpp"

namespace {

/// Whether `fd` is an open descriptor of this process.
bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

}  // namespace

TEST_CASE("Fd", "[unit]") {
  SECTION("closes its descriptor when it goes out of scope, with O_CLOEXEC set") {
    int raw = -1;
    {
      const co2e::Fd f = co2e::Fd::open("/dev/null", O_RDONLY);
      REQUIRE(f);
      raw = f.get();
      CHECK((::fcntl(raw, F_GETFD) & FD_CLOEXEC) != 0);
    }
    CHECK_FALSE(is_open(raw));
  }
  SECTION("a failed open is invalid and keeps errno") {
    const co2e::Fd f = co2e::Fd::open("/nonexistent-co2e-dir/x", O_RDONLY);
    CHECK_FALSE(f);
    CHECK(errno == ENOENT);
    CHECK(f.get() == -1);
  }
  SECTION("moving hands ownership over; release gives it up") {
    co2e::Fd a = co2e::Fd::open("/dev/null", O_RDONLY);
    const int raw = a.get();
    co2e::Fd b = std::move(a);
    CHECK(b.get() == raw);
    CHECK(a.get() == -1);  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
    const int kept = b.release();
    CHECK(kept == raw);
    CHECK(is_open(raw));
    CHECK(::close(raw) == 0);
  }
  SECTION("assignment closes the old descriptor; close() reports and empties") {
    co2e::Fd a = co2e::Fd::open("/dev/null", O_RDONLY);
    const int old = a.get();
    a = co2e::Fd::open("/dev/null", O_WRONLY);
    CHECK((old == a.get() || !is_open(old)));  // the number may be reused by the new open
    CHECK(a.close() == 0);
    CHECK_FALSE(a);
    CHECK(a.close() == 0);  // twice is harmless
  }
}

TEST_CASE("spawn_output", "[unit][exec]") {
  SECTION("reads a program's output and status") {
    auto child = co2e::spawn_output({"sh", "-c", "echo hello; exit 3"});
    REQUIRE(child);
    char buf[64] = {};
    const auto n = ::read(child->fd.get(), buf, sizeof buf);
    CHECK(std::string(buf, static_cast<std::size_t>(n)) == "hello\n");
    auto rc = co2e::wait_child(*child);
    REQUIRE(rc);
    CHECK(*rc == 3);
    CHECK_FALSE(child->fd);
  }
  SECTION("a program killed by a signal: 128 + N") {
    auto child = co2e::spawn_output({"sh", "-c", "kill -TERM $$"});
    REQUIRE(child);
    auto rc = co2e::wait_child(*child);
    REQUIRE(rc);
    CHECK(*rc == 128 + 15);
  }
  SECTION("a missing program is a data error") {
    auto child = co2e::spawn_output({"co2e-no-such-program-xyz"});
    REQUIRE_FALSE(child);
    CHECK(child.error().kind == co2e::ErrorKind::data);
    CHECK(child.error().message == "co2e-no-such-program-xyz: command not found on PATH");
  }
}

TEST_CASE("run_child", "[unit][exec]") {
  SECTION("the exit status and the conventional codes") {
    const auto o = co2e::run_child({"sh", "-c", "exit 7"}, co2e::Seconds(1), co2e::Seconds(1), {});
    CHECK(o.how == co2e::ChildOutcome::How::exited);
    CHECK(co2e::exit_status(o) == 7);
  }
  SECTION("a command not on PATH: 127") {
    const auto o = co2e::run_child({"co2e-no-such-program-xyz"}, co2e::Seconds(1), co2e::Seconds(1), {});
    CHECK(o.how == co2e::ChildOutcome::How::not_found);
    CHECK(co2e::exit_status(o) == 127);
  }
}
