#!/usr/bin/env bash
# Formats every tracked C and C++ source with clang-format 14 (.clang-format).
# Usage: scripts/format.sh           rewrite the files in place
#        scripts/format.sh --check   change nothing; list what is not formatted and fail (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.c' '*.h')
if [[ ${1:-} == --check ]]; then
  clang-format-14 --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files formatted as .clang-format says"
else
  clang-format-14 -i "${files[@]}"
fi
