-- wrk script: POST a handout to /render/handout and compare every answer
-- with the PDF `varaq render` writes for the same data.
--   wrk -s bench/render.lua URL -- BODY.json EXPECTED.pdf
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end
local expected = nil
checked, differ = 0, 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  wrk.body = slurp(args[1])
  expected = slurp(args[2])
  wrk.method = "POST"
  wrk.path = "/render/handout"
  wrk.headers["Content-Type"] = "application/json"
end
function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 or body ~= expected then differ = differ + 1 end
end
-- Each thread counts in its own state; done() reads them.
function done(summary, latency, requests)
  local c, d = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("checked")
    d = d + t:get("differ")
  end
  io.write(string.format("requests %d, errors %d; answers compared %d, not identical %d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, c, d))
  for _, p in pairs({50, 90, 99}) do
    io.write(string.format("p%d %.1f ms\n", p, latency:percentile(p) / 1000))
  end
end
