-- Shared by the wrk scripts in this folder: prints one machine-readable RESULT line that
-- bench/run parses. Loaded with dofile() from BENCH_LUA_DIR. `extra` is a table of additional
-- key=value pairs (e.g. counted 201s); keys must not contain spaces.
function bench_report(summary, latency, extra)
   local e = summary.errors
   local parts = {
      "RESULT",
      string.format("requests=%d", summary.requests),
      string.format("duration_us=%d", summary.duration),
      string.format("bytes=%d", summary.bytes),
      string.format("err_connect=%d", e.connect),
      string.format("err_read=%d", e.read),
      string.format("err_write=%d", e.write),
      string.format("err_timeout=%d", e.timeout),
      string.format("err_status=%d", e.status),
      string.format("lat_mean_us=%.0f", latency.mean),
      string.format("lat_p50_us=%d", latency:percentile(50)),
      string.format("lat_p99_us=%d", latency:percentile(99)),
      string.format("lat_max_us=%d", latency.max),
   }
   for k, v in pairs(extra or {}) do
      parts[#parts + 1] = string.format("%s=%s", k, tostring(v))
   end
   io.write(table.concat(parts, " "), "\n")
end
