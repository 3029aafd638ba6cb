-- GET one page of 100 klantcontacten with two levels of expand; reports latency percentiles.
wrk.headers["Authorization"] = "Token " .. os.getenv("OMK_TOKEN")
function done(summary, latency, requests)
  io.stderr:write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
