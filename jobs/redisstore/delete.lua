-- Remove openings from the index; their records are already deleted.
-- KEYS: 1 changes zset, 2 sourceof hash (id -> source), 3 when fenced: the lock's token
--       counter
-- ARGV: 1 the source sets' key prefix, 2 the writer's token or '' when not fenced, then the
--       ids
-- Every key, the source sets included, carries the {jobs} hash tag: one slot.
-- Returns 0, or -1 when the lock has passed to another holder.
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[2] then
  return -1
end
for i = 3, #ARGV do
  local id = ARGV[i]
  local old = redis.call('HGET', KEYS[2], id)
  if old then
    redis.call('SREM', ARGV[1] .. old, id)
    redis.call('HDEL', KEYS[2], id)
  end
  redis.call('ZREM', KEYS[1], id)
end
return 0
