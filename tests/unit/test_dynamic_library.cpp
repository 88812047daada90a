// The dlopen owner behind NVML and ROCm SMI (src/core/util/dynamic_library.hpp), on the C library
// every Linux process has loaded (libc.so.6), so the test needs no fake.
#include <catch2/catch.hpp>
#include <cstring>

#include "util/dynamic_library.hpp"

using co2e::detail::DynamicLibrary;

TEST_CASE("DynamicLibrary: open, typed lookup with fallback names, named errors, one owner", "[unit]") {
  SECTION("a library that is not there: dlerror's text, which names it") {
    auto lib = DynamicLibrary::open("libco2e-no-such-library.so.9");
    REQUIRE_FALSE(lib);
    CHECK(lib.error().message.find("libco2e-no-such-library.so.9") != std::string::npos);
  }
  auto lib = DynamicLibrary::open("libc.so.6");
  REQUIRE(lib);
  CHECK(lib->path() == "libc.so.6");
  std::size_t (*len)(const char*) = nullptr;
  SECTION("the first name exported wins; the function is callable") {
    CHECK(lib->find(len, {"co2e_no_such_symbol", "strlen"}));
    REQUIRE(len != nullptr);
    CHECK(len("watt") == 4);
    CHECK_FALSE(lib->require(len, {"strlen"}));
  }
  SECTION("a missing function: find leaves it alone, require names the library and the first name") {
    CHECK_FALSE(lib->find(len, {"co2e_no_such_symbol"}));
    CHECK(len == nullptr);
    const auto err = lib->require(len, {"co2e_missing_v2", "co2e_missing"});
    REQUIRE(err);
    CHECK(err->message == "libc.so.6: no symbol co2e_missing_v2");
  }
  SECTION("moved: the handle has one owner") {
    DynamicLibrary moved = std::move(*lib);
    CHECK(static_cast<bool>(moved));
    CHECK_FALSE(static_cast<bool>(*lib));  // NOLINT(bugprone-use-after-move): the point of the check
    CHECK_FALSE(lib->find(len, {"strlen"}));
    CHECK(moved.find(len, {"strlen"}));
  }
}
