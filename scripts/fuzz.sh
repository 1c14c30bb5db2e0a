#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs each for FUZZ_SECONDS
# (default 30) on its seed corpus (fuzz/corpus/NAME, read-only; new inputs go to a temporary
# folder). A crash leaves its input in build-fuzz/crashes/ and fails the run: turn it into a
# regression case in tests/badinput/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPLANMAP_FUZZ=ON -DPLANMAP_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)"
mkdir -p build-fuzz/crashes
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in build-fuzz/fuzz/fuzz_*; do
  name=$(basename "$target"); name=${name#fuzz_}
  work=$(mktemp -d)
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build-fuzz/crashes/"$name"- "$work" "fuzz/corpus/$name" 2>build-fuzz/"$name".log; then
    echo "fuzz: $name FAILED, see build-fuzz/$name.log and build-fuzz/crashes/"; tail -40 build-fuzz/"$name".log
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build-fuzz/"$name".log | sed "s/^/fuzz: $name /" || true
  rm -rf "$work"
done
exit $status
