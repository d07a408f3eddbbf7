-- Share a link once per workspace, atomically.
-- KEYS: 1 urls hash, 2 seq, 3 new zset, 4 top zset, [5 topic new zset, 6 topic top zset]
-- ARGV: 1 key prefix, 2 url, 3 topic, 4 note, 5 sharer id, 6 sharer name, 7 shared at (Unix ms)
-- Returns {created (0|1), id, HGETALL of the entry}.
local existing = redis.call('HGET', KEYS[1], ARGV[2])
if existing then
  return {0, tonumber(existing), redis.call('HGETALL', ARGV[1] .. existing)}
end
local id = redis.call('INCR', KEYS[2])
local member = string.format('%012d', id)
redis.call('HSET', ARGV[1] .. id, 'url', ARGV[2], 'topic', ARGV[3], 'note', ARGV[4],
  'by', ARGV[5], 'name', ARGV[6], 'at', ARGV[7], 'votes', 0)
redis.call('HSET', KEYS[1], ARGV[2], id)
redis.call('ZADD', KEYS[3], ARGV[7], member)
redis.call('ZADD', KEYS[4], 0, member)
if #KEYS == 6 then
  redis.call('ZADD', KEYS[5], ARGV[7], member)
  redis.call('ZADD', KEYS[6], 0, member)
end
return {1, id, redis.call('HGETALL', ARGV[1] .. id)}
