-- Take a lock that is free, or renew it for its holder, for ttl from the server's clock.
-- KEYS: 1 the lock (hash: holder, token, until in ms; expires with the lease), 2 its token
--       counter
-- ARGV: 1 the holder, 2 the ttl (ms)
-- Both keys carry the {jobs} hash tag: one slot.
-- Returns {the holding's token, 1 when the caller holds the lock or 0}.
local cur = redis.call('HMGET', KEYS[1], 'holder', 'token')
if cur[1] and cur[1] ~= ARGV[1] then
  return {tonumber(cur[2]), 0}
end
local t = redis.call('TIME')
local ends = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2]))
local token = cur[2]
if not cur[1] then
  token = redis.call('INCR', KEYS[2])
  redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
end
redis.call('HSET', KEYS[1], 'until', ends)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {tonumber(token), 1}
