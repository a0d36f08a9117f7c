-- wrk script: the same GET at a fixed overall rate instead of as fast as possible.
-- RATE is the requests per second for the whole run; WRK_CONNECTIONS is wrk's -c. Each connection waits
-- connections / RATE seconds before each request, so the total is about RATE while the server keeps up.

local pause_ms = 0

function init(args)
  local rate = tonumber(os.getenv("RATE"))
  local connections = tonumber(os.getenv("WRK_CONNECTIONS"))
  pause_ms = math.floor(connections * 1000 / rate)
end

function delay()
  return pause_ms
end
