# Compiles data/*.json into static C++ tables: co2e_gen_tables parses and validates every file
# with the same parser that reads user tables at run time, then writes one .cpp of constant rows.
# A bad row fails the build, and co2e pays no JSON parsing at start-up.
set(CO2E_DATA_FILES
  ${PROJECT_SOURCE_DIR}/data/cpus.json
  ${PROJECT_SOURCE_DIR}/data/gpus.json
  ${PROJECT_SOURCE_DIR}/data/regions.json
  ${PROJECT_SOURCE_DIR}/data/cloud_regions.json
  ${PROJECT_SOURCE_DIR}/data/providers.json
  ${PROJECT_SOURCE_DIR}/data/equivalences.json
  ${PROJECT_SOURCE_DIR}/data/constants.json
  ${PROJECT_SOURCE_DIR}/data/instances.json
  ${PROJECT_SOURCE_DIR}/data/embodied.json)
set(CO2E_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated)
set(CO2E_GENERATED_TABLES ${CO2E_GENERATED_DIR}/builtin_tables.cpp)

add_executable(co2e_gen_tables src/gen/gen_tables.cpp src/core/model/data_json.cpp src/core/model/data_audit.cpp
               src/core/model/match.cpp src/core/util/quote.cpp)
target_include_directories(co2e_gen_tables PRIVATE include src/core)
target_link_libraries(co2e_gen_tables PRIVATE co2e_warnings nlohmann_json::nlohmann_json co2e_fmt)

add_custom_command(
  OUTPUT ${CO2E_GENERATED_TABLES}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CO2E_GENERATED_DIR}
  COMMAND co2e_gen_tables --root ${PROJECT_SOURCE_DIR} -o ${CO2E_GENERATED_TABLES} ${CO2E_DATA_FILES}
  DEPENDS co2e_gen_tables ${CO2E_DATA_FILES}
  COMMENT "Compiling data/*.json into built-in tables"
  VERBATIM)
