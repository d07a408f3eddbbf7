-- The queue's side of a claim or an outcome: the copy off the queue, the retry's own copy,
-- the lease in the index of those being sent, the counters.
-- KEYS: 1 the queue (stream), 2 the delayed retries (zset), 3 the leases of deliveries being
--       sent (zset), 4 the sent counter, 5 the dead counter
-- ARGV: 1 the consumer group, 2 the copy's entry id or '', 3 the delivery's member in the
--       zsets, 4 '' to leave its lease alone, '-' to drop it, or the lease's end (ms),
--       5 '' or when the retry is due (ms), 6 sent to add, 7 dead to add
-- Every key carries the {deliveries} hash tag: one slot.
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[1], ARGV[2])
end
if ARGV[4] == '-' then
  redis.call('ZREM', KEYS[3], ARGV[3])
elseif ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
end
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3])
end
if ARGV[6] ~= '0' then
  redis.call('INCRBY', KEYS[4], ARGV[6])
end
if ARGV[7] ~= '0' then
  redis.call('INCRBY', KEYS[5], ARGV[7])
end
return 0
