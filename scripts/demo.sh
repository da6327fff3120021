#!/usr/bin/env bash
# The main job on the bundled demo: installs what is missing, builds, records a real heap profile
# of demo/leaky.cc under libtcmalloc, puts hprof-text on PATH and prints its report of the recording.
# Usage: scripts/demo.sh   (from any directory; root on a fresh Debian 12)
# stdout carries only the report.  stderr gets one line per step; what the steps print goes to
# out/demo.log, whose path is printed when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p out
log=$PWD/out/demo.log
: >"$log"

# step MESSAGE COMMAND...: one line on stderr, the command's output in the log.
step() {
  echo "demo: $1" >&2
  shift
  if ! "$@" >>"$log" 2>&1; then
    echo "demo: failed; the log is $log" >&2
    exit 1
  fi
}

step "installing the missing packages" scripts/install-deps.sh
# Only what the demo uses: hprof-text (with its man page and completions) and the demo program.
step "configuring build/" cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF
step "building hprof-text and the demo program" cmake --build build -j"$(nproc)" --target hprof-text hprof_text_docs demo_leaky

libs=(/usr/lib/*/libtcmalloc.so.4)
tcmalloc=${libs[0]}
if [[ ! -e $tcmalloc ]]; then
  echo "demo: no libtcmalloc.so.4 under /usr/lib/*/ (package libgoogle-perftools4)" >&2
  exit 1
fi

rm -rf out/demo
mkdir -p out/demo
# The heap profiler records every allocation and writes out/demo/leaky.NNNN.heap when the
# program exits; the intervals are set high so that this exit dump is the only one.
step "recording build/demo/leaky under libtcmalloc's heap profiler" \
  env LD_PRELOAD="$tcmalloc" HEAPPROFILE=out/demo/leaky \
  HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776 HEAP_PROFILE_INUSE_INTERVAL=1099511627776 build/demo/leaky

dumps=(out/demo/leaky.*.heap)  # sorted: the numbers are zero-padded
if [[ ! -e ${dumps[0]} ]]; then
  echo "demo: the recording wrote no out/demo/leaky.*.heap; the log is $log" >&2
  exit 1
fi
dump=${dumps[-1]}

hprof_text=build/hprof-text
if [[ $(id -u) == 0 ]]; then
  step "installing hprof-text into /usr/local (bin, man page, shell completions)" cmake --install build --prefix /usr/local
  hprof_text=hprof-text
  command -v hprof-text >/dev/null || hprof_text=/usr/local/bin/hprof-text  # /usr/local/bin not on PATH
else
  echo "demo: to put hprof-text on PATH, run as root: cmake --install build --prefix /usr/local" >&2
fi
echo "demo: $hprof_text build/demo/leaky $dump" >&2
exec "$hprof_text" build/demo/leaky "$dump"
