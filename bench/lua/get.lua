-- GET one fixed path (given on the wrk command line) with the API token header. Used for our
-- server and for nginx alike, so both receive byte-identical requests. No request() function:
-- wrk keeps its pre-built request, so the client spends as little CPU as possible.
-- Env: BENCH_LUA_DIR (folder of report.lua), OMK_TOKEN (API token; may be empty for nginx).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

wrk.method = "GET"
wrk.headers["Authorization"] = "Token " .. (os.getenv("OMK_TOKEN") or "")
wrk.headers["Accept"] = "application/json"

function done(summary, latency, requests)
   bench_report(summary, latency)
end
