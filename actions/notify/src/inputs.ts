import * as z from 'zod/mini';
import {
  boolean,
  duration,
  field,
  list,
  oneOf,
  type RawInputs,
  readInputs,
  text,
  url,
} from '../../../shared/inputs.js';
import { nestingDepth } from '../../../shared/collections.js';

const STATUSES = ['started', 'succeeded', 'failed', 'rolled-back', 'cancelled', 'awaiting-approval'] as const;
export type PipelineStatus = (typeof STATUSES)[number];

/** GitHub's `job.status` and common spellings, so `status: ${{ job.status }}` just works. */
const STATUS_ALIASES: Record<string, PipelineStatus> = {
  success: 'succeeded',
  failure: 'failed',
  canceled: 'cancelled',
  rollback: 'rolled-back',
  rolled_back: 'rolled-back',
  pending: 'awaiting-approval',
  waiting: 'awaiting-approval',
};

export type Mention = { kind: 'here' | 'channel' | 'everyone' } | { kind: 'user' | 'group'; id: string };

function parseMention(item: string): Mention | undefined {
  const word = item.replace(/^[@!]/, '').toLowerCase();
  if (word === 'here' || word === 'channel' || word === 'everyone') return { kind: word };
  if (/^[UW][A-Z0-9]{2,}$/.test(item)) return { kind: 'user', id: item };
  if (/^S[A-Z0-9]{2,}$/.test(item)) return { kind: 'group', id: item };
  return undefined;
}

const mentions = field<Mention[]>((raw) => {
  const items = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = items.map(parseMention);
  return parsed.every(Boolean)
    ? { ok: true, value: parsed as Mention[] }
    : {
        ok: false,
        expected: 'must be a comma-separated list of here, channel, everyone, user IDs (U…) or user group IDs (S…)',
      };
});

/** Unix seconds or an ISO 8601 time, to a Date. */
export function parseInstant(raw: string): Date | undefined {
  const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const instant = field<Date | undefined>((raw) => {
  if (raw === undefined) return { ok: true, value: undefined };
  const date = parseInstant(raw);
  return date ? { ok: true, value: date } : { ok: false, expected: 'must be an ISO 8601 time or Unix seconds' };
});

/**
 * How deeply a payload may nest. Slack's deepest Block Kit layouts (rich text lists in a block) nest under ten
 * levels; past this limit the payload is refused as input, before a recursive walk of it could overflow the stack.
 */
export const MAX_PAYLOAD_DEPTH = 64;
const TOO_DEEP = `must be a JSON object nested at most ${MAX_PAYLOAD_DEPTH} levels deep (a Slack message nests under 10)`;
export const payloadTooDeep = (value: unknown) => nestingDepth(value, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH;

const jsonObject = field<Record<string, unknown> | undefined>((raw) => {
  if (raw === undefined) return { ok: true, value: undefined };
  try {
    const value = JSON.parse(raw);
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { ok: false, expected: 'must be a JSON object (a Slack message with text and/or blocks)' };
    return payloadTooDeep(value) ? { ok: false, expected: TOO_DEEP } : { ok: true, value };
  } catch (e) {
    return { ok: false, expected: `must be a JSON object (${(e as Error).message})` };
  }
});

/** Loopback hosts, where plain http crosses no network (tests and the demo's local Slack). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function hasCredentials(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/**
 * A Slack endpoint: https, or http to a loopback host only. A URL with credentials passes here and is reported by
 * rules() instead, in words that do not repeat it (this field's problems would quote the value).
 */
const slackUrl = field<string | undefined>((raw) => {
  if (raw === undefined) return { ok: true, value: undefined };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, expected: 'must be an https URL' };
  }
  if (hasCredentials(raw) || url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))
    return { ok: true, value: raw };
  return { ok: false, expected: 'must be an https URL (plain http only to a loopback address such as 127.0.0.1)' };
});

const schema = z.object({
  status: oneOf(STATUSES, { aliases: STATUS_ALIASES }),
  environment: text(),
  url: url(),
  title: text(),
  message: text(),
  'webhook-url': url({ httpsOnly: true }),
  'bot-token': text({ pattern: /^xox[a-z]-/, expected: 'a Slack token starting with xoxb- (or another xox…- token)' }),
  channel: text(),
  ts: text({ pattern: /^\d+\.\d+$/, expected: 'a Slack message timestamp like 1700000000.123456' }),
  mention: mentions,
  'mention-on': list(),
  'started-at': instant,
  payload: jsonObject,
  'payload-file': text(),
  'fail-on-error': boolean(true),
  'slack-api-url': slackUrl,
  timeout: duration({ default: '10s', max: '5m' }),
});

export type NotifyInputs = z.output<typeof schema>;

function rules(raw: RawInputs): string[] {
  const problems: string[] = [];
  const webhook = raw['webhook-url'];
  const token = raw['bot-token'];
  if (!webhook && !token)
    problems.push(
      "No Slack destination: set input 'webhook-url' (an incoming webhook) or input 'bot-token' (with 'channel')",
    );
  if (webhook && token) problems.push("Inputs 'webhook-url' and 'bot-token' are both set: set only one of them");
  if (token && !raw.channel)
    problems.push("Input 'channel' is required with 'bot-token' (a channel ID like C0123456789, or #name)");
  if (raw.ts && !token) problems.push("Input 'ts' needs 'bot-token': incoming webhooks cannot update a message");
  // chat.update takes the channel ID only; the name that chat.postMessage accepted is channel_not_found there.
  if (raw.ts && token && raw.channel && !/^[CGD][A-Z0-9]{2,}$/.test(raw.channel))
    problems.push(
      "Input 'channel' must be a channel ID (like C0123456789) when 'ts' is set: Slack's chat.update does not take a #name. Pass the 'channel' output of the notify step that posted the message",
    );
  for (const name of ['webhook-url', 'slack-api-url']) {
    if (raw[name] && hasCredentials(raw[name] as string))
      problems.push(
        `Input '${name}' must not contain a user name or password (user:password@host): they cannot be sent that way, and Slack authenticates with the webhook URL or the bot token`,
      );
  }
  if (raw.payload && raw['payload-file'])
    problems.push("Inputs 'payload' and 'payload-file' are both set: set only one of them");
  for (const status of (raw['mention-on'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    if (!(STATUSES as readonly string[]).includes(status) && !STATUS_ALIASES[status]) {
      problems.push(`Input 'mention-on' must list statuses from ${STATUSES.join(', ')}, got '${status}'`);
    }
  }
  return problems;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A webhook URL's path is its secret too: an error that printed only the path would leak it past the mask. So are
 * credentials written into either URL (user:password@), in both their raw and decoded forms.
 */
function derivedSecrets(raw: RawInputs): string[] {
  const secrets: string[] = [];
  for (const name of ['webhook-url', 'slack-api-url']) {
    const value = raw[name];
    if (!value) continue;
    try {
      const url = new URL(value);
      if (name === 'webhook-url') secrets.push(url.pathname);
      for (const part of [url.username, url.password].filter(Boolean)) secrets.push(part, safeDecode(part));
      if (url.username || url.password) secrets.push(value, url.href);
    } catch {
      // Not a URL: the field reports it, and a webhook-url is masked whole anyway.
    }
  }
  return [...new Set(secrets)];
}

export function readNotifyInputs(read?: (name: string) => string): NotifyInputs {
  const inputs = readInputs({ schema, secrets: ['webhook-url', 'bot-token'], derivedSecrets, rules }, read);
  inputs['mention-on'] = inputs['mention-on'].map((s) => STATUS_ALIASES[s.toLowerCase()] ?? s.toLowerCase());
  return inputs;
}
