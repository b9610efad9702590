#!/usr/bin/env python3
"""Summary of src/bench/profile-tokens.sh: where the request threads of a login or a refresh spend their wall time,
and which locks they wait for.

    wait-profile.py <wall.collapsed> <lock.collapsed> <requests during the lock profile> <login|refresh>

Wall profile (async-profiler event=wall with threads): each sample is one thread's stack at one moment, running or
not. Samples of request threads (those whose stack holds the endpoint's method) are sorted into what the thread was
doing: forcing the journal to disk, writing it, waiting (parked, in Object.wait or blocked on a monitor), or running;
each with the innermost JWT Keyring frame, which says where in the module. The shares are of the request threads'
time; the thread lines say how much of their time the worker threads spent in requests at all.

Lock profile (event=lock, total): contended waits in nanoseconds, by the lock's class and the innermost JWT Keyring
frame, per request.
"""
import sys
from collections import Counter

OWN = "io.github.jwtkeyring."
ENDPOINT = {"login": "AuthResource.login", "refresh": "AuthResource.refresh"}


def stacks(path):
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            frames, _, count = line.rpartition(" ")
            yield [frame.replace("/", ".") for frame in frames.split(";")], int(count)


def own_frame(frames):
    for frame in reversed(frames):
        if frame.startswith(OWN) and "$$" not in frame:
            return frame[len(OWN):].removesuffix("_[j]").removesuffix("_[i]")
    return "(outside the module)"


def state(frames):
    joined = ";".join(frames[-12:])
    if ".force" in joined or "fsync" in joined or "fdatasync" in joined:
        return "forcing the journal to disk"
    if "FileChannelImpl.write" in joined or "FileDispatcherImpl.write" in joined:
        return "writing the journal"
    if any(w in joined for w in ("Unsafe.park", "LockSupport.park", "Object.wait", "ObjectMonitor::enter",
                                 "ObjectSynchronizer", "JVM_MonitorWait", "__futex", "pthread_cond")):
        return "waiting (lock, monitor or condition)"
    return "running"


def thread_kind(frames):
    name = frames[0].strip("[]").split(" tid=")[0]
    for prefix in ("executor-thread", "vert.x-eventloop-thread", "vert.x-worker-thread"):
        if name.startswith(prefix):
            return prefix
    return "other"


def wall(path, mode):
    endpoint = ENDPOINT[mode]
    kinds, in_request = Counter(), Counter()
    where = Counter()
    for frames, count in stacks(path):
        kind = thread_kind(frames)
        kinds[kind] += count
        if any(endpoint in frame for frame in frames):
            in_request[kind] += count
            where[(state(frames), own_frame(frames))] += count
    total = sum(where.values())
    print(f"## {mode}: wall-clock profile ({total} samples of request threads)")
    print()
    for kind, count in kinds.most_common():
        if kind != "other":
            print(f"- {kind}: {100 * in_request[kind] / count:.0f} % of its samples inside {endpoint}")
    print()
    states = Counter()
    for (s, _), count in where.items():
        states[s] += count
    print("| what the request thread was doing | share of request time |")
    print("|---|---|")
    for s, count in states.most_common():
        print(f"| {s} | {100 * count / total:.1f} % |")
    print()
    print("| doing | innermost JWT Keyring frame | share |")
    print("|---|---|---|")
    for (s, frame), count in where.most_common(12):
        print(f"| {s} | `{frame}` | {100 * count / total:.1f} % |")
    print()


def lock(path, requests, mode):
    waits = Counter()
    for frames, nanos in stacks(path):
        waits[(frames[-1], own_frame(frames))] += nanos
    total = sum(waits.values())
    print(f"## {mode}: lock profile ({total / 1e6:.1f} ms of contended waits in {requests} requests, "
          f"{total / 1e3 / max(requests, 1):.1f} µs per request)")
    print()
    print("| lock | innermost JWT Keyring frame | µs per request | share |")
    print("|---|---|---|---|")
    for (lock_class, frame), nanos in waits.most_common(10):
        print(f"| `{lock_class}` | `{frame}` | {nanos / 1e3 / max(requests, 1):.1f} | "
              f"{100 * nanos / max(total, 1):.1f} % |")
    print()


def main():
    wall_path, lock_path, requests, mode = sys.argv[1:5]
    wall(wall_path, mode)
    lock(lock_path, int(requests), mode)


if __name__ == "__main__":
    main()
