#!/usr/bin/env bash
# Installs the reference tools that hprof-text is measured against, all from Debian 12 packages:
#   google-pprof  gperftools 2.10 Perl pprof (package google-perftools); also libtcmalloc for recording profiles
#   jeprof        jemalloc's fork of the Perl pprof (package libjemalloc-dev)
#   pprof         the Go pprof, built offline from Debian's source package (commit 947d60d)
# Usage: scripts/install-reference-tools.sh [DIR]   (DIR receives the Go pprof binary as DIR/pprof;
#        default /opt/anchors, i.e. /opt/anchors/pprof)
# Needs root only when something is missing. Safe to run again: what is present is kept.
# Adapted from the project's anchors install script; the build of the Go pprof is the same.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/opt/anchors}
export DEBIAN_FRONTEND=noninteractive
pkgs=(google-perftools libgoogle-perftools-dev libjemalloc-dev golang-go golang-github-google-pprof-dev
      golang-github-chzyer-readline-dev golang-github-ianlancetaylor-demangle-dev golang-golang-x-sys-dev)
installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'; }
missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "install-reference-tools: installing ${missing[*]}" >&2
  # scripts/install-deps.sh sets HPROF_APT_UPDATED=1 when it has just run apt-get update.
  if [[ ${HPROF_APT_UPDATED-} != 1 ]]; then
    apt-get update -qq
    export HPROF_APT_UPDATED=1
  fi
  apt-get install -y -q "${missing[@]}" >/dev/null
fi
if [[ ! -x $dir/pprof ]]; then
  echo "install-reference-tools: building the Go pprof into $dir/pprof" >&2
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  GOPATH=/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS='' GOCACHE=$scratch/cache \
    go build -o "$scratch/pprof" github.com/google/pprof
  mkdir -p "$dir" && cp "$scratch/pprof" "$dir/pprof"
fi
libs=(/usr/lib/*/libtcmalloc.so.4)
{
  echo "google-pprof: $(command -v google-pprof)"
  echo "jeprof:       $(command -v jeprof)"
  echo "pprof (Go):   $dir/pprof"
  echo "libtcmalloc:  ${libs[0]}"
} >&2
