#!/usr/bin/env bash
# Configures and builds hprof-text (and the demo and the tests) into build/, RelWithDebInfo.
# Usage: scripts/build.sh [CMAKE_OPTION...]   (from any directory)
#   bench/run.sh passes -DBUILD_TESTING=OFF (it needs neither the JDK's tests nor the reference
#   tools); scripts/test.sh passes -DBUILD_TESTING=ON.  scripts/demo.sh builds only its targets.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build -j"$(nproc)"
