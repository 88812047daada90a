// A deliberate signed overflow. In a build with UndefinedBehaviorSanitizer, ctest expects its
// report from this program (tests/CMakeLists.txt): if UBSan were silently off, that test fails.
#include <climits>
#include <cstdio>

volatile int g_big = INT_MAX;

int main() {
  const int x = g_big + 1;  // undefined behaviour, reported by -fsanitize=signed-integer-overflow
  std::printf("%d\n", x);
  return 0;
}
