#!/usr/bin/env bash
# Instructions per call of the JS API (js/bench/icount.mjs) under valgrind's callgrind:
# (Ir(2N) − Ir(N)) / N, with V8 compiling wasm by TurboFan alone and on one thread, so
# that two runs of one build agree within a few per cent. After `make pkg`.
#   bash scripts/icount.sh [case …]   (default: every case; N=3000, or ICOUNT_N)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${ICOUNT_N:-3000}
cases=${*:-decide guest customer forced oauth verify jwt sign}
ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node --no-liftoff --single-threaded js/bench/icount.mjs "$1" "$2" 2>&1 \
    | grep -o 'Collected : [0-9]*' | grep -o '[0-9]*'
}
for c in $cases; do
  a=$(ir "$c" "$n")
  b=$(ir "$c" $((2 * n)))
  printf '%-9s %8d instructions/call\n' "$c" $(((b - a) / n))
done
