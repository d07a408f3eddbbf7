-- Store a subscription with the workspace's next id, unless the channel already has one with
-- the query or is full: the checks and the write at once.
-- KEYS: 1 the workspace's seq counter, 2 its subs hash (id -> record),
--       3 the channel's hash (query -> id)
-- ARGV: 1 the query, 2 the record without its id (jobs.MarshalSubscription with ID 0),
--       3 how many subscriptions a channel may have
-- Every key carries the workspace's hash tag: one slot.
-- Returns {1, the record stored}, {0, the existing record with the query} or {-1} when full.
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then
  return {0, redis.call('HGET', KEYS[2], existing)}
end
if redis.call('HLEN', KEYS[3]) >= tonumber(ARGV[3]) then
  return {-1}
end
local id = string.format('%d', redis.call('INCR', KEYS[1]))
-- The record's "id" comes first (see jobs/record.go), so writing it in front of the rest is
-- what jobs.MarshalSubscription would have written with the id.
local record = '{"id":' .. id .. ',' .. string.sub(ARGV[2], 2)
redis.call('HSET', KEYS[2], id, record)
redis.call('HSET', KEYS[3], ARGV[1], id)
return {1, record}
