-- Request bodies for the benchmark, different on every request: distinct users, mixed identifier types,
-- 80 % adds / 20 % removes, 10 feeds. BENCH_SCENARIO picks the form: single, batch (100 items) or file (100 lines).
local scenario = os.getenv("BENCH_SCENARIO") or "single"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local counter = 0

local function hex(n, width)
  return string.format("%0" .. width .. "x", n % (16 ^ math.min(width, 13)))
end

local function identifiers(u)
  local kind = u % 4
  if kind == 0 then
    return string.format('{"type":"USER_EMAIL","hash":"%s%s","creation_ts":1718000000000,"providers":[]}',
      hex(u * 2654435761, 16), hex(u, 16))
  elseif kind == 1 then
    return string.format('{"type":"USER_POINT","user_point_id":"%s-4e5f-9a7b-%s","creation_ts":1718000000000}',
      hex(u, 8), hex(u * 40503, 12))
  elseif kind == 2 then
    return string.format('{"type":"USER_ACCOUNT","user_account_id":"crm-%d","compartment_id":1},' ..
      '{"type":"USER_AGENT","vector_id":"vec:%d","device":{"form_factor":"SMARTPHONE"}}', u, u)
  else
    return string.format('{"type":"USER_DEVICE_POINT","id":"dp-%d","technical_identifiers":[' ..
      '{"type":"MOBILE_ADVERTISING_ID","user_agent_id":"mob:and:raw:%s","registry_id":"12"}]}', u, hex(u, 12))
  end
end

local function operation(u)
  if u % 5 == 0 then return "DELETE" end
  return "UPSERT"
end

local function update(u)
  return string.format('{"feed_id":"%d","session_id":"18345","datamart_id":"1509","segment_id":"%d",' ..
    '"operation":"%s","ts":1718500005000,"user_identifiers":[%s]}',
    6900 + u % 10, 84200 + u % 10, operation(u), identifiers(u))
end

local function item(u)
  return string.format('{"operation":"%s","user_identifiers":[%s]}', operation(u), identifiers(u))
end

local json = { ["Content-Type"] = "application/json" }
local lines = { ["Content-Type"] = "application/x-ndjson" }

function request()
  counter = counter + 1
  local u = id * 100000000 + counter * 100
  if scenario == "single" then
    return wrk.format("POST", "/v1/user_segment_update", json, update(u))
  elseif scenario == "batch" then
    local items = {}
    for i = 0, 99 do items[#items + 1] = item(u + i) end
    local feed = 6900 + counter % 10
    return wrk.format("POST", "/v1/batch_update", json, string.format(
      '{"batch_content":[%s],"ts":1718500100000,"context":{"endpoint":"/v1/user_segment_update",' ..
      '"feed_id":"%d","feed_session_id":"18345","segment_id":"%d","datamart_id":"1509","grouping_key":"UPSERT"}}',
      table.concat(items, ","), feed, 84200 + counter % 10))
  else
    local body = {}
    for i = 0, 99 do body[#body + 1] = update(u + i) end
    return wrk.format("POST", "/v1/user_segment_update", lines, table.concat(body, "\n") .. "\n")
  end
end

-- done(): the shared summary line, from summary.lua beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "summary.lua")
