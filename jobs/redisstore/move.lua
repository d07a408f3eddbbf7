-- Move the retries that are due to the end of the queue.
-- KEYS: 1 the delayed retries (zset: workspace NUL channel NUL key, scored by due time),
--       2 the queue (stream)
-- ARGV: 1 now (ms), 2 how many to move at most
-- Every key carries the {deliveries} hash tag: one slot.
-- Returns how many were moved.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do
  local a = string.find(m, '\0', 1, true)
  local b = a and string.find(m, '\0', a + 1, true)
  if b then
    redis.call('XADD', KEYS[2], '*', 'workspace', string.sub(m, 1, a - 1), 'channel', string.sub(m, a + 1, b - 1),
      'key', string.sub(m, b + 1))
  end
  redis.call('ZREM', KEYS[1], m)
end
return #due
