-- wrk script: QR check-ins through the gateway, one per pre-signed-up volunteer.
-- CHECKINS_FILE holds one line per check-in: "activityId volunteerId qrToken"; BEARER is the caller's access token;
-- WRK_THREADS is wrk's -t. Thread k of n sends lines k, k+n, k+2n, ..., so no two requests share a volunteer.
-- Past the end a thread starts over (those repeats answer 409 and show as non-2xx responses).

local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
end

function init(args)
  local n = tonumber(os.getenv("WRK_THREADS") or "1")
  lines = {}
  local i = 0
  for line in io.lines(os.getenv("CHECKINS_FILE")) do
    if i % n == thread_index then
      local activity, volunteer, token = line:match("^(%S+) (%S+) (%S+)$")
      lines[#lines + 1] = {
        path = "/api/v1/activities/" .. activity .. "/check-ins",
        body = '{"volunteerId":"' .. volunteer .. '","token":"' .. token .. '"}',
      }
    end
    i = i + 1
  end
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BEARER"),
    ["Content-Type"] = "application/json",
  }
  next_line = 1
end

function request()
  local item = lines[next_line]
  next_line = next_line + 1
  if next_line > #lines then
    next_line = 1
  end
  return wrk.format("POST", item.path, headers, item.body)
end
