-- wrk script: POST handout records in turn to /render/handout and check that
-- every answer is byte-for-byte one of the PDFs `varaq render` wrote for
-- those records; each thread stops after its share of the requests.
--   wrk -t T -s bench/render.lua URL -- FOLDER K REQUESTS_PER_THREAD
-- FOLDER holds record-1.json .. record-K.json and expected-1.pdf ..
-- expected-K.pdf. wrk does not say which request an answer belongs to, so
-- an answer is checked against the set (every record's PDF differs: its
-- file number); serve.sh checks a sample one by one as well.
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end
local requests, expected = {}, {}
local turn, limit = 0, 0
answered, differ, failed = 0, 0, 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local folder, k = args[1], tonumber(args[2])
  limit = tonumber(args[3])
  for i = 1, k do
    requests[i] = wrk.format("POST", "/render/handout",
      {["Content-Type"] = "application/json"}, slurp(folder .. "/record-" .. i .. ".json"))
    expected[slurp(folder .. "/expected-" .. i .. ".pdf")] = true
  end
  turn = id * 7 -- threads start at different records
end
function request()
  turn = turn + 1
  return requests[turn % #requests + 1]
end
function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    failed = failed + 1
  elseif not expected[body] then
    differ = differ + 1
  end
  if answered >= limit then wrk.thread:stop() end
end
-- Each thread counts in its own state; done() reads them.
function done(summary, latency, requests)
  local a, d, f = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("answered")
    d = d + t:get("differ")
    f = f + t:get("failed")
  end
  local e = summary.errors
  io.write(string.format("requests %d; socket errors %d, status errors %d\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
  io.write(string.format("answers checked %d: not 200 %d, 200 but not one of the expected PDFs %d\n",
    a, f, d))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
