-- The records of a channel's subscriptions, in no particular order.
-- KEYS: 1 the channel's hash (query -> id), 2 the workspace's subs hash (id -> record)
-- Every key carries the workspace's hash tag: one slot.
local ids = redis.call('HVALS', KEYS[1])
if #ids == 0 then
  return {}
end
return redis.call('HMGET', KEYS[2], unpack(ids))
