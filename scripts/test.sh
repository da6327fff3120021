#!/usr/bin/env bash
# Builds hprof-text and runs all the tests: installs what is missing (with the test extras and the
# reference tools), builds into build/, then runs ctest. Exits with ctest's status.
# Usage: scripts/test.sh   (from any directory; root on a fresh Debian 12)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --tests
scripts/build.sh -DBUILD_TESTING=ON
exec ctest --test-dir build --output-on-failure -j2
