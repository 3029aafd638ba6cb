-- Durable write load: POST klantcontacten and count 201 Created per thread; any other status is
-- an error. Row content rotates exactly like bench/sqlite_insert.c (kanaal over 3 values,
-- onderwerp over 5, plaatsgevondenOp by row number), so the raw SQLite peer inserts the same rows.
-- Args (after `--`): optional per-thread limit; a thread that reached it stops and touches
-- "<BENCH_DONE_DIR>/<thread id>.done" so bench/run can end wrk early (used for seeding).
-- Env: BENCH_LUA_DIR, OMK_TOKEN, BENCH_DONE_DIR (only with a limit).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local kanalen = { "telefoon", "email", "balie" }
local onderwerpen = {
   "Verhuizing doorgeven", "Aanvraag paspoort", "Melding openbare ruimte",
   "Vraag over afvalinzameling", "Parkeervergunning aanvragen",
}
local path = "/klantinteracties/api/v1/klantcontacten"
local headers = {
   ["Authorization"] = "Token " .. (os.getenv("OMK_TOKEN") or ""),
   ["Content-Type"] = "application/json",
   ["Accept"] = "application/json",
}

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   threads[#threads + 1] = thread
end

function init(args)
   limit = tonumber(args[1] or "0") or 0
   created = 0
   failed = 0
   other = ""
   -- Rows of different threads interleave; each thread starts its rotation at its own offset.
   seq = id * 1000003
   stopped = false
end

function request()
   local i = seq
   seq = seq + 1
   local body = string.format(
      '{"kanaal":"%s","onderwerp":"%s","inhoud":"Inwoner belt over verhuizing",' ..
      '"indicatieContactGelukt":true,"taal":"nld","vertrouwelijk":false,' ..
      '"plaatsgevondenOp":"2026-03-%02dT%02d:%02d:00Z"}',
      kanalen[i % 3 + 1], onderwerpen[i % 5 + 1],
      1 + math.floor(i / 1440) % 28, math.floor(i / 60) % 24, i % 60)
   return wrk.format("POST", path, headers, body)
end

function response(status, hdrs, body)
   if status == 201 then
      created = created + 1
   else
      failed = failed + 1
      if #other < 200 then other = other .. status .. "," end
   end
   if limit > 0 and created >= limit and not stopped then
      stopped = true
      local f = io.open(os.getenv("BENCH_DONE_DIR") .. "/" .. id .. ".done", "w")
      if f then f:close() end
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local c, f, o = 0, 0, ""
   for _, t in ipairs(threads) do
      c = c + t:get("created")
      f = f + t:get("failed")
      o = o .. (t:get("other") or "")
   end
   if o == "" then o = "none" end
   bench_report(summary, latency, { created = c, failed = f, failed_statuses = o })
end
