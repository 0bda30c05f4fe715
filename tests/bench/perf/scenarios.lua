-- scenarios.lua -- the wrk script of the perf benchmark (tests/bench/perf/run.py runs
-- it): reads the request data run.py wrote (tab-separated files of real session tokens,
-- refs and paths), builds the requests of the scenario it is given, counts the answers
-- by status in every thread, and prints one JSON summary line for run.py at the end.
--
-- Arguments after wrk's `--`: DATADIR NTHREADS SCENARIO, the scenario one of file, read,
-- queue, act, mixed. Each wrk thread has its own Lua state; the act pool is split
-- between threads so that no two threads act on one issue.

local started = {}            -- the main state's list of threads, for done()
local next_tid = 0

local data_dir, nthreads, tid
counts = {}                   -- per thread: status code and kind counters, read by done()
filed_refs = {}               -- per thread: the refs of the filings answered 201

function setup(thread)
    next_tid = next_tid + 1
    thread:set("tid", next_tid)
    table.insert(started, thread)
end

local function split(line)
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = field end
    return fields
end

-- The rows of DATADIR/NAME.tsv; with `mine`, only this thread's share.
function load_rows(name, mine)
    local rows, i = {}, 0
    local f = assert(io.open(data_dir .. "/" .. name .. ".tsv", "r"),
                     "cannot open " .. data_dir .. "/" .. name .. ".tsv")
    for line in f:lines() do
        if not mine or i % nthreads == tid - 1 then rows[#rows + 1] = split(line) end
        i = i + 1
    end
    f:close()
    assert(#rows > 0, name .. ".tsv has no rows for thread " .. tid)
    return rows
end

local scenario_request

function init(args)
    data_dir, nthreads = args[1], tonumber(args[2])
    tid = wrk.thread:get("tid")
    math.randomseed(os.time() * 100 + tid)
    local scenario = assert(SCENARIOS[args[3]], "unknown scenario " .. tostring(args[3]))
    for _, kind in ipairs(scenario.uses) do _G[kind .. "_init"]() end
    scenario_request = scenario.request
end

function request()
    return scenario_request()
end

local function bump(key)
    counts[key] = (counts[key] or 0) + 1
end

local function bearer(token, extra)
    local h = {["Authorization"] = "Bearer " .. token}
    if extra then h["Content-Type"] = "application/json" end
    return h
end

-- JSON string contents: only what our own texts can hold needs escaping.
local function jstr(s)
    return '"' .. s:gsub('[\\"]', '\\%0') .. '"'
end

----------------------------------------------------------------------------- filing
local filers, categories, texts = nil, nil, nil

function file_init()
    filers = load_rows("principals")
    categories = load_rows("categories")
    texts = load_rows("texts")
end

-- A loaded issue's title and description (run.py's workload.write_filing picks them), so
-- that the run's filings read like the issues already there.
function file_request()
    local p = filers[math.random(#filers)]
    local c = categories[math.random(#categories)][1]
    local t = texts[math.random(#texts)]
    local body = '{"title":' .. jstr(t[1]) .. ',"category":' .. jstr(c)
        .. ',"description":' .. jstr(t[2]) .. '}'
    return wrk.format("POST", "/api/issues", bearer(p[1], true), body)
end

----------------------------------------------------------------------------- reading
local reads

function read_init() reads = load_rows("reads") end

function read_request()
    local r = reads[math.random(#reads)]
    return wrk.format("GET", "/api/issues/" .. r[2], bearer(r[1]))
end

----------------------------------------------------------------------------- the queue
local queries

function queue_init() queries = load_rows("queue") end

function queue_request()
    local q = queries[math.random(#queries)]
    return wrk.format("GET", q[3], bearer(q[1]))
end

----------------------------------------------------------------------------- acting
-- Officers walk their division's issues new -> triaged -> in_progress -> resolved, and
-- comment. An issue is acted on again only once the answer to the last action has come
-- back (its ref and status read from the answer), so no action meets a stale status.
local NEXT = {new = "triage", triaged = "start", in_progress = "resolve"}
local idle, idle_head, busy, commenters = {}, 1, {}, nil

function act_init()
    for _, row in ipairs(load_rows("act", true)) do
        idle[#idle + 1] = {token = row[1], ref = row[2], status = row[3]}
    end
    commenters = load_rows("act")
end

local COMMENT = "Phòng đã tiếp nhận và đang kiểm tra lại hồ sơ của trường."
local RESOLVE_NOTE = ',"note":' .. jstr("Sở đã bổ sung, đề nghị trường kiểm tra.")

local function comment_request()
    local c = commenters[math.random(#commenters)]
    local internal = math.random() < 0.3 and "true" or "false"
    local body = '{"body":' .. jstr(COMMENT) .. ',"internal":' .. internal .. '}'
    return wrk.format("POST", "/api/issues/" .. c[2] .. "/comments", bearer(c[1], true),
                      body)
end

function act_request()
    if math.random() < 0.5 or idle_head > #idle then return comment_request() end
    local item = idle[idle_head]
    idle[idle_head] = nil
    idle_head = idle_head + 1
    busy[item.ref] = item
    local action = NEXT[item.status]
    local note = action == "resolve" and RESOLVE_NOTE or ""
    return wrk.format("POST", "/api/issues/" .. item.ref .. "/actions",
                      bearer(item.token, true), '{"action":' .. jstr(action) .. note .. '}')
end

local function act_answered(body)
    local ref = body:match('^{"ref":"([^"]+)"')
    local item = ref and busy[ref]
    if not item then return end
    busy[ref] = nil
    item.status = body:match('"status":"([^"]+)"')
    if NEXT[item.status] then idle[#idle + 1] = item end
end

----------------------------------------------------------------------------- scenarios
-- mixed: 10% filings, 10% officers' actions and comments, 80% reads (60% an issue with
-- its history, 20% a queue page).
local function mixed_request()
    local x = math.random()
    if x < 0.10 then return file_request() end
    if x < 0.20 then return act_request() end
    if x < 0.80 then return read_request() end
    return queue_request()
end

SCENARIOS = {
    file = {uses = {"file"}, request = file_request},
    read = {uses = {"read"}, request = read_request},
    queue = {uses = {"queue"}, request = queue_request},
    act = {uses = {"act"}, request = act_request},
    mixed = {uses = {"file", "act", "read", "queue"}, request = mixed_request},
}

----------------------------------------------------------------------------- answers
-- Kinds are told apart by the answer itself: a filing's 201 is an ISSUE (it starts with
-- its ref), a comment's 201 an EVENT; a read's 200 an ISSUE with its events, a queue
-- page's a list of items.
function response(status, headers, body)
    bump(tostring(status))
    if status == 201 and body:sub(1, 7) == '{"ref":' then
        bump("filed")
        filed_refs[#filed_refs + 1] = body:match('^{"ref":"([^"]+)"')
    end
    if status == 200 and body:sub(1, 7) == '{"ref":' then
        if body:find('"events":[', 1, true) then bump("issue_with_events") end
        act_answered(body)
    end
    if status == 200 and body:sub(1, 10) == '{"items":[' then bump("list") end
    if status >= 300 and (counts.samples or 0) < 5 then
        bump("samples")
        counts["sample" .. counts.samples] = status .. " " .. body:sub(1, 300)
    end
end

local function json_value(v)
    if type(v) == "number" then return string.format("%d", v) end
    return '"' .. tostring(v):gsub('[%c\\"]', function(ch)
        return string.format("\\u%04x", ch:byte()) end) .. '"'
end

function done(summary, latency, requests)
    local total, refs = {}, {}
    for _, thread in ipairs(started) do
        for _, ref in ipairs(thread:get("filed_refs") or {}) do refs[#refs + 1] = ref end
        for k, v in pairs(thread:get("counts") or {}) do
            if type(v) == "number" then total[k] = (total[k] or 0) + v
            elseif not total[k] then total[k] = v end
        end
    end
    local e = summary.errors
    local parts = {
        '"requests":' .. summary.requests, '"duration_us":' .. summary.duration,
        '"p50_us":' .. latency:percentile(50), '"p99_us":' .. latency:percentile(99),
        '"max_us":' .. latency.max, '"mean_us":' .. string.format("%.0f", latency.mean),
        '"socket_errors":{"connect":' .. e.connect .. ',"read":' .. e.read .. ',"write":'
            .. e.write .. ',"timeout":' .. e.timeout .. '}',
        '"non_2xx_3xx":' .. e.status,
    }
    local cs = {}
    for k, v in pairs(total) do cs[#cs + 1] = json_value(k) .. ":" .. json_value(v) end
    parts[#parts + 1] = '"counts":{' .. table.concat(cs, ",") .. '}'
    io.write("PERF_FILED " .. table.concat(refs, " ") .. "\n")
    io.write("PERF_RESULT {" .. table.concat(parts, ",") .. "}\n")
end
