-- One page of a workspace's material in one round trip.
-- KEYS: 1 the sorted set to page through
-- ARGV: 1 key prefix, 2 offset, 3 limit
-- Returns {total, id, HGETALL, id, HGETALL, ...}, highest score first.
local out = {redis.call('ZCARD', KEYS[1])}
local offset, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
if limit <= 0 then
  return out
end
for _, member in ipairs(redis.call('ZREVRANGE', KEYS[1], offset, offset + limit - 1)) do
  local id = (string.gsub(member, '^0+', ''))
  table.insert(out, id)
  table.insert(out, redis.call('HGETALL', ARGV[1] .. id))
end
return out
