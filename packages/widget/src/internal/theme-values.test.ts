// SPDX-License-Identifier: Apache-2.0
/**
 * What this protects: the chat frame takes style values from the hospital page, where any
 * script can post to it in the shell's name. A value reaches the chat only if it is a colour,
 * a corner radius within bounds, or a list of font names. Nothing may load a resource (a
 * tracking pixel in the conversation's page), read the frame's own state (`attr()`, `env()`,
 * `var()`), or break out of its value into other declarations. Each row is one way in.
 */
import { expect } from '@open-wc/testing';
import { validTheme } from './theme-values.js';

const accent = '--kindred-color-accent';
const radius = '--kindred-radius';
const font = '--kindred-font-family';

const accepted: Array<{ title: string; name: string; value: string }> = [
  { title: 'a hex colour', name: accent, value: '#0b4f6c' },
  { title: 'rgb() with spaces and alpha', name: accent, value: 'rgb(11 79 108 / 90%)' },
  { title: 'a named colour', name: '--kindred-color-surface', value: 'white' },
  { title: 'oklch()', name: '--kindred-color-text', value: 'oklch(25% 0.02 260)' },
  { title: 'light-dark(): one colour per scheme', name: accent, value: 'light-dark(#0b4f6c, #7cc4e4)' },
  { title: 'color-mix()', name: '--kindred-color-muted', value: 'color-mix(in srgb, #0b4f6c 60%, white)' },
  { title: 'a radius in px', name: radius, value: '6px' },
  { title: 'a radius in rem', name: radius, value: '0.5rem' },
  { title: 'no radius at all', name: radius, value: '0' },
  { title: 'the largest radius', name: radius, value: '32px' },
  { title: 'a font stack with quotes and a generic family', name: font, value: '"Hospital Sans", Arial, sans-serif' },
  { title: 'a font name in Arabic script', name: font, value: "'نسخ', serif" },
];

const refused: Array<{ title: string; name: string; value: unknown }> = [
  { title: 'url(): a tracking pixel in the chat', name: accent, value: 'url(https://evil.example/pixel.png)' },
  { title: 'image-set(): a resource in disguise', name: accent, value: 'image-set("https://evil.example/a.png" 1x)' },
  { title: 'var(): reads another property of the frame', name: accent, value: 'var(--_surface)' },
  { title: 'var() with a fallback colour', name: accent, value: 'var(--x, red)' },
  { title: 'attr(): reads an attribute of the frame', name: accent, value: 'attr(data-secret type(<color>))' },
  { title: 'env(): reads the environment', name: accent, value: 'env(safe-area-inset-top)' },
  { title: 'if(): branches on the frame\'s state', name: accent, value: 'if(media(print): red; else: blue)' },
  { title: 'a semicolon: a second declaration', name: accent, value: 'red; background: url(https://evil.example/)' },
  { title: 'a brace: a new rule', name: accent, value: 'red} body { display: none' },
  { title: '!important', name: accent, value: 'red !important' },
  { title: 'a backslash escape', name: accent, value: '\\75 rl(https://evil.example/)' },
  { title: 'a CSS-wide keyword', name: accent, value: 'inherit' },
  { title: 'not a colour', name: accent, value: 'banana' },
  { title: 'a colour far too long', name: accent, value: `rgb(${'1 '.repeat(100)})` },
  { title: 'a number instead of a string', name: accent, value: 42 },
  { title: 'an object instead of a string', name: accent, value: { toString: () => 'red' } },
  { title: 'an empty value', name: accent, value: '   ' },
  { title: 'a radius beyond bounds', name: radius, value: '999px' },
  { title: 'a radius in rem beyond bounds', name: radius, value: '3rem' },
  { title: 'a negative radius', name: radius, value: '-4px' },
  { title: 'a radius by calc()', name: radius, value: 'calc(100vw)' },
  { title: 'a radius in viewport units', name: radius, value: '10vw' },
  { title: 'a bare number radius', name: radius, value: '12' },
  { title: 'a radius that is a colour', name: radius, value: 'red' },
  { title: 'a font with url()', name: font, value: 'x, url(https://evil.example/font.woff2)' },
  { title: 'a font with a semicolon', name: font, value: 'Arial; color: red' },
  { title: 'a font with local()', name: font, value: 'local(Arial)' },
  { title: 'a font name far too long', name: font, value: 'A'.repeat(201) },
  { title: 'a layout knob the frame does not take', name: '--kindred-z-index', value: '1' },
  { title: 'a property that is not ours', name: 'background', value: 'red' },
  { title: 'a private variable of the chat', name: '--_accent', value: 'red' },
];

describe('validTheme', () => {
  for (const row of accepted) {
    it(`accepts ${row.title}`, () => {
      expect(validTheme({ [row.name]: row.value })).to.deep.equal({ [row.name]: row.value });
    });
  }
  for (const row of refused) {
    it(`refuses ${row.title}`, () => {
      expect(validTheme({ [row.name]: row.value })).to.deep.equal({});
    });
  }

  it('keeps the good values of a theme that also has bad ones', () => {
    const theme = { [accent]: '#0b4f6c', [radius]: '999px', [font]: 'Arial; color: red', '--kindred-color-on-accent': 'white' };
    expect(validTheme(theme)).to.deep.equal({ [accent]: '#0b4f6c', '--kindred-color-on-accent': 'white' });
  });

  it('reads only own properties, not what an object inherits', () => {
    const inherited = Object.create({ [accent]: 'red' }) as Record<string, unknown>;
    expect(validTheme(inherited)).to.deep.equal({});
  });

  it('trims white space around a value', () => {
    expect(validTheme({ [accent]: '  #0b4f6c ' })).to.deep.equal({ [accent]: '#0b4f6c' });
  });
});
