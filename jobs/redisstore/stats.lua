-- The queue's counts, at once.
-- KEYS: 1 the queue (stream), 2 the delayed retries, 3 the leases of deliveries being sent,
--       4 the sent counter, 5 the dead counter
-- ARGV: 1 the consumer group, 2 now (ms)
-- Every key carries the {deliveries} hash tag: one slot.
-- Returns {queued, pending, in doubt, dead, sent}.
local len = redis.call('XLEN', KEYS[1])
local pending = 0
local p = redis.pcall('XPENDING', KEYS[1], ARGV[1])
if type(p) == 'table' and not p.err then
  pending = p[1]
end
local queued = len - pending
if queued < 0 then
  queued = 0
end
return {
  queued + redis.call('ZCARD', KEYS[2]), pending, redis.call('ZCOUNT', KEYS[3], '-inf', ARGV[2]),
  tonumber(redis.call('GET', KEYS[5]) or '0'), tonumber(redis.call('GET', KEYS[4]) or '0'),
}
