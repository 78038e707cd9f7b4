#!/usr/bin/env bash
# Start-up cost of numbat-agent.jar on an application without any @Jit method (see docs/agent.md, "Start-up cost").
#
#   agent/src/it/startup/startup-cost.sh [RUNS] [CLASSES]      (defaults: 20 runs, 5000 classes)
#
# Generates an application of CLASSES small classes (startup.Main calls a static method of each, so every one is
# loaded, verified and initialised) and times, RUNS times each, interleaved, after 2 unrecorded warm-up rounds:
#   plain                 java -cp app.jar startup.Main
#   empty-agent           + -javaagent with an empty premain (what any agent costs: java.instrument)
#   noop-transformer      + -javaagent registering a retransform-capable ClassFileTransformer that returns null
#   numbat                + -javaagent:agent/target/numbat-agent.jar
# All get --enable-native-access=ALL-UNNAMED. Then, untimed, it measures how long Numbat's premain takes (agents
# that note the time before and after it) and counts the classes each variant loads (-Xlog:class+load).
# Needs agent/target/numbat-agent.jar (mvn package). Environment: NUMBAT_JDK (else /usr/lib/jvm/temurin-25-jdk-amd64),
# OUT (results folder, default agent/target/startup-cost). Keep the machine otherwise idle; with the shared build
# lock: flock /tmp/numbat-mvn.lock agent/src/it/startup/startup-cost.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
runs=${1:-20}
classes=${2:-5000}
jdk=${NUMBAT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$jdk/bin/java"
agent="$root/agent/target/numbat-agent.jar"
out=${OUT:-$root/agent/target/startup-cost}
[[ -x "$java" ]] || { echo "no JDK 25 at $jdk: set NUMBAT_JDK" >&2; exit 1; }
[[ -f "$agent" ]] || { echo "$agent missing: build it with mvn package" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
"$java" "$root/agent/src/it/startup/StartupCost.java" generate "$out" "$classes"
expected=$(cat "$out/expected.txt")

variants=(plain empty-agent noop-transformer numbat)
options() { # variant -> its extra JVM option, one per line (none for plain)
    case $1 in
        plain) ;;
        empty-agent) echo "-javaagent:$out/empty-agent.jar" ;;
        noop-transformer) echo "-javaagent:$out/noop-transformer-agent.jar" ;;
        numbat) echo "-javaagent:$agent" ;;
    esac
}

run_once() { # variant -> prints wall ms; checks the output
    local v=$1; local -a o; mapfile -t o < <(options "$v")
    local t0 t1 got
    t0=$(date +%s%N)
    got=$("$java" --enable-native-access=ALL-UNNAMED "${o[@]}" -cp "$out/app.jar" startup.Main 2>"$out/$v.stderr")
    t1=$(date +%s%N)
    [[ "$got" == "$expected" ]] || { echo "$v printed '$got', not '$expected'" >&2; cat "$out/$v.stderr" >&2; exit 1; }
    [[ ! -s "$out/$v.stderr" ]] || { echo "$v wrote to stderr:" >&2; cat "$out/$v.stderr" >&2; exit 1; }
    echo $(( (t1 - t0) / 1000 )) | awk '{printf "%.1f\n", $1 / 1000}'
}

echo "startup-cost: $classes classes, $runs runs per variant, $("$java" -version 2>&1 | head -1)"
for round in $(seq -1 "$runs"); do
    for v in "${variants[@]}"; do
        ms=$(run_once "$v")
        (( round >= 1 )) && echo "$ms" >> "$out/$v.ms"
    done
done
files=(); for v in "${variants[@]}"; do files+=("$out/$v.ms"); done
"$java" "$root/agent/src/it/startup/StartupCost.java" stats "${files[@]}" | tee "$out/summary.txt"
awk -v p="$(awk '{s+=$1} END {print s/NR}' "$out/plain.ms")" '{s+=$1} END {printf "numbat / plain = %.3f (%+.1f%%)\n", s/NR/p, (s/NR/p-1)*100}' "$out/numbat.ms" | tee -a "$out/summary.txt"

# Where the time goes: Numbat's premain, timed from inside the JVM (5 runs).
for i in 1 2 3 4 5; do
    "$java" --enable-native-access=ALL-UNNAMED -javaagent:"$out/clock-agent.jar=start" -javaagent:"$agent" \
        -javaagent:"$out/clock-agent.jar=end" -cp "$out/app.jar" startup.Main 2>&1 >/dev/null | sed -n 's/^premain-ms=//p'
done > "$out/numbat-premain.ms"
echo "numbat premain (ms, 5 runs): $(tr '\n' ' ' < "$out/numbat-premain.ms")" | tee -a "$out/summary.txt"
# Classes loaded, and how many came from the CDS archive.
for v in plain numbat; do
    mapfile -t o < <(options "$v")
    "$java" --enable-native-access=ALL-UNNAMED "${o[@]}" -Xlog:class+load=info:file="$out/$v.classload.txt":uptime -cp "$out/app.jar" startup.Main >/dev/null
    total=$(grep -c 'source:' "$out/$v.classload.txt" || true)
    shared=$(grep -c 'shared objects file' "$out/$v.classload.txt" || true)
    fromagent=$(grep -c 'numbat-agent.jar' "$out/$v.classload.txt" || true)
    echo "$v: $total classes loaded, $shared from the CDS archive, $fromagent from numbat-agent.jar" | tee -a "$out/summary.txt"
    # When (JVM uptime) the milestones' classes loaded: premain starts, Byte Buddy's AgentBuilder is built, the
    # transformer is registered, main starts, the last application class loads.
    for c in dev.numbat.agent.NumbatAgent 'dev.numbat.shaded.bytebuddy.agent.builder.AgentBuilder$Default' \
             'dev.numbat.agent.NumbatAgent$Prefilter' startup.Main "startup.C$((classes - 1))"; do
        t=$(grep -F "] $c source:" "$out/$v.classload.txt" | sed 's/^\[\([0-9.]*\)s\].*/\1/' || true)
        if [[ -n "$t" ]]; then echo "  $c loaded at ${t}s"; fi
    done | tee -a "$out/summary.txt"
done
echo "startup-cost: results in $out"
