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

if mode == "assign" or mode == "send" then
	function request()
		n = n % #reqs + 1
		return reqs[n]
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
	    "BENCH rps=%.1f p50_us=%d p99_us=%d requests=%d " ..
	    "socket_errors=%d non2xx=%d\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(50), latency:percentile(99),
	    summary.requests, e.connect + e.read + e.write + e.timeout,
	    e.status))
end
