// The Slack message: a Block Kit layout built from the event, or the user's own payload with the event's fields
// filled into its template variables.
import { ShiplineError } from '../../../shared/errors.js';
import { formatDuration, type PipelineEvent } from './event.js';
import { code, escapeMrkdwn, formatMentions, link } from './mrkdwn.js';

export type SlackMessage = { text?: string; blocks?: Block[]; [key: string]: unknown };
export type Block = { type: string; [key: string]: unknown };

const STATUS_LABEL: Record<PipelineEvent['status'], string> = {
  started: 'Started',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'rolled-back': 'Rolled back',
  cancelled: 'Cancelled',
  'awaiting-approval': 'Awaiting approval',
};

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

/** The notification text (what push notifications and screen readers show): plain, escaped, one line. */
function fallbackText(event: PipelineEvent): string {
  const parts = [
    `${event.title}`,
    event.repository,
    event.shortSha && `${event.shortSha}${event.commitSubject ? ` ${event.commitSubject}` : ''}`,
    event.actor && `by ${event.actor}`,
  ];
  return escapeMrkdwn(parts.filter(Boolean).join(' · '));
}

export function buildMessage(event: PipelineEvent): SlackMessage {
  const mention = formatMentions(event.mentions);
  const commit = event.shortSha
    ? `${link(event.commitUrl, event.shortSha)}${event.commitSubject ? ` ${escapeMrkdwn(event.commitSubject)}` : ''}`
    : '';
  const headline = [event.repository && `*${link(event.repositoryUrl, event.repository)}*`, code(event.ref), commit]
    .filter(Boolean)
    .join('  ·  ');
  const fields = [
    event.environment && mrkdwn(`*Environment*\n${escapeMrkdwn(event.environment)}`),
    mrkdwn(`*Status*\n${event.emoji} ${STATUS_LABEL[event.status]}`),
    event.url && mrkdwn(`*URL*\n${link(event.url, event.url)}`),
    event.durationMs !== undefined && mrkdwn(`*Duration*\n${formatDuration(event.durationMs)}`),
  ].filter(Boolean);
  const footer = [
    event.runUrl && link(event.runUrl, event.runLabel || 'Workflow run'),
    event.actor && `triggered by ${escapeMrkdwn(event.actor)}`,
  ]
    .filter(Boolean)
    .join('  ·  ');

  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: event.title, emoji: true } }];
  const lead = [mention, headline].filter(Boolean).join(' ');
  if (lead) blocks.push({ type: 'section', text: mrkdwn(lead) });
  if (event.message) blocks.push({ type: 'section', text: mrkdwn(escapeMrkdwn(event.message)) });
  blocks.push({ type: 'section', fields });
  if (footer) blocks.push({ type: 'context', elements: [mrkdwn(footer)] });
  return { text: [mention, fallbackText(event)].filter(Boolean).join(' '), blocks };
}

/**
 * The values a user payload may use, in two forms: for mrkdwn text, escaped so they can neither ping nor make
 * links; for URL fields (a button's `url`, an `image_url`), which Slack does not read as mrkdwn, the URLs as they
 * are (escaped, `&` would become `&amp;` in the link) and every other value percent-encoded.
 */
export interface TemplateVariables {
  text: Record<string, string>;
  url: Record<string, string>;
}

const URL_VARIABLES = new Set(['url', 'commit_url', 'run_url']);
/** Keys of Block Kit and attachment fields that hold a URL rather than text. */
const URL_FIELD = /^(url|[a-z_]*_url|[a-z_]*_link)$/;

export function templateVariables(event: PipelineEvent): TemplateVariables {
  const raw: Record<string, string> = {
    status: event.status,
    emoji: event.emoji,
    title: event.title,
    environment: event.environment,
    url: event.url ?? '',
    repository: event.repository,
    ref: event.ref,
    sha: event.sha,
    short_sha: event.shortSha,
    commit_subject: event.commitSubject,
    commit_url: event.commitUrl,
    actor: event.actor,
    run_url: event.runUrl,
    duration: formatDuration(event.durationMs),
    mention: formatMentions(event.mentions),
  };
  const entries = Object.entries(raw);
  return {
    // Mentions are Slack syntax built from validated IDs: escaping them would stop them pinging.
    text: Object.fromEntries(entries.map(([name, value]) => [name, name === 'mention' ? value : escapeMrkdwn(value)])),
    url: Object.fromEntries(
      entries.map(([name, value]) => [name, URL_VARIABLES.has(name) ? value : encodeURIComponent(value)]),
    ),
  };
}

const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Fills {{ variables }} into the string values of a user payload. Substitution happens inside parsed JSON
 * strings, so a value can never break the JSON or add fields; an unknown variable is an error, not a blank.
 */
export function renderPayload(
  payload: Record<string, unknown>,
  variables: TemplateVariables,
  source: string,
): SlackMessage {
  const unknown = new Set<string>();
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      const set = URL_FIELD.test(key) ? variables.url : variables.text;
      return value.replace(VARIABLE, (whole, name: string) => {
        if (name in set) return set[name] as string;
        unknown.add(name);
        return whole;
      });
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  const rendered = walk(payload, '') as SlackMessage;
  if (unknown.size > 0) {
    throw new ShiplineError(
      `${source} uses unknown template variable${unknown.size > 1 ? 's' : ''} ${[...unknown].map((n) => `{{ ${n} }}`).join(', ')}`,
      {
        hint: `Available: ${Object.keys(variables.text)
          .map((n) => `{{ ${n} }}`)
          .join(', ')}`,
      },
    );
  }
  return rendered;
}
