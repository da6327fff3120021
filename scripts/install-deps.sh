#!/usr/bin/env bash
# Installs what building hprof-text and recording the demo need, from Debian 12 packages.
# Usage: scripts/install-deps.sh [--hermetic-tests | --tests] [--bench] [--fuzz]
#   --hermetic-tests  also what the hermetic tests (tests/unit, the first tier) need: GoogleTest,
#            expat (the flame graph's SVG is read back) and binutils (objcopy makes compressed and
#            stripped copies of the DWARF fixture and the fuzzers' ELF seeds).
#   --tests  also what every test needs, the compat tier's (tests/e2e) too: the above, a JDK with
#            libjvm debug info, llvm-symbolizer (used by the Go pprof oracle; Debian 12's llvm is
#            LLVM 14, so every machine resolves alike), libjemalloc2 (jemalloc dumps are recorded
#            too), Chromium and libpng (the flame graph is rendered in headless Chromium and its PNG
#            read back), libc6-dbg (ld.so's inlined functions, named in the JVM reports), man-db
#            and dpkg-dev (the install tests render the man page and make a Debian package), graphviz
#            (dot lays out --dot's output), and the reference tools (scripts/install-reference-tools.sh).
# Needs root only when something is missing. Safe to run again: what is present is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

hermetic_tests=0
tests=0
bench=0
fuzz=0
for arg in "$@"; do
  case $arg in
    --hermetic-tests) hermetic_tests=1 ;;
    --tests) tests=1 ;;
    --bench) bench=1 ;;
    --fuzz) fuzz=1 ;;
    *) echo "usage: scripts/install-deps.sh [--hermetic-tests | --tests] [--bench] [--fuzz]" >&2; exit 2 ;;
  esac
done

# The build (BUILD_TESTING=OFF, as scripts/demo.sh builds; help2man makes the man page) and the
# demo's recording.
pkgs=(g++ cmake make pkg-config libdw-dev libelf-dev libdeflate-dev libisal-dev libcli11-dev libfmt-dev libre2-dev
      libprotobuf-dev protobuf-compiler zlib1g-dev help2man
      libgoogle-perftools4)
if ((hermetic_tests || tests)); then
  pkgs+=(libgtest-dev libexpat1-dev binutils)
fi
if ((tests)); then
  pkgs+=(openjdk-17-jdk-headless openjdk-17-dbg llvm libjemalloc2 chromium libpng-dev libc6-dbg man-db dpkg-dev
        graphviz)
fi
if ((bench)); then
  pkgs+=(time openjdk-17-jdk-headless openjdk-17-dbg zlib1g-dev binutils)
fi
if ((fuzz)); then
  pkgs+=(clang-14 libclang-rt-14-dev binutils)
fi

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'; }

missing=()
for p in "${pkgs[@]}"; do
  if ! installed "$p" && [[ " ${missing[*]-} " != *" $p "* ]]; then missing+=("$p"); fi
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [[ ${HPROF_APT_UPDATED-} != 1 ]]; then
    apt-get update -qq
    export HPROF_APT_UPDATED=1  # tells install-reference-tools.sh not to update again
  fi
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

if ((tests)); then
  # The Go pprof runs the first llvm-symbolizer on PATH: it must be Debian 12's LLVM 14.
  symbolizer=$(readlink -f /usr/bin/llvm-symbolizer 2>/dev/null || true)
  if [[ $symbolizer != /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
    echo "install-deps: /usr/bin/llvm-symbolizer is '${symbolizer:-missing}', expected LLVM 14's" >&2
    exit 1
  fi
fi
if ((tests || bench)); then
  scripts/install-reference-tools.sh
fi
