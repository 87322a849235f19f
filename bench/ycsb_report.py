#!/usr/bin/env python3
"""Checks and summarises a bench/ycsb-vs-cassandra.sh results folder.

Every YCSB output (ycsb-SYSTEM-pPAIR-PHASE.txt) is checked: for each operation type that reports
return codes, Return=OK must equal its operation count, and no other return code may appear; a
load must have inserted every record. Then, per workload, the median over pairs (and min-max) of
each system's throughput (also after each client's first CLIENT_WARM_S seconds), of ringkv's
ratio to Cassandra (per pair; the durable profile also to cassandra-durable when it ran), of
latency percentiles and of ringkv's p99 as a fraction of Cassandra's;
the fixed-load run's intended latencies, over the whole run and (from its raw records) after
its first fixed_warmup_s seconds; and each system's peak RSS per node.

Usage: bench/ycsb_report.py RESULTS_DIR    (exit status 1 when a check fails)
       bench/ycsb_report.py --steady-rate YCSB_STATUS_FILE   (the script's fixed-load target)
"""
import collections
import math
import pathlib
import re
import statistics
import sys

FILE = re.compile(r"^ycsb-(?P<system>.+)-p(?P<pair>\d+)-(?P<phase>[^.]+)\.txt$")
STATUS = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d):(\d{3}) \d+ sec: (\d+) operations;")
LINE = re.compile(r"^\[(?P<op>[^\]]+)\], (?P<name>[^,]+), (?P<value>[-0-9.eE]+)$")
RAW = re.compile(r"^Raw(?P<op>[A-Za-z-]+),(?P<ts>\d+),(?P<latency>\d+)$")  # measurementtype=hdrhistogram+raw
SYSTEM_ORDER = ["cassandra", "cassandra-durable", "ringkv-durable", "ringkv-cassandra", "redis"]
# Who each ringkv profile is compared with: Cassandra as the anchors run it (commit log synced
# every 10 s) for both, and Cassandra with its commit log synced before each acknowledgement for
# the durable profile (when the run has it), so durability is equal on both sides too.
COMPARISONS = [("ringkv-durable", "cassandra"), ("ringkv-cassandra", "cassandra"), ("ringkv-durable", "cassandra-durable")]
PHASE_ORDER = ["load", "a", "b", "c", "f", "d", "e", "a-fixed"]
# Seconds of each measured run's status lines left out of the second throughput table: a new
# client JVM's warm-up (JIT, connection pools), for either system's client, lasts a few seconds.
CLIENT_WARM_S = 5


def parse(path):
    """{op: {name: value}} of one YCSB output. With measurementtype=hdrhistogram+raw, YCSB names
    each operation twice, HdrREAD and RawREAD: the histogram's figures are kept, as READ."""
    figures = collections.defaultdict(dict)
    for line in path.read_text(errors="replace").splitlines():
        m = LINE.match(line.strip())
        if m and not m["op"].startswith("Raw"):
            op = m["op"][3:] if m["op"].startswith("Hdr") else m["op"]
            figures[op][m["name"]] = float(m["value"])
    return figures


def raw_points(path):
    """{op: [(end time ms, latency us)]} of a run with measurementtype=hdrhistogram+raw."""
    points = collections.defaultdict(list)
    for line in path.read_text(errors="replace").splitlines():
        m = RAW.match(line)
        if m:
            points[m["op"]].append((int(m["ts"]), int(m["latency"])))
    return points


def percentiles_after(points, skip_ms, qs=(50, 99, 99.9)):
    """{op: [latency at each q]} (nearest rank) of the operations that ended skip_ms or more after
    the run's first operation ended: the run's steady state, its cold start left out."""
    if not points:
        return {}
    start = min(ts for samples in points.values() for ts, _ in samples)
    result = {}
    for op, samples in points.items():
        kept = sorted(latency for ts, latency in samples if ts - start >= skip_ms)
        if kept:
            result[op] = [kept[min(len(kept) - 1, max(0, math.ceil(len(kept) * q / 100) - 1))] for q in qs]
    return result


def steady_rate(status_path, skip_s=0):
    """Operations per second between the first status line that counted an operation (or, with
    skip_s, the first line skip_s seconds or more after it) and the last one that counted more.

    YCSB's own Throughput divides by a run time that includes every client thread's start (a
    Cassandra driver session took up to 20 s on a loaded machine), which would count against a
    slow-starting client in a time-bounded phase; the status lines (status.interval=1) say when
    operations actually flowed."""
    import datetime
    points = []
    for line in pathlib.Path(status_path).read_text(errors="replace").splitlines():
        m = STATUS.match(line)
        if m:
            t = datetime.datetime.strptime(m[1], "%Y-%m-%d %H:%M:%S").timestamp() + int(m[2]) / 1000
            points.append((t, int(m[3])))
    started = [p for p in points if p[1] > 0]
    if skip_s and started:
        started = [p for p in started if p[0] >= started[0][0] + skip_s]
    if len(started) < 2:
        return None
    # End at the last line that counted more operations: after maxexecutiontime the threads only
    # finish their last operation and the final lines repeat the total.
    last = max(range(len(started)), key=lambda i: (started[i][1], -i))
    if started[last][0] <= started[0][0]:
        return None
    return (started[last][1] - started[0][1]) / (started[last][0] - started[0][0])


def problems(figures, phase, records):
    """What is wrong with one run, as readable lines."""
    found = []
    if "OVERALL" not in figures:
        return ["no [OVERALL] figures: YCSB did not finish"]
    for op, values in figures.items():
        codes = {name: v for name, v in values.items() if name.startswith("Return=")}
        if not codes or op.startswith("Intended-") or op == "CLEANUP":
            continue
        operations = values.get("Operations", 0)
        ok = codes.get("Return=OK", 0)
        if ok != operations:
            found.append(f"[{op}] Return=OK {ok:.0f} of {operations:.0f} operations")
        for name, v in codes.items():
            if name != "Return=OK" and v > 0:
                found.append(f"[{op}] {name} {v:.0f}")
    if phase == "load" and figures.get("INSERT", {}).get("Return=OK", 0) != records:
        found.append(f"load inserted {figures.get('INSERT', {}).get('Return=OK', 0):.0f} of {records} records")
    return found


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    med = statistics.median(values)
    text = number(med)
    return text if len(values) == 1 else f"{text} ({number(min(values))}-{number(max(values))})"


def number(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))


def latency(figures, op, percentile):
    return figures.get(op, {}).get(f"{percentile}PercentileLatency(us)")


def main(results):
    settings = (results / "settings.txt").read_text() if (results / "settings.txt").exists() else ""
    records = int(re.search(r"records=(\d+)", settings).group(1)) if "records=" in settings else None
    runs = {}  # (system, pair, phase) -> figures
    failures = []
    for path in sorted(results.glob("ycsb-*.txt")):
        m = FILE.match(path.name)
        if not m:
            continue
        figures = parse(path)
        status = path.with_name(path.name + ".status")
        figures["STEADY"] = {"Throughput(ops/sec)": steady_rate(status) if status.exists() else None}
        figures["WARM"] = {"Throughput(ops/sec)": steady_rate(status, CLIENT_WARM_S) if status.exists() else None}
        key = (m["system"], int(m["pair"]), m["phase"])
        runs[key] = figures
        for p in problems(figures, m["phase"], records):
            failures.append(f"{path.name}: {p}")
    systems = [s for s in SYSTEM_ORDER if any(k[0] == s for k in runs)]
    systems += sorted({k[0] for k in runs} - set(systems))
    phases = [p for p in PHASE_ORDER if any(k[2] == p for k in runs)]
    comparisons = [(a, b) for a, b in COMPARISONS if a in systems and b in systems]
    print(f"# YCSB: {results}")
    print(settings.strip())
    print()

    def per_pair(system, phase, figure):
        return [figure(runs[(system, p, phase)]) for p in sorted({k[1] for k in runs if k[0] == system})
                if (system, p, phase) in runs]

    throughput = lambda f: f["STEADY"]["Throughput(ops/sec)"]

    def ratios(system, versus, phase, figure):
        """figure(system) / figure(versus) in each pair that ran both, where both are known."""
        found = []
        for p in sorted({k[1] for k in runs}):
            if (system, p, phase) in runs and (versus, p, phase) in runs:
                mine, theirs = figure(runs[(system, p, phase)]), figure(runs[(versus, p, phase)])
                if mine and theirs:
                    found.append(mine / theirs)
        return found

    def throughput_table(rate, phases_shown):
        header = ["phase"] + systems + [f"{a}/{b}" for a, b in comparisons]
        rows = []
        for phase in phases_shown:
            row = [phase] + [spread(per_pair(s, phase, rate)) for s in systems]
            row += [spread(ratios(a, b, phase, rate)) for a, b in comparisons]
            rows.append(row)
        table(header, rows)
        print()

    print("Throughput (ops/s) while operations flowed (YCSB status lines, so a client's start-up is not counted):")
    print("median over runs (min-max); ringkv/cassandra: per pair, then median")
    throughput_table(throughput, phases)
    print(f"The same after each measured run's first {CLIENT_WARM_S} s: every run is a new YCSB client JVM (the")
    print("warm-up run before it warmed the servers, not this client), so this leaves the client's own warm-up out")
    throughput_table(lambda f: f["WARM"]["Throughput(ops/sec)"], [p for p in phases if p not in ("load", "a-fixed")])

    print("Latency (us), median over runs: p50 / p99 / p99.9 per operation type")
    rows = []
    for phase in phases:
        for s in systems:
            cells = []
            for op in ["READ", "UPDATE", "INSERT", "READ-MODIFY-WRITE"]:
                ps = [spread(per_pair(s, phase, lambda f, op=op, q=q: latency(f, op, q))) for q in ["50th", "99th", "99.9"]]
                if ps[0] != "n/a":
                    cells.append(f"{op} {ps[0].split(' ')[0]} / {ps[1].split(' ')[0]} / {ps[2].split(' ')[0]}")
            if cells:
                rows.append([phase, s, "; ".join(cells)])
    table(["phase", "system", "p50 / p99 / p99.9"], rows)
    print()

    print("ringkv's p99 as a fraction of Cassandra's (per pair, then median (min-max); below 1 is faster;")
    print("at the fixed load, of the intended latencies)")
    rows = []
    for phase in phases:
        for a, b in comparisons:
            cells = []
            for op in ["READ", "UPDATE", "INSERT", "READ-MODIFY-WRITE"]:
                measured = "Intended-" + op if phase == "a-fixed" else op
                found = ratios(a, b, phase, lambda f, op=measured: latency(f, op, "99th"))
                if found:
                    cells.append(f"{op} {spread(found)}")
            if cells:
                rows.append([phase, f"{a}/{b}", "; ".join(cells)])
    table(["phase", "systems", "p99 ratio"], rows)
    print()

    if "a-fixed" in phases:
        target = (results / "target").read_text().strip() if (results / "target").exists() else "?"
        print(f"Workload A at a fixed offered load of {target} ops/s (YCSB -target), intended latency (us):")
        print("counted from each operation's scheduled start, so a stall shows in full (coordinated omission)")
        rows = []
        for s in systems:
            row = [s, spread(per_pair(s, "a-fixed", throughput))]
            for op in ["Intended-READ", "Intended-UPDATE"]:
                row += [spread(per_pair(s, "a-fixed", lambda f, op=op, q=q: latency(f, op, q))) for q in ["50th", "99th", "99.9"]]
            rows.append(row)
        table(["system", "achieved ops/s", "read p50", "read p99", "read p99.9", "update p50", "update p99", "update p99.9"], rows)
        print()
        warm = re.search(r"fixed_warmup_s=(\d+)", settings)
        steady = {}  # (system, pair) -> {op: [p50, p99, p99.9]}
        for (system, pair, phase) in runs:
            if phase == "a-fixed" and warm:
                points = raw_points(results / f"ycsb-{system}-p{pair}-a-fixed.txt")
                if points:
                    steady[(system, pair)] = percentiles_after(points, int(warm.group(1)) * 1000)
        if steady:
            print(f"The same runs after their first {warm.group(1)} s (steady state: each client's cold start left out),")
            print("intended latency (us) from every operation's own record (measurementtype=hdrhistogram+raw)")
            rows = []
            for s in systems:
                pairs_of = sorted(p for (system, p) in steady if system == s)
                row = [s]
                for op in ["Intended-READ", "Intended-UPDATE"]:
                    for i in range(3):
                        row.append(spread([steady[(s, p)][op][i] for p in pairs_of if op in steady[(s, p)]]))
                rows.append(row)
            table(["system", "read p50", "read p99", "read p99.9", "update p50", "update p99", "update p99.9"], rows)
            print()
            rows = []
            for a, b in comparisons:
                row = [f"{a}/{b}"]
                for op in ["Intended-READ", "Intended-UPDATE"]:
                    row.append(spread([steady[(a, p)][op][1] / steady[(b, p)][op][1] for p in sorted({k[1] for k in steady})
                                       if op in steady.get((a, p), {}) and op in steady.get((b, p), {})]))
                rows.append(row)
            table(["steady state, p99 ratio", "read", "update"], rows)
            print()

    rss_file = results / "rss.tsv"
    if rss_file.exists():
        peaks = collections.defaultdict(int)  # (system, pair, pid) -> peak kB
        for line in rss_file.read_text().splitlines():
            parts = line.split()
            if len(parts) == 6:
                _, system, pair, _, pid, kb = parts
                peaks[(system, pair, pid)] = max(peaks[(system, pair, pid)], int(kb))
        print("Resident memory per node (MiB), sampled every second through every phase: peak of the largest")
        print("node and mean of the nodes' peaks, median over runs (min-max)")
        rows = []
        for s in systems:
            by_pair = collections.defaultdict(list)
            for (system, pair, _), kb in peaks.items():
                if system == s:
                    by_pair[pair].append(kb / 1024)
            rows.append([s, spread([max(v) for v in by_pair.values()]),
                         spread([sum(v) / len(v) for v in by_pair.values()])])
        table(["system", "largest node's peak", "mean node peak"], rows)
        print()

    if failures:
        print("CHECKS FAILED:")
        for f in failures:
            print("  " + f)
        return 1
    print(f"checks: every phase of {len(runs)} YCSB runs had Return=OK for every operation")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--steady-rate":
        rate = steady_rate(sys.argv[2])
        print(0 if rate is None else int(rate))
        sys.exit(0)
    if len(sys.argv) != 2 or not pathlib.Path(sys.argv[1]).is_dir():
        print("usage: bench/ycsb_report.py RESULTS_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(pathlib.Path(sys.argv[1])))
