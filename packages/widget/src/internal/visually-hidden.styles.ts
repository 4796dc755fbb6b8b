// SPDX-License-Identifier: Apache-2.0
// The same css tag that 'lit' re-exports, from the package that has only it and ReactiveElement:
// the shell (a ReactiveElement) uses this rule, and must not pull in lit-html with it.
import { css } from '@lit/reactive-element/css-tag.js';

/** Text that screen readers read and eyes do not see (the usual clip pattern). */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
