// SPDX-License-Identifier: Apache-2.0
/**
 * The Redis scripts of issue 4's peer tools: blocking a survivor's session, listing colleagues
 * and handing a chat to one of them. Each is one atomic step, like every other operation
 * (redis-scripts.ts lists the keys and the prelude every script starts with). Two fields are
 * added to the hashes there:
 *
 *   P s:<ref>  blocked   until when (ms) a peer's block refuses this session new chats; it dies
 *                        with the session hash, and nothing else (no address) is kept with it
 *   P p:<ref>  brk       '1' while the peer is on a break (off duty, resting)
 *   P breaks   set       peers on a break and connected (counted for the supervisors' board)
 *
 * A transfer's note never reaches Redis: it is not an argument of any script.
 */
export const transferBodies = {
  /** ref, chatRef, reason, tellSurvivor, tellPeer, blockMs */
  blockChat: `
local ref, cref = ARGV[3], ARGV[4]
if redis.call('SISMEMBER', pKey(ref) .. ':chats', cref) == 0 or redis.call('HGET', cKey(cref), 'p') ~= ref then
  return reply({ 'not-found' })
end
local s = redis.call('HGET', cKey(cref), 's')
if s and redis.call('EXISTS', sKey(s)) == 1 then redis.call('HSET', sKey(s), 'blocked', num(now() + tonumber(ARGV[8]))) end
return reply(endChat(cref, ARGV[5], ARGV[6] == '1', ARGV[7] == '1'))`,

  /** ref */
  survivorBlocked: `
if blockedNow(sKey(ARGV[3])) then return reply({ '1' }) end
return reply({ '0' })`,

  colleagues: `
local out = {}
for _, ref in ipairs(redis.call('SMEMBERS', P .. 'duty')) do
  local p = redis.call('HMGET', pKey(ref), 'sock', 'name', 'max', 'duty')
  if p[1] and p[4] == '1' then
    table.insert(out, { ref, str(p[2]), tostring(redis.call('SCARD', pKey(ref) .. ':chats')), str(p[3]) })
  end
end
return reply({ 'ok', out })`,

  /** fromRef, chatRef, toRef */
  transfer: `
local from, cref, to = ARGV[3], ARGV[4], ARGV[5]
if redis.call('SISMEMBER', pKey(from) .. ':chats', cref) == 0 or redis.call('HGET', cKey(cref), 'p') ~= from then
  return reply({ 'not-found' })
end
local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 's', 'ssock')
if not c[1] then return reply({ 'not-found' }) end
local key = pKey(to)
local p = redis.call('HMGET', key, 'sock', 'name', 'max', 'duty')
local max = tonumber(p[3]) or 0
if to == from or not p[1] or p[4] ~= '1' or redis.call('SISMEMBER', P .. 'duty', to) == 0
  or redis.call('SCARD', key .. ':chats') >= max then
  return reply({ 'colleague-unavailable' })
end
redis.call('SREM', pKey(from) .. ':chats', cref)
redis.call('HSET', cKey(cref), 'p', to)
-- A transfer ends the supervision (state.ts, Transferred.supervisorSocket), and the escalation:
-- the new peer never asked for help, and may escalate again.
redis.call('HDEL', cKey(cref), 'sup', 'ssock')
redis.call('ZREM', P .. 'esc', cref)
redis.call('SADD', key .. ':chats', cref)
hold(key .. ':chats')
hold(cKey(cref))
-- Full now: their offer of someone else goes, as after an accept that fills the last place.
local released = {}
local own = redis.call('HGET', key, 'offer')
if own and redis.call('SCARD', key .. ':chats') >= max then
  local seed = redis.call('HGET', cKey(own), 'seed')
  releasePeerOffer(to)
  if seed then released = withdrawn(to, seed) end
end
local survivorSock = ''
if c[3] then survivorSock = str(redis.call('HGET', sKey(c[3]), 'sock')) end
return reply({ 'ok', c[1], str(c[2]), survivorSock, p[1], str(p[2]), released, str(c[4]) })`,
} as const;
