-- Remove a subscription if its record is still the one the caller read.
-- KEYS: 1 the workspace's subs hash (id -> record), 2 the channel's hash (query -> id)
-- ARGV: 1 the id, 2 the record as read, 3 its query
-- Every key carries the workspace's hash tag: one slot.
-- Returns 1 when removed, 0 when the record changed since it was read.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], ARGV[3]) == ARGV[1] then
  redis.call('HDEL', KEYS[2], ARGV[3])
end
return 1
