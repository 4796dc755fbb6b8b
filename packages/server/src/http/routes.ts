// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's HTTP side: the widget's files, the chat frame and console pages, the demo page,
 * `/healthz` (the process answers), `/readyz` (it can take new chats: a load balancer sends
 * new connections elsewhere while it says no) and `/metrics` (with KINDRED_METRICS_TOKEN only).
 * Caching: entry scripts revalidate (their names never change), hashed chunks
 * are immutable, pages are never stored. Every page gets a strict Content-Security-Policy.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayConfig } from '../config.js';
import { exposition } from '../metrics-format.js';
import type { Asset } from './assets.js';

const pagePolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
];

/** CSP of each page: who may frame it is the part that differs. */
export function contentSecurityPolicy(kind: Asset['kind'], origins: readonly string[]): string | undefined {
  switch (kind) {
    case 'frame-page':
      // Only the relay itself and the configured hospital sites may embed the chat.
      return [...pagePolicy, `frame-ancestors ${["'self'", ...origins].join(' ')}`].join('; ');
    case 'console-page':
      return [...pagePolicy, "frame-ancestors 'none'"].join('; ');
    case 'demo-page':
      // The demo is a strict host page: what a hospital with a tight policy would send.
      return [...pagePolicy, "frame-src 'self'", "frame-ancestors 'none'"].join('; ');
    default:
      return undefined;
  }
}

const cacheControl: Record<Asset['kind'], string> = {
  entry: 'no-cache',
  chunk: 'public, max-age=31536000, immutable',
  'frame-page': 'no-store',
  'console-page': 'no-store',
  'demo-page': 'no-store',
  file: 'no-cache',
  'hospital-info': 'no-cache',
};

/** The codings a client accepts, as a set; `br;q=0` means "not brotli". */
function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  return accepted;
}

function pickEncoding(req: IncomingMessage, asset: Asset): { body: Buffer; encoding?: string } {
  const accepted = acceptedEncodings(req.headers['accept-encoding']);
  if (accepted.has('br')) return { body: asset.brotli, encoding: 'br' };
  if (accepted.has('gzip')) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.body };
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function hasBearer(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.headers.authorization ?? '');
  const digest = (text: string) => createHash('sha256').update(text).digest();
  // Hashed first, so the comparison takes the same time whatever the length of the guess.
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * `/metrics`, in Prometheus text format. Off (404, like any unknown path) unless
 * KINDRED_METRICS_TOKEN is set; then only for a request that brings it as a bearer token. The
 * numbers are aggregates about no one, but how busy a hospital's support line is at 3 a.m. is
 * still nobody else's business.
 */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string, render: () => Promise<string>): Promise<void> {
  if (!hasBearer(req, token)) {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="kindred-metrics"', 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Unauthorized');
    return;
  }
  const body = Buffer.from(await render());
  res.writeHead(200, { 'Content-Type': exposition, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The request handler for everything that is not the Socket.IO path. `ready` says whether the
 * relay can take new chats now (its shared state is reachable, it is not closing); `metrics`
 * renders `/metrics`.
 */
export function createRoutes(
  config: RelayConfig,
  assets: ReadonlyMap<string, Asset>,
  ready: () => boolean = () => true,
  metrics?: () => Promise<string>,
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      // Whether, not why: the reason (Redis away, closing) is the operator's to find in the log.
      const yes = ready();
      res.writeHead(yes ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(yes ? '{"ready":true}' : '{"ready":false}');
      return;
    }
    if (path === '/metrics' && config.metricsToken && metrics) {
      serveMetrics(req, res, config.metricsToken, metrics).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Cache-Control': 'no-store' });
        res.end();
      });
      return;
    }
    const asset = assets.get(path);
    if (!asset) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('Not found');
      return;
    }
    res.setHeader('Cache-Control', cacheControl[asset.kind]);
    res.setHeader('Vary', 'Accept-Encoding');
    const policy = contentSecurityPolicy(asset.kind, config.origins);
    if (policy) res.setHeader('Content-Security-Policy', policy);
    if (asset.kind === 'entry' || asset.kind === 'chunk' || asset.kind === 'hospital-info') {
      // Host pages load the scripts as modules from another origin, which is a CORS fetch.
      // Code and hospital information are public and sent without credentials: anyone may read them.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, { ETag: asset.etag }).end();
      return;
    }
    const { body, encoding } = pickEncoding(req, asset);
    res.writeHead(200, {
      'Content-Type': asset.type,
      'Content-Length': body.length,
      ETag: asset.etag,
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
