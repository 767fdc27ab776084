-- wrk.lua - the request mix and the summary line for bench/run.
--
-- BENCH_MODE=get (default): wrk's own GET of the URL on the command line.
-- BENCH_MODE=assign: POST {path}/assigned_users alternating two users and two
-- task lists, form-encoded, with BENCH_TOKEN as access_token. The four
-- requests are formatted once per thread, then cycled, so the client spends
-- no time building them.
--
-- BENCH_MODE=send: POST {path}/messages, the demo's hello_world template as
-- JSON to 64 recipients in turn, with BENCH_TOKEN in the query.
--
-- BENCH_MODE=template: POST /v24.0/{waba}/message_templates, JSON, a new
-- name each time. A WABA may create 100 templates an hour, so each thread
-- takes whole WABAs of its own, 100 creations each: thread t of T uses the
-- WABAs BENCH_FIRST + t, + t + T, ... of bench/gen_list_fixture.py's
-- numbering (id 41 followed by the index in 14 digits), and names 0 to 99
-- on each. done() adds blocks=B, the most WABAs one thread began, so that
-- bench/run starts the next run past every WABA this one touched.
--
-- done() prints one line that bench/run parses:
--   BENCH rps=R p50_us=N p99_us=N requests=N socket_errors=N non2xx=N

local mode = os.getenv("BENCH_MODE") or "get"
local token = os.getenv("BENCH_TOKEN") or "EAAdemoAdmin"
local reqs = {}
local n = 0

local function urlencode(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		return string.format("%%%02X", string.byte(c))
	end))
end

function init(args)
	if mode ~= "assign" then
		return
	end
	local users = { "3000000000000004", "3000000000000002" }
	local tasks = { '["VIEW_COST"]', '["VIEW_COST","VIEW_TEMPLATES"]' }
	local headers = {
		["Content-Type"] = "application/x-www-form-urlencoded",
	}
	for i = 0, 3 do
		local body = "user=" .. users[i % 2 + 1] ..
		    "&tasks=" .. urlencode(tasks[math.floor(i / 2) % 2 + 1]) ..
		    "&access_token=" .. token
		reqs[#reqs + 1] = wrk.format("POST",
		    wrk.path .. "/assigned_users", headers, body)
	end
end

if mode == "send" then
	function init(args)
		local headers = { ["Content-Type"] = "application/json" }
		local path = wrk.path .. "/messages?access_token=" .. token
		for i = 0, 63 do
			local body = string.format('{"messaging_product":' ..
			    '"whatsapp","to":"1650555%04d","type":"template",' ..
			    '"template":{"name":"hello_world","language":' ..
			    '{"code":"en_US"}}}', i)
			reqs[#reqs + 1] = wrk.format("POST", path, headers, body)
		end
	end
end

local threads = {}

if mode == "template" then
	local nthreads = 0
	function setup(thread)
		thread:set("tid", nthreads)
		nthreads = nthreads + 1
		threads[#threads + 1] = thread
	end

	made = 0	-- a global, so that done() can read it with thread:get()
	local first = tonumber(os.getenv("BENCH_FIRST") or "0")
	local stride, path, headers
	function init(args)
		stride = tonumber(os.getenv("BENCH_THREADS") or "1")
		path = "/message_templates?access_token=" .. token
		headers = { ["Content-Type"] = "application/json" }
	end

	function request()
		local i = first + tid + stride * math.floor(made / 100)
		local body = string.format('{"name":"bench_new_%02d",' ..
		    '"language":"en_US","category":"UTILITY","components":' ..
		    '[{"type":"BODY","text":"Your order {{1}} is ready",' ..
		    '"example":{"body_text":[["42"]]}}]}', made % 100)
		made = made + 1
		return wrk.format("POST", string.format("/v24.0/41%014d", i) ..
		    path, headers, body)
	end
end

if mode == "assign" or mode == "send" then
	function request()
		n = n % #reqs + 1
		return reqs[n]
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	local blocks = ""
	if mode == "template" then
		local most = 0
		for _, t in ipairs(threads) do
			most = math.max(most, math.ceil(t:get("made") / 100))
		end
		blocks = string.format(" blocks=%d", most)
	end
	io.write(string.format(
	    "BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d " ..
	    "socket_errors=%d non2xx=%d%s\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50), latency:percentile(99),
	    summary.requests, e.connect + e.read + e.write + e.timeout,
	    e.status, blocks))
end
