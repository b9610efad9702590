#!/usr/bin/env python3
"""Report of src/bench/token-bench.sh: medians per JDK, algorithm, target and mode, the issue-16 targets, the ratios
to Keycloak (slice by slice, each keyring slice against the Keycloak slice of the same turn), and a bar chart.

    token-report.py <csv>... [--svg chart.svg]
"""
import csv
import os
import statistics
import sys
from collections import defaultdict
from xml.sax.saxutils import escape


def median(rows, key):
    return statistics.median(float(r[key]) for r in rows)


def load(paths):
    """Every row, labelled with its run: the CSV's name (tokens-jdk25-keycloak.csv: jdk25-keycloak)."""
    rows = []
    for path in paths:
        run = os.path.basename(path).removeprefix("tokens-").removesuffix(".csv")
        with open(path) as f:
            rows.extend(dict(r, run=run) for r in csv.DictReader(f))
    return rows


def report(rows, cores):
    groups = defaultdict(list)
    for r in rows:
        groups[(r["run"], r["algorithm"], r["target"], r["mode"])].append(r)
    print("| run | alg | server | endpoint | slices | requests/s | p50 ms | p99 ms | errors | machine busy % "
          "| server CPU ms/request | wrk CPU ms/request | requests/s ÷ (cores ÷ server CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (run, alg, target, mode), rs in sorted(groups.items()):
        errors = sum(int(r["status_errors"]) + int(r["socket_errors"]) for r in rs)
        restarts = sum(int(r["chain_restarts"]) for r in rs)
        cpu = median(rs, "server_cpu_ms")
        ceiling = cores / (cpu / 1000)
        print(f"| {run} | {alg} | {target} | {mode} | {len(rs)} | {median(rs, 'rps'):,.0f} | "
              f"{median(rs, 'p50_ms'):.1f} | {median(rs, 'p99_ms'):.1f} | {errors}"
              f"{f' ({restarts} chains restarted)' if restarts else ''} | {median(rs, 'busy_pct'):.0f} | {cpu:.3f} | "
              f"{median(rs, 'generator_cpu_ms'):.3f} | {median(rs, 'rps') / ceiling:.2f} |")
    pairs = defaultdict(list)
    by_slice = {(r["run"], r["algorithm"], r["target"], r["mode"], r["slice"]): r for r in rows}
    for (run, alg, target, mode, n), r in by_slice.items():
        other = by_slice.get((run, alg, "keycloak", mode, n))
        if target == "keyring" and other:
            pairs[(run, alg, mode)].append(float(r["rps"]) / float(other["rps"]))
    if pairs:
        print()
        print("| run | alg | endpoint | keyring ÷ Keycloak (median of slices) | range |")
        print("|---|---|---|---|---|")
        for (run, alg, mode), ratios in sorted(pairs.items()):
            print(f"| {run} | {alg} | {mode} | {statistics.median(ratios):.2f} | "
                  f"{min(ratios):.2f}–{max(ratios):.2f} |")
    return groups


def svg(groups, path):
    """Grouped bars: one group per run and algorithm, one bar per server and endpoint (median requests/s)."""
    series = sorted({(t, m) for (_, _, t, m) in groups}, key=lambda s: (s[0] != "keyring", s[1]))
    clusters = sorted({(j, a) for (j, a, _, _) in groups})
    colours = {("keyring", "login"): "#1f77b4", ("keyring", "refresh"): "#6baed6",
               ("keycloak", "login"): "#d62728", ("keycloak", "refresh"): "#ff9896"}
    top = max(median(rs, "rps") for rs in groups.values())
    scale = 10 ** (len(str(int(top))) - 1)
    top = (int(top / scale) + 1) * scale
    bar, gap, left, height = 34, 40, 70, 300
    width = left + len(clusters) * (len(series) * bar + gap) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 110}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">Token endpoints: requests/s (median of slices)</text>']
    for i in range(6):
        value = top * i / 5
        y = 30 + height - height * i / 5
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.0f}" y2="{y:.0f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{value:,.0f}</text>')
    for c, (run, alg) in enumerate(clusters):
        x0 = left + gap / 2 + c * (len(series) * bar + gap)
        for s, (target, mode) in enumerate(series):
            rs = groups.get((run, alg, target, mode))
            if not rs:
                continue
            value = median(rs, "rps")
            h = height * value / top
            x = x0 + s * bar
            out.append(f'<rect x="{x:.0f}" y="{30 + height - h:.0f}" width="{bar - 4}" height="{h:.0f}" '
                       f'fill="{colours.get((target, mode), "#888")}"/>')
            out.append(f'<text x="{x + bar / 2 - 2:.0f}" y="{26 + height - h:.0f}" text-anchor="middle" '
                       f'font-size="10">{value:,.0f}</text>')
        out.append(f'<text x="{x0 + len(series) * bar / 2:.0f}" y="{height + 48}" text-anchor="middle">'
                   f"{escape(alg)}, {escape(run)}</text>")
    for s, (target, mode) in enumerate(series):
        x = left + s * 150
        out.append(f'<rect x="{x}" y="{height + 70}" width="12" height="12" '
                   f'fill="{colours.get((target, mode), "#888")}"/>')
        name = "JWT Keyring" if target == "keyring" else "Keycloak"
        out.append(f'<text x="{x + 16}" y="{height + 80}">{name} {mode}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    args = sys.argv[1:]
    chart = None
    if "--svg" in args:
        i = args.index("--svg")
        chart = args[i + 1]
        del args[i:i + 2]
    groups = report(load(args), os.cpu_count())
    if chart:
        svg(groups, chart)


if __name__ == "__main__":
    main()
