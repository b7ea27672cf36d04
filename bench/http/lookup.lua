-- wrk script: GET /entities/<random id> (or .../neighbors?limit=10 when KG_PATH=neighbors) over
-- ids 1..KG_NODES, with a fixed seed per wrk thread so runs are comparable.
local nodes = tonumber(os.getenv("KG_NODES") or "1000")
local path = os.getenv("KG_PATH") or "entity"
local next_id = 1
function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end
function init(args)
  math.randomseed(12345 + (thread_id or 0))
end
function request()
  local id = math.random(1, nodes)
  if path == "neighbors" then
    return wrk.format("GET", "/entities/" .. id .. "/neighbors?limit=10")
  end
  return wrk.format("GET", "/entities/" .. id)
end
