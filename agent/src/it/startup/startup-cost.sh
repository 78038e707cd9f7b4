#!/usr/bin/env bash
# Start-up cost of numbat-agent.jar on an application without any @Jit method (see docs/agent.md, "Start-up cost").
#
#   agent/src/it/startup/startup-cost.sh [RUNS] [CLASSES]      (defaults: 20 runs, 5000 classes)
#
# Generates an application of CLASSES small classes (startup.Main calls a static method of each, so every one is
# loaded, verified and initialised) and times, RUNS times each, interleaved, after 2 unrecorded warm-up rounds:
#   plain                 java -cp app.jar startup.Main
#   empty-agent           + -javaagent with an empty premain (what any agent costs: java.instrument)
#   noop-transformer      + -javaagent registering a ClassFileTransformer that returns null (as Numbat's premain)
#   numbat                + -javaagent:agent/target/numbat-agent.jar
# All get --enable-native-access=ALL-UNNAMED. The same four variants then time a real application that loads
# thousands of classes: the JDK's javac (run as java -m jdk.compiler/com.sun.tools.javac.Main, so that it takes the
# same options) compiling the ir module's sources (about 2,900 classes loaded, a third of them from the CDS archive).
# Then, untimed, it measures how long Numbat's premain takes (agents that note the time before and after it) and
# counts the classes each variant loads (-Xlog:class+load).
# Needs agent/target/numbat-agent.jar (mvn package). Environment: NUMBAT_JDK (else /usr/lib/jvm/temurin-25-jdk-amd64),
# OUT (results folder, default agent/target/startup-cost), WORKLOADS (default "classes javac"), VARIANTS (default
# "plain empty-agent noop-transformer numbat"; plain first, the others are paired with it, round by round).
# Keep the machine otherwise idle; with the shared build lock: flock /tmp/numbat-mvn.lock agent/src/it/startup/startup-cost.sh
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

read -r -a variants <<< "${VARIANTS:-plain empty-agent noop-transformer numbat}" # plain first: the others are paired with it
options() { # variant -> its extra JVM option, one per line (none for plain)
    case $1 in
        plain) ;;
        empty-agent) echo "-javaagent:$out/empty-agent.jar" ;;
        noop-transformer) echo "-javaagent:$out/noop-transformer-agent.jar" ;;
        numbat) echo "-javaagent:$agent" ;;
    esac
}

run_once() { # workload variant -> prints wall ms; checks the output
    local w=$1 v=$2; local -a o; mapfile -t o < <(options "$v")
    local t0 t1 got
    rm -rf "$out/javac-classes"
    t0=$(date +%s%N)
    if [[ $w == classes ]]; then
        got=$("$java" --enable-native-access=ALL-UNNAMED "${o[@]}" -cp "$out/app.jar" startup.Main 2>"$out/$v.stderr")
    else
        got=$("$java" --enable-native-access=ALL-UNNAMED "${o[@]}" -m jdk.compiler/com.sun.tools.javac.Main \
                  -proc:none -d "$out/javac-classes" "@$out/javac-sources.txt" 2>"$out/$v.stderr" && echo "$expected")
    fi
    t1=$(date +%s%N)
    [[ "$got" == "$expected" ]] || { echo "$w $v printed '$got', not '$expected'" >&2; cat "$out/$v.stderr" >&2; exit 1; }
    [[ ! -s "$out/$v.stderr" ]] || { echo "$w $v wrote to stderr:" >&2; cat "$out/$v.stderr" >&2; exit 1; }
    echo $(( (t1 - t0) / 1000 )) | awk '{printf "%.1f\n", $1 / 1000}'
}

measure() { # workload (classes | javac): times every variant, interleaved, and prints the summary
    local w=$1 v round ms
    for round in $(seq -1 "$runs"); do
        for v in "${variants[@]}"; do
            ms=$(run_once "$w" "$v")
            (( round >= 1 )) && echo "$ms" >> "$out/$w/$v.ms"
        done
    done
    local -a files=(); for v in "${variants[@]}"; do files+=("$out/$w/$v.ms"); done
    "$java" "$root/agent/src/it/startup/StartupCost.java" stats "${files[@]}" | tee -a "$out/summary.txt"
}

mkdir -p "$out/classes" "$out/javac"
find "$root/ir/src/main/java" -name '*.java' | sort > "$out/javac-sources.txt"
echo "startup-cost: $runs runs per variant, $("$java" -version 2>&1 | head -1)" | tee "$out/summary.txt"
for w in ${WORKLOADS:-classes javac}; do
    case $w in
        classes) echo "== $classes generated classes, each loaded, verified and initialised by startup.Main" ;;
        javac) echo "== javac compiling the $(wc -l < "$out/javac-sources.txt") sources of ir/src/main/java" ;;
    esac | tee -a "$out/summary.txt"
    measure "$w"
done

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
    rm -rf "$out/javac-classes"
    "$java" --enable-native-access=ALL-UNNAMED "${o[@]}" -Xlog:class+load=info:file="$out/$v.javac-classload.txt" \
        -m jdk.compiler/com.sun.tools.javac.Main -proc:none -d "$out/javac-classes" "@$out/javac-sources.txt"
    echo "$v, javac: $(grep -c 'source:' "$out/$v.javac-classload.txt" || true) classes loaded," \
         "$(grep -c 'shared objects file' "$out/$v.javac-classload.txt" || true) from the CDS archive" | tee -a "$out/summary.txt"
done
echo "startup-cost: results in $out"
