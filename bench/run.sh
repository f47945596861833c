#!/usr/bin/env bash
# QueryGuard's benchmark: what QueryGuard costs the compiler, as ratios measured in one run.
#
#   bench/run.sh [--files 2000] [--sites 20000] [--runs 5] [--out bench/out]
#
# Generates a service project (--files source files, --sites MongoDB.Driver call sites, a queryguard.json with 50
# collections) and the same project without MongoDB.Driver, then builds them --runs times in each configuration,
# interleaved: no analyzers, QueryGuard, the floor analyzer, the peer package (Meziantou.Analyzer), and QueryGuard
# on the project without the driver. Every build is a fresh csc process (-p:UseSharedCompilation=false,
# -nodeReuse:false) under /usr/bin/time -v, with -p:ReportAnalyzer=true. See bench/README.md.
set -euo pipefail

files=2000
sites=20000
runs=5
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out"
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --sites) sites=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ ! -x /usr/bin/time ]; then
  echo "run.sh: /usr/bin/time is needed for peak memory (Debian/Ubuntu: apt-get install -y time)" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_UI_LANGUAGE=en
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

step() { echo "== $*"; }
quiet_build() {
  # Tools and analyzers, built once; fails loudly with the build's output.
  local log="$out/logs/setup.log"
  if ! dotnet build "$@" -nologo -tl:off -v:q -nodeReuse:false >>"$log" 2>&1; then
    echo "run.sh: 'dotnet build $*' failed; see $log" >&2
    tail -30 "$log" >&2
    exit 1
  fi
}

rm -rf "$out/logs" && mkdir -p "$out/logs"
step "building the benchmark tool, QueryGuard.Analyzers and the floor analyzer (Release)"
quiet_build "$root/bench/Tool" -c Release -o "$out/tools/qg-bench"
quiet_build "$root/QueryGuard.Analyzers" -c Release -o "$out/tools/queryguard"
quiet_build "$root/bench/FloorAnalyzer" -c Release -o "$out/tools/floor"
queryguard="$out/tools/queryguard/QueryGuard.Analyzers.dll"
floor="$out/tools/floor/FloorAnalyzer.dll"

packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
packages=${packages%/}
driver="$packages/mongodb.driver/3.14.0/lib/net6.0/MongoDB.Driver.dll"

step "generating the workloads: $files files, $sites call sites"
dotnet "$out/tools/qg-bench/qg-bench.dll" generate --out "$out/work/driver" --files "$files" --sites "$sites" --driver-path "$driver"
dotnet "$out/tools/qg-bench/qg-bench.dll" generate --out "$out/work/nodriver" --files "$files" --sites "$sites" --no-driver
step "restoring (MongoDB.Driver and Meziantou.Analyzer are downloaded without dependencies)"
# PackageDownload (in the generated project) fetches MongoDB.Driver and Meziantou.Analyzer; restore each workload once.
for w in driver nodriver; do
  if ! dotnet restore "$out/work/$w" -nologo -v:q >>"$out/logs/setup.log" 2>&1; then
    echo "run.sh: restoring $out/work/$w failed; see $out/logs/setup.log" >&2; tail -30 "$out/logs/setup.log" >&2; exit 1
  fi
done
if [ ! -f "$driver" ]; then
  echo "run.sh: $driver is missing after restore" >&2; exit 1
fi
peer_version=$(sed -nE 's/.*Include="Meziantou.Analyzer" Version="\[([^]]+)\]".*/\1/p' "$out/work/driver/Workload.csproj")
peer="$packages/meziantou.analyzer/$peer_version/analyzers/dotnet/roslyn4.8/cs/Meziantou.Analyzer.dll"
if [ ! -f "$peer" ]; then
  echo "run.sh: $peer is missing after restore" >&2; exit 1
fi

build() { # build CONFIG RUN WORKLOAD [-p:Bench...=dll]
  local config=$1 run=$2 workload=$3
  shift 3
  local log="$out/logs/$config-$run.log"
  local started=$SECONDS
  if ! /usr/bin/time -v -o "$out/logs/$config-$run.time" \
      dotnet build "$out/work/$workload" --no-restore --no-incremental -nologo -tl:off -v:d -nodeReuse:false \
        -p:UseSharedCompilation=false -p:ReportAnalyzer=true -clp:PerformanceSummary "$@" >"$log" 2>&1; then
    echo "run.sh: the $config build failed; see $log" >&2
    grep -E ' error ' "$log" | head -20 >&2 || true
    exit 1
  fi
  echo "   $config run $run: $((SECONDS - started)) s"
}

step "building: $runs run(s) of 5 configurations, interleaved ($(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
for run in $(seq 1 "$runs"); do
  build none "$run" driver
  build queryguard "$run" driver "-p:BenchQueryGuard=$queryguard"
  build floor "$run" driver "-p:BenchFloor=$floor"
  build peer "$run" driver "-p:BenchPeer=$peer"
  build nodriver "$run" nodriver "-p:BenchQueryGuard=$queryguard"
done

step "results (medians of $runs run(s); $(nproc) cores; load average at the end $(cut -d' ' -f1-3 /proc/loadavg); logs in $out/logs)"
dotnet "$out/tools/qg-bench/qg-bench.dll" report --logs "$out/logs"
