#!/usr/bin/env bash
# Installs what co2e needs to build and test on Debian 12, from Debian's packages only.
# Does nothing (and needs no root) when everything is already there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build git python3
  python3-jsonschema  # tests/schemas/validate_outputs.py: JSON outputs against docs/schemas
  clang libclang-rt-14-dev clang-format-14
  libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev catch2
  # The LaTeX reports compiled by the tests (pdflatex, bibtex): booktabs is in -latex-recommended,
  # pgfplots in -pictures; rsvg-convert renders the --plot SVG charts to PNG.
  texlive-latex-base texlive-latex-recommended texlive-pictures librsvg2-bin
  zsh fish            # the completion tests load co2e's scripts in each shell
  man-db python3-yaml # the man page test (man -l, groff); docs/ci.md's recipe test reads YAML
  libbenchmark-dev    # Google Benchmark: bench/ (-DCO2E_BUILD_BENCH=ON)
  clang-tidy-14       # scripts/tidy.sh (on demand, not in CI: see the script)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
