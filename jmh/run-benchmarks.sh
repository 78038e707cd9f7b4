#!/usr/bin/env bash
# Builds the JMH benchmarks jar, runs it on a JDK 25 with JSON output, and regenerates docs/benchmarks.md (tables)
# and docs/benchmarks-speedups.svg (chart) from it.
#
#   jmh/run-benchmarks.sh [JMH options...]
#
# With no options it runs the whole suite of issue 4 (dev.numbat.bench.suite: 12 kernels x 3 sizes x 3-5 variants,
# 153 forks) with "-f 1 -wi 3 -w 1s -i 5 -r 1s": about 30-35 minutes on 2 cores (each fork: 1-2 s to start the JVM
# and compile the class's kernels, the check of its results, then 8 s of iterations; at their largest sizes a call
# of mandelbrot or n-body takes ~1.5 s, of matmul ~4 s). Options given replace those, e.g. one kernel, or a quick look:
#   jmh/run-benchmarks.sh 'DotBenchmark' -p size=65536 -f 1 -wi 3 -i 5
#   BENCH_NOTE='SMOKE RUN: not real figures' jmh/run-benchmarks.sh 'Dot|Mandelbrot' -f 1 -wi 1 -i 1 -w 200ms -r 200ms
# Environment:
#   NUMBAT_JDK          the JDK 25 to use (else /usr/lib/jvm/temurin-25-jdk-amd64 and the like, else java on PATH if 25+)
#   SKIP_BUILD=1        reuse jmh/target/benchmarks.jar
#   MVN_ARGS            extra Maven options for the build (e.g. -o)
#   NUMBAT_BENCH_LOCK   a lock file: the build and the run hold it (flock), so that builds sharing the
#                       machine wait instead of disturbing the measurement
#   BENCH_OUT           where the report goes (default docs/benchmarks.md; the chart goes beside it, named
#                       <name>-speedups.svg), e.g. /tmp/b.md to try the plumbing without touching docs/
#   BENCH_RESULTS       where the JSON and the log go (default jmh/results)
#   BENCH_NOTE          a line shown first in the generated text (mark a smoke run as such)
# The run's output is kept in $BENCH_RESULTS/benchmarks.log: the report lists the forks that failed from it (a kernel
# Numbat refused, a result that differed from HotSpot's) and the clang version and flags of the C twins.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
invocation="jmh/run-benchmarks.sh${*:+ $*}"
[[ -n "${NUMBAT_BENCH_LOCK:-}" ]] && invocation="NUMBAT_BENCH_LOCK=$NUMBAT_BENCH_LOCK $invocation"
if [[ -n "${NUMBAT_BENCH_LOCK:-}" && -z "${NUMBAT_BENCH_LOCKED:-}" ]]; then
    echo "run-benchmarks: waiting for the lock $NUMBAT_BENCH_LOCK" >&2
    exec flock "$NUMBAT_BENCH_LOCK" env NUMBAT_BENCH_LOCKED=1 NUMBAT_BENCH_INVOCATION="$invocation" "$0" "$@"
fi
invocation="${NUMBAT_BENCH_INVOCATION:-$invocation}"
cd "$root"

# The JDK 25, found as the root pom finds it: NUMBAT_JDK, the usual install folders, java on PATH.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_jdk() {
    if [[ -n "${NUMBAT_JDK:-}" ]]; then
        [[ -x "$NUMBAT_JDK/bin/java" ]] || { echo "NUMBAT_JDK=$NUMBAT_JDK has no bin/java" >&2; return 1; }
        echo "$NUMBAT_JDK"; return
    fi
    for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-amd64; do
        [[ -x "$d/bin/java" ]] && { echo "$d"; return; }
    done
    if command -v java >/dev/null; then
        local v; v=$(java_major java)
        if [[ -n "$v" && "${v%%.*}" -ge 25 ]]; then
            java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p'; return
        fi
    fi
    echo "No JDK 25 found: set NUMBAT_JDK=/path/to/jdk-25 (see README.md)" >&2
    return 1
}
jdk=$(find_jdk)
java="$jdk/bin/java"
echo "run-benchmarks: JDK $jdk ($("$java" -version 2>&1 | head -1))"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    echo "run-benchmarks: building jmh/target/benchmarks.jar"
    # shellcheck disable=SC2086
    mvn -q -B ${MVN_ARGS:-} -Pbench -DskipTests -Dnumbat.jdk="$jdk" -pl jmh -am package
fi
[[ -f jmh/target/benchmarks.jar ]] || { echo "jmh/target/benchmarks.jar missing (build with -Pbench)" >&2; exit 1; }

args=("$@")
# FirstCallLatencyBenchmark is single-shot with its own fork count (see docs/cache.md), DispatchBenchmark needs its
# own warm-up and the agent (see docs/benchmarks.md, "Calling through the agent"): neither is run by default.
(( ${#args[@]} )) || args=(-f 1 -wi 3 -w 1s -i 5 -r 1s 'dev.numbat.bench.suite')
results=${BENCH_RESULTS:-jmh/results}
mkdir -p "$results"
json=$results/benchmarks.json
log=$results/benchmarks.log
out=${BENCH_OUT:-docs/benchmarks.md}
svg="${out%.md}-speedups.svg"
cmd=("$java" -jar jmh/target/benchmarks.jar "${args[@]}" -rf json -rff "$json")
echo "run-benchmarks: ${cmd[*]}"
start=$(date +%s)
# A failed fork (refused kernel, differing result) fails JMH's exit status but not the report: it lists them.
status=0
"${cmd[@]}" 2>&1 | tee "$log" || status=$?
echo "run-benchmarks: JMH took $(( ($(date +%s) - start) / 60 )) min $(( ($(date +%s) - start) % 60 )) s (exit $status)"

python3 jmh/bench_report.py --json "$json" --out "$out" --svg "$svg" --log "$log" --java "$java" \
    --invocation "$invocation" --jmh-command "${cmd[*]}" --note "${BENCH_NOTE:-}"
echo "run-benchmarks: wrote $out, $svg and $json ($log: the run's output)"
exit "$status"
