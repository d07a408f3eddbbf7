-- Index a batch of openings whose records are already written, in the order given.
-- KEYS: 1 seq counter, 2 changes zset (id -> change number), 3 sourceof hash (id -> source),
--       4 when fenced: the lock's token counter
-- ARGV: 1 the source sets' key prefix, 2 the writer's token or '' when not fenced,
--       then id, source, id, source, ...
-- Every key, the source sets included, carries the {jobs} hash tag: one slot.
-- Returns the last change number given, or -1 when the lock has passed to another holder.
if ARGV[2] ~= '' and redis.call('GET', KEYS[4]) ~= ARGV[2] then
  return -1
end
local n = 0
for i = 3, #ARGV, 2 do
  local id, source = ARGV[i], ARGV[i + 1]
  n = redis.call('INCR', KEYS[1])
  redis.call('ZADD', KEYS[2], n, id)
  -- sourceof and the source sets change together, here only: a rewrite under the same
  -- source, the poller's usual write, leaves both alone.
  local old = redis.call('HGET', KEYS[3], id)
  if old ~= source then
    if old then
      redis.call('SREM', ARGV[1] .. old, id)
    end
    redis.call('HSET', KEYS[3], id, source)
    redis.call('SADD', ARGV[1] .. source, id)
  end
end
return n
