# co2e_sanitizers: compile and link flags for CO2E_SANITIZERS (e.g. "address,undefined").
# UBSan is made fatal so that a finding fails the test that triggered it.
add_library(co2e_sanitizers INTERFACE)
if(CO2E_SANITIZERS)
  target_compile_options(co2e_sanitizers INTERFACE
    -fsanitize=${CO2E_SANITIZERS} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(co2e_sanitizers INTERFACE -fsanitize=${CO2E_SANITIZERS})
endif()
