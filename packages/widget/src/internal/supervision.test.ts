// SPDX-License-Identifier: Apache-2.0
/**
 * Supervision's sealed link between a chat's peer and its supervisor (internal/supervision.ts).
 * PROTECTS: the relay passes each line on without reading it, without learning who wrote it,
 * and cannot change, replay or re-label one, nor make the peer's console pass on to the
 * survivor anything the supervisor did not write. Pure: the "relay" is these tests, holding
 * every box the two sides exchange.
 */
import { expect } from '@open-wc/testing';
import { fromB64, toB64 } from './e2e.js';
import { SupervisionLink, maxUnconfirmed, parseLine, type SealedLine } from './supervision.js';

/** A supervisor and a peer who have exchanged keys as the consoles do. */
async function keyedPair(): Promise<{ supervisor: SupervisionLink; hub: SupervisionLink }> {
  const supervisor = new SupervisionLink('supervisor');
  const hub = new SupervisionLink('hub');
  const offer = await supervisor.offer();
  const answer = await hub.offered(offer);
  expect(answer?.fresh).to.equal(true);
  expect(await supervisor.answered(answer!.keys, offer)).to.equal(true);
  return { supervisor, hub };
}

/** `sealed` with one byte of its box flipped. */
function tampered(sealed: SealedLine, at: number): SealedLine {
  const bytes = fromB64(sealed.box);
  bytes[at] = bytes[at]! ^ 1;
  return { ...sealed, box: toB64(bytes) };
}

describe('supervision link', () => {
  it('agrees keys both sides can check (the same code), and lines go both ways, each shown once, in order', async () => {
    const { supervisor, hub } = await keyedPair();
    expect(supervisor.code).to.match(/^\d{4} \d{4} \d{4}$/);
    expect(supervisor.code).to.equal(hub.code);
    const first = (await hub.write({ author: 'survivor', text: 'is anyone reading?' }))!;
    const second = (await hub.write({ author: 'peer', text: '', resourceId: 'samaritans' }))!;
    // Who wrote it is sealed in, never beside it.
    expect(JSON.stringify(first)).to.not.match(/survivor|anyone/);
    expect(await supervisor.receive(second.seq, second.box)).to.deep.equal({ what: 'later' });
    expect(await supervisor.receive(first.seq, first.box)).to.deep.equal({ what: 'show', line: { author: 'survivor', text: 'is anyone reading?' } });
    expect(await supervisor.receive(second.seq, second.box)).to.deep.equal({ what: 'show', line: { author: 'peer', text: '', resourceId: 'samaritans' } });
    expect(await supervisor.receive(first.seq, first.box)).to.deep.equal({ what: 'repeat' });
    const reply = (await supervisor.write({ author: 'supervisor', text: 'I am here too' }))!;
    expect(await hub.receive(reply.seq, reply.box)).to.deep.equal({ what: 'show', line: { author: 'supervisor', text: 'I am here too' } });
  });

  it('keeps what is unacknowledged, and seals it again under fresh keys', async () => {
    const supervisor = new SupervisionLink('supervisor');
    const hub = new SupervisionLink('hub');
    // Written before any keys: kept, not sent.
    expect(await supervisor.write({ author: 'supervisor', text: 'early words' }, 'AAAAAAAAAAAAAAAAAAAAAA')).to.equal(undefined);
    const offer = await supervisor.offer();
    const answer = (await hub.offered(offer))!;
    await supervisor.answered(answer.keys, offer);
    const [again, ...rest] = await supervisor.unconfirmed();
    expect(rest).to.deep.equal([]);
    expect(again!.id).to.equal('AAAAAAAAAAAAAAAAAAAAAA');
    expect(await hub.receive(again!.seq, again!.box)).to.deep.equal({ what: 'show', line: { author: 'supervisor', text: 'early words' } });
    supervisor.confirm(again!.id);
    expect(await supervisor.unconfirmed()).to.deep.equal([]);
  });

  it('a peer\'s console that is new (a reload) keys again from nothing; what was shown before is not shown twice', async () => {
    const { supervisor, hub } = await keyedPair();
    const first = (await supervisor.write({ author: 'supervisor', text: 'one' }))!;
    expect((await hub.receive(first.seq, first.box)).what).to.equal('show');
    // Its acknowledgement is lost; then the peer reloads: a new link that knows no count.
    const second = (await supervisor.write({ author: 'supervisor', text: 'two' }))!;
    expect(second.seq).to.equal(2);
    const reloaded = new SupervisionLink('hub');
    const offer = await supervisor.offer();
    const answer = (await reloaded.offered(offer))!;
    expect(await supervisor.answered(answer.keys, offer)).to.equal(true);
    // Both count from 1 again; what was unacknowledged goes first, in order.
    const again = await supervisor.unconfirmed();
    expect(again.map(({ seq }) => seq)).to.deep.equal([1, 2]);
    expect(await reloaded.receive(again[0]!.seq, again[0]!.box)).to.deep.equal({ what: 'show', line: { author: 'supervisor', text: 'one' } });
    expect(await reloaded.receive(again[1]!.seq, again[1]!.box)).to.deep.equal({ what: 'show', line: { author: 'supervisor', text: 'two' } });
    const fromHub = (await reloaded.write({ author: 'peer', text: 'back' }))!;
    expect(fromHub.seq).to.equal(1);
    expect(await supervisor.receive(fromHub.seq, fromHub.box)).to.deep.equal({ what: 'show', line: { author: 'peer', text: 'back' } });
    // The same page keyed again: a line it showed under the old keys, resent under the new, is confirmed but not shown twice.
    const offer2 = await supervisor.offer();
    const answer2 = (await reloaded.offered(offer2))!;
    await supervisor.answered(answer2.keys, offer2);
    const [resent] = await supervisor.unconfirmed();
    expect(await reloaded.receive(resent!.seq, resent!.box)).to.deep.equal({ what: 'repeat' });
  });

  it('refuses a changed box, a box under another number, and a box sealed the other way: never shown, never passed on', async () => {
    const { supervisor, hub } = await keyedPair();
    const fromHub = (await hub.write({ author: 'peer', text: 'x' }))!;
    const first = (await supervisor.write({ author: 'supervisor', text: 'pass this on' }))!;
    const second = (await supervisor.write({ author: 'supervisor', text: 'and this' }))!;
    expect(await hub.receive(first.seq, tampered(first, 12).box)).to.deep.equal({ what: 'refused' });
    // The number is sealed in: the second line offered as the first does not open.
    expect(await hub.receive(first.seq, second.box)).to.deep.equal({ what: 'refused' });
    // The peer's own line, turned back at it as the supervisor's.
    expect(await hub.receive(first.seq, fromHub.box)).to.deep.equal({ what: 'refused' });
    expect(await hub.receive(first.seq, 'not base64!')).to.deep.equal({ what: 'refused' });
    // The real one still opens: nothing above moved the count on.
    expect(await hub.receive(first.seq, first.box)).to.deep.equal({ what: 'show', line: { author: 'supervisor', text: 'pass this on' } });
  });

  it('the peer passes on only what a supervisor wrote; the supervisor takes no line as its own', async () => {
    const { supervisor, hub } = await keyedPair();
    // A supervisor's console that claimed a line was the survivor's: the hub does not pass it on.
    const claimed = (await supervisor.write({ author: 'survivor', text: 'pretend' }))!;
    expect(await hub.receive(claimed.seq, claimed.box)).to.deep.equal({ what: 'refused' });
    const echoed = (await hub.write({ author: 'supervisor', text: 'pretend' }))!;
    expect(await supervisor.receive(echoed.seq, echoed.box)).to.deep.equal({ what: 'refused' });
  });

  it('reads only well-formed lines, and keeps a bounded backlog', async () => {
    expect(parseLine('{"i":"x1","a":"peer","t":"hi"}')).to.deep.equal({ id: 'x1', line: { author: 'peer', text: 'hi' } });
    for (const bad of ['', 'null', '[]', '{"a":"peer","t":"hi"}', '{"i":"x y","a":"peer","t":"hi"}', '{"i":"x1","a":"relay","t":"hi"}', '{"i":"x1","a":"peer"}', '{"i":"x1","a":"peer","t":""}', `{"i":"x1","a":"peer","t":"${'x'.repeat(5_000)}"}`, '{"i":"x1","a":"peer","t":"x","r":3}']) {
      expect(parseLine(bad), bad.slice(0, 40)).to.equal(undefined);
    }
    const { hub } = await keyedPair();
    for (let i = 0; i < maxUnconfirmed; i += 1) expect(await hub.write({ author: 'survivor', text: 'x' })).to.not.equal(undefined);
    // A supervisor who never acknowledges cannot make the peer's console grow without bound.
    expect(await hub.write({ author: 'survivor', text: 'one too many' })).to.equal(undefined);
    expect((await hub.unconfirmed()).length).to.equal(maxUnconfirmed);
  });
});
