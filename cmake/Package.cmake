# The Debian package, built by CPack from the install rules: the binary, co2e(1), the bash, zsh
# and fish completions, the docs and the licence (as /usr/share/doc/co2e/copyright).
#   cmake --preset deb && cmake --build --preset deb && cpack --preset deb   ->  build/deb/co2e_*.deb
# The deb preset configures with CMAKE_INSTALL_PREFIX=/usr, so zsh's file goes where Debian's zsh
# looks (/usr/share/zsh/vendor-completions).
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

set(CPACK_PACKAGE_NAME co2e)
set(CPACK_PACKAGE_VENDOR "co2e contributors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "energy and carbon footprint of computation")
set(CPACK_PACKAGE_DESCRIPTION
    "co2e estimates and measures the energy (kWh) and carbon (kg CO2e) of computation: estimates \
from runtime and hardware, batches of experiments with paper-ready reports, measured runs of a \
command (RAPL, NVML), SLURM accounting and the best time to start a job. Every figure says where \
it comes from.")
set(CO2E_PACKAGE_MAINTAINER "co2e maintainers <maintainers@co2e.invalid>"
    CACHE STRING "Maintainer field of the Debian package (Name <email>)")
set(CPACK_PACKAGE_CONTACT "${CO2E_PACKAGE_MAINTAINER}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # co2e_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libc6 only: libstdc++ is linked statically
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_GENERATOR DEB)
include(CPack)
