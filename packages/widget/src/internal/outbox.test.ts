// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: no message of ours is ever silently lost. Whatever the other side has
 * not confirmed stays in the transcript with its sequence number, is resent in the order
 * written, and ends visibly delivered, read, or "Not delivered"; statuses never go backwards.
 */
import { expect } from '@open-wc/testing';
import {
  abandon,
  expire,
  hasFailed,
  markDelivered,
  markRead,
  markRefused,
  markSent,
  nextDeadline,
  nextSeq,
  pause,
  requeue,
  resendAll,
  undelivered,
} from './outbox.js';
import { addIncoming, addOwn, type DeliveryStatus, type TranscriptMessage } from './transcript.js';

/** Our messages a…, each with the given status, numbered in order; plus one of theirs. */
function transcript(...statuses: DeliveryStatus[]): TranscriptMessage[] {
  let messages: TranscriptMessage[] = addIncoming([], 'theirs', 'Robin', 'hello');
  statuses.forEach((status, index) => {
    messages = addOwn(messages, { id: `m${index + 1}`, sender: 'You', text: `text ${index + 1}`, status, seq: nextSeq(messages) });
  });
  return messages;
}

const own = (messages: TranscriptMessage[]) => messages.filter((message) => message.own);
const statuses = (messages: TranscriptMessage[]) => own(messages).map((message) => message.status);
const seqs = (messages: TranscriptMessage[]) => own(messages).map((message) => message.seq);

describe('outbox', () => {
  it('numbers our messages 1, 2, 3 … in the order written, ignoring theirs', () => {
    expect(nextSeq([])).to.equal(1);
    const messages = transcript('sending', 'sent', 'delivered');
    expect(seqs(messages)).to.deep.equal([1, 2, 3]);
    expect(nextSeq(messages)).to.equal(4);
  });

  it('lists everything unconfirmed, in sequence order, whatever the array order', () => {
    const messages = transcript('delivered', 'failed', 'sent', 'read', 'queued', 'sending');
    expect(undelivered(messages).map((message) => message.id)).to.deep.equal(['m2', 'm3', 'm5', 'm6']);
    expect(undelivered([...messages].reverse()).map((message) => message.seq)).to.deep.equal([2, 3, 5, 6]);
  });

  it('resendAll: every unconfirmed message becomes sending with the deadline, confirmed ones stay', () => {
    const { messages, resend } = resendAll(transcript('delivered', 'failed', 'sent', 'queued'), 5_000);
    expect(statuses(messages)).to.deep.equal(['delivered', 'sending', 'sending', 'sending']);
    expect(resend.map((message) => message.seq)).to.deep.equal([2, 3, 4]);
    expect(resend.every((message) => message.deadline === 5_000)).to.equal(true);
    expect(own(messages)[0]!.deadline).to.equal(undefined);
  });

  it('resendAll without a deadline (the other side is away) sets none', () => {
    const { messages } = resendAll(transcript('failed'), undefined);
    expect(own(messages)[0]).to.not.have.property('deadline');
  });

  it('resendAll with nothing to send returns the same array', () => {
    const before = transcript('delivered', 'read');
    expect(resendAll(before, 1).messages).to.equal(before);
  });

  it('sent only follows sending; a later state is never taken back', () => {
    const messages = transcript('sending', 'delivered', 'read', 'failed', 'queued');
    const after = ['m1', 'm2', 'm3', 'm4', 'm5'].reduce(markSent, messages);
    expect(statuses(after)).to.deep.equal(['sent', 'delivered', 'read', 'failed', 'queued']);
  });

  it('a refusal marks a sending message failed, and nothing else', () => {
    const messages = transcript('sending', 'queued', 'delivered');
    const after = ['m1', 'm2', 'm3'].reduce(markRefused, messages);
    expect(statuses(after)).to.deep.equal(['failed', 'queued', 'delivered']);
  });

  it('delivered wins over sending, sent and failed, clears the deadline, and never takes read back', () => {
    const { messages } = resendAll(transcript('sending', 'failed', 'read'), 9_000);
    const after = ['m1', 'm2', 'm3'].reduce(markDelivered, messages);
    expect(statuses(after)).to.deep.equal(['delivered', 'delivered', 'read']);
    expect(nextDeadline(after)).to.equal(undefined);
  });

  it('delivery of an id we do not have changes nothing', () => {
    const messages = transcript('sent');
    expect(markDelivered(messages, 'theirs')).to.equal(messages);
    expect(markDelivered(messages, 'nope')).to.equal(messages);
  });

  it('a read mark covers our messages up to its seq, and not queued ones', () => {
    const messages = transcript('delivered', 'sent', 'delivered', 'queued');
    expect(statuses(markRead(messages, 2))).to.deep.equal(['read', 'read', 'delivered', 'queued']);
    expect(statuses(markRead(messages, 10))).to.deep.equal(['read', 'read', 'read', 'queued']);
    expect(markRead(messages, 0)).to.equal(messages);
  });

  it('expire: only messages on their way whose deadline has passed fail', () => {
    let messages = transcript('delivered', 'sending', 'sent', 'sending');
    messages = resendAll(messages, 1_000).messages;
    messages = messages.map((message) => (message.id === 'm4' ? { ...message, deadline: 3_000 } : message));
    expect(nextDeadline(messages)).to.equal(1_000);
    expect(expire(messages, 999)).to.equal(messages);
    const after = expire(messages, 1_000);
    expect(statuses(after)).to.deep.equal(['delivered', 'failed', 'failed', 'sending']);
    expect(hasFailed(after)).to.equal(true);
    expect(nextDeadline(after)).to.equal(3_000);
    expect(hasFailed(messages)).to.equal(false);
  });

  it('pause: no deadlines while the other side is away, statuses unchanged', () => {
    const messages = resendAll(transcript('sent', 'delivered'), 1_000).messages;
    const paused = pause(messages);
    expect(statuses(paused)).to.deep.equal(['sending', 'delivered']);
    expect(nextDeadline(paused)).to.equal(undefined);
    expect(expire(paused, Number.MAX_SAFE_INTEGER)).to.equal(paused);
  });

  it('abandon: at the end of a chat, whatever was not confirmed says "Not delivered"', () => {
    const after = abandon(transcript('queued', 'sending', 'sent', 'delivered', 'read', 'failed'));
    expect(statuses(after)).to.deep.equal(['failed', 'failed', 'failed', 'delivered', 'read', 'failed']);
    expect(nextDeadline(after)).to.equal(undefined);
  });

  it('requeue: undelivered ones go back to queued, numbered from 1 for the next peer; delivered ones leave the numbering', () => {
    const before = transcript('delivered', 'sent', 'read', 'failed', 'sending');
    const after = requeue(before);
    expect(statuses(after)).to.deep.equal(['delivered', 'queued', 'read', 'queued', 'queued']);
    expect(seqs(after)).to.deep.equal([undefined, 1, undefined, 2, 3]);
    expect(nextSeq(after)).to.equal(4);
    // The next peer's read mark for their seq 1 cannot touch what the last peer read.
    expect(statuses(markRead(after, 1))).to.deep.equal(['delivered', 'queued', 'read', 'queued', 'queued']);
    // And the texts go out again in the order they were written.
    expect(resendAll(after, undefined).resend.map((message) => message.text)).to.deep.equal(['text 2', 'text 4', 'text 5']);
  });
});
