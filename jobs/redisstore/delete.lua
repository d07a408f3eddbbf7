-- Remove openings from the index; their records are already deleted.
-- KEYS: 1 changes zset, 2 sourceof hash (id -> source)
-- ARGV: 1 the source sets' key prefix, then the ids
-- Every key, the source sets included, carries the {jobs} hash tag: one slot.
for i = 2, #ARGV do
  local id = ARGV[i]
  local old = redis.call('HGET', KEYS[2], id)
  if old then
    redis.call('SREM', ARGV[1] .. old, id)
    redis.call('HDEL', KEYS[2], id)
  end
  redis.call('ZREM', KEYS[1], id)
end
return 0
