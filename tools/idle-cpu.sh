#!/usr/bin/env bash
# Measures what an idle engine costs: starts the host (Release build) with its embedded Azurite on a fresh folder,
# waits until it is healthy and has settled, then reports the CPU used by the host and by Azurite over a window, as a
# share of one core (from /proc, so Linux only). Stops only the processes it started.
# Usage: tools/idle-cpu.sh [window-seconds=60] [settle-seconds=30] [host arguments...]
#   e.g. tools/idle-cpu.sh 60 30 --OrleansDashboard:Enabled=false   (what the dashboard costs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
window="${1:-60}"
settle="${2:-30}"
shift $(( $# < 2 ? $# : 2 ))
dotnet build "$root/src/Integrity.Host" -c Release -v quiet -nologo >/dev/null
work="$(mktemp -d)"
port=$((20000 + RANDOM % 10000))
(cd "$work" && exec dotnet "$root/src/Integrity.Host/bin/Release/net10.0/Integrity.Host.dll" --urls "http://127.0.0.1:$port" "$@" >"$work/host.log" 2>&1) &
host=$!
trap 'kill "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null
azurite="$(pgrep -P "$host" node | head -1)"
sleep "$settle"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
h0=$(ticks "$host"); a0=$(ticks "$azurite")
sleep "$window"
h1=$(ticks "$host"); a1=$(ticks "$azurite")
hz=$(getconf CLK_TCK)
awk -v h=$((h1 - h0)) -v a=$((a1 - a0)) -v hz="$hz" -v w="$window" 'BEGIN {
  printf "idle over %d s: host %.2f%% of one core, Azurite %.2f%%, together %.2f%%\n", w, 100*h/hz/w, 100*a/hz/w, 100*(h+a)/hz/w }'
