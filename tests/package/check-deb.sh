#!/usr/bin/env bash
# Builds the Debian package from a configured build directory (cpack -G DEB, into a scratch
# directory) and checks it without installing it: the files it holds, its control fields, and that
# the unpacked binary runs and the unpacked man page renders. Usage: check-deb.sh BUILD_DIR
set -euo pipefail
build=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "check-deb: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "check-deb: $tool not found: skipped"; exit 0; }
done

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
debs=("$scratch"/out/co2e_*.deb)
[ -f "${debs[0]}" ] || fail "no co2e_*.deb in $scratch/out: $(ls "$scratch/out")"
deb=${debs[0]}

# The files: binary, man page, the three completions where Debian's shells read them, docs, licence.
dpkg-deb -c "$deb" | awk '{print $6}' >"$scratch/files"
for f in ./usr/bin/co2e ./usr/share/man/man1/co2e.1 ./usr/share/bash-completion/completions/co2e \
         ./usr/share/zsh/vendor-completions/_co2e ./usr/share/fish/vendor_completions.d/co2e.fish \
         ./usr/share/doc/co2e/copyright ./usr/share/doc/co2e/README.md ./usr/share/doc/co2e/cli.md; do
  grep -qx -- "$f" "$scratch/files" || fail "$f missing from $(basename "$deb"): $(cat "$scratch/files")"
done
# Control fields: the name, the version co2e reports, and libc as the only dependency
# (libstdc++ is linked statically).
[ "$(dpkg-deb -f "$deb" Package)" = co2e ] || fail "Package is not co2e"
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == libc6* && $depends != *libstdc++* ]] || fail "Depends: $depends"

# Unpacked (not installed): the binary runs and reports the package's version; the page renders.
dpkg-deb -x "$deb" "$scratch/root"
"$scratch/root/usr/bin/co2e" --version | head -1 | grep -qx "co2e $version" || fail "co2e --version is not $version"
"$scratch/root/usr/bin/co2e" estimate --runtime 1h --cores 1 --core-power 10 --pue 1 --intensity 100 --format csv |
  grep -q '^0.01,0.001,' || fail "the packaged co2e does not estimate 1 h x 10 W = 0.01 kWh, 1 g"
MANWIDTH=80 man -P cat -l "$scratch/root/usr/share/man/man1/co2e.1" | grep -q "^EXIT STATUS" || fail "man page"
echo "check-deb: $(basename "$deb") ok (Depends: $depends)"
