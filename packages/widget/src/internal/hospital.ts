// SPDX-License-Identifier: Apache-2.0
/**
 * The hospital's public information (`/hospital.json` on the relay) as the frame uses it, and
 * the two functions that turn its phone numbers and web addresses into links. Both are strict:
 * a value that is not plainly a phone number or an https address stays text.
 */
import { limits, type CannedResponse, type HospitalInfo, type Resource, type Topic } from '@kindred/protocol';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, max = 2_000): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function optional(value: unknown): string | undefined {
  const text = str(value);
  return text === '' ? undefined : text;
}

/** A resource from the relay with the shape checked; undefined when it is not one. */
export function parseResource(value: unknown): Resource | undefined {
  if (!isRecord(value)) return undefined;
  const id = str(value['id'], 40);
  const name = str(value['name'], 200);
  if (!id || !name) return undefined;
  const resource: Resource = { id, name };
  const description = optional(value['description']);
  const phone = optional(value['phone']);
  const url = optional(value['url']);
  const hours = optional(value['hours']);
  if (description) resource.description = description;
  if (phone) resource.phone = phone;
  if (url) resource.url = url;
  if (hours) resource.hours = hours;
  return resource;
}

/** A topic survivors may choose, with the shape checked (labels: text only); undefined when it is not one. */
function parseTopic(value: unknown): Topic | undefined {
  if (!isRecord(value)) return undefined;
  const id = str(value['id'], 40);
  const label = str(value['label'], 200);
  const labels = isRecord(value['labels']) ? value['labels'] : {};
  return id && label ? { id, label, labels: Object.fromEntries(Object.entries(labels).map(([tag, text]) => [tag, str(text, 200)])) } : undefined;
}

/** A canned response for the console, with the shape checked (texts: text only); undefined when it is not one. */
function parseCannedResponse(value: unknown): CannedResponse | undefined {
  if (!isRecord(value)) return undefined;
  const id = str(value['id'], 40);
  const title = str(value['title'], limits.cannedResponseTitle);
  const text = str(value['text'], limits.messageText);
  const texts = isRecord(value['texts']) ? value['texts'] : {};
  return id && title && text
    ? { id, title, text, texts: Object.fromEntries(Object.entries(texts).map(([tag, each]) => [tag, str(each, limits.messageText)]).filter(([, each]) => each !== '')) }
    : undefined;
}

/**
 * Checks the shape of what `/hospital.json` sent and keeps only what the frame shows. The
 * relay is trusted, but a proxy or a half-written config may not be: a wrong field becomes
 * empty rather than breaking the first screen.
 */
export function parseHospital(value: unknown): HospitalInfo | undefined {
  if (!isRecord(value)) return undefined;
  const emergency = isRecord(value['emergency']) ? value['emergency'] : {};
  const list = (key: string): unknown[] => (Array.isArray(value[key]) ? value[key] : []);
  const resources = list('resources');
  return {
    name: str(value['name'], 200),
    emergency: { label: str(emergency['label'], 200), phone: str(emergency['phone'], 40) },
    confidentiality: str(value['confidentiality']),
    peerHours: str(value['peerHours'], 200),
    exitUrl: str(value['exitUrl']),
    resources: resources.map(parseResource).filter((each): each is Resource => each !== undefined).slice(0, 50),
    topics: list('topics').map(parseTopic).filter((each): each is Topic => each !== undefined).slice(0, 20),
    // Language tags only: each becomes an option's `lang` and value.
    languages: list('languages').filter((tag): tag is string => typeof tag === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)).slice(0, 20),
    cannedResponses: list('cannedResponses').map(parseCannedResponse).filter((each): each is CannedResponse => each !== undefined).slice(0, limits.cannedResponses),
  };
}

/**
 * What `/hospital.json` holds: the hospital's public information, and its overrides of the
 * widget's strings by language (`strings`, absent when it has none), whose shape is checked
 * where they are used (`internal/i18n.ts`).
 */
export interface LoadedHospital {
  hospital: HospitalInfo;
  strings: unknown;
}

/**
 * Fetches `/hospital.json` from the relay at `server`; undefined when it cannot, within 5 s:
 * the frame's first render waits for it, and a hung request must not leave a blank chat.
 */
export async function loadHospital(server: string): Promise<LoadedHospital | undefined> {
  try {
    // No cookies and no referrer: the frame sends nothing about the survivor (privacy rule 2).
    const response = await fetch(new URL('/hospital.json', server), { credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    const hospital = parseHospital(body);
    return hospital && { hospital, strings: (body as Record<string, unknown>)['strings'] };
  } catch {
    return undefined;
  }
}

/**
 * A `tel:` link for a phone number as people write it ("116 123", "+44 (0)20 7946 0000"):
 * digits and a leading + only, or undefined when the text is not a phone number at all.
 */
export function telHref(phone: string | undefined): string | undefined {
  if (!phone || !/^\+?[\d\s().-]{2,40}$/.test(phone.trim())) return undefined;
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 2 || digits.length > 20) return undefined;
  return `tel:${trimmed.startsWith('+') ? '+' : ''}${digits}`;
}
