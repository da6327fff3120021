#!/usr/bin/env bash
# Times hprof-text against the Go pprof and the Perl pprof (google-pprof) on two heap profiles:
#   jvm    the last dump of a real JVM (tests/e2e/java/DeflaterLeak.java) recorded under libtcmalloc
#   large  a synthetic ~10 MB profile: the JVM dump's records repeated K times (parse+aggregate scaling)
#   huge   the same at ~100 MB (hprof-text only: the scale target)
# and hprof-text's batch mode (--output-suffix) on six dumps of one JVM run against one dump alone:
#   series the last six dumps of another recording of the same program, a dump every 20 MB
# hprof-text runs three ways: cold (--no-cache: no symbol index read or written), first (an empty
# --cache-dir: the report, then the symbol indexes written) and warm (--cache-dir holding them); on
# the series also next (the indexes of another dump of the process: they grow by its new PCs).
# Each tool runs BENCH_RUNS times (default 3) per input under GNU time; the table gives the median
# wall time and the largest peak RSS, and each tool's ratio to hprof-text cold and warm.
# Usage: bench/run.sh   (from any directory; root only when something has to be installed; a clean
#        Debian 12 is enough: it runs scripts/install-deps.sh --bench, and builds build/hprof-text
#        when it is missing)
# Environment:
#   BENCH_RUNS=N          runs per tool and input (default 3)
#   BENCH_PERL_LARGE=1    also run the Perl pprof on the large input (skipped by default to keep the run short)
#   BENCH_LARGE_MB=M      target size of the large input in MiB (default 10)
#   BENCH_HUGE_MB=M       target size of the huge input in MiB (default 100; 0 skips it)
#   BENCH_HPROF=FILE      the hprof-text binary to time (default build/hprof-text, built when missing)
# stdout carries only the machine/input header and the table; progress goes to stderr.
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."

runs=${BENCH_RUNS:-3}
perl_large=${BENCH_PERL_LARGE:-0}
large_mb=${BENCH_LARGE_MB:-10}
huge_mb=${BENCH_HUGE_MB:-100}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: BENCH_RUNS must be a positive integer, not '$runs'" >&2
  exit 2
fi
if ! [[ $large_mb =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: BENCH_LARGE_MB must be a positive integer, not '$large_mb'" >&2
  exit 2
fi
if ! [[ $huge_mb =~ ^[0-9]+$ ]]; then
  echo "bench: BENCH_HUGE_MB must be a non-negative integer, not '$huge_mb'" >&2
  exit 2
fi

log() { echo "bench: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# 1. Tools
# The build packages, the bench's own (GNU time, the JDK and libjvm's debug file, zlib's headers
# for inflate_floor, readelf) and the reference tools (scripts/install-reference-tools.sh):
# scripts/install-deps.sh --bench installs only what is missing.
scripts/install-deps.sh --bench >&2
gopprof=/opt/anchors/pprof
perlpprof=$(command -v google-pprof)

hprof=${BENCH_HPROF:-build/hprof-text}
if [[ ! -x $hprof && -z ${BENCH_HPROF-} ]]; then
  # Without the tests: they need GoogleTest, jemalloc and the reference tools' checks at configure time.
  log "building $hprof (scripts/build.sh -DBUILD_TESTING=OFF)"
  scripts/build.sh -DBUILD_TESTING=OFF >&2
fi
if [[ ! -x $hprof ]]; then
  log "$hprof is not an executable file"
  exit 1
fi

gnutime=/usr/bin/time
libs=(/usr/lib/*/libtcmalloc.so.4)
tcmalloc=${libs[0]}
if [[ ! -e $tcmalloc ]]; then
  log "no libtcmalloc.so.4 under /usr/lib/*/ (package libgoogle-perftools4)"
  exit 1
fi
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
java=$java_home/bin/java
javac=$java_home/bin/javac
[[ -x $javac ]] || javac=$(command -v javac)

# ---------------------------------------------------------------------------------------------
# 2. The real JVM dump (reused while it is newer than the Java source)
src=tests/e2e/java/DeflaterLeak.java
classes=out/bench/java
class=$classes/DeflaterLeak.class
if [[ ! -e $class || $src -nt $class ]]; then
  log "compiling $src into $classes/"
  mkdir -p "$classes"
  "$javac" -d "$classes" "$src" >&2
fi

# record_jvm DIR INTERVAL: runs the program under libtcmalloc with a dump every INTERVAL bytes of
# in-use growth into DIR/rec.NNNN.heap, unless DIR already holds a recording newer than the Java
# source; sets rec_dumps to the dumps, sorted (the dump numbers are zero-padded).
record_jvm() {
  local dir=$1 interval=$2
  local marker=$dir/recorded
  shopt -s nullglob
  rec_dumps=("$dir"/rec.*.heap)
  if ((${#rec_dumps[@]} == 0)) || [[ ! -e $marker || $src -nt $marker || $class -nt $marker ]]; then
    log "recording the JVM under libtcmalloc into $dir/"
    mkdir -p "$dir"
    rm -f "$dir"/rec.*.heap "$marker"
    # 600 Deflaters never end()ed.
    LD_PRELOAD=$tcmalloc HEAPPROFILE=$dir/rec HEAP_PROFILE_INUSE_INTERVAL=$interval \
      "$java" -Xmx64m -XX:TieredStopAtLevel=1 -cp "$classes" DeflaterLeak 600 >&2
    rec_dumps=("$dir"/rec.*.heap)
    if ((${#rec_dumps[@]} == 0)); then
      log "the recording wrote no $dir/rec.*.heap"
      exit 1
    fi
    echo ok >"$marker"
  fi
  shopt -u nullglob
}

record_jvm out/bench/jvm 67108864  # a dump every 64 MB
jvmdump=${rec_dumps[-1]}

# The series: the last six dumps of one run recorded with a dump every 20 MB (8 or 9 dumps), for
# the batch mode (--output-suffix) against one dump alone.
record_jvm out/bench/series 20971520
if ((${#rec_dumps[@]} < 6)); then
  log "the series recording wrote ${#rec_dumps[@]} dumps, fewer than 6 (delete out/bench/series/ to record again)"
  exit 1
fi
series=("${rec_dumps[@]: -6}")

# ---------------------------------------------------------------------------------------------
# 3. The synthetic large profile: the JVM dump's header line, its records K times (same addresses,
# so the same stacks; the header totals are informational and left as they are), then its
# MAPPED_LIBRARIES section.
# synthesize OUT MIB: writes OUT unless it is newer than the JVM dump and this script.
synthesize() {
  local out=$1 mb=$2
  if [[ -e $out && ! $jvmdump -nt $out && ! $self -nt $out && -e $out.mb && $(cat "$out.mb") == "$mb" ]]; then return; fi
  log "generating $out (~$mb MiB) from $jvmdump"
  awk -v target=$((mb * 1024 * 1024)) '
    NR == 1 { header = $0 "\n"; next }
    !in_maps && /^MAPPED_LIBRARIES:/ { in_maps = 1 }
    in_maps { maps = maps $0 "\n"; next }
    { recs = recs $0 "\n" }
    END {
      rb = length(recs)
      if (rb == 0) { print "bench: no records in the dump" > "/dev/stderr"; exit 1 }
      k = int((target - length(header) - length(maps)) / rb + 0.5)
      if (k < 1) k = 1
      printf "%s", header
      for (i = 0; i < k; i++) printf "%s", recs
      printf "%s", maps
      print k > "/dev/stderr"
    }' "$jvmdump" >"$out.tmp" 2>"$out.k"
  mv "$out.tmp" "$out"
  echo "$mb" >"$out.mb"
  log "$(basename "$out") = $(cat "$out.k") copies of the records"
  rm -f "$out.k"
}
large=out/bench/large.heap
synthesize "$large" "$large_mb"
huge=out/bench/huge.heap
if ((huge_mb > 0)); then synthesize "$huge" "$huge_mb"; fi

# ---------------------------------------------------------------------------------------------
# 4. Measurements
stacks() { grep -c -E '^ *[0-9]+: +[0-9]+ \[' "$1" || true; }
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1048576 }'; }

model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "# machine: nproc=$(nproc), cpu=${model:-unknown}, kernel=$(uname -r)"
echo "# runs per tool and input: $runs (median wall time, max peak RSS over the runs)"
echo "# program: $java"
echo "# jvm   input: $jvmdump, $(size_mb "$jvmdump") MiB, $(stacks "$jvmdump") stacks"
echo "# large input: $large, $(size_mb "$large") MiB, $(stacks "$large") stacks"
if ((huge_mb > 0)); then echo "# huge  input: $huge, $(size_mb "$huge") MiB, $(stacks "$huge") stacks"; fi
series_mb=$(cat "${series[@]}" | wc -c | awk '{ printf "%.2f", $1 / 1048576 }')
echo "# series input: $(dirname "${series[0]}")/$(basename "${series[0]}") .. $(basename "${series[-1]}"), $series_mb MiB;" \
  "batch-*: --output-suffix=.txt on the six, hprof-*: the last alone"

# The floor of hprof-text's cold path: inflating the compressed debug sections of libjvm that
# symbolization reads (bench/inflate_floor.cc), with zlib and with libdeflate, on 1 and 2 threads,
# and decoded with ISA-L as a stream that keeps nothing (the floor of keeping .debug_info in part).
floor_bin=out/bench/inflate_floor
if [[ ! -x $floor_bin || bench/inflate_floor.cc -nt $floor_bin ]]; then
  log "building $floor_bin from bench/inflate_floor.cc"
  mkdir -p out/bench
  g++ -O2 -std=c++20 bench/inflate_floor.cc -o "$floor_bin" -lz -ldeflate -lisal -pthread >&2
fi
# awk reads to the end: an early exit would kill readelf with SIGPIPE, fatal under pipefail.
jvm_id=$(readelf -n "$java_home/lib/server/libjvm.so" | awk '/Build ID:/ && id == "" { id = $3 } END { print id }')
jvm_debug=/usr/lib/debug/.build-id/${jvm_id:0:2}/${jvm_id:2}.debug
if [[ -n $jvm_id && -e $jvm_debug ]]; then
  log "timing the inflate floor on $jvm_debug"
  "$floor_bin" "$jvm_debug" "$runs" 2>/dev/null | awk '
    /^#/ { what = substr($0, 3); next }
    { times = times sprintf("%s%s %s s", times == "" ? "" : ", ", $1, $2) }
    END { printf "# floor: inflating libjvm'"'"'s %s: %s\n", what, times }'
else
  echo "# floor: no debug file for libjvm.so (openjdk-17-dbg)"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=0
# measure NAME CMD... : runs CMD $runs times; sets m_wall (median s) and m_rss (max KB), or
# m_wall=failed when any run exits non-zero.
measure() {
  local name=$1 i rc
  shift
  : >"$scratch/walls"
  m_rss=0
  for ((i = 1; i <= runs; i++)); do
    rc=0
    # GNU time's %e counts hundredths: the wall time is bash's, to the microsecond (GNU time's own
    # start, about a millisecond, included).
    local start=$EPOCHREALTIME
    "$gnutime" -f '%e %M' -o "$scratch/time" "$@" >/dev/null 2>"$scratch/err" || rc=$?
    local end=$EPOCHREALTIME
    if ((rc != 0)); then
      log "$name failed (exit $rc) on run $i: $*"
      tail -n 5 "$scratch/err" | sed 's/^/bench:   /' >&2
      m_wall=failed
      failed=1
      return
    fi
    local wall rss
    read -r wall rss < <(tail -n 1 "$scratch/time")
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    log "  $name run $i/$runs: ${wall}s, ${rss} KB"
    echo "$wall" >>"$scratch/walls"
    if ((rss > m_rss)); then m_rss=$rss; fi
  done
  m_wall=$(sort -g "$scratch/walls" | awk '{ w[NR] = $1 } END {
    if (NR % 2) print w[(NR + 1) / 2]; else print (w[NR / 2] + w[NR / 2 + 1]) / 2 }')
}

rows=()
row() {  # row INPUT TOOL WALL RSS_KB  (WALL may be "failed"/"skipped")
  rows+=("$1|$2|$3|$4")
}

# hprof-text's three ways; the warm runs read the indexes the first runs wrote.
cache=$scratch/cache
hprof_cold=("$hprof" --no-cache)
hprof_first=(bash -c 'rm -rf "$1" && exec "${@:2}"' first "$cache" "$hprof" --cache-dir="$cache")
hprof_warm=("$hprof" --cache-dir="$cache")

inputs=(jvm large)
if ((huge_mb > 0)); then inputs+=(huge); fi
for input in "${inputs[@]}"; do
  case $input in
    jvm) dump=$jvmdump ;;
    large) dump=$large ;;
    huge) dump=$huge ;;
  esac
  label="$input $(basename "$dump")"
  log "input $label"
  for tool in hprof-cold hprof-first hprof-warm go-pprof perl-pprof; do
    case $tool in
      hprof-cold) cmd=("${hprof_cold[@]}" "$java" "$dump") ;;
      hprof-first) cmd=("${hprof_first[@]}" "$java" "$dump") ;;
      hprof-warm) cmd=("${hprof_warm[@]}" "$java" "$dump") ;;
      go-pprof)
        if [[ $input == huge ]]; then continue; fi
        cmd=("$gopprof" -text -nodefraction=0 "$java" "$dump") ;;
      perl-pprof)
        if [[ $input == huge ]]; then continue; fi
        if [[ $input == large && $perl_large != 1 ]]; then
          log "  perl-pprof skipped on the large input (BENCH_PERL_LARGE=1 to run it)"
          row "$label" "$tool" skipped 0
          continue
        fi
        cmd=("$perlpprof" --text "$java" "$dump") ;;
    esac
    measure "$tool" "${cmd[@]}"
    row "$label" "$tool" "$m_wall" "$m_rss"
  done
done

# The batch mode: the six dumps of the series in one run (one report file each) against the last
# one alone, both on copies in the scratch directory (the batch writes next to its dumps); cold,
# then warm.
mkdir "$scratch/series"
cp "${series[@]}" "$scratch/series/"
copies=()
for dump in "${series[@]}"; do copies+=("$scratch/series/$(basename "$dump")"); done
log "input series (${#copies[@]} dumps)"
last="series $(basename "${copies[-1]}")"
measure hprof-cold "${hprof_cold[@]}" "$java" "${copies[-1]}"
row "$last" hprof-cold "$m_wall" "$m_rss"
measure hprof-first "${hprof_first[@]}" "$java" "${copies[-1]}"
row "$last" hprof-first "$m_wall" "$m_rss"
measure hprof-warm "${hprof_warm[@]}" "$java" "${copies[-1]}"
row "$last" hprof-warm "$m_wall" "$m_rss"
# A second run over another dump of the same process: the indexes a first run on the series' first
# dump wrote (copied afresh before each run: a few ms of the time), then the last dump, whose new
# PCs the indexes do not hold yet.
seed=$scratch/next-seed
"$hprof" --cache-dir="$seed" "$java" "${copies[0]}" >/dev/null 2>&1
hprof_next=(bash -c 'rm -rf "$1" && cp -a "$2" "$1" && exec "${@:3}"' next "$scratch/next" "$seed" "$hprof"
  --cache-dir="$scratch/next")
measure hprof-next "${hprof_next[@]}" "$java" "${copies[-1]}"
row "$last" hprof-next "$m_wall" "$m_rss"
measure go-pprof "$gopprof" -text -nodefraction=0 "$java" "${copies[-1]}"
row "$last" go-pprof "$m_wall" "$m_rss"
measure batch-cold "${hprof_cold[@]}" --output-suffix=.txt "$java" "${copies[@]}"
row "series 6 dumps" batch-cold "$m_wall" "$m_rss"
measure batch-warm "${hprof_warm[@]}" --output-suffix=.txt "$java" "${copies[@]}"
row "series 6 dumps" batch-warm "$m_wall" "$m_rss"

# ---------------------------------------------------------------------------------------------
# 5. Table: ratios are tool / hprof-text cold (or warm) on the same input, so above 1.00x means
# hprof-text is faster or leaner.
# The last two columns put the Go pprof on the same input over each hprof-text row: how many times
# faster and leaner hprof-text is than it (the targets are stated that way).
declare -A go_wall go_rss
for r in "${rows[@]}"; do
  IFS='|' read -r label tool wall rss <<<"$r"
  if [[ $tool == go-pprof && $wall != failed ]]; then go_wall[$label]=$wall go_rss[$label]=$rss; fi
done
printf '%-22s %-12s %8s %9s %13s %13s %12s %9s %9s\n' input tool wall_s peak_MB time_vs_cold time_vs_warm mem_vs_cold \
  go_time go_mem
cold_wall= cold_rss= warm_wall=
for r in "${rows[@]}"; do
  IFS='|' read -r label tool wall rss <<<"$r"
  case $tool in
    hprof-cold) cold_wall=$wall cold_rss=$rss warm_wall= ;;
    hprof-warm) warm_wall=$wall ;;
  esac
  if [[ $wall == failed || $wall == skipped ]]; then
    printf '%-22s %-12s %8s %9s %13s %13s %12s %9s %9s\n' "$label" "$tool" "$wall" - - - - - -
    continue
  fi
  gw= gm=
  if [[ $tool == hprof-* ]]; then gw=${go_wall[$label]:-} gm=${go_rss[$label]:-}; fi
  awk -v label="$label" -v tool="$tool" -v w="$wall" -v m="$rss" -v bw="$cold_wall" -v bm="$cold_rss" \
    -v ww="$warm_wall" -v gw="$gw" -v gm="$gm" '
    function ratio(x, b) { return (b == "" || b == "failed" || b + 0 <= 0) ? "-" : sprintf("%.2fx", x / b) }
    function over(g, x) { return (g == "" || x + 0 <= 0) ? "-" : sprintf("%.0fx", g / x) }
    BEGIN { printf "%-22s %-12s %8.3f %9.1f %13s %13s %12s %9s %9s\n", label, tool, w, m / 1024, ratio(w, bw), ratio(w, ww),
            ratio(m, bm), over(gw, w), over(gm, m) }'
done

exit $failed
