#!/usr/bin/env bash
# Installs what building hprof-text and recording the demo need, from Debian 12 packages.
# Usage: scripts/install-deps.sh [--tests] [--bench] [--fuzz]
#   --tests  also what the tests need: GoogleTest, a JDK with libjvm debug info, llvm-symbolizer
#            (used by the Go pprof oracle; Debian 12's llvm is LLVM 14, so every machine resolves
#            alike), binutils, libjemalloc2 (jemalloc dumps are recorded too), Chromium, libpng and
#            expat (the flame graph is rendered in headless Chromium, its SVG and PNG read back),
#            man-db and dpkg-dev (the install tests render the man page and make a Debian
#            package), and the reference tools
#            (scripts/install-reference-tools.sh).
#   --bench  also what bench/run.sh needs: GNU time, a JDK with libjvm debug info, zlib's headers
#            (bench/inflate_floor.cc), binutils (readelf), and the reference tools it times.
#   --fuzz   also what scripts/fuzz.sh needs: clang 14 with libFuzzer and the sanitizer runtimes,
#            binutils (objcopy makes the stripped ELF seeds).
# Needs root only when something is missing. Safe to run again: what is present is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
bench=0
fuzz=0
for arg in "$@"; do
  case $arg in
    --tests) tests=1 ;;
    --bench) bench=1 ;;
    --fuzz) fuzz=1 ;;
    *) echo "usage: scripts/install-deps.sh [--tests] [--bench] [--fuzz]" >&2; exit 2 ;;
  esac
done

# The build (BUILD_TESTING=OFF, as scripts/demo.sh builds; help2man makes the man page) and the
# demo's recording.
pkgs=(g++ cmake make pkg-config libdw-dev libelf-dev libdeflate-dev libisal-dev libcli11-dev libfmt-dev libre2-dev
      libprotobuf-dev protobuf-compiler zlib1g-dev help2man
      libgoogle-perftools4)
if ((tests)); then
  pkgs+=(libgtest-dev openjdk-17-jdk-headless openjdk-17-dbg llvm binutils libjemalloc2 chromium libpng-dev
         libexpat1-dev libc6-dbg man-db dpkg-dev)
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
