-- Claim a delivery for an attempt: the checks of its state, lease and due time, and the
-- write, at once.
-- KEYS: 1 the delivery's record (hash)
-- ARGV: 1 now, 2 the consumer, 3 when the lease ends, 4 how long a record is kept (ms)
-- Times are unix nanoseconds written with 20 digits, so that comparing them as strings
-- compares the times (Lua's numbers would lose the nanoseconds).
-- Returns {outcome, the previous claim's time, the record's fields and values after the
-- claim}; outcome is new, indoubt, busy, done, or unknown with nothing else.
local f = redis.call('HMGET', KEYS[1], 'state', 'not_before', 'lease', 'claimed')
local state = f[1]
if not state then
  return {'unknown'}
end
local outcome
if state == 'sent' or state == 'dead' then
  outcome = 'done'
elseif state == 'queued' then
  outcome = 'new'
  if f[2] and f[2] > ARGV[1] then
    outcome = 'done'
  end
elseif state == 'sending' then
  outcome = 'indoubt'
  if f[3] and f[3] > ARGV[1] then
    outcome = 'busy'
  end
else
  return redis.error_reply('the record is in an unknown state ' .. state)
end
if outcome == 'new' or outcome == 'indoubt' then
  redis.call('HSET', KEYS[1], 'state', 'sending', 'claimed', ARGV[1], 'consumer', ARGV[2], 'lease', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'attempts', 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return {outcome, f[4] or '', redis.call('HGETALL', KEYS[1])}
