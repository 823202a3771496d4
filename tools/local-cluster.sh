#!/usr/bin/env bash
# Starts a local cluster of N Integrity silos (default 3) on one machine, sharing one Azurite on loopback.
# Silo i listens on HTTP 5080+i, silo port 11111+i, gateway 30000+i; Ctrl-C stops them all (Azurite last).
# Usage: tools/local-cluster.sh [silos] [data-folder]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
silos="${1:-3}"
data="${2:-$root/.azurite-cluster}"
mkdir -p "$data"
chmod 700 "$data"
(cd "$root/tools/azurite" && [ -d node_modules/azurite ] || npm ci --no-audit --no-fund --loglevel=error)
dotnet build "$root/src/Integrity.Host" -c Release -v quiet -nologo >/dev/null

conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10101/devstoreaccount1;TableEndpoint=http://127.0.0.1:10102/devstoreaccount1;"
key() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }
export Storage__ConnectionString="$conn" Storage__ClusterId="local-cluster"
export Security__ApiKeys__Ingest__0="ingest-$(key)" Security__ApiKeys__Analyst__0="analyst-$(key)" Security__ApiKeys__Viewer__0="viewer-$(key)"
export Security__IdentifierHashKey="${Security__IdentifierHashKey:-$(cat "$data/identifier-hash.key" 2>/dev/null || head -c 32 /dev/urandom | base64 | tee "$data/identifier-hash.key")}"

pids=()
stopped=0
# Silos first (they write their last state), then this script exits and Azurite, seeing its parent gone, saves and stops.
stop() {
  [ "$stopped" = 1 ] && return
  stopped=1
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# Azurite lives as long as this script (it stops when its parent pid is gone), and saves on the way out.
INTEGRITY_AZURITE_PARENT_PID=$$ node "$root/tools/azurite/run.js" --silent --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort 10100 --queueHost 127.0.0.1 --queuePort 10101 --tableHost 127.0.0.1 --tablePort 10102 \
  --location "$data" < <(while kill -0 $$ 2>/dev/null; do sleep 5; done) &
sleep 2
for i in $(seq 1 "$silos"); do
  Urls="http://127.0.0.1:$((5080 + i))" Cluster__SiloPort=$((11111 + i)) Cluster__GatewayPort=$((30000 + i)) \
    dotnet "$root/src/Integrity.Host/bin/Release/net10.0/Integrity.Host.dll" --contentRoot "$root/src/Integrity.Host" &
  pids+=($!)
  echo "silo $i: http://127.0.0.1:$((5080 + i)) (pid $!)"
done
echo "keys: ingest $Security__ApiKeys__Ingest__0 | analyst $Security__ApiKeys__Analyst__0 | viewer $Security__ApiKeys__Viewer__0"
wait "${pids[@]}"
