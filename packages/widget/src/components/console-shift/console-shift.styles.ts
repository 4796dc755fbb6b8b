// SPDX-License-Identifier: Apache-2.0
import { css } from 'lit';

/**
 * The shift's time, the break reminder and the debrief. The reminder is set apart by a border
 * and its own words, never colour alone; the debrief's box takes the console's field look.
 * Logical properties only, so a right-to-left console mirrors.
 */
export const consoleShiftStyles = css`
  .shift-time {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .break-reminder:empty {
    display: none;
  }
  .break-reminder {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin: 0.75rem 1rem 0;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--_accent);
    border-radius: calc(var(--_radius) / 1.5);
  }
  .break-reminder p {
    margin: 0;
    flex: 1 1 16rem;
  }
  .debrief {
    display: grid;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .debrief h2,
  .debrief p {
    margin: 0;
  }
  .debrief ul {
    list-style: disc;
    padding-inline-start: 1.25rem;
    gap: 0.25rem;
  }
  .debrief textarea {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem;
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 1.5);
    resize: vertical;
  }
`;
