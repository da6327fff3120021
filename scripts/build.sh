#!/usr/bin/env bash
# Configures and builds hprof-text (and the demo and the tests) into build/, RelWithDebInfo.
# Usage: scripts/build.sh   (from any directory)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
