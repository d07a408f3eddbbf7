-- Remove an entry and every index of it, atomically.
-- KEYS: 1 entry hash, 2 voters set, 3 urls hash, 4 new zset, 5 top zset
-- ARGV: 1 key prefix, 2 sorted-set member
-- Returns 1, or 0 when there is no such entry.
local url = redis.call('HGET', KEYS[1], 'url')
if not url then
  return 0
end
local topic = redis.call('HGET', KEYS[1], 'topic')
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[3], url)
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('ZREM', KEYS[5], ARGV[2])
if topic and topic ~= '' then
  redis.call('ZREM', ARGV[1] .. 't:' .. topic .. ':new', ARGV[2])
  redis.call('ZREM', ARGV[1] .. 't:' .. topic .. ':top', ARGV[2])
end
return 1
