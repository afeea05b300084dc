-- Synced-segments requests for the benchmark (RudderStack's preset): each request adds 8 and removes 2 distinct
-- members of one of 10 cohorts, so the relay stores 10 changes per request.
local counter = 0
local thread_id = 0
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

function request()
  counter = counter + 1
  local base = (thread_id * 100000000) + counter * 10
  local add, remove = {}, {}
  for i = 0, 7 do add[#add + 1] = string.format('{"id":"user-%d@example.com"}', base + i) end
  for i = 8, 9 do remove[#remove + 1] = string.format('{"id":"user-%d@example.com"}', base + i) end
  local body = string.format(
    '{"environmentId":"5f0c0ffee0000000000000a1","cohortId":"rs-aud-%d","cohortName":"Cohort %d",' ..
    '"listData":{"add":[%s],"remove":[%s]}}',
    counter % 10, counter % 10, table.concat(add, ","), table.concat(remove, ","))
  return wrk.format("POST", "/api/v2/segment-targets/rudderstack",
    { ["Content-Type"] = "application/json", ["Authorization"] = "bench-token" }, body)
end

-- done(): the shared summary line, from summary.lua beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "summary.lua")
