// SPDX-License-Identifier: Apache-2.0
/**
 * Saves text as a file on the person's device, with no server involved: a Blob, an object URL
 * and an `<a download>` click. The click is a download navigation, which the frame page's CSP
 * (`default-src 'none'`, Trusted Types) allows: no script URL, no inline code, no fetch. The
 * object URL is revoked right after, so the text does not stay reachable in memory by URL.
 */

/** Downloads `text` as `fileName` (UTF-8 plain text) from `doc`'s window. */
export function downloadText(text: string, fileName: string, doc: Document = document): void {
  const win = doc.defaultView ?? window;
  const blob = new win.Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = win.URL.createObjectURL(blob);
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  // Chromium takes the blob's handle when the click starts the download, so revoking the URL
  // straight after cannot cut it short.
  anchor.click();
  win.URL.revokeObjectURL(url);
}
