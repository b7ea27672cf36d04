-- wrk script: POST /query with one fixed Cypher query, read from the file named by KG_QUERY_FILE
-- (the request body is built once: every request asks the same question).
local file = assert(io.open(os.getenv("KG_QUERY_FILE"), "r"))
local query = file:read("*a")
file:close()
local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', '\\n') .. '"'
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query": ' .. json_string(query) .. '}'
