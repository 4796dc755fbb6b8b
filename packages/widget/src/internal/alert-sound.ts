// SPDX-License-Identifier: Apache-2.0
/**
 * The console's optional alert sound: a short two-note chime made with WebAudio, so there is no
 * audio file to fetch (the relay's CSP and its "requests to the relay only" rule stay as they
 * are). Off unless the peer turns it on; the choice is kept in this tab's sessionStorage only.
 */

const storageKey = 'kindred-console-sound';

/** Whether the peer turned the sound on in this tab. */
export function loadSoundOn(): boolean {
  try {
    return sessionStorage.getItem(storageKey) === 'on';
  } catch {
    return false;
  }
}

/** Remembers the choice for this tab only (sessionStorage: gone when the tab closes). */
export function saveSoundOn(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(storageKey, 'on');
    else sessionStorage.removeItem(storageKey);
  } catch {
    // Storage refused (a locked-down browser): the choice lasts until the page reloads.
  }
}

let context: AudioContext | undefined;

/**
 * Makes the AudioContext. Call it from the click that turns the sound on: browsers only let a
 * page make sound after a person has interacted with it, and a context made (or resumed) in a
 * click handler is allowed to play later, when the tab is hidden.
 */
export function prepareSound(): void {
  if (typeof AudioContext !== 'function') return;
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
}

/** Plays the chime: two soft sine notes, a third apart, about half a second in all. */
export function playChime(): void {
  prepareSound();
  if (!context) return;
  const start = context.currentTime;
  for (const [offset, frequency] of [
    [0, 660],
    [0.18, 880],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    // A quick rise and a gentle fall: no click at either end, and not startling.
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.32);
  }
}
