#!/usr/bin/env bash
# The whole suite (`npm test`, arguments passed on) with two CPU-bound busy loops beside it: the
# suite must hold on a loaded machine (issue 11). The load average goes to stderr each minute,
# the exit code and the time taken at the end.
#   bash scripts/test-under-load.sh            (CI's way from a clean clone: npm ci first)
set -u
cd "$(dirname "$0")/.."
( while :; do :; done ) & b1=$!
( while :; do :; done ) & b2=$!
( while sleep 60; do echo "load average $(date +%T): $(cut -d' ' -f1-3 /proc/loadavg)" >&2; done ) & w=$!
trap 'kill $b1 $b2 $w 2>/dev/null' EXIT
start=$(date +%s)
npm test -- "$@"
rc=$?
echo "npm test beside two busy loops: exit $rc in $(( $(date +%s) - start )) s" >&2
exit $rc
