-- Replace a subscription's record if it is still the one the caller read.
-- KEYS: 1 the workspace's subs hash (id -> record)
-- ARGV: 1 the id, 2 the record as read, 3 the new record
-- Returns 1 when replaced, 0 when the record changed (or went) since it was read.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
