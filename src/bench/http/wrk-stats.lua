-- wrk script of src/bench/http-bench.sh: after the run, one machine-readable line with requests/s and exact
-- percentiles from wrk's latency histogram (microseconds). No per-request callback, so wrk keeps its fast path.
-- wrk's errors.status counts responses with a status above 399; the benchmark checks every endpoint answers 200
-- before it loads it.
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRK_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
         .. "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
