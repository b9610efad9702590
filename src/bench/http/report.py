"""Report of src/bench/http-bench.sh: the markdown results table and the SVG chart, from the CSV of one run.

usage: report.py <csv> <markdown out> <svg out> <date> <cpus> <java> <wrk> <threads> <connections> <warm-up> <duration>
       <java options>

The applications of an algorithm are measured in turns, slice by slice. Requests/s, p50 and p99 are medians over the
slices; keyring/baseline is the median of the slices' own ratios (each keyring slice over the baseline slice of the
same turn), with every slice's ratio beside it as the spread.
Plain Python 3, no libraries: the SVG is written as text.
"""
import csv
import statistics
import sys
from xml.sax.saxutils import escape

# Issue 5's targets for keyring/baseline requests/s.
TARGET_OFF = 0.97
TARGET_ON = {"HS256": 1.0, "HS384": 1.0, "HS512": 1.0, "RS256": 1.3, "PS256": 1.3, "ES256": 5.0, "EdDSA": 5.0}
SERIES = [("baseline", "-", "baseline (static key)", "#8c8c8c"),
          ("keyring", "off", "keyring, cache off", "#3b75af"),
          ("keyring", "on", "keyring, cache on", "#ef8636")]
CEILING = "none"


MEDIAN_OF = ("rps", "p50_ms", "p99_ms")
SUM_OF = ("status_errors", "socket_errors")


def load(path):
    """(algorithm, app, cache) -> the median row over the slices, with "runs" holding every slice's row."""
    runs = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            runs.setdefault((r["algorithm"], r["app"], r["cache"]), []).append(r)
    rows = {}
    for key, rs in runs.items():
        row = {k: "%.3f" % statistics.median(float(r[k]) for r in rs) for k in MEDIAN_OF}
        row.update({k: str(sum(int(r[k]) for r in rs)) for k in SUM_OF})
        row["runs"] = rs
        rows[key] = row
    return rows


def slice_ratios(rows, alg, cache):
    """The keyring/baseline ratio of each slice (the keyring's slice over the baseline's of the same turn)."""
    base, ring = rows.get((alg, "baseline", "-")), rows.get((alg, "keyring", cache))
    if not base or not ring:
        return []
    by_slice = {r["slice"]: float(r["rps"]) for r in base["runs"]}
    return [float(r["rps"]) / by_slice[r["slice"]] for r in ring["runs"] if by_slice.get(r["slice"])]


def spread(values, fmt="%.2f"):
    return " ".join(fmt % v for v in values) if values else ""


def algorithms(rows):
    seen = []
    for alg, _, _ in rows:
        if alg != CEILING and alg not in seen:
            seen.append(alg)
    return seen


def ratio(rows, alg, cache):
    """The median of the slices' keyring/baseline ratios."""
    ratios = slice_ratios(rows, alg, cache)
    return statistics.median(ratios) if ratios else None


def fmt_ratio(value):
    return "n/a" if value is None else "%.2f" % value


def verdict(value, target):
    if value is None or target is None:
        return "n/a"
    return "%s (≥ %.2f)" % ("met" if value >= target else "**not met**", target)


def measured_seconds(duration):
    """How long each application was measured, from "<slices> × <slice>" (or a single wrk duration)."""
    if "×" in duration:
        count, each = duration.split("×")
        return int(count) * seconds(each.strip())
    return seconds(duration)


def seconds(duration):
    """wrk's duration syntax (30, 30s, 2m, 1h) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration and duration[-1] in units:
        return float(duration[:-1]) * units[duration[-1]]
    return float(duration)


def row(name, label, r, rel, rels):
    return "| %s | %s | %.0f | %s | %.2f | %.2f | %s | %s | %s | %s |" % (
        name, label, float(r["rps"]), spread([float(x["rps"]) for x in r["runs"]], "%.0f"), float(r["p50_ms"]),
        float(r["p99_ms"]), "" if rel is None else fmt_ratio(rel), spread(rels), r["status_errors"],
        r["socket_errors"])


def markdown(rows, meta):
    date, cpus, java, wrk, threads, connections, warmup, duration, java_opts = meta
    out = ["# HTTP benchmark: keyring vs static-key baseline", "",
           "Run %s on %s CPUs; %s; %s, %s threads, %s connections; each application warmed up on its own (%s), then "
           "measured in turns with the others of its algorithm, %s; JVM options: %s. wrk and the applications share "
           "the machine, on 127.0.0.1; wrk loads one application at a time. Every /api/me run of an algorithm sends "
           "the same token. Requests/s, p50 and p99 are medians over the slices; keyring/baseline is the median of "
           "the slices' own ratios." % (date, cpus, java, wrk, threads, connections, warmup, duration, java_opts), "",
           "| algorithm | application | requests/s | each slice | p50 ms | p99 ms | keyring/baseline | each slice "
           "| error responses | socket errors |",
           "|---|---|---:|---|---:|---:|---:|---|---:|---:|"]
    if measured_seconds(duration) < 10:
        out[2:2] = ["**Smoke run** (measured %s): these figures show that the benchmark works, not how fast anything "
                    "is." % duration, ""]
    for alg in algorithms(rows):
        for app, cache, label, _ in SERIES:
            r = rows.get((alg, app, cache))
            if r:
                keyring = app == "keyring"
                out.append(row(alg, label, r, ratio(rows, alg, cache) if keyring else None,
                               slice_ratios(rows, alg, cache) if keyring else []))
    base, ring = rows.get((CEILING, "baseline", "-")), rows.get((CEILING, "keyring", "on"))
    for label, r in (("baseline (static key)", base), ("keyring", ring)):
        if r:
            is_ring = r is ring and base
            out.append(row("no token, GET /api/public", label, r, ratio(rows, CEILING, "on") if is_ring else None,
                           slice_ratios(rows, CEILING, "on") if is_ring else []))
    out += ["", "Targets (keyring requests/s divided by the baseline's, same algorithm, same token, slice by slice):",
            "", "| algorithm | cache off / baseline | each slice | target | cache on / baseline | each slice | target |",
            "|---|---:|---|---|---:|---|---|"]
    for alg in algorithms(rows):
        off, on = ratio(rows, alg, "off"), ratio(rows, alg, "on")
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            alg, fmt_ratio(off), spread(slice_ratios(rows, alg, "off")), verdict(off, TARGET_OFF), fmt_ratio(on),
            spread(slice_ratios(rows, alg, "on")), verdict(on, TARGET_ON.get(alg))))
    out += ["", "Error responses are wrk's count of statuses above 399, summed over the slices; p50/p99 come from wrk's "
            "latency histogram (medians over the slices). The chart is http-rps.svg, the figures of every slice "
            "http-results.csv.", ""]
    return "\n".join(out)


def axis(peak):
    """The top of the y axis and the tick step: about five ticks at 1, 2, 2.5 or 5 times a power of ten."""
    raw = peak / 5
    power = 1
    while power * 10 <= raw:
        power *= 10
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    top = step
    while top < peak:
        top += step
    return top, step


def svg(rows, meta):
    groups = algorithms(rows) + [CEILING]
    bar, gap, pad = 34, 30, 8
    left, top, height = 80, 70, 320
    group_w = 3 * bar + 2 * 4 + gap
    width = max(760, left + len(groups) * group_w + 40)
    peak = max([float(r["rps"]) for r in rows.values()] + [1])
    ymax, ystep = axis(peak * 1.08)
    y = lambda v: top + height - v / ymax * height
    s = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
         % (width, top + height + 70),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="24" font-size="16" font-weight="bold">GET /api/me requests/s: static-key baseline vs '
         'keyring</text>' % left,
         '<text x="%d" y="44" fill="#555">medians of %s slices in turns; %s CPUs, wrk %s threads, %s connections; %s; '
         'under each algorithm: keyring/baseline</text>'
         % (left, escape(meta[7]), escape(meta[1]), escape(meta[4]), escape(meta[5]), escape(meta[0]))]
    if measured_seconds(meta[7]) < 10:
        s.append('<text x="%d" y="62" fill="#c0392b" font-weight="bold">smoke run: not a measurement</text>' % left)
    tick = 0.0
    while tick <= ymax + 1e-9:
        s.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, width - 30, y(tick), y(tick)))
        s.append('<text x="%d" y="%.1f" text-anchor="end" fill="#555">%s</text>' % (left - 6, y(tick) + 4,
                                                                                     "{:,.0f}".format(tick)))
        tick += ystep
    s.append('<text transform="translate(18,%d) rotate(-90)" text-anchor="middle" fill="#555">requests/s</text>'
             % (top + height / 2))
    for i, alg in enumerate(groups):
        x0 = left + pad + i * group_w
        for j, (app, cache, _, color) in enumerate(SERIES):
            r = rows.get((alg, app, cache))
            if not r:
                continue
            v = float(r["rps"])
            x = x0 + j * (bar + 4)
            s.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"/>' % (x, y(v), bar, y(0) - y(v), color))
            s.append('<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%s</text>'
                     % (x + bar / 2, y(v) - 4, "{:,.0f}".format(v)))
        label = "no token (/api/public)" if alg == CEILING else alg
        s.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x0 + (3 * bar + 8) / 2, top + height + 18,
                                                                           escape(label)))
        if alg != CEILING:
            ratios = "off %s, on %s" % (fmt_ratio(ratio(rows, alg, "off")), fmt_ratio(ratio(rows, alg, "on")))
            s.append('<text x="%.1f" y="%d" text-anchor="middle" font-size="10" fill="#555">%s</text>'
                     % (x0 + (3 * bar + 8) / 2, top + height + 32, ratios))
    s.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#333"/>' % (left, width - 30, y(0), y(0)))
    lx = left
    for _, _, label, color in SERIES:
        s.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (lx, top + height + 46, color))
        s.append('<text x="%d" y="%d">%s</text>' % (lx + 16, top + height + 56, escape(label)))
        lx += 24 + 7 * len(label)
    s.append("</svg>")
    return "\n".join(s) + "\n"


def main(argv):
    csv_path, md_path, svg_path = argv[1:4]
    meta = argv[4:13]
    rows = load(csv_path)
    with open(md_path, "w") as f:
        f.write(markdown(rows, meta))
    with open(svg_path, "w") as f:
        f.write(svg(rows, meta))


if __name__ == "__main__":
    main(sys.argv)
