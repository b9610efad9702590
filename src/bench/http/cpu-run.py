#!/usr/bin/env python3
"""Runs a load generator and says where the machine's CPU went meanwhile (src/bench/token-bench.sh).

    cpu-run.py <server pid> <command...>

Prints the command's output, then one line:
    CPU wall_s=.. cores=.. busy_pct=.. steal_pct=.. server_cpu_s=.. generator_cpu_s=..
busy_pct is the whole machine's busy time (all processes, /proc/stat: everything but idle, iowait and steal) as a
share of wall time x cores; server_cpu_s is the server process's user + system time (all its threads: request
handling, garbage collection, JIT); generator_cpu_s is the command's own (wrk's) user + system time.
"""
import os
import resource
import subprocess
import sys
import time


def machine():
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle, iowait, steal = fields[3], fields[4], fields[7] if len(fields) > 7 else 0
    total = sum(fields[:8])
    return total, total - idle - iowait - steal, steal


def process_cpu(pid):
    with open(f"/proc/{pid}/stat") as stat:
        # the command name may hold spaces: the fields after it start behind the last ')'
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    pid, command = int(sys.argv[1]), sys.argv[2:]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    total0, busy0, steal0 = machine()
    server0 = process_cpu(pid)
    start = time.monotonic()
    result = subprocess.run(command)
    wall = time.monotonic() - start
    server1 = process_cpu(pid)
    total1, busy1, steal1 = machine()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    generator = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    ticks = max(total1 - total0, 1)
    print(f"CPU wall_s={wall:.3f} cores={os.cpu_count()} busy_pct={100 * (busy1 - busy0) / ticks:.1f} "
          f"steal_pct={100 * (steal1 - steal0) / ticks:.1f} server_cpu_s={server1 - server0:.3f} "
          f"generator_cpu_s={generator:.3f}", flush=True)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
