-- wrk script of scripts/load.sh.
--
-- LOAD_COOKIE      the session cookie ("kp_session=..."), sent on every request
-- LOAD_ORIGIN      the site's origin, sent on POSTs as a browser does
-- LOAD_MODE        "get" (default) or "newcase": POST the Nytt ärende form
--
-- done() prints one line that load.sh reads:
--   RESULT <req/s> <p50 ms> <p95 ms> <p99 ms> <requests> <errors>
-- where errors are responses with a status of 400 or more plus socket
-- errors and timeouts; for newcase, every post that did not answer 303
-- to the new case's page (a refused form answers 422).

local cookie = os.getenv("LOAD_COOKIE") or ""
local origin = os.getenv("LOAD_ORIGIN") or ""
local mode = os.getenv("LOAD_MODE") or "get"

wrk.headers["Cookie"] = cookie

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local boundary = "----loadsh7MA4YWxkTrZu0gW"
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

function init(args)
  math.randomseed(os.time() * 100 + (tid or 0))
end

-- token is a fresh one-time form id in the server's own shape
-- (auth.NewFormID: 14 hex digits of the time, then 29 characters of
-- base64url): the server takes a client's id of that shape as the form's,
-- so every post is a new case, not a resend of the first. Like the
-- server's, the ids grow with time (seconds and a count here, which is
-- what Lua has), so that they land where the server's forms' ids land:
-- at the end of the form ids' index.
local sent = 0
local function token()
  sent = sent + 1
  local t = {string.format("%08x%06x", os.time(), sent % 16777216)}
  for i = 2, 30 do
    local k = math.random(1, 64)
    t[i] = alphabet:sub(k, k)
  end
  return table.concat(t)
end

local fields = {
  {"title", "Lidköping"},
  {"description", "Tvättmaskinen läcker vatten under luckan vid centrifugering."},
  {"site_name", "Tvättstuga hus B"},
  {"reporter_name", "Last Testsson"},
  {"reporter_phone", "070-123 45 67"},
  {"site_phone1", ""},
  {"site_phone2", ""},
  {"postal_code", "531 30"},
  {"city", "Lidköping"},
  {"access", "Ja"},
  {"door_code", ""},
  {"contract_number", ""},
  {"invoice_reference", ""},
  {"asset_query", ""},
  {"asset_id", ""},
}

-- caseBody is the form as a browser sends it: multipart, with the empty
-- photo field and the Spara button.
local function caseBody()
  local parts = {}
  local function add(name, value)
    parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
  end
  add("token", token())
  -- A street of its own for (nearly) every save, so that repeated runs
  -- do not make one street, and so the Gata sample, the busiest.
  add("street", "Lastgatan " .. math.random(1, 1000000) .. " lgh 1101")
  for _, f in ipairs(fields) do
    add(f[1], f[2])
  end
  parts[#parts + 1] = "--" .. boundary ..
    "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
  add("action", "spara")
  parts[#parts + 1] = "--" .. boundary .. "--\r\n"
  return table.concat(parts)
end

function request()
  if mode == "newcase" then
    -- wrk.format's headers replace wrk.headers: the cookie goes again.
    return wrk.format("POST", nil, {
      ["Cookie"] = cookie,
      ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
      ["Origin"] = origin,
      ["Sec-Fetch-Site"] = "same-origin",
    }, caseBody())
  end
  return wrk.request()
end

-- saved counts the posts that saved a case: a 303 to the new case's page
-- (not to the login page, nor a 200 or 422 form).
saved = 0
if mode == "newcase" then
  function response(status, headers, body)
    local loc = headers["Location"] or ""
    if status == 303 and loc:sub(1, 9) == "/arenden/" then
      saved = saved + 1
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  if mode == "newcase" then
    local n = 0
    for _, t in ipairs(threads) do
      n = n + t:get("saved")
    end
    errors = summary.requests - n
  end
  io.write(string.format("RESULT %.1f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
