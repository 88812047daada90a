# Writes co2e's bash, zsh and fish completion scripts (`co2e completion SHELL`) into DIR, at
# build time, for `cmake --install` and the Debian package. Inputs: CO2E (the binary), DIR.
file(MAKE_DIRECTORY ${DIR})
foreach(pair "bash;co2e" "zsh;_co2e" "fish;co2e.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND ${CO2E} completion ${shell} OUTPUT_FILE ${DIR}/${name}.tmp RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "co2e completion ${shell} failed: ${rc}")
  endif()
  file(RENAME ${DIR}/${name}.tmp ${DIR}/${name})
endforeach()
