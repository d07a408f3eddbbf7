-- Record the deliveries of one workspace that are new, as Queued.
-- KEYS: the deliveries' records (hashes)
-- ARGV: 1 how long a record is kept (ms), then for each key the delivery as enqueued
--       (jobs.MarshalDelivery)
-- Every key carries the workspace's hash tag: one slot.
-- Returns, for each key, 1 when new, 0 when known and still queued (it gets another copy),
-- -1 when known and claimed, sent or given up (it gets none).
local out = {}
for i = 1, #KEYS do
  local state = redis.call('HGET', KEYS[i], 'state')
  if not state then
    redis.call('HSET', KEYS[i], 'delivery', ARGV[i + 1], 'state', 'queued')
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    out[i] = 1
  elseif state == 'queued' then
    out[i] = 0
  else
    out[i] = -1
  end
end
return out
