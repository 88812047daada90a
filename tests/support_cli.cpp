// Test helpers of the CLI tests only: the co2e binary (support.hpp). Not linked into the unit
// tests, which test the library without the binary.
#include <cstdlib>

#include "support.hpp"

namespace co2e::test {

const char* co2e_binary() {
  const char* wrapper = std::getenv("CO2E_TEST_BINARY");
  return wrapper != nullptr && *wrapper != '\0' ? wrapper : CO2E_BINARY;
}

Run co2e(const std::vector<std::string>& args, const std::string& input, const std::vector<std::string>& env) {
  return run_program(co2e_binary(), args, input, env);
}

Run run_shell(const std::string& script, const std::vector<std::string>& env) {
  std::vector<std::string> e = env;
  e.emplace_back(std::string("CO2E=") + co2e_binary());
  return run_program("/bin/sh", {"-c", script}, "", e);
}

}  // namespace co2e::test
