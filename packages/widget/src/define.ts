// SPDX-License-Identifier: Apache-2.0
/**
 * Registers a custom element unless the name is taken. A hospital page may load our script
 * twice (a tag manager plus a template, say); `customElements.define` would throw the second
 * time and break the page, so this never throws.
 */
export function define(name: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;
  try {
    customElements.define(name, ctor);
  } catch {
    // Another copy won a race between our check and define(), or the constructor was already
    // registered under another name: either way the page keeps working.
  }
}
