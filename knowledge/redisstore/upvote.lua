-- Count one vote per user, atomically.
-- KEYS: 1 entry hash, 2 voters set, 3 top zset
-- ARGV: 1 key prefix, 2 sorted-set member, 3 user id
-- Returns {added (1), already voted (0) or no such entry (-1), votes}.
-- The per-topic top set is named from the entry's topic; it shares the workspace's hash tag, so
-- it lives in the same cluster slot as the declared keys.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {-1, 0}
end
if redis.call('SADD', KEYS[2], ARGV[3]) == 0 then
  return {0, tonumber(redis.call('HGET', KEYS[1], 'votes'))}
end
local votes = redis.call('HINCRBY', KEYS[1], 'votes', 1)
redis.call('ZADD', KEYS[3], votes, ARGV[2])
local topic = redis.call('HGET', KEYS[1], 'topic')
if topic and topic ~= '' then
  redis.call('ZADD', ARGV[1] .. 't:' .. topic .. ':top', votes, ARGV[2])
end
return {1, votes}
