-- Write one value if the lock's token is still the writer's.
-- KEYS: 1 the key written, 2 the lock's token counter
-- ARGV: 1 the writer's token, 2 the hash field, or '' to SET the key, 3 the value
-- Both keys carry the {jobs} hash tag: one slot.
-- Returns 1 when written, -1 when the lock has passed to another holder.
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return -1
end
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
return 1
