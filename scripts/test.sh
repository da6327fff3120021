#!/usr/bin/env bash
# Builds hprof-text and runs all the tests, both tiers (docs/testing.md), twice: the normal
# RelWithDebInfo build in build/, then the same suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer (-DHPROF_SANITIZE=ON) in build-asan/. Installs what is missing first
# (the test extras and the reference tools included). Exits nonzero when either suite fails; both
# run either way. The sanitized run leaves out what would not fit CI's time (see below);
# `ctest --test-dir build-asan` runs everything.
# Usage: scripts/test.sh [--hermetic] [--plain | --sanitized]   (from any directory; root on a fresh Debian 12)
#   --hermetic   only the hermetic tier (the unit tests): configured without HPROF_COMPAT_TESTS, it
#                needs only scripts/install-deps.sh --hermetic-tests (no JDK, browser or reference tools)
#   --plain      only the normal suite;  --sanitized  only the sanitized one
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/test.sh [--hermetic] [--plain | --sanitized]" >&2; exit 2; }
plain=1 sanitized=1 compat=ON deps=--tests
for arg in "$@"; do
  case $arg in
    --hermetic) compat=OFF deps=--hermetic-tests ;;
    --plain) sanitized=0 ;;
    --sanitized) plain=0 ;;
    *) usage ;;
  esac
done
((plain || sanitized)) || usage

scripts/install-deps.sh "$deps"
status=0
if ((plain)); then
  scripts/build.sh -DBUILD_TESTING=ON -DHPROF_COMPAT_TESTS="$compat"
  ctest --test-dir build --output-on-failure -j2 || status=1
fi
if ((sanitized)); then
  # Any report from a sanitizer fails the test that triggered it: UBSan stops at the first
  # error (-fno-sanitize-recover), ASan and LeakSanitizer exit nonzero.
  # verify_asan_link_order=0: the e2e tests preload a seccomp guard (tests/e2e/guard) into hprof-text.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:verify_asan_link_order=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DHPROF_SANITIZE=ON \
        -DHPROF_COMPAT_TESTS="$compat"
  cmake --build build-asan -j"$(nproc)"
  # Within CI's 90 minutes: not the .warm copies of the e2e tests (the cold ones run the same
  # code, and the unit tests read and write indexes), nor the huge inputs of BoundedResources
  # (their memory bound is for the plain build; under ASan each takes minutes, the million PCs far longer).
  ctest --test-dir build-asan --output-on-failure -j2 -LE warm -E '^BoundedResources[.]' || status=1
fi
exit "$status"
