-- Free a lock if the caller holds it.
-- KEYS: 1 the lock (hash)
-- ARGV: 1 the holder
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 0
