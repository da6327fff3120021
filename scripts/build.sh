#!/usr/bin/env bash
# Configures and builds hprof-text (and the demo and the tests) into build/, RelWithDebInfo.
# Usage: scripts/build.sh [CMAKE_OPTION...]   (from any directory)
#   scripts/demo.sh passes -DBUILD_TESTING=OFF (the demo needs neither the JDK nor the
#   reference tools); scripts/test.sh passes -DBUILD_TESTING=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build build -j"$(nproc)"
