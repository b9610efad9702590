#!/usr/bin/env python3
"""Report of src/bench/compare-builds.sh: per path and build, the median requests/s over the slices and the median of
the slices' own ratios to the baseline (each build's slice over the baseline's slice of the same turn), with every
slice's ratio beside it as the spread; then each build against the first, the same way.

usage: builds-report.py <csv> <markdown out> <date> <cpus> <java> <threads> <connections> <slices> <build names...>
Plain Python 3, no libraries.
"""
import csv
import statistics
import sys


def main(argv):
    path_csv, out, date, cpus, java, threads, connections, slices = argv[1:9]
    names = argv[9:]
    # (path, app) -> {slice: requests/s}
    rps = {}
    errors = {}
    with open(path_csv, newline="") as f:
        for r in csv.DictReader(f):
            rps.setdefault((r["path"], r["app"]), {})[r["slice"]] = float(r["rps"])
            errors[r["app"]] = errors.get(r["app"], 0) + int(r["status_errors"]) + int(r["socket_errors"])
    paths = sorted({p for p, _ in rps}, key=lambda p: (p == "/api/public", p))

    def ratios(path, app, against):
        mine, theirs = rps.get((path, app), {}), rps.get((path, against), {})
        return [mine[s] / theirs[s] for s in sorted(mine, key=int) if s in theirs]

    def cell(rs):
        if not rs:
            return "–"
        return "**%.3f** (%s)" % (statistics.median(rs), " ".join("%.2f" % r for r in rs))

    lines = ["# Keyring builds compared (src/bench/compare-builds.sh)", "",
             f"{date}; {cpus} CPUs; {java}; wrk {threads} threads, {connections} connections; {slices} per "
             "application, in turns; cache off.", "",
             "| path | application | requests/s (median) | ÷ baseline, median (each slice) | ÷ %s, median (each slice) |"
             % names[0],
             "|---|---|---:|---|---|"]
    for path in paths:
        for app in names + ["baseline"]:
            slices_of = rps.get((path, app), {})
            if not slices_of:
                continue
            median = statistics.median(slices_of.values())
            to_baseline = "" if app == "baseline" else cell(ratios(path, app, "baseline"))
            to_first = "" if app in ("baseline", names[0]) else cell(ratios(path, app, names[0]))
            lines.append(f"| `{path}` | {app} | {median:,.0f} | {to_baseline} | {to_first} |")
    lines += ["", "Error responses and socket errors: " + ", ".join(f"{a} {n}" for a, n in sorted(errors.items())) + "."]
    text = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)
