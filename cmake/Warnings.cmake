# co2e_warnings: the warning set for our own code; -Werror only when CO2E_WERROR is on.
add_library(co2e_warnings INTERFACE)
target_compile_options(co2e_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${CO2E_WERROR}>:-Werror>)
