// SPDX-License-Identifier: Apache-2.0
/**
 * The Redis state's operations, each one Lua script so that it is atomic: Redis runs a script
 * to the end before any other command, so two relays racing to accept one survivor, or to
 * expire and resume one session, cannot interleave.
 *
 * Keys (P is the prefix, `kindred:{kindred}:` by default; every key carries the same hash tag
 * `{…}`, so in a Redis Cluster they all live in one slot and every script may touch any of them):
 *
 *   P s:<ref>            hash   survivor session: sock, node, epoch, chat, away, ended
 *   P p:<ref>            hash   peer session: sock, node, epoch, name, max, duty, away; topics, langs (from
 *                               the token, space-separated); offer, ountil (the chat on offer to them, until);
 *                               last (when they were last offered someone)
 *   P p:<ref>:chats      set    the peer's chats (chat references)
 *   P p:<ref>:ended      list   "<seed> <reason>": chats that ended while the peer was away
 *   P c:<ref>            hash   chat: seed, s (survivor ref), p (peer ref), name, at, urgent, t (ticket ref), told;
 *                               topic, lang (the survivor's choices); offer, until (the peer it is on offer to);
 *                               passed (space-separated refs of peers who declined it or let an offer run out)
 *   P t:<ref>            string a waiting chat's ticket → its chat reference
 *   P queue              zset   waiting chats; score = lane base + order (urgent lane first)
 *   P order              hash   head, tail: counters that order the queue both ways
 *   P duty               set    peers on duty and connected
 *   P chats | survivors | peers   sets, for counting
 *   P grace              zset   "s:<ref>" / "p:<ref>" away sessions → end of their grace period (ms)
 *   P nodes              set    relay ids;  P n:<id> their heartbeat (PX);  P n:<id>:members their connections
 *   P stats              hash   last, gap: when the last accept happened and the average gap (two numbers, about no one)
 *
 * Refs are keyed hashes (redis-keys.ts); socket ids and relay ids are random and name nobody;
 * pseudonyms live in the session and chat hashes only while those exist. No message text,
 * chat id, ticket, resume token or address is ever an argument of any script.
 *
 * Expiry: every key is given a PEXPIRE (`HOLD`: the grace period plus ten minutes), renewed
 * by the relay holding the connection (the tick's refresh) and when touched. Ending a chat or
 * a session deletes its keys at once; HOLD only bounds what is left if every relay dies.
 *
 * Replies are arrays of strings; the relay validates every one before using it (redis.ts).
 * Every script answers `{chats, waiting, peers, survivors, result, peersOnBreak}`, so a relay
 * always knows the sizes of the state without asking again; except the lookups a relayed
 * message makes (`found`), which answer `{result}` alone: they change no size, the sizes cost
 * four calls more per message, and the relay's tick reads them every second anyway.
 *
 * Blocking, colleagues and transfers have scripts of their own: redis-scripts-transfer.ts; so do
 * escalations and supervision: redis-scripts-supervision.ts.
 */
import { supervisionBodies } from './redis-scripts-supervision.js';
import { transferBodies } from './redis-scripts-transfer.js';

/** ARGV[1] = prefix, ARGV[2] = HOLD (ms); each script's own arguments start at ARGV[3]. */
const prelude = String.raw`
local P = ARGV[1]
local HOLD = tonumber(ARGV[2])
local LANE = 1000000000000000
local function num(x) return string.format('%.0f', x) end
local function str(v) if v then return v end return '' end
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function hold(key) redis.call('PEXPIRE', key, HOLD) end
local function sKey(ref) return P .. 's:' .. ref end
local function pKey(ref) return P .. 'p:' .. ref end
local function cKey(ref) return P .. 'c:' .. ref end
local function tKey(ref) return P .. 't:' .. ref end
local function members(node) return P .. 'n:' .. node .. ':members' end
local function reply(x)
  return { redis.call('SCARD', P .. 'chats'), redis.call('ZCARD', P .. 'queue'),
           redis.call('SCARD', P .. 'peers'), redis.call('SCARD', P .. 'survivors'), x,
           redis.call('SCARD', P .. 'breaks') }
end
local function found(x) return { x } end
-- Whether a peer blocked this survivor session and the cooldown is not over (redis-scripts-transfer.ts).
local function blockedNow(key)
  local b = tonumber(redis.call('HGET', key, 'blocked'))
  return b ~= nil and b > now()
end
local function figures(cref)
  local rank = redis.call('ZRANK', P .. 'queue', cref)
  local position = '0'
  if rank then position = tostring(rank + 1) end
  return { position, tostring(redis.call('SCARD', P .. 'duty')), str(redis.call('HGET', P .. 'stats', 'gap')) }
end
local function enqueue(cref, urgent, counter, step)
  local base = LANE
  if urgent == '1' then base = 0 end
  local n = redis.call('HINCRBY', P .. 'order', counter, step)
  redis.call('ZADD', P .. 'queue', num(base + n), cref)
end

-- The offer of chat cref is over unanswered (declined, or run out): its peer counts as having
-- passed on it. Returns that peer's ref, or false when it was on offer to nobody.
local function lapse(cref)
  local o = redis.call('HMGET', cKey(cref), 'offer', 'passed')
  if not o[1] then return false end
  redis.call('HSET', cKey(cref), 'passed', str(o[2]) .. ' ' .. o[1])
  redis.call('HDEL', cKey(cref), 'offer', 'until')
  if redis.call('HGET', pKey(o[1]), 'offer') == cref then redis.call('HDEL', pKey(o[1]), 'offer', 'ountil') end
  return o[1]
end

-- Ends the offer of chat cref without anyone passing (accepted, or the chat ended). Returns the peer's ref or false.
local function clearOffer(cref)
  local o = redis.call('HGET', cKey(cref), 'offer')
  if not o then return false end
  redis.call('HDEL', cKey(cref), 'offer', 'until')
  if redis.call('HGET', pKey(o), 'offer') == cref then redis.call('HDEL', pKey(o), 'offer', 'ountil') end
  return o
end

-- The peer lets go of whatever is on offer to them (off duty, or away): the survivor moves on.
local function releasePeerOffer(ref)
  local cref = redis.call('HGET', pKey(ref), 'offer')
  if not cref then return end
  redis.call('HDEL', pKey(ref), 'offer', 'ountil')
  if redis.call('HGET', cKey(cref), 'offer') == ref then redis.call('HDEL', cKey(cref), 'offer', 'until') end
end

-- Who to tell that an offer is over: { peer ref, their socket or '', chat seed }.
local function withdrawn(ref, seed)
  return { ref, str(redis.call('HGET', pKey(ref), 'sock')), seed }
end

-- A (re)connection takes a session: newest connection wins, the grace period stops.
local function attach(side, ref, key, sock, node)
  local f = redis.call('HMGET', key, 'sock', 'node')
  if f[2] then redis.call('SREM', members(f[2]), side .. ':' .. ref) end
  redis.call('HSET', key, 'sock', sock, 'node', node)
  redis.call('HDEL', key, 'away')
  redis.call('HINCRBY', key, 'epoch', 1)
  redis.call('ZREM', P .. 'grace', side .. ':' .. ref)
  redis.call('SADD', members(node), side .. ':' .. ref)
  hold(members(node))
  hold(key)
  return str(f[1])
end

-- Ends a chat. The sides to tell (tellS, tellP) come from toldOfEnd() in state.ts: one that is
-- connected is returned to be told now; one that is away finds out when it comes back.
local function endChat(cref, reason, tellS, tellP)
  local c = redis.call('HMGET', cKey(cref), 'seed', 's', 'p', 't')
  -- Its supervisor, if one joined, is told too; an open escalation goes with the chat.
  local supervisorSock = str(redis.call('HGET', cKey(cref), 'ssock'))
  redis.call('ZREM', P .. 'esc', cref)
  local offered = clearOffer(cref)
  local gone = {}
  if offered and c[1] then gone = withdrawn(offered, c[1]) end
  redis.call('SREM', P .. 'chats', cref)
  local waiting = redis.call('ZREM', P .. 'queue', cref)
  redis.call('DEL', cKey(cref))
  if not c[1] then return { 'gone' } end
  if c[4] then redis.call('DEL', tKey(c[4])) end
  local survivorSock, peerSock = '', ''
  if c[2] and redis.call('HGET', sKey(c[2]), 'chat') == cref then
    redis.call('HDEL', sKey(c[2]), 'chat')
    if tellS then
      local sock = redis.call('HGET', sKey(c[2]), 'sock')
      if sock then survivorSock = sock else redis.call('HSET', sKey(c[2]), 'ended', reason) end
    end
  end
  if c[3] then
    local key = pKey(c[3])
    redis.call('SREM', key .. ':chats', cref)
    if tellP and redis.call('EXISTS', key) == 1 then
      local sock = redis.call('HGET', key, 'sock')
      if sock then
        peerSock = sock
      else
        redis.call('RPUSH', key .. ':ended', c[1] .. ' ' .. reason)
        hold(key .. ':ended')
      end
    end
  end
  return { 'ended', c[1], survivorSock, peerSock, tostring(waiting), gone, supervisorSock }
end

-- A survivor's connection went (sock), or their relay died (node): hold the chat for the
-- grace period. A survivor with no chat has nothing to hold and is forgotten at once.
local function survivorAway(ref, sock, grace, node)
  local key = sKey(ref)
  local f = redis.call('HMGET', key, 'sock', 'node', 'chat', 'epoch')
  if not f[1] or (sock ~= '' and f[1] ~= sock) or (node ~= '' and f[2] ~= node) then return false end
  if f[2] then redis.call('SREM', members(f[2]), 's:' .. ref) end
  -- A blocked session is held too, so that a reload does not shed the block.
  if not f[3] and not blockedNow(key) then
    redis.call('DEL', key)
    redis.call('SREM', P .. 'survivors', ref)
    return { 'removed' }
  end
  local deadline = now() + grace
  redis.call('HDEL', key, 'sock', 'node')
  redis.call('HSET', key, 'away', num(deadline))
  redis.call('ZADD', P .. 'grace', num(deadline), 's:' .. ref)
  hold(key)
  if not f[3] then return { 'away', str(f[4]), {}, '0' } end
  local c = redis.call('HMGET', cKey(f[3]), 'seed', 'p', 't')
  hold(cKey(f[3]))
  if c[3] then hold(tKey(c[3])) end
  local tell = {}
  if c[1] and c[2] then
    local peerSock = redis.call('HGET', pKey(c[2]), 'sock')
    if peerSock then tell = { { peerSock, c[1] } } end
  end
  return { 'away', str(f[4]), tell, '0' }
end

local function peerAway(ref, sock, grace, node)
  local key = pKey(ref)
  local f = redis.call('HMGET', key, 'sock', 'node', 'epoch')
  if not f[1] or (sock ~= '' and f[1] ~= sock) or (node ~= '' and f[2] ~= node) then return false end
  if f[2] then redis.call('SREM', members(f[2]), 'p:' .. ref) end
  local deadline = now() + grace
  redis.call('HDEL', key, 'sock', 'node')
  redis.call('HSET', key, 'away', num(deadline))
  redis.call('ZADD', P .. 'grace', num(deadline), 'p:' .. ref)
  local dutyChanged = redis.call('SREM', P .. 'duty', ref)
  redis.call('SREM', P .. 'breaks', ref)
  -- Nobody is at that console now: the survivor goes on to the next peer.
  releasePeerOffer(ref)
  hold(key)
  hold(key .. ':chats')
  hold(key .. ':ended')
  local tell = {}
  for _, cref in ipairs(redis.call('SMEMBERS', key .. ':chats')) do
    local c = redis.call('HMGET', cKey(cref), 'seed', 's')
    hold(cKey(cref))
    if c[1] and c[2] then
      local survivorSock = redis.call('HGET', sKey(c[2]), 'sock')
      if survivorSock then table.insert(tell, { survivorSock, c[1] }) end
    end
  end
  return { 'away', str(f[3]), tell, tostring(dutyChanged) }
end

-- Renews the expiry of everything the connections of one relay hold.
local function refresh(node)
  for _, member in ipairs(redis.call('SMEMBERS', members(node))) do
    local side, ref = string.sub(member, 1, 1), string.sub(member, 3)
    if side == 's' then
      hold(sKey(ref))
      local cref = redis.call('HGET', sKey(ref), 'chat')
      if cref then
        hold(cKey(cref))
        local t = redis.call('HGET', cKey(cref), 't')
        if t then hold(tKey(t)) end
      end
    else
      local key = pKey(ref)
      hold(key)
      hold(key .. ':chats')
      hold(key .. ':ended')
      for _, cref in ipairs(redis.call('SMEMBERS', key .. ':chats')) do hold(cKey(cref)) end
    end
  end
end
`;

/** The body of each script; see `State` (state.ts) for what each operation means. */
const bodies = {
  /** ref, sock, node */
  openSurvivor: `
local key = sKey(ARGV[3])
redis.call('HSET', key, 'sock', ARGV[4], 'node', ARGV[5], 'epoch', '1')
hold(key)
redis.call('SADD', P .. 'survivors', ARGV[3])
redis.call('SADD', members(ARGV[5]), 's:' .. ARGV[3])
hold(members(ARGV[5]))
return reply({ 'ok' })`,

  /** ref, sock, node */
  resumeSurvivor: `
local ref = ARGV[3]
local key = sKey(ref)
if redis.call('EXISTS', key) == 0 then return reply({ 'none' }) end
local previous = attach('s', ref, key, ARGV[4], ARGV[5])
local ended = str(redis.call('HGET', key, 'ended'))
redis.call('HDEL', key, 'ended')
local view = { 'idle' }
local cref = redis.call('HGET', key, 'chat')
if cref then
  local c = redis.call('HMGET', cKey(cref), 'seed', 'p', 't')
  if not c[1] then
    redis.call('HDEL', key, 'chat')
  elseif c[2] then
    hold(cKey(cref))
    local peer = redis.call('HMGET', pKey(c[2]), 'name', 'sock')
    view = { 'chatting', c[1], str(peer[1]), str(peer[2]), tostring(redis.call('HEXISTS', cKey(cref), 'sup')) }
  else
    hold(cKey(cref))
    if c[3] then hold(tKey(c[3])) end
    view = { 'waiting', cref, figures(cref) }
  end
end
return reply({ 'back', previous, ended, view })`,

  /** ref, sock, node, chatRef, seed, ticketRef, name, urgent ('1' | '0'), topic, language ('' for none) */
  startChat: `
local ref = ARGV[3]
local key = sKey(ref)
if redis.call('EXISTS', key) == 0 then
  -- The store lost the session (an outage, a restart): the connection is live, so take it again.
  redis.call('HSET', key, 'sock', ARGV[4], 'node', ARGV[5], 'epoch', '1')
  redis.call('SADD', P .. 'survivors', ref)
  redis.call('SADD', members(ARGV[5]), 's:' .. ref)
  hold(members(ARGV[5]))
elseif redis.call('HEXISTS', key, 'chat') == 1 then
  return reply({ 'already-started' })
end
local cref = ARGV[6]
redis.call('HSET', cKey(cref), 'seed', ARGV[7], 's', ref, 'name', ARGV[9], 'at', num(now()), 'urgent', ARGV[10], 't', ARGV[8])
if ARGV[11] ~= '' then redis.call('HSET', cKey(cref), 'topic', ARGV[11]) end
if ARGV[12] ~= '' then redis.call('HSET', cKey(cref), 'lang', ARGV[12]) end
redis.call('SET', tKey(ARGV[8]), cref, 'PX', HOLD)
enqueue(cref, ARGV[10], 'tail', 1)
redis.call('HSET', key, 'chat', cref)
redis.call('HDEL', key, 'ended')
redis.call('SADD', P .. 'chats', cref)
hold(cKey(cref))
hold(key)
return reply({ 'ok', figures(cref) })`,

  /** ref */
  survivorRoute: `
local cref = redis.call('HGET', sKey(ARGV[3]), 'chat')
if not cref then return found({ 'none' }) end
local c = redis.call('HMGET', cKey(cref), 'seed', 'p')
if not c[1] then return found({ 'none' }) end
local peerSock = ''
local paired = '0'
if c[2] then
  paired = '1'
  peerSock = str(redis.call('HGET', pKey(c[2]), 'sock'))
end
return found({ 'route', c[1], paired, peerSock })`,

  /** ref, reason, tellSurvivor, tellPeer */
  endSurvivorChat: `
local cref = redis.call('HGET', sKey(ARGV[3]), 'chat')
if not cref then return reply({ 'no-chat' }) end
return reply(endChat(cref, ARGV[4], ARGV[5] == '1', ARGV[6] == '1'))`,

  /** ref, sock, graceMs */
  survivorAway: `
local r = survivorAway(ARGV[3], ARGV[4], tonumber(ARGV[5]), '')
if not r then return reply({ 'none' }) end
return reply(r)`,

  /** ref, epoch, reason, tellSurvivor, tellPeer */
  expireSurvivor: `
local ref = ARGV[3]
local key = sKey(ref)
local f = redis.call('HMGET', key, 'epoch', 'away', 'chat')
if not f[2] or f[1] ~= ARGV[4] then return reply({ 'none' }) end
redis.call('ZREM', P .. 'grace', 's:' .. ref)
local result = { 'removed' }
if f[3] then result = endChat(f[3], ARGV[5], ARGV[6] == '1', ARGV[7] == '1') end
redis.call('DEL', key)
redis.call('SREM', P .. 'survivors', ref)
return reply(result)`,

  /** ref, sock, node, name, maxChats, topics, languages (space-separated) */
  openPeer: `
local key = pKey(ARGV[3])
redis.call('HSET', key, 'sock', ARGV[4], 'node', ARGV[5], 'epoch', '1', 'name', ARGV[6], 'max', ARGV[7], 'duty', '0', 'topics', ARGV[8], 'langs', ARGV[9])
hold(key)
redis.call('SADD', P .. 'peers', ARGV[3])
redis.call('SADD', members(ARGV[5]), 'p:' .. ARGV[3])
hold(members(ARGV[5]))
return reply({ 'ok' })`,

  /** ref */
  hasPeer: `
return reply({ tostring(redis.call('EXISTS', pKey(ARGV[3]))) })`,

  /** ref, sock, node */
  resumePeer: `
local ref = ARGV[3]
local key = pKey(ref)
if redis.call('EXISTS', key) == 0 then return reply({ 'none' }) end
local previous = attach('p', ref, key, ARGV[4], ARGV[5])
local f = redis.call('HMGET', key, 'name', 'max', 'duty', 'brk')
if f[3] == '1' then redis.call('SADD', P .. 'duty', ref) end
if f[4] == '1' then redis.call('SADD', P .. 'breaks', ref) end
local chats = {}
for _, cref in ipairs(redis.call('SMEMBERS', key .. ':chats')) do
  local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 's')
  if c[1] and c[3] then
    hold(cKey(cref))
    table.insert(chats, { c[1], str(c[2]), str(redis.call('HGET', sKey(c[3]), 'sock')) })
  else
    redis.call('SREM', key .. ':chats', cref)
  end
end
local ended = redis.call('LRANGE', key .. ':ended', 0, -1)
redis.call('DEL', key .. ':ended')
hold(key .. ':chats')
return reply({ 'back', previous, str(f[1]), str(f[2]), str(f[3]), chats, ended, str(f[4]) })`,

  /** ref, onDuty ('1' | '0'), onBreak ('1' | '0'; never with onDuty) */
  setOnDuty: `
local key = pKey(ARGV[3])
if redis.call('EXISTS', key) == 0 then return reply({ 'none' }) end
redis.call('HSET', key, 'duty', ARGV[4], 'brk', ARGV[5])
if ARGV[5] == '1' and redis.call('HEXISTS', key, 'sock') == 1 then
  redis.call('SADD', P .. 'breaks', ARGV[3])
else
  redis.call('SREM', P .. 'breaks', ARGV[3])
end
if ARGV[4] == '1' and redis.call('HEXISTS', key, 'sock') == 1 then
  redis.call('SADD', P .. 'duty', ARGV[3])
else
  redis.call('SREM', P .. 'duty', ARGV[3])
  -- Off duty, the console shows no offer: the survivor goes on to the next peer.
  releasePeerOffer(ARGV[3])
end
return reply({ 'ok' })`,

  /** ref, ticketRef, gapWeight, statsTtlMs */
  accept: `
local ref = ARGV[3]
local key = pKey(ref)
local f = redis.call('HMGET', key, 'duty', 'max')
-- acceptRefusal() in state.ts, step for step: on duty, below capacity, the ticket still waiting.
if f[1] ~= '1' then return reply({ 'not-on-duty' }) end
if redis.call('SCARD', key .. ':chats') >= (tonumber(f[2]) or 0) then return reply({ 'capacity-reached' }) end
local cref = redis.call('GET', tKey(ARGV[4]))
if not cref or not redis.call('ZSCORE', P .. 'queue', cref) then return reply({ 'not-found' }) end
local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 'at', 's')
redis.call('ZREM', P .. 'queue', cref)
redis.call('DEL', tKey(ARGV[4]))
if not c[1] or not c[4] then return reply({ 'not-found' }) end
-- Whoever else this survivor was offered to loses the offer: the first accept wins.
local offered = clearOffer(cref)
local taken = {}
if offered and offered ~= ref then taken = withdrawn(offered, c[1]) end
redis.call('HDEL', cKey(cref), 't', 'passed')
redis.call('HSET', cKey(cref), 'p', ref)
redis.call('SADD', key .. ':chats', cref)
hold(key .. ':chats')
-- Full now: never offered another survivor, not even one offered before this accept.
local released = {}
local own = redis.call('HGET', key, 'offer')
if own and redis.call('SCARD', key .. ':chats') >= (tonumber(f[2]) or 0) then
  local seed = redis.call('HGET', cKey(own), 'seed')
  releasePeerOffer(ref)
  if seed then released = withdrawn(ref, seed) end
end
hold(cKey(cref))
-- nextAcceptGap() in state.ts.
local t = now()
local at = tonumber(c[3]) or t
local st = redis.call('HMGET', P .. 'stats', 'last', 'gap')
local gap = math.min(t - (tonumber(st[1]) or at), t - at)
local previous = tonumber(st[2])
if previous then gap = previous + tonumber(ARGV[5]) * (gap - previous) end
redis.call('HSET', P .. 'stats', 'last', num(t), 'gap', num(gap))
redis.call('PEXPIRE', P .. 'stats', ARGV[6])
return reply({ 'ok', c[1], str(c[2]), str(redis.call('HGET', sKey(c[4]), 'sock')), taken, released })`,

  /**
   * ref, chatRef, ms: offers the survivor to the peer, checking everything again (State.offer).
   * An offer of this survivor that ran out unanswered (its relay died before saying so) counts
   * as passed, and is returned to be withdrawn.
   */
  offer: `
local ref, cref = ARGV[3], ARGV[4]
local key = pKey(ref)
local t = now()
local p = redis.call('HMGET', key, 'duty', 'max', 'sock', 'offer', 'ountil')
if p[1] ~= '1' or not p[3] or redis.call('SISMEMBER', P .. 'duty', ref) == 0 then return reply({ 'refused' }) end
if redis.call('SCARD', key .. ':chats') >= (tonumber(p[2]) or 0) then return reply({ 'refused' }) end
if p[4] and (tonumber(p[5]) or 0) > t then return reply({ 'refused' }) end
if not redis.call('ZSCORE', P .. 'queue', cref) then return reply({ 'refused' }) end
local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 'at', 'topic', 'lang', 'offer', 'until', 'passed')
if not c[1] then return reply({ 'refused' }) end
if c[6] and (tonumber(c[7]) or 0) > t then return reply({ 'refused' }) end
if c[6] == ref then return reply({ 'refused' }) end
for r in string.gmatch(str(c[8]), '%S+') do
  if r == ref then return reply({ 'refused' }) end
end
local lapsed = {}
if c[6] then
  lapsed = withdrawn(c[6], c[1])
  lapse(cref)
end
-- This peer's own earlier offer ran out (it did: it is not live): they passed on that one.
if p[4] then lapse(p[4]) end
local u = t + tonumber(ARGV[5])
redis.call('HSET', cKey(cref), 'offer', ref, 'until', num(u))
redis.call('HSET', key, 'offer', cref, 'ountil', num(u), 'last', num(t))
return reply({ 'ok', c[1], str(c[2]), str(c[3]), str(c[4]), str(c[5]), num(t), num(u), p[3], lapsed })`,

  /** ref, ticketRef */
  declineOffer: `
local cref = redis.call('GET', tKey(ARGV[4]))
if not cref or redis.call('HGET', cKey(cref), 'offer') ~= ARGV[3] then return reply({ 'not-found' }) end
lapse(cref)
return reply({ 'ok' })`,

  /** ref, chatRef, until: the offer made until then ran out, if it is still that one. */
  lapseOffer: `
local c = redis.call('HMGET', cKey(ARGV[4]), 'offer', 'until', 'seed')
if not c[1] or c[1] ~= ARGV[3] or c[2] ~= ARGV[5] then return reply({ 'none' }) end
lapse(ARGV[4])
return reply({ 'lapsed', withdrawn(ARGV[3], c[3]) })`,

  /** ref, chatRef */
  peerRoute: `
if redis.call('SISMEMBER', pKey(ARGV[3]) .. ':chats', ARGV[4]) == 0 then return found({ 'none' }) end
local c = redis.call('HMGET', cKey(ARGV[4]), 'p', 's')
if c[1] ~= ARGV[3] or not c[2] then return found({ 'none' }) end
return found({ 'route', str(redis.call('HGET', sKey(c[2]), 'sock')) })`,

  /** ref, chatRef, reason, tellSurvivor, tellPeer */
  endPeerChat: `
local ref, cref = ARGV[3], ARGV[4]
if redis.call('SISMEMBER', pKey(ref) .. ':chats', cref) == 0 or redis.call('HGET', cKey(cref), 'p') ~= ref then
  return reply({ 'not-found' })
end
return reply(endChat(cref, ARGV[5], ARGV[6] == '1', ARGV[7] == '1'))`,

  /** ref, sock, graceMs */
  peerAway: `
local r = peerAway(ARGV[3], ARGV[4], tonumber(ARGV[5]), '')
if not r then return reply({ 'none' }) end
return reply(r)`,

  /** ref, epoch, then (chatRef, seed, ticketRef) for each chat to requeue */
  expirePeer: `
local ref = ARGV[3]
local key = pKey(ref)
local f = redis.call('HMGET', key, 'epoch', 'away')
if not f[2] or f[1] ~= ARGV[4] then return reply({ 'none' }) end
redis.call('ZREM', P .. 'grace', 'p:' .. ref)
redis.call('SREM', P .. 'duty', ref)
redis.call('SREM', P .. 'breaks', ref)
redis.call('SREM', P .. 'peers', ref)
local fresh = {}
local i = 5
for _, old in ipairs(redis.call('SMEMBERS', key .. ':chats')) do
  local c = redis.call('HMGET', cKey(old), 'seed', 's', 'name', 'at', 'urgent', 'topic', 'lang')
  local supervisorSock = str(redis.call('HGET', cKey(old), 'ssock'))
  redis.call('ZREM', P .. 'esc', old)
  redis.call('DEL', cKey(old))
  redis.call('SREM', P .. 'chats', old)
  if c[1] and c[2] and redis.call('HGET', sKey(c[2]), 'chat') == old then
    if ARGV[i + 2] then
      -- A new chat (new id and ticket: nothing of the old pairing reaches it) at the front of
      -- its lane, keeping the time the survivor first came.
      local cref = ARGV[i]
      redis.call('HSET', cKey(cref), 'seed', ARGV[i + 1], 's', c[2], 'name', str(c[3]), 'at', str(c[4]), 'urgent', str(c[5]), 't', ARGV[i + 2])
      if c[6] then redis.call('HSET', cKey(cref), 'topic', c[6]) end
      if c[7] then redis.call('HSET', cKey(cref), 'lang', c[7]) end
      redis.call('SET', tKey(ARGV[i + 2]), cref, 'PX', HOLD)
      enqueue(cref, c[5], 'head', -1)
      redis.call('HSET', sKey(c[2]), 'chat', cref)
      redis.call('SADD', P .. 'chats', cref)
      hold(cKey(cref))
      hold(sKey(c[2]))
      table.insert(fresh, { cref, c[2], supervisorSock, c[1] })
      i = i + 3
    else
      redis.call('HDEL', sKey(c[2]), 'chat')
    end
  end
end
redis.call('DEL', key, key .. ':chats', key .. ':ended')
local out = {}
for _, entry in ipairs(fresh) do
  table.insert(out, { entry[1], str(redis.call('HGET', sKey(entry[2]), 'sock')), figures(entry[1]), entry[3], entry[4] })
end
return reply({ 'requeued', out })`,

  /** side ('s' | 'p'), ref */
  socketOf: `
local key
if ARGV[3] == 's' then key = sKey(ARGV[4]) else key = pKey(ARGV[4]) end
return found({ str(redis.call('HGET', key, 'sock')) })`,

  queueSnapshot: `
local entries = {}
for _, cref in ipairs(redis.call('ZRANGE', P .. 'queue', 0, -1)) do
  local c = redis.call('HMGET', cKey(cref), 'seed', 'name', 'at', 'told', 's', 'urgent', 'topic', 'lang', 'offer', 'until', 'passed')
  if c[1] and c[5] then
    table.insert(entries, { cref, c[1], str(c[2]), str(c[3]), str(c[4]), str(redis.call('HGET', sKey(c[5]), 'sock')),
      str(c[6]), str(c[7]), str(c[8]), str(c[9]), str(c[10]), str(c[11]) })
  else
    redis.call('ZREM', P .. 'queue', cref)
  end
end
local peers = {}
for _, ref in ipairs(redis.call('SMEMBERS', P .. 'duty')) do
  local p = redis.call('HMGET', pKey(ref), 'sock', 'topics', 'langs', 'max', 'offer', 'ountil', 'last')
  if p[1] then
    table.insert(peers, { ref, p[1], str(p[2]), str(p[3]), tostring(redis.call('SCARD', pKey(ref) .. ':chats')), str(p[4]),
      str(p[5]), str(p[6]), str(p[7]) })
  end
end
return reply({ num(now()), tostring(redis.call('SCARD', P .. 'duty')), str(redis.call('HGET', P .. 'stats', 'gap')), entries, peers })`,

  /** (chatRef, told) pairs */
  markTold: `
for i = 3, #ARGV, 2 do
  if redis.call('EXISTS', cKey(ARGV[i])) == 1 then redis.call('HSET', cKey(ARGV[i]), 'told', ARGV[i + 1]) end
end
return reply({ 'ok' })`,

  counts: `
return reply({ 'ok' })`,

  /**
   * node, nodeTtlMs, graceMs, sweepMarginMs, dueLimit, refresh ('1' | '0'), beatenBefore ('1' | '0')
   *
   * The heartbeat, and the sweep that makes sure nobody is stranded by a relay that died: the
   * sessions of a relay whose heartbeat lapsed are held for the grace period as if their
   * connections had dropped, and sessions whose grace period ended more than the margin ago
   * (their own relay's timer should have fired by then) are handed back to be expired.
   */
  tick: `
local node = ARGV[3]
local existed = redis.call('SET', P .. 'n:' .. node, '1', 'PX', ARGV[4], 'GET')
redis.call('SADD', P .. 'nodes', node)
for _, name in ipairs({ 'queue', 'order', 'duty', 'breaks', 'chats', 'survivors', 'peers', 'grace', 'nodes', 'esc' }) do hold(P .. name) end
hold(members(node))
local mine = {}
if ARGV[8] == '1' then
  refresh(node)
  for _, member in ipairs(redis.call('SMEMBERS', members(node))) do
    local side, ref = string.sub(member, 1, 1), string.sub(member, 3)
    local key
    if side == 's' then key = sKey(ref) else key = pKey(ref) end
    table.insert(mine, { side, ref, str(redis.call('HGET', key, 'sock')) })
  end
end
local grace = tonumber(ARGV[5])
local away = {}
for _, other in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if other ~= node and redis.call('EXISTS', P .. 'n:' .. other) == 0 then
    for _, member in ipairs(redis.call('SMEMBERS', members(other))) do
      local side, ref = string.sub(member, 1, 1), string.sub(member, 3)
      local r
      if side == 's' then r = survivorAway(ref, '', grace, other) else r = peerAway(ref, '', grace, other) end
      if r then table.insert(away, { side, ref, r }) end
    end
    redis.call('DEL', members(other))
    redis.call('SREM', P .. 'nodes', other)
  end
end
local due = {}
local cutoff = num(now() - tonumber(ARGV[6]))
for _, member in ipairs(redis.call('ZRANGEBYSCORE', P .. 'grace', '-inf', cutoff, 'LIMIT', 0, tonumber(ARGV[7]))) do
  local side, ref = string.sub(member, 1, 1), string.sub(member, 3)
  local key
  if side == 's' then key = sKey(ref) else key = pKey(ref) end
  local epoch = redis.call('HGET', key, 'epoch')
  if epoch and redis.call('HEXISTS', key, 'away') == 1 then
    table.insert(due, { side, ref, epoch })
  else
    redis.call('ZREM', P .. 'grace', member)
  end
end
local lapsed = '0'
if not existed and ARGV[9] == '1' then lapsed = '1' end
return reply({ lapsed, away, due, mine })`,

  /** node: leaves the cluster if every connection of this relay has been written away. */
  leave: `
local node = ARGV[3]
if redis.call('SCARD', members(node)) > 0 then return reply({ 'kept' }) end
redis.call('DEL', P .. 'n:' .. node)
redis.call('SREM', P .. 'nodes', node)
return reply({ 'left' })`,
} as const;

export type ScriptName = keyof typeof bodies | keyof typeof transferBodies | keyof typeof supervisionBodies;

/** The full source of each script. */
export const scripts: Readonly<Record<ScriptName, string>> = Object.fromEntries(
  Object.entries({ ...bodies, ...transferBodies, ...supervisionBodies }).map(([name, body]) => [name, `${prelude}\n${body}`]),
) as Record<ScriptName, string>;
