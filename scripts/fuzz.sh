#!/usr/bin/env bash
# Run every fuzz target (cargo-fuzz, nightly) for SECONDS each (default 600; `make test`
# uses 30 as a smoke run), with the project's dictionary and seed corpus. The working
# corpus grows in target/fuzz-corpus/<target>; a crash fails the run and its input is
# kept in fuzz/artifacts/<target>/ (turn it into a regression test).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-${FUZZ_SECONDS:-600}}
TARGETS=${FUZZ_TARGETS:-"xml_config router oauth jwt bundle forced_params"}
if ! cargo +nightly --version >/dev/null 2>&1 || ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: needs the nightly toolchain and cargo-fuzz (make setup installs cargo-fuzz)" >&2
  exit 1
fi
dict_of() {
  case "$1" in
    xml_config) echo xml ;; router) echo path ;; forced_params) echo json ;; *) echo "$1" ;;
  esac
}
# Seeds that depend on the current formats are made fresh by the project's own tools.
cargo build -q -p mage-policy-cli
target/debug/mage-policy compile fixtures/sample --allow-insecure -o fuzz/seeds/bundle/sample.bundle >/dev/null
cargo +nightly fuzz build -O
status=0
for t in $TARGETS; do
  mkdir -p "target/fuzz-corpus/$t"
  log="target/fuzz-$t.log"
  if cargo +nightly fuzz run -O "$t" "target/fuzz-corpus/$t" "fuzz/seeds/$t" -- \
      -dict="fuzz/dict/$(dict_of "$t").dict" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
      -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 || true)
    echo "fuzz $t: ${SECONDS_EACH}s, $runs executions, $cov, no crash"
  else
    echo "fuzz $t: FAILED — see $log and fuzz/artifacts/$t/" >&2
    grep -E 'panicked|ERROR|SUMMARY' "$log" | head -5 >&2 || true
    status=1
  fi
done
exit $status
