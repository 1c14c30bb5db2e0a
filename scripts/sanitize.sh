#!/usr/bin/env bash
# Builds planmap with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs the
# whole test suite there. Any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPLANMAP_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
# Slow (frame-by-frame) unwinding on malloc, so leaks inside system libraries built without frame
# pointers get their whole stack and the suppressions in lsan.supp can match them.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-asan
# The QGIS tests (label qgis) run in the main build (scripts/test.sh): planmap inside QGIS is the
# same program, and QGIS itself is not instrumented.
ctest --output-on-failure -j"$(nproc)" -LE qgis "$@"
