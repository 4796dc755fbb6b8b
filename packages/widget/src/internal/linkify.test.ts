// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: a message can only ever become a link to an `https:` URL, never a
 * script, a data document, a plain-http page a network can swap, or a URL that reads as one
 * site and opens another. Each row is a payload someone could type into a chat.
 */
import { expect } from '@open-wc/testing';
import { linkify, type TextPart } from './linkify.js';

const t = (text: string): TextPart => ({ kind: 'text', text });
const a = (text: string, href = text): TextPart => ({ kind: 'link', text, href });

const table: Array<{ title: string; payload: string; expected: TextPart[] }> = [
  { title: 'plain text stays text', payload: 'hello there', expected: [t('hello there')] },
  { title: 'empty string gives no parts', payload: '', expected: [] },
  { title: 'an https URL is a link', payload: 'https://example.org/help', expected: [a('https://example.org/help')] },
  {
    title: 'a link inside a sentence keeps the text around it',
    payload: 'See https://example.org/a?b=1#c for more',
    expected: [t('See '), a('https://example.org/a?b=1#c'), t(' for more')],
  },
  {
    title: 'sentence punctuation after a URL is not part of it',
    payload: 'Try https://example.org/help.',
    expected: [t('Try '), a('https://example.org/help'), t('.')],
  },
  {
    title: 'a closing bracket that closes the sentence is not part of the URL',
    payload: '(https://example.org/x)',
    expected: [t('('), a('https://example.org/x'), t(')')],
  },
  {
    title: 'a bracket pair inside the URL stays',
    payload: 'https://en.wikipedia.org/wiki/Trauma_(medicine)',
    expected: [a('https://en.wikipedia.org/wiki/Trauma_(medicine)')],
  },
  { title: 'upper-case scheme is still https', payload: 'HTTPS://EXAMPLE.ORG/', expected: [a('HTTPS://EXAMPLE.ORG/', 'https://example.org/')] },
  {
    title: 'two links',
    payload: 'https://a.example and https://b.example',
    expected: [a('https://a.example', 'https://a.example/'), t(' and '), a('https://b.example', 'https://b.example/')],
  },
  { title: 'http: is never a link (a network could change the page)', payload: 'http://example.org', expected: [t('http://example.org')] },
  { title: 'javascript: is never a link', payload: 'javascript:alert(1)', expected: [t('javascript:alert(1)')] },
  {
    title: 'javascript: hiding an https URL in a comment links only the https URL',
    payload: 'javascript://https://example.org/%0aalert(1)',
    expected: [t('javascript://https://example.org/%0aalert(1)')],
  },
  { title: 'data: is never a link', payload: 'data:text/html,<script>alert(1)</script>', expected: [t('data:text/html,<script>alert(1)</script>')] },
  { title: 'vbscript: is never a link', payload: 'vbscript:msgbox(1)', expected: [t('vbscript:msgbox(1)')] },
  { title: 'file: is never a link', payload: 'file:///etc/passwd', expected: [t('file:///etc/passwd')] },
  { title: 'a word ending in https is not a scheme', payload: 'xhttps://evil.example', expected: [t('xhttps://evil.example')] },
  { title: 'https with one slash is not a link', payload: 'https:/evil.example', expected: [t('https:/evil.example')] },
  { title: 'https without slashes is not a link', payload: 'https:evil.example', expected: [t('https:evil.example')] },
  { title: 'full-width letters that look like https are not a link', payload: 'ｈｔｔｐｓ://evil.example', expected: [t('ｈｔｔｐｓ://evil.example')] },
  { title: 'Cyrillic lookalike scheme is not a link', payload: 'httрs://evil.example', expected: [t('httрs://evil.example')] },
  {
    title: 'credentials that disguise the real host are not a link',
    payload: 'https://bank.example@evil.example/',
    expected: [t('https://bank.example@evil.example/')],
  },
  { title: 'https:// with no host is not a link', payload: 'https:// hi', expected: [t('https:// hi')] },
  {
    title: 'markup next to a URL stays outside it',
    payload: '<a href="https://example.org">x</a>',
    expected: [t('<a href="'), a('https://example.org', 'https://example.org/'), t('">x</a>')],
  },
  {
    title: 'a zero-width space ends the URL',
    payload: 'https://example.org\u200b/evil',
    expected: [a('https://example.org', 'https://example.org/'), t('\u200b/evil')],
  },
];

describe('linkify', () => {
  for (const row of table) {
    it(row.title, () => {
      const parts = linkify(row.payload);
      expect(parts).to.deep.equal(row.expected);
      expect(parts.map((part) => part.text).join('')).to.equal(row.payload);
      for (const part of parts) if (part.kind === 'link') expect(new URL(part.href).protocol).to.equal('https:');
    });
  }
});
