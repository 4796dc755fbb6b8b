// SPDX-License-Identifier: Apache-2.0
/**
 * The relay's configuration: one defaults object, validated at start with every problem listed,
 * then frozen. `loadConfig` turns the environment and the KINDRED_CONFIG file into a config;
 * it is pure (main.ts hands it `process.env`), so tests can drive it directly.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { languageTagSchema, limits, topicIdSchema, type HospitalInfo, type Wellbeing } from '@kindred/protocol';
import * as v from 'valibot';
import { identityProviderProblems, readIdentityProvider, type IdentityProvider } from './auth/identity-provider.js';
import { parseDuration } from './auth/tokens.js';
import { checkStrings, type StringOverrides } from './config-strings.js';

export interface RelayConfig {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on. */
  readonly host: string;
  /** Signs and verifies peer tokens (HS256); at least 32 characters. */
  readonly secret: string;
  /** Exact origins of hospital sites allowed to embed the chat, besides the relay's own. */
  readonly origins: readonly string[];
  /** Serve the demo hospital page at `/`. */
  readonly demo: boolean;
  /** NODE_ENV=production: stricter start-up checks. */
  readonly production: boolean;
  /** How long the relay waits for a recipient's client to confirm a message, in ms. */
  readonly deliveryTimeoutMs: number;
  /**
   * How long a chat waits for someone whose connection dropped (network, reload, another page
   * of the hospital site) before it moves on without them, in ms.
   */
  readonly resumeGraceMs: number;
  /**
   * New connections one client address may open per minute; 0 turns this limit off. Counted
   * in memory under a key that changes every minute (guard/connection-guard.ts).
   */
  readonly connectionsPerMinute: number;
  /** Connections the relay holds at once; beyond it a new one is refused with `relay-full`. */
  readonly maxConnections: number;
  /** How long a client has to send an HTTP request's headers, in ms (slow clients). */
  readonly headersTimeoutMs: number;
  /** How long a client has to send a whole HTTP request, in ms (slow clients). */
  readonly requestTimeoutMs: number;
  /**
   * Redis (or Valkey) shared by every relay of a deployment, as `redis://[user:password@]host:port[/db]`
   * or `rediss://…`; empty for the in-memory state of one relay (the default).
   */
  readonly redisUrl: string;
  /** Prefix of the relay's Redis keys (with it as their hash tag) and pub/sub channels: one per deployment sharing a Redis. */
  readonly redisPrefix: string;
  /**
   * The hospital's identity provider (single sign-on: KINDRED_JWKS_URL, KINDRED_JWT_ISSUER,
   * KINDRED_JWT_AUDIENCE, KINDRED_JWT_CLAIMS); undefined: only tokens signed with the secret.
   */
  readonly identityProvider: IdentityProvider | undefined;
  /** Bearer token that unlocks `/metrics` (KINDRED_METRICS_TOKEN); empty: `/metrics` is off. */
  readonly metricsToken: string;
  /** The built widget bundles (rollup output). */
  readonly widgetDir: string;
  /** The example host pages; the demo page comes from here. */
  readonly examplesDir: string;
  /** What survivors are told about this hospital: emergency line, resources, hours, exit URL. */
  readonly hospital: Readonly<HospitalInfo>;
  /**
   * The hospital's own wording for the chat's and the console's strings, by language then key
   * (KINDRED_CONFIG `strings`; checked by config-strings.ts). Sent with `/hospital.json`.
   */
  readonly strings: StringOverrides;
  /**
   * How long a survivor who chose a topic or language waits for a peer who matches it, in ms;
   * after that any peer fits them (matching.ts). 0: nobody waits for a match.
   */
  readonly matchWaitMs: number;
  /**
   * How long a peer has to answer an offer of a survivor, in ms, before it moves on to the next
   * peer (offers.ts). 0 turns offers off: peers accept from the waiting list only.
   */
  readonly offerMs: number;
  /**
   * Looking after the peers (KINDRED_CONFIG `wellbeing`): the break reminder and the debrief
   * prompt, sent to each console with `session:ready`.
   */
  readonly wellbeing: Readonly<Wellbeing>;
  /**
   * How long a survivor's session is refused new chats after a peer blocks it, in ms
   * (KINDRED_CONFIG `blockMinutes`). Held with that session only, never by address.
   */
  readonly blockMs: number;
}

/**
 * Used when the hospital configures nothing. Deliberately generic: no phone number is better
 * than a wrong one for a survivor in another country.
 */
export const defaultHospital: HospitalInfo = {
  name: 'Peer support',
  emergency: { label: 'your local emergency number', phone: '' },
  confidentiality:
    'Peers keep what you share between you. If they believe someone is in immediate danger, they may need to get help.',
  peerHours: '',
  // A neutral, busy public page, as GOV.UK's "Exit this page" uses.
  exitUrl: 'https://www.bbc.co.uk/weather',
  resources: [],
  topics: [],
  languages: [],
};

export const defaults: RelayConfig = Object.freeze({
  port: 8080,
  host: '127.0.0.1',
  secret: '',
  origins: [],
  demo: false,
  production: false,
  deliveryTimeoutMs: 10_000,
  resumeGraceMs: 120_000,
  // Generous: hospital Wi-Fi puts many survivors behind one address, and each reload or
  // dropped network is a new connection.
  connectionsPerMinute: 60,
  maxConnections: 5_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  redisUrl: '',
  redisPrefix: 'kindred',
  identityProvider: undefined,
  metricsToken: '',
  widgetDir: fileURLToPath(new URL('../../widget/bundle/', import.meta.url)),
  examplesDir: fileURLToPath(new URL('../../../examples/', import.meta.url)),
  hospital: defaultHospital,
  strings: Object.freeze({}),
  matchWaitMs: 120_000,
  offerMs: 30_000,
  wellbeing: Object.freeze({ breakReminderMinutes: 90, debrief: true }),
  blockMs: 60 * 60_000,
});

/** The demo's hospital, used by `--demo` when KINDRED_CONFIG is not set. */
export const demoConfigFile = fileURLToPath(new URL('../../../examples/kindred.config.json', import.meta.url));

/**
 * The widget's rule (packages/widget/src/internal/https-url.ts): https, a host, no user name or
 * password. A URL the widget would refuse to link to is refused here, at start, out loud.
 */
function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `must be at most ${max} characters`));
const label = (max: number) => v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
const httpsUrl = v.pipe(v.string(), v.maxLength(500), v.check(isHttpsUrl, 'must be an https:// URL'));
// Digits, spaces, brackets and dashes, optionally after a +: what a tel: link can carry.
const phone = v.pipe(v.string(), v.regex(/^\+?[0-9][0-9 ()-]{1,24}$/, 'must be a phone number such as +44 116 123'));

const resourceSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 of a-z, 0-9 and -')),
  name: label(80),
  description: v.optional(text(300)),
  phone: v.optional(phone),
  url: v.optional(httpsUrl),
  hours: v.optional(text(120)),
});

const unique = <T>(key: (item: T) => string, what: string) =>
  v.check((list: T[]) => new Set(list.map(key)).size === list.length, `${what} must be unique`);

/** A topic survivors may choose; `labels` translates `label`, by language tag. */
const topicSchema = v.strictObject({
  id: topicIdSchema,
  label: label(80),
  labels: v.optional(
    v.record(v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'keys must be language tags such as es or pt-BR')), label(80)),
  ),
});

/**
 * A ready-made reply for peers; `texts` translates `text`, by language tag. Its text is a
 * message the peer may send as it is, so it must fit in one (`limits.messageText`).
 */
const cannedResponseSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 of a-z, 0-9 and -')),
  title: label(limits.cannedResponseTitle),
  text: label(limits.messageText),
  texts: v.optional(
    v.record(v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'keys must be language tags such as es or pt-BR')), label(limits.messageText)),
  ),
});

/** The `hospital` section, complete (defaults filled in): validated at start. */
const hospitalSchema = v.strictObject({
  name: label(80),
  emergency: v.strictObject({ label: label(60), phone: v.union([v.literal(''), phone], 'must be a phone number or empty') }),
  confidentiality: label(1_000),
  peerHours: text(200),
  exitUrl: httpsUrl,
  resources: v.pipe(
    v.array(resourceSchema),
    v.maxLength(20, 'at most 20 resources'),
    v.check((list) => new Set(list.map((r) => r.id)).size === list.length, 'resource ids must be unique'),
  ),
  // Optional in a config written before topics and languages existed.
  topics: v.optional(v.pipe(v.array(topicSchema), v.maxLength(20, 'at most 20 topics'), unique((t) => t.id, 'topic ids')), []),
  languages: v.optional(v.pipe(v.array(languageTagSchema), v.maxLength(20, 'at most 20 languages'), unique((l) => l, 'languages')), []),
  cannedResponses: v.optional(
    v.pipe(
      v.array(cannedResponseSchema),
      v.maxLength(limits.cannedResponses, `at most ${limits.cannedResponses} canned responses`),
      unique((c) => c.id, 'canned response ids'),
    ),
    [],
  ),
});

/** "hospital.resources.0.url: must be an https:// URL" for each issue. */
function describeIssues(prefix: string, issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join('.');
    return `${prefix}${path ? `.${path}` : ''}: ${issue.message}`;
  });
}

/**
 * A Redis URL the client can use: redis: or rediss:, a host, at most a database number as its
 * path. Checked at start; the value itself is never quoted back, since it may hold a password.
 */
function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^(\/\d{0,2})?$/.test(url.pathname) && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

/** Thrown when the configuration is unusable; `problems` lists every one, not just the first. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** True when `value` is exactly an origin (`https://host[:port]`), with nothing after it. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Fills in defaults, checks everything, and returns a frozen config or throws ConfigError. */
export function resolveConfig(input: Partial<RelayConfig>): RelayConfig {
  // An explicit `undefined` means "not set", not "unset the default".
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const config: { -readonly [K in keyof RelayConfig]: RelayConfig[K] } = {
    ...defaults,
    ...given,
    origins: Object.freeze([...(input.origins ?? defaults.origins)]),
  };
  const problems: string[] = [];
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65_535) {
    problems.push('PORT must be a whole number from 0 to 65535.');
  }
  if (config.secret.length < 32) {
    problems.push('KINDRED_SECRET must be at least 32 characters (try `openssl rand -base64 32`).');
  }
  for (const origin of config.origins) {
    if (!isOrigin(origin)) {
      problems.push(`KINDRED_ORIGINS: "${origin}" is not an origin; write it as https://host[:port], with no path or trailing slash.`);
    }
  }
  if (!Number.isInteger(config.deliveryTimeoutMs) || config.deliveryTimeoutMs < 100) {
    problems.push('deliveryTimeoutMs must be a whole number of at least 100.');
  }
  if (!Number.isInteger(config.resumeGraceMs) || config.resumeGraceMs < 1_000 || config.resumeGraceMs > 3_600_000) {
    problems.push('KINDRED_RESUME_GRACE must be from 1s to 1h (for example 2m).');
  }
  if (!Number.isInteger(config.connectionsPerMinute) || config.connectionsPerMinute < 0 || config.connectionsPerMinute > 100_000) {
    problems.push('KINDRED_CONNECTIONS_PER_MINUTE must be a whole number from 0 (no limit per address) to 100000.');
  }
  if (!Number.isInteger(config.maxConnections) || config.maxConnections < 1 || config.maxConnections > 1_000_000) {
    problems.push('KINDRED_MAX_CONNECTIONS must be a whole number from 1 to 1000000.');
  }
  const { headersTimeoutMs, requestTimeoutMs } = config;
  if (!Number.isInteger(headersTimeoutMs) || !Number.isInteger(requestTimeoutMs) || headersTimeoutMs < 100 || requestTimeoutMs < headersTimeoutMs || requestTimeoutMs > 600_000) {
    problems.push('headersTimeoutMs and requestTimeoutMs must be whole numbers of ms with 100 ≤ headersTimeoutMs ≤ requestTimeoutMs ≤ 600000.');
  }
  if (typeof config.redisUrl !== 'string' || (config.redisUrl !== '' && !isRedisUrl(config.redisUrl))) {
    problems.push('REDIS_URL must look like redis://host:6379 or rediss://user:password@host:6380/0 (or be unset for the in-memory state).');
  }
  if (typeof config.redisPrefix !== 'string' || !/^[a-z0-9-]{1,32}$/.test(config.redisPrefix)) {
    problems.push('KINDRED_REDIS_PREFIX must be 1 to 32 of a-z, 0-9 and -.');
  }
  if (config.identityProvider) problems.push(...identityProviderProblems(config.identityProvider));
  // A bearer token is the whole protection of /metrics: as long as the secret, never quoted back.
  if (typeof config.metricsToken !== 'string' || (config.metricsToken !== '' && !/^[\x21-\x7e]{32,512}$/.test(config.metricsToken))) {
    problems.push('KINDRED_METRICS_TOKEN must be 32 to 512 printable characters with no spaces (try `openssl rand -base64 32`), or unset to turn /metrics off.');
  }
  if (!Number.isInteger(config.matchWaitMs) || config.matchWaitMs < 0 || config.matchWaitMs > 3_600_000) {
    problems.push('matchWaitMs must be a whole number of ms from 0 to 3600000.');
  }
  if (!Number.isInteger(config.offerMs) || (config.offerMs !== 0 && (config.offerMs < 500 || config.offerMs > 600_000))) {
    problems.push('offerMs must be 0 (no offers) or a whole number of ms from 500 to 600000.');
  }
  const { breakReminderMinutes, debrief } = config.wellbeing;
  if (breakReminderMinutes !== null && (!Number.isInteger(breakReminderMinutes) || breakReminderMinutes < 1 || breakReminderMinutes > 720)) {
    problems.push('wellbeing.breakReminderMinutes must be null (no reminder) or a whole number of minutes from 1 to 720.');
  }
  if (typeof debrief !== 'boolean') problems.push('wellbeing.debrief must be true or false.');
  config.wellbeing = Object.freeze({ breakReminderMinutes, debrief });
  // Fractions of a minute only reach here from tests, which need a cooldown that ends soon.
  if (!Number.isInteger(config.blockMs) || config.blockMs < 1 || config.blockMs > 7 * 86_400_000) {
    problems.push('blockMs must be a whole number of ms from 1 to 604800000 (a week).');
  }
  const hospital = v.safeParse(hospitalSchema, config.hospital);
  if (hospital.success) {
    config.hospital = Object.freeze(hospital.output);
  } else {
    problems.push(...describeIssues('hospital', hospital.issues));
  }
  const strings = checkStrings(config.strings);
  config.strings = strings.strings;
  problems.push(...strings.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

// The KINDRED_CONFIG file. Strict: an unknown key is a typo until proven otherwise.
// The hospital section is checked in full by resolveConfig, after defaults are filled in.
const seconds = (min: number, max: number, why: string) =>
  v.pipe(v.number(), v.integer('must be a whole number of seconds'), v.check((n) => n === 0 || (n >= min && n <= max), why));
const fileSchema = v.strictObject({
  origins: v.optional(v.array(v.string())),
  hospital: v.optional(v.record(v.string(), v.unknown())),
  // Checked in full by resolveConfig (config-strings.ts), every problem with its path.
  strings: v.optional(v.unknown()),
  // Matching survivors with peers (docs/operate.md, "Matching and offers").
  matching: v.optional(
    v.strictObject({
      matchWaitSeconds: v.optional(seconds(1, 3_600, 'must be 0 (no waiting for a match) or from 1 to 3600')),
      offerSeconds: v.optional(seconds(10, 600, 'must be 0 (no offers) or from 10 to 600')),
    }),
  ),
  // Looking after the peers (docs/operate.md, "Wellbeing, transfers and blocking").
  wellbeing: v.optional(
    v.strictObject({
      breakReminderMinutes: v.optional(
        v.nullable(v.pipe(v.number(), v.integer('must be a whole number of minutes'), v.check((n) => n >= 0 && n <= 720, 'must be 0 or null (no reminder) or from 1 to 720'))),
      ),
      debrief: v.optional(v.boolean('must be true or false')),
    }),
  ),
  blockMinutes: v.optional(v.pipe(v.number(), v.integer('must be a whole number of minutes'), v.check((n) => n >= 1 && n <= 10_080, 'must be from 1 to 10080 (a week)'))),
});

/** What `loadConfig` found, plus whether it had to invent a secret for this run. */
export interface LoadedConfig {
  config: RelayConfig;
  secretGenerated: boolean;
}

/**
 * Reads the relay's settings from the environment (PORT, HOST, KINDRED_SECRET, KINDRED_ORIGINS,
 * KINDRED_CONFIG, KINDRED_RESUME_GRACE, KINDRED_CONNECTIONS_PER_MINUTE, KINDRED_MAX_CONNECTIONS,
 * REDIS_URL, KINDRED_REDIS_PREFIX, KINDRED_JWKS_URL, KINDRED_JWT_ISSUER, KINDRED_JWT_AUDIENCE,
 * KINDRED_JWT_CLAIMS, KINDRED_METRICS_TOKEN, NODE_ENV, DEBUG) and the command-line flags, listing every problem at once.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: { demo: boolean; execArgv?: readonly string[] },
  readFile: (path: string) => string,
): LoadedConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const input: { -readonly [K in keyof RelayConfig]?: RelayConfig[K] } = { production, demo: flags.demo };

  const configFile = env.KINDRED_CONFIG || (flags.demo ? demoConfigFile : undefined);
  if (configFile) {
    try {
      const parsed = v.safeParse(fileSchema, JSON.parse(readFile(configFile)));
      if (parsed.success) {
        if (parsed.output.origins) input.origins = parsed.output.origins;
        if (parsed.output.hospital) input.hospital = { ...defaultHospital, ...parsed.output.hospital } as HospitalInfo;
        if (parsed.output.strings !== undefined) input.strings = parsed.output.strings as StringOverrides;
        const matching = parsed.output.matching;
        if (matching?.matchWaitSeconds !== undefined) input.matchWaitMs = matching.matchWaitSeconds * 1000;
        if (matching?.offerSeconds !== undefined) input.offerMs = matching.offerSeconds * 1000;
        const wellbeing = parsed.output.wellbeing;
        if (wellbeing) {
          // 0 and null both mean "no reminder".
          const minutes = wellbeing.breakReminderMinutes;
          input.wellbeing = {
            breakReminderMinutes: minutes === undefined ? defaults.wellbeing.breakReminderMinutes : minutes || null,
            debrief: wellbeing.debrief ?? defaults.wellbeing.debrief,
          };
        }
        if (parsed.output.blockMinutes !== undefined) input.blockMs = parsed.output.blockMinutes * 60_000;
      } else {
        problems.push(...describeIssues('KINDRED_CONFIG', parsed.issues));
      }
    } catch (error) {
      const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
      problems.push(`KINDRED_CONFIG: the file ${configFile} ${why}.`);
    }
  }

  if (env.PORT !== undefined) input.port = /^\d+$/.test(env.PORT) ? Number(env.PORT) : Number.NaN;
  if (env.HOST) input.host = env.HOST;
  if (env.KINDRED_RESUME_GRACE !== undefined) {
    const seconds = parseDuration(env.KINDRED_RESUME_GRACE);
    input.resumeGraceMs = seconds === undefined ? Number.NaN : seconds * 1000;
  }
  // A whole number or nothing: "60/min" or "1e3" are mistakes to report, not to guess at.
  const wholeNumber = (value: string) => (/^\d+$/.test(value) ? Number(value) : Number.NaN);
  if (env.KINDRED_CONNECTIONS_PER_MINUTE !== undefined) input.connectionsPerMinute = wholeNumber(env.KINDRED_CONNECTIONS_PER_MINUTE);
  if (env.KINDRED_MAX_CONNECTIONS !== undefined) input.maxConnections = wholeNumber(env.KINDRED_MAX_CONNECTIONS);
  if (env.REDIS_URL !== undefined) input.redisUrl = env.REDIS_URL.trim();
  if (env.KINDRED_REDIS_PREFIX !== undefined) input.redisPrefix = env.KINDRED_REDIS_PREFIX.trim();
  const sso = readIdentityProvider(env);
  input.identityProvider = sso.provider;
  problems.push(...sso.problems);
  if (env.KINDRED_METRICS_TOKEN !== undefined) input.metricsToken = env.KINDRED_METRICS_TOKEN.trim();
  if (env.KINDRED_ORIGINS !== undefined) {
    input.origins = env.KINDRED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
  }

  let secretGenerated = false;
  if (env.KINDRED_SECRET) {
    input.secret = env.KINDRED_SECRET;
  } else if (production) {
    problems.push('KINDRED_SECRET is required when NODE_ENV=production.');
    input.secret = 'x'.repeat(32); // placeholder so the remaining checks still run
  } else {
    input.secret = randomBytes(32).toString('base64url');
    secretGenerated = true;
    // Relays sharing Redis verify each other's peer tokens and derive the same keys: a secret
    // made up by each process would split them.
    if (input.redisUrl) problems.push('KINDRED_SECRET must be set when REDIS_URL is: every relay sharing Redis needs the same one.');
  }

  // socket.io's and engine.io's debug output prints packet bodies, i.e. message text.
  if (production && env.DEBUG && /socket\.io|engine|\*/.test(env.DEBUG)) {
    problems.push('DEBUG must not enable socket.io/engine.io output in production: it prints message bodies.');
  }
  // A heap snapshot holds whatever is in flight at that moment, messages included. The privacy
  // tests take one through Node's own signal hook; production must not be able to.
  const nodeFlags = [...(flags.execArgv ?? []), ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (production && nodeFlags.some((flag) => /^--(heapsnapshot|heap-prof|inspect|cpu-prof)/.test(flag))) {
    problems.push('Heap snapshots, profilers and the inspector must be off in production: they can read messages in flight.');
  }

  let config: RelayConfig | undefined;
  try {
    config = resolveConfig(input);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Problems found in the file's hospital section are the file's problems.
    problems.push(...error.problems.map((problem) => (/^(hospital|strings)[.:]/.test(problem) ? `KINDRED_CONFIG: ${problem}` : problem)));
  }
  if (!config || problems.length > 0) throw new ConfigError(problems);
  return { config, secretGenerated };
}
