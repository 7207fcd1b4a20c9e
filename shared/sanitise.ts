// Outside text — what a server under test answers, a provider's error body, a commit subject, a PR title, a branch
// name — goes through here before any log line, annotation or job summary shows it. For the log: no workflow
// command can hide in it, control characters are shown rather than obeyed, credentials in URLs are starred out,
// and it is capped. For the summary: no Markdown or HTML of its own. And the masker: the secrets a value carries
// (URL passwords, token-like query values) are found here, so they are registered before anything can print them.
import { neutraliseCommands } from './workflow-commands.js';

/** What a single log call may print; a health body or an error page beyond this is cut, with a mark. */
export const LOG_LIMIT = 16 * 1024;
/** What one summary cell may hold: a table stays a table. */
export const CELL_LIMIT = 1000;

/** Cuts text to `max` characters (never inside a surrogate pair), marking the cut with `…`. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

// C0 and C1 controls other than tab and the line breaks: escape sequences would recolour, hide or rewrite the
// log a person reads (ESC [2K erases a line); they are shown as \x1b instead.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;

function showControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Query parameters that carry credentials (tokens, API keys, signatures, Vercel's protection bypass). */
export function isSecretParam(name: string): boolean {
  return /token|secret|key|sig|password|passwd|auth|bypass|credential/i.test(name);
}

/** URLs inside free text: a scheme, `://`, and everything up to white space, a quote or an angle bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/**
 * A URL with its secrets starred out: the password (or a lone user name, which is then a token, as in
 * `https://<token>@github.com`) and token-like query values. Works on text, so it never throws, whatever the URL.
 */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!match) return url;
  const [, scheme = '', authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  let host = authority;
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    host = `${colon >= 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@${authority.slice(at + 1)}`;
  }
  const redactedRest = rest.replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (whole, sep: string, key: string, value: string) =>
    value && isSecretParam(safeDecode(key)) ? `${sep}${key}=***` : whole,
  );
  return `${scheme}${host}${redactedRest}`;
}

/**
 * Every URL in a text, redacted; a credential of one of them that the text repeats elsewhere (as a host name, a
 * second URL's path) is starred out there too.
 */
export function redactUrls(text: string): string {
  let out = text.replace(URL_IN_TEXT, redactUrl);
  for (const secret of secretsIn(text).sort((a, b) => b.length - a.length)) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** decodeURIComponent that never throws: a malformed escape stays as written. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A `%` not followed by two hex digits: fetch and servers disagree on what such a URL means, so it is refused. */
export function malformedEscape(text: string): string | undefined {
  return /%(?![0-9a-f]{2})[\s\S]{0,2}/i.exec(text)?.[0];
}

/**
 * The secrets a value carries, for the masker: in every URL in it, the password (raw and decoded), a user name
 * standing alone (a token), and the values of token-like query parameters. Values of three characters or fewer
 * are left out: masking them would star out ordinary words across the whole log.
 */
export function secretsIn(text: string): string[] {
  const found = new Set<string>();
  const add = (value: string) => {
    for (const v of [value, safeDecode(value)]) if (v.length > 3) found.add(v);
  };
  for (const [url] of text.matchAll(URL_IN_TEXT)) {
    const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/is.exec(url);
    if (!match) continue;
    const [, authority = '', rest = ''] = match;
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) add(userinfo.slice(colon + 1));
      else add(userinfo);
      // Sent as Basic authorization (shared/http.ts, node:http): a server quoting that header quotes this.
      const [user = '', password = ''] = colon >= 0 ? [userinfo.slice(0, colon), userinfo.slice(colon + 1)] : [userinfo];
      if (user.length + password.length > 3) found.add(Buffer.from(`${safeDecode(user)}:${safeDecode(password)}`).toString('base64'));
    }
    for (const [, key = '', value = ''] of rest.matchAll(/[?&;]([^=&#;]*)=([^&#;]*)/g)) if (value && isSecretParam(safeDecode(key))) add(value);
  }
  return [...found];
}

// The secrets registered with the runner's masker in this process (runner.setSecret adds them). The runner masks
// the log itself, but not the job summary or outputs, and a server that echoes a token back (a 401 page quoting
// the Authorization header) would put it into both: so every text that leaves through here is scrubbed too.
const known = new Set<string>();
/** `known`, longest first (a token inside a longer one): sorted once per new secret, not once per text scrubbed. */
let longestFirst: string[] = [];

/** Remembers a secret for scrub(); values of three characters or fewer are not scrubbed (they are words). */
export function rememberSecret(value: string): void {
  if (value.length <= 3 || known.has(value)) return;
  known.add(value);
  longestFirst = [...known].sort((a, b) => b.length - a.length);
}

/** Text with every remembered secret replaced by ***, the longest first (a token inside a longer one). */
export function scrub(text: string): string {
  let out = text;
  for (const secret of longestFirst) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/**
 * Redaction for outside text: remembered secrets, then the credentials of any URL in it. A text without `://`
 * holds no URL (URL_IN_TEXT needs one), so the URL passes are skipped: a summary table calls this for every cell.
 */
function clean(text: unknown): string {
  const scrubbed = scrub(String(text ?? ''));
  return scrubbed.includes('://') ? redactUrls(scrubbed) : scrubbed;
}

/**
 * Any log line or annotation (runner.ts sends every one through here): workflow commands neutralised, control
 * characters shown, registered secrets starred out, capped at `max` characters. URLs are left as written — an
 * action's own text may show one on purpose (`postgresql://user:password@host` as the expected form); outside
 * text has its URL credentials starred out by inline() before it gets here.
 */
export function forLog(text: unknown, max = LOG_LIMIT): string {
  return neutraliseCommands(showControls(cap(scrub(String(text ?? '')), max)));
}

/** Outside text inside a sentence of ours: on one line (breaks shown as ⏎), URL credentials starred out, as forLog. */
export function inline(text: unknown, max = 500): string {
  return forLog(
    clean(text)
      .replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, ' ⏎ ')
      .trim(),
    max,
  );
}

/**
 * Outside text as literal Markdown text: HTML cannot open (a < before a tag becomes &lt;), links and images cannot form
 * ([ and ] escaped), code spans cannot open (backticks escaped), table cells cannot split (pipes escaped). Line
 * breaks become <br>. Emphasis characters are left alone: at worst they style a word, and file names keep their
 * underscores readable in the raw file the CLI prints.
 */
export function escapeMarkdown(text: unknown, max = CELL_LIMIT): string {
  return showControls(cap(clean(text), max))
    .replace(/\\/g, '\\\\')
    .replace(/&(?=#?\w+;)/g, '&amp;')
    // Only a < that could open a tag, a comment or an autolink: `p(95)<300` stays as people write it.
    .replace(/<(?=[a-z/!?])/gi, '&lt;')
    .replace(/([[\]`|])/g, '\\$1')
    .replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, '<br>');
}

/** Outside text as a Markdown code span: a fence longer than any run of backticks in it, pipes escaped for tables. */
export function codeSpan(text: unknown, max = CELL_LIMIT): string {
  const body = showControls(cap(clean(text), max)).replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, ' ');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = body.startsWith('`') || body.endsWith('`') ? ` ${body} ` : body;
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

/** Outside text inside HTML (a <summary>, an attribute). */
export function escapeHtml(text: unknown, max = CELL_LIMIT): string {
  return showControls(cap(clean(text), max)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
