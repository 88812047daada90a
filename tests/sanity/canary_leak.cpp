// A deliberate leak. In a build with AddressSanitizer, ctest expects LeakSanitizer's report from
// this program (tests/CMakeLists.txt): if leak checking were silently off in CI, that test fails.
#include <cstdlib>

void* volatile g_sink = nullptr;

int main() {
  g_sink = std::malloc(4096);
  g_sink = nullptr;  // the only pointer to the block is gone: a definite leak at exit
  return 0;
}
