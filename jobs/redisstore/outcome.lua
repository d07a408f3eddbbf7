-- Record the outcome of a claimed delivery, if the caller still holds the claim.
-- KEYS: 1 the delivery's record (hash), 2 the workspace's dead letters (zset)
-- ARGV: 1 sent, retry or dead, 2 the consumer, 3 the message id (sent) or the reason,
--       4 the time (done, or the retry's due time; unix ns with 20 digits),
--       5 how long a record is kept (ms), 6 the dead letter's score (ms), 7 its member,
--       8 how many dead letters the workspace keeps
-- Every key carries the workspace's hash tag: one slot.
-- Returns {-1} for no record, {0} when the caller does not hold the claim, and otherwise
-- {1, the delivery as enqueued, how many old dead letters were dropped}.
local f = redis.call('HMGET', KEYS[1], 'state', 'consumer', 'delivery')
if not f[1] then
  return {-1}
end
if f[1] ~= 'sending' or f[2] ~= ARGV[2] then
  return {0}
end
local dropped = 0
redis.call('HDEL', KEYS[1], 'lease')
if ARGV[1] == 'sent' then
  redis.call('HSET', KEYS[1], 'state', 'sent', 'message_id', ARGV[3], 'done', ARGV[4])
elseif ARGV[1] == 'retry' then
  redis.call('HSET', KEYS[1], 'state', 'queued', 'last_error', ARGV[3], 'not_before', ARGV[4])
else
  redis.call('HSET', KEYS[1], 'state', 'dead', 'last_error', ARGV[3], 'done', ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
  local n = redis.call('ZCARD', KEYS[2])
  local keep = tonumber(ARGV[8])
  if n > keep then
    dropped = redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - keep - 1)
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, f[3], dropped}
