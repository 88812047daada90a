# co2e_warnings: the warning set for our own code; -Werror only when CO2E_WERROR is on.
add_library(co2e_warnings INTERFACE)
target_compile_options(co2e_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough
  # GCC 12 at -O2 reports -Wrestrict inside libstdc++'s std::string operator+ (GCC bug 105651)
  # and -Wnull-dereference inside basic_string: false positives in the standard library.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${CO2E_WERROR}>:-Werror>)
