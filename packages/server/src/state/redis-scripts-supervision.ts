// SPDX-License-Identifier: Apache-2.0
/**
 * The Redis state's scripts for supervision: escalations, the supervisors' board, and a
 * supervisor joining and leaving a chat. They run with the prelude of redis-scripts.ts (which
 * merges them into `scripts`), under the same rules: atomic, every key under one hash tag,
 * no message text, chat id, ticket or token ever an argument.
 *
 * What they keep, beside the keys listed in redis-scripts.ts:
 *
 *   P esc                zset   escalated chats (chat references) → when their peer first asked (ms)
 *   P p:<ref>  sup       field  '1': this peer session is a supervisor's (their token's role)
 *   P c:<ref>  sup, ssock fields the supervisor who joined the chat: their session reference and connection
 *
 * An escalation goes when a supervisor joins or the chat ends (`endChat` and `expirePeer` in
 * redis-scripts.ts remove it with the chat), so `esc` is empty once every chat has ended.
 */

/** Helpers the supervision scripts share (after the main prelude). */
const helpers = String.raw`
-- Supervisors signed in and connected, but for the one named (if any): a scan of the peers, which are few (a hospital's staff).
local function supervisorsConnected(except)
  local n = 0
  for _, ref in ipairs(redis.call('SMEMBERS', P .. 'peers')) do
    local f = redis.call('HMGET', pKey(ref), 'sup', 'sock')
    if f[1] == '1' and f[2] and ref ~= except then n = n + 1 end
  end
  return n
end

-- Whom to tell about a supervisor coming or going: { chat seed, peer socket or '', survivor socket or '' }.
local function parties(seed, peer, survivor)
  local peerSock, survivorSock = '', ''
  if peer then peerSock = str(redis.call('HGET', pKey(peer), 'sock')) end
  if survivor then survivorSock = str(redis.call('HGET', sKey(survivor), 'sock')) end
  return { seed, peerSock, survivorSock }
end
`;

const bodies = {
  /** ref */
  markSupervisor: `
local key = pKey(ARGV[3])
if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'sup', '1') end
return reply({ 'ok' })`,

  /** ref, chatRef: the peer's own chat only; the first asking is kept (NX). */
  escalate: `
local ref, cref = ARGV[3], ARGV[4]
if redis.call('SISMEMBER', pKey(ref) .. ':chats', cref) == 0 or redis.call('HGET', cKey(cref), 'p') ~= ref then
  return reply({ 'not-found' })
end
local fresh = redis.call('ZADD', P .. 'esc', 'NX', num(now()), cref)
hold(P .. 'esc')
return reply({ 'ok', tostring(supervisorsConnected(ref)), tostring(fresh) })`,

  /** (none): now, the oldest wait's start, peers on duty, supervisors, and the open escalations. */
  boardFigures: `
local oldest = nil
for _, cref in ipairs(redis.call('ZRANGE', P .. 'queue', 0, -1)) do
  local at = tonumber(redis.call('HGET', cKey(cref), 'at'))
  if at and (not oldest or at < oldest) then oldest = at end
end
local escalations = {}
local listed = redis.call('ZRANGE', P .. 'esc', 0, -1, 'WITHSCORES')
for i = 1, #listed, 2 do
  local cref = listed[i]
  local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 'p')
  local peerName = false
  if c[3] then peerName = redis.call('HGET', pKey(c[3]), 'name') end
  if c[1] and peerName then
    table.insert(escalations, { c[1], peerName, str(c[2]), listed[i + 1] })
  else
    redis.call('ZREM', P .. 'esc', cref)
  end
end
local since = ''
if oldest then since = num(oldest) end
return reply({ num(now()), since, tostring(redis.call('SCARD', P .. 'duty')), tostring(supervisorsConnected()), escalations })`,

  /** ref, sock, chatRef: an escalated chat that is not the supervisor's own. */
  joinSupervision: `
local ref, sock, cref = ARGV[3], ARGV[4], ARGV[5]
if not redis.call('ZSCORE', P .. 'esc', cref) then return reply({ 'not-found' }) end
local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 'p', 's', 'ssock')
if not c[1] or not c[3] then
  redis.call('ZREM', P .. 'esc', cref)
  return reply({ 'not-found' })
end
-- Through the supervisor's live connection only (memory.ts says why).
if c[3] == ref or redis.call('HGET', pKey(ref), 'sock') ~= sock then return reply({ 'not-found' }) end
local replaced = ''
if c[5] and c[5] ~= sock then replaced = c[5] end
redis.call('HSET', cKey(cref), 'sup', ref, 'ssock', sock)
redis.call('ZREM', P .. 'esc', cref)
return reply({ 'ok', parties(c[1], c[3], c[4]), str(redis.call('HGET', pKey(c[3]), 'name')), str(c[2]), replaced })`,

  /** ref, chatRef: the chat's supervisor only. */
  leaveSupervision: `
local c = redis.call('HMGET', cKey(ARGV[4]), 'seed', 'sup', 'p', 's')
if not c[1] or c[2] ~= ARGV[3] then return reply({ 'not-found' }) end
redis.call('HDEL', cKey(ARGV[4]), 'sup', 'ssock')
return reply({ 'ok', parties(c[1], c[3], c[4]) })`,

  /** ref, sock: every chat this supervisor joined through this connection (a scan of the chats). */
  supervisorGone: `
local left = {}
for _, cref in ipairs(redis.call('SMEMBERS', P .. 'chats')) do
  local c = redis.call('HMGET', cKey(cref), 'seed', 'sup', 'ssock', 'p', 's')
  if c[1] and c[2] == ARGV[3] and c[3] == ARGV[4] then
    redis.call('HDEL', cKey(cref), 'sup', 'ssock')
    table.insert(left, parties(c[1], c[4], c[5]))
  end
end
return reply({ 'ok', left })`,

  /** ref, chatRef: the other one's socket, between the chat's peer and its supervisor only. */
  supervisionRoute: `
local ref, cref = ARGV[3], ARGV[4]
local c = redis.call('HMGET', cKey(cref), 'p', 'sup', 'ssock')
if not c[1] or not c[2] then return reply({ 'none' }) end
if c[1] == ref and redis.call('SISMEMBER', pKey(ref) .. ':chats', cref) == 1 then return reply({ 'route', str(c[3]) }) end
if c[2] == ref then return reply({ 'route', str(redis.call('HGET', pKey(c[1]), 'sock')) }) end
return reply({ 'none' })`,
} as const;

/** The supervision scripts' bodies, each with the helpers above (redis-scripts.ts adds the prelude). */
export const supervisionBodies = Object.fromEntries(Object.entries(bodies).map(([name, body]) => [name, `${helpers}\n${body}`])) as {
  readonly [K in keyof typeof bodies]: string;
};
