# co2e_warnings: the warning set for our own code; -Werror only when CO2E_WERROR is on.
add_library(co2e_warnings INTERFACE)
target_compile_options(co2e_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough
  # GCC 12 at -O2 reports -Wrestrict inside libstdc++'s std::string operator+ (GCC bug 105651)
  # and -Wnull-dereference inside basic_string: false positives in the standard library.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  # With the standard headers precompiled (CO2E_PCH), GCC 12 at -O3 no longer treats what they
  # inline as system code and reports -Wstringop-overflow and -Warray-bounds in char_traits::copy
  # (false positives of the same family, GCC bug 106199). The Clang build keeps both checks, and
  # ASan, UBSan and _GLIBCXX_ASSERTIONS check bounds at run time.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:${CO2E_PCH}>>:-Wno-stringop-overflow>
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:${CO2E_PCH}>>:-Wno-array-bounds>
  $<$<BOOL:${CO2E_WERROR}>:-Werror>)
