-- Mapp DIY requests for the benchmark, from bodies pre-signed by bench/tools/mapp_bodies.py (wrk's Lua has no HMAC).
-- BENCH_SCENARIO=mapp_add (ADD_TO_AUDIENCE, 100 users) or mapp_create (CREATE_AUDIENCE).
local scenario = os.getenv("BENCH_SCENARIO") or "mapp_add"
local signed = dofile(os.getenv("BENCH_MAPP_BODIES"))
local bodies = scenario == "mapp_create" and signed.create or signed.add
local type = scenario == "mapp_create" and "CREATE_AUDIENCE" or "ADD_TO_AUDIENCE"
local counter = 0

function request()
  counter = counter + 1
  local entry = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", "/mapp/diy?type=" .. type,
    { ["Content-Type"] = "application/json", ["X-HMAC"] = entry[2] }, entry[1])
end

-- done(): the shared summary line, from summary.lua beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "summary.lua")
