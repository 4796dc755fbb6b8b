// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: however often a reconnecting sender resends, the recipient shows each
 * message exactly once and in the order written, and never acknowledges one it has not shown
 * (an acknowledgement is what lets the sender forget it).
 */
import { expect } from '@open-wc/testing';
import { arrival } from './inbox.js';

const table: Array<{ title: string; expected: number; seq: unknown; result: ReturnType<typeof arrival> }> = [
  { title: 'the next one is shown', expected: 1, seq: 1, result: 'show' },
  { title: 'the next one later in the chat is shown', expected: 42, seq: 42, result: 'show' },
  { title: 'one already shown is a repeat', expected: 5, seq: 4, result: 'repeat' },
  { title: 'the first one again is a repeat', expected: 5, seq: 1, result: 'repeat' },
  { title: 'one after a gap waits for the resend', expected: 2, seq: 3, result: 'early' },
  { title: 'far ahead waits too', expected: 1, seq: 1_000, result: 'early' },
  { title: 'zero is not a sequence number', expected: 1, seq: 0, result: undefined },
  { title: 'negative is not a sequence number', expected: 1, seq: -1, result: undefined },
  { title: 'a fraction is not a sequence number', expected: 1, seq: 1.5, result: undefined },
  { title: 'a string is not a sequence number', expected: 1, seq: '1', result: undefined },
  { title: 'missing is not a sequence number', expected: 1, seq: undefined, result: undefined },
  { title: 'NaN is not a sequence number', expected: 1, seq: Number.NaN, result: undefined },
  { title: 'past the protocol limit is not a sequence number', expected: 1, seq: 2 ** 31, result: undefined },
];

describe('inbox: arrival', () => {
  for (const row of table) {
    it(row.title, () => {
      expect(arrival(row.expected, row.seq)).to.equal(row.result);
    });
  }

  it('a resent burst with repeats and a gap shows 1 to 5 once each, in order', () => {
    // The sender's first try lost 3; then it resent everything unconfirmed (2 to 5).
    const wire = [1, 2, 4, 5, 2, 3, 4, 5];
    let expected = 1;
    const shown: number[] = [];
    const acked: number[] = [];
    for (const seq of wire) {
      const what = arrival(expected, seq);
      if (what === 'show') {
        shown.push(seq);
        expected++;
      }
      if (what === 'show' || what === 'repeat') acked.push(seq);
    }
    expect(shown).to.deep.equal([1, 2, 3, 4, 5]);
    expect(acked).to.deep.equal([1, 2, 2, 3, 4, 5]);
  });
});
