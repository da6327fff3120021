#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-14 with ASan and UBSan) into build-fuzz/ and runs each
# for SECONDS (default 600), JOBS at a time (default 2). Prints per target the executions, the corpus size and
# the findings; exits 1 when there is a finding.
# Usage: scripts/fuzz.sh [SECONDS [JOBS [TARGET...]]]   (from any directory; needs install-deps.sh --fuzz)
#   TARGET: heap_profile, perf_map, elf_symbolize (default: all three)
#   build-fuzz/corpus/TARGET    the working corpus (kept between runs), seeded from testdata/fuzz/TARGET,
#                               testdata/fuzz/regressions/TARGET and, for elf_symbolize, the objects
#                               built from fuzz/seed_sources
#   build-fuzz/findings/TARGET  this run's crash-*, leak-*, timeout-*, oom-* inputs (emptied first);
#                               replay one: build-fuzz/fuzz/fuzz_TARGET FILE
#   build-fuzz/logs/TARGET.log  libFuzzer's output
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
jobs=${2:-2}
targets=("${@:3}")
((${#targets[@]})) || targets=(heap_profile perf_map elf_symbolize)
for target in "${targets[@]}"; do [[ $target =~ ^(heap_profile|perf_map|elf_symbolize)$ ]] || seconds=bad; done
if ! [[ $seconds =~ ^[0-9]+$ && $jobs =~ ^[0-9]+$ ]] || ((seconds == 0 || jobs == 0)); then
  echo "usage: scripts/fuzz.sh [SECONDS [JOBS [heap_profile|perf_map|elf_symbolize...]]]" >&2
  exit 2
fi
declare -A max_len=([heap_profile]=16384 [perf_map]=16384 [elf_symbolize]=65536)

out=build-fuzz
cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 -DHPROF_FUZZ=ON \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build "$out" -j"$jobs" --target hprof_fuzz_elf_seeds "${targets[@]/#/fuzz_}"

# The targets write their scratch files under TMPDIR; never the network.
mkdir -p "$out/tmp"
export TMPDIR=$PWD/$out/tmp DEBUGINFOD_URLS=
export UBSAN_OPTIONS=print_stacktrace=1

run() {
  local target=$1
  local corpus=$out/corpus/$target findings=$out/findings/$target
  mkdir -p "$corpus" "$out/logs" testdata/fuzz/regressions/"$target"
  rm -rf "$findings" && mkdir -p "$findings"
  local seeds=(testdata/fuzz/regressions/"$target")
  [[ -d testdata/fuzz/$target ]] && seeds+=(testdata/fuzz/"$target")
  [[ $target == elf_symbolize ]] && seeds+=("$out/fuzz/elf_seeds")
  "$out/fuzz/fuzz_$target" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -max_len="${max_len[$target]}" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$findings/" \
    >"$out/logs/$target.log" 2>&1 || true
}

echo "fuzz.sh: running ${targets[*]} for ${seconds}s each, $jobs at a time (logs in $out/logs/)" >&2
for target in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  run "$target" &
done
wait

status=0
# The corpus twice: libFuzzer's own (seeds included, each input reduced), and the working directory's files.
printf '%-14s %11s %8s %16s %16s %s\n' target executions seconds "libFuzzer corpus" "corpus dir" findings
for target in "${targets[@]}"; do
  log=$out/logs/$target.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  files=$(find "$out/corpus/$target" -type f | wc -l)
  bytes=$(find "$out/corpus/$target" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  found=$(find "$out/findings/$target" -type f | sort)
  corp=$(sed -n 's/.*DONE.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\) .*/\1/p' "$log" | tail -1)
  printf '%-14s %11s %8s %16s %16s %s\n' "$target" "${execs:-?}" "${secs:-?}" "${corp:-?}" "$files/${bytes}b" \
    "$( [[ -n $found ]] && echo "$found" | tr '\n' ' ' || echo none)"
  if [[ -n $found || -z $execs ]]; then status=1; fi
done
exit $status
