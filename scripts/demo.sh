#!/usr/bin/env bash
# The main job on the bundled demo: installs what is missing, builds, records a real heap profile
# of demo/leaky.cc under libtcmalloc, and prints hprof-text's report of it.
# Usage: scripts/demo.sh   (from any directory; root on a fresh Debian 12)
# stdout carries only the report; set-up and recording messages go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2
scripts/build.sh -DBUILD_TESTING=OFF >&2

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
LD_PRELOAD=$tcmalloc HEAPPROFILE=out/demo/leaky \
  HEAP_PROFILE_ALLOCATION_INTERVAL=1099511627776 HEAP_PROFILE_INUSE_INTERVAL=1099511627776 \
  build/demo/leaky >&2

dumps=(out/demo/leaky.*.heap)  # sorted: the numbers are zero-padded
if [[ ! -e ${dumps[0]} ]]; then
  echo "demo: the recording wrote no out/demo/leaky.*.heap" >&2
  exit 1
fi
dump=${dumps[-1]}
echo "demo: report of $dump" >&2
exec build/hprof-text build/demo/leaky "$dump"
