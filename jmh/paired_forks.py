#!/usr/bin/env python3
"""Compares variants of one benchmark of the suite fork by fork, in alternation, on a host whose speed drifts.

    python3 jmh/paired_forks.py [--rounds 8] [--size N] [--jvm-arg=-D...] Spmv spmvHotSpot spmvNumbat [spmvClang]
    python3 jmh/paired_forks.py --size 128 Spmv spmvNumbat spmvNumbat@-Dnumbat.someSwitch=false

Each round runs one JMH fork of every named method (-f 1 -wi 2 -w 1s -i 4 -r 1s), in an order that rotates from
round to round, and divides each method's score by each other method's score of the same round. On the 2-core KVM
guest of docs/benchmarks.md the speed of the whole machine drifts by up to 2x within minutes, so a single fork of
each variant, minutes apart, compares two moments as much as two compilers; forks run side by side and divided
round by round cancel that drift, as agent/src/it/startup/startup-cost.sh does for start-up times. Where the arrays
land in each fork (docs/benchmarks.md, "Where the arrays lie") is not cancelled: it is part of what the rounds
sample.

Prints each method's median score and the ratio of every two methods' times: the mean of the rounds' ratios with a
95% interval (Student's t), the median, the smallest and the largest; writes the rounds and the summary as JSON
(--out, default jmh/results/paired-<kernel>-<size>.json). Uses jmh/target/benchmarks.jar (build it with
mvn -Pbench -DskipTests -pl jmh -am package) and the JDK 25 that NUMBAT_JDK names, else
/usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH.
"""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

# Two-sided 95% quantiles of Student's t by degrees of freedom (beyond 30: the normal's).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
        20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
        29: 2.045, 30: 2.042}


def t975(df):
    return T975.get(df, 1.960)


def summarise(ratios):
    """Mean, 95% half-interval, median, min and max of a list of per-round ratios."""
    n = len(ratios)
    mean = statistics.fmean(ratios)
    half = t975(n - 1) * statistics.stdev(ratios) / math.sqrt(n) if n > 1 else float("nan")
    return {"mean": mean, "half95": half, "median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


def find_java():
    jdk = os.environ.get("NUMBAT_JDK")
    if jdk:
        return os.path.join(jdk, "bin", "java")
    for d in ("/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/temurin-25-jdk-arm64", "/usr/lib/jvm/java-25-openjdk-amd64"):
        if os.access(os.path.join(d, "bin", "java"), os.X_OK):
            return os.path.join(d, "bin", "java")
    return "java"


def run_fork(java, jar, kernel, method, size, jvm_args, jmh_args):
    """One JMH fork of suite.<kernel>Benchmark.<method>; its score (ns/op) and unit."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        cmd = [java, "-jar", jar, "-f", "1", *jmh_args, "-rf", "json", "-rff", out]
        if size:
            cmd += ["-p", "size=" + str(size)]
        for a in jvm_args:
            cmd += ["-jvmArgsAppend", a]
        name, _, extra = method.partition("@")
        for a in extra.split():
            cmd += ["-jvmArgsAppend", a]
        cmd.append("suite.%sBenchmark.%s$" % (kernel, name))
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        results = json.load(open(out)) if os.path.getsize(out) > 0 else []
        if done.returncode != 0 or not results:
            sys.exit("paired_forks: the fork of %s gave no result (exit %d):\n%s" % (method, done.returncode, done.stdout[-3000:]))
        metric = results[0]["primaryMetric"]
        return metric["score"], metric["scoreUnit"]
    finally:
        os.unlink(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("kernel", help="the benchmark class without 'Benchmark' (Spmv, Saxpy, ...)")
    p.add_argument("methods", nargs="+", help="its methods (two or more); method@-Dname=value runs that method's forks"
                   " with that JVM option (two builds of the compiler side by side: spmvNumbat spmvNumbat@-D...)")
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--size", help="the size parameter")
    p.add_argument("--jvm-arg", action="append", default=[], help="a JVM option for every fork")
    p.add_argument("--jmh", default="-wi 2 -w 1s -i 4 -r 1s", help="JMH options for each fork (default: %(default)s)")
    p.add_argument("--jar", default="jmh/target/benchmarks.jar")
    p.add_argument("--out")
    a = p.parse_args()
    if len(a.methods) < 2 or a.rounds < 2 or len(set(a.methods)) != len(a.methods):
        p.error("two different methods or more, two rounds or more")
    java = find_java()
    scores = {m: [] for m in a.methods}
    unit = None
    for r in range(a.rounds):
        order = a.methods[r % len(a.methods):] + a.methods[:r % len(a.methods)]
        for m in order:
            score, unit = run_fork(java, a.jar, a.kernel, m, a.size, a.jvm_arg, a.jmh.split())
            scores[m].append(score)
        line = "  ".join("%s %.4g" % (m, scores[m][-1]) for m in a.methods)
        print("round %d/%d: %s (%s)" % (r + 1, a.rounds, line, unit), flush=True)
    print("\n%s, size %s, %d rounds of one fork each (%s):" % (a.kernel, a.size, a.rounds, a.jmh))
    summary = {"medians": {}, "ratios": {}}
    for m in a.methods:
        summary["medians"][m] = statistics.median(scores[m])
        print("  %-22s median %.4g %s" % (m, summary["medians"][m], unit))
    print("Ratios of times, round by round (below 1: the first is faster):")
    for i, m in enumerate(a.methods):
        for n in a.methods[:i]:
            q = summarise([x / y for x, y in zip(scores[m], scores[n])])
            summary["ratios"]["%s/%s" % (m, n)] = q
            print("  %s / %s: %.3f (95%%: %.3f to %.3f), median %.3f, %.3f to %.3f" % (
                m, n, q["mean"], q["mean"] - q["half95"], q["mean"] + q["half95"], q["median"], q["min"], q["max"]))
    out = a.out or os.path.join("jmh", "results", "paired-%s-%s.json" % (a.kernel.lower(), a.size or "default"))
    with open(out, "w") as f:
        json.dump({"command": " ".join(sys.argv), "java": java, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(), "unit": unit,
                   "jmh": a.jmh, "jvm_args": a.jvm_arg, "scores": scores, "summary": summary}, f, indent=1)
    print("written to " + out)


if __name__ == "__main__":
    main()
