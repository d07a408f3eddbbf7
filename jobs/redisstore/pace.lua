-- Reserve the next send of one pace key (the generic cell rate algorithm), or hold it.
-- KEYS: 1 the pace hash (tat: the theoretical arrival time of the next send, in microseconds of
-- the server's clock; gap: an interval learnt from the platform's Retry-After; every, burst:
-- the rate the key was last taken at)
-- ARGV: 1 "take" or "hold"; take: 2 every (µs, 0 for the learnt gap), 3 burst; hold: 2 wait (µs)
-- Returns the microseconds to wait before sending (take), or 0 (hold).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local h = redis.call('HMGET', KEYS[1], 'tat', 'gap', 'every', 'burst')
local tat = tonumber(h[1]) or 0
local gap = tonumber(h[2]) or 0
if ARGV[1] == 'take' then
  local every, burst = tonumber(ARGV[2]), tonumber(ARGV[3])
  if every <= 0 then
    every, burst = gap, 1
  end
  if burst < 1 then burst = 1 end
  if tat < now then tat = now end
  local at = tat - (burst - 1) * every
  redis.call('HSET', KEYS[1], 'tat', tat + every, 'every', every, 'burst', burst)
  redis.call('PEXPIRE', KEYS[1], 3600000)
  if at > now then return at - now end
  return 0
end
local wait = tonumber(ARGV[2])
if wait > gap then redis.call('HSET', KEYS[1], 'gap', wait) end
local every, burst = tonumber(h[3]) or 0, tonumber(h[4]) or 1
local untl = now + wait + (burst - 1) * every
if tat < untl then redis.call('HSET', KEYS[1], 'tat', untl) end
redis.call('PEXPIRE', KEYS[1], 3600000)
return 0
