#!/usr/bin/env python3
"""Compares two CPU profiles of src/bench/profile-pair.sh per request: where the keyring spends more CPU than the
baseline, and where less.

    profile-diff.py DIR [--by frame|self|package|children|callers] [--match TEXT] [--depth N] [--top N]

DIR holds keyring.collapsed and baseline.collapsed (async-profiler's collapsed stacks, one sample per interval, the
interval in interval_us.txt) and requests.txt ("keyring N" and "baseline N" lines: the requests each served while profiled). Every figure is CPU
microseconds per request: samples x interval / requests. Profiling slows both applications alike, so the figures are
larger than the real cost; compare them with each other, not with the requests/s of an unprofiled run.

--by frame     (default) inclusive time of every frame: the frame and everything it called
--by self      time in the frame itself
--by package   self time summed by the first --depth (3) parts of the class name; kernel and JVM frames apart
--by children  what the deepest frame containing --match calls, --depth frames deep
--by callers   what called the deepest frame containing --match, --depth frames up
"""
import argparse
import collections
import os


def read_requests(directory):
    requests = {}
    with open(os.path.join(directory, "requests.txt")) as lines:
        for line in lines:
            app, count = line.split()
            requests[app] = requests.get(app, 0) + int(count)
    return requests


def short(frame):
    return frame.split("/")[-1][:80]


def package(frame, depth):
    if frame.endswith("_[k]"):
        return "[kernel]"
    if "/" not in frame:
        return "[jvm] " + frame[:40]
    return "/".join(frame.split("/")[:depth])


def deepest(frames, match):
    for i in range(len(frames) - 1, -1, -1):
        if match in frames[i]:
            return i
    return -1


def tally(path, args):
    """The samples per key of the chosen view, and the number of samples in all."""
    counts = collections.Counter()
    total = 0
    with open(path) as lines:
        for line in lines:
            stack, n = line.rstrip("\n").rsplit(" ", 1)
            frames, n = stack.split(";"), int(n)
            total += n
            if args.by == "frame":
                for frame in set(frames):
                    counts[frame] += n
            elif args.by == "self":
                counts[frames[-1]] += n
            elif args.by == "package":
                counts[package(frames[-1], args.depth)] += n
            else:
                i = deepest(frames, args.match)
                if i < 0:
                    continue
                if args.by == "children":
                    part = frames[i + 1:i + 1 + args.depth]
                    counts[" > ".join(map(short, part)) or "<self>"] += n
                else:
                    part = frames[max(0, i - args.depth):i]
                    counts[" < ".join(map(short, reversed(part))) or "<root>"] += n
    return counts, total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--by", choices=["frame", "self", "package", "children", "callers"], default="frame")
    parser.add_argument("--match", default="")
    parser.add_argument("--depth", type=int, default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--interval-us", type=float, default=None,
                        help="the sampling interval; by default the one profile-pair.sh wrote to interval_us.txt")
    args = parser.parse_args()
    if args.interval_us is None:
        with open(os.path.join(args.directory, "interval_us.txt")) as f:
            args.interval_us = float(f.read())
    if args.depth is None:
        args.depth = 3 if args.by == "package" else 1
    if args.by in ("children", "callers") and not args.match:
        parser.error("--by %s needs --match" % args.by)

    requests = read_requests(args.directory)
    keyring, samples_k = tally(os.path.join(args.directory, "keyring.collapsed"), args)
    baseline, samples_b = tally(os.path.join(args.directory, "baseline.collapsed"), args)
    per_request = {
        "keyring": lambda key: keyring[key] * args.interval_us / requests["keyring"],
        "baseline": lambda key: baseline[key] * args.interval_us / requests["baseline"],
    }
    k, b = per_request["keyring"], per_request["baseline"]
    total_k = samples_k * args.interval_us / requests["keyring"]
    total_b = samples_b * args.interval_us / requests["baseline"]
    print("CPU µs per request (profiled): keyring %.2f, baseline %.2f, difference %+.2f; requests %d and %d"
          % (total_k, total_b, total_k - total_b, requests["keyring"], requests["baseline"]))
    print("%8s %8s %8s  %s" % ("diff", "keyring", "baseline", args.by))
    rows = sorted(set(keyring) | set(baseline), key=lambda key: -abs(k(key) - b(key)))
    for key in rows[:args.top]:
        print("%+8.2f %8.2f %8.2f  %s" % (k(key) - b(key), k(key), b(key), key[:160]))


if __name__ == "__main__":
    main()
