// Outside text — what a server under test answers, a provider's error body, a commit subject, a PR title, a branch
// name — goes through here before any log line, annotation or job summary shows it. For the log: no workflow
// command can hide in it, control characters are shown rather than obeyed, credentials in URLs are starred out,
// and it is capped. For the summary: no Markdown or HTML of its own. And the masker: the secrets a value carries
// (URL passwords, token-like query values) are found here, so they are registered before anything can print them.
import { neutraliseCommands } from './workflow-commands.js';

/** What a single log call may print; a health body or an error page beyond this is cut, with a mark. */
const LOG_LIMIT = 16 * 1024;
/** What one summary cell may hold: a table stays a table. */
const CELL_LIMIT = 1000;

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

/**
 * Query (and fragment) parameters that carry credentials: tokens, API keys, signatures (AWS X-Amz-Signature, Azure
 * SAS sig, GCS X-Goog-Signature), Vercel's protection bypass, passwords (pass, pwd), JWTs, session ids, and OAuth's
 * one-time `code` (RFC 6749 §4.1.2) — a URL a browser ends at after a login holds some of these.
 */
function isSecretParam(name: string): boolean {
  return /token|secret|key|sig|pass|pwd|auth|bypass|credential|jwt|session|^sid$|^code$|hmac|ticket|assertion/i.test(
    name,
  );
}

/**
 * Work done by the scanners below, in characters looked at. Outside text can be large (a 128 KiB health component
 * name) and is read before it is cut (a cut must not halve a secret), so every pass over it is linear: a test
 * reads this counter to show the work grows in step with the text, where a backtracking pattern's grows with its
 * square. Reset it freely.
 */
export const scanWork = { steps: 0 };

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === 0x5f;
/** A URL scheme's characters after its first letter (RFC 3986: ALPHA / DIGIT / "+" / "-" / "."). */
const isSchemeChar = (c: number) => isLetter(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e;
const URL_END = /[\s"'<>`]/;

/**
 * URLs inside free text: a scheme starting at a word boundary, `://`, and everything up to white space, a quote or
 * an angle bracket — as the pattern /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi would find them, but in one pass: that
 * pattern retries the scheme from every word boundary of a long run (`a-a-a-…`) and so takes quadratic time.
 * Each `://` is looked at once; the scheme before it is read back only as far as the previous `:`.
 */
function urlSpans(text: string): Array<[start: number, end: number]> {
  const spans: Array<[number, number]> = [];
  let from = 0;
  let marker = text.indexOf('://');
  while (marker >= 0) {
    let schemeStart = marker;
    while (schemeStart > from && isSchemeChar(text.charCodeAt(schemeStart - 1))) {
      schemeStart--;
      scanWork.steps++;
    }
    let start = -1;
    for (let k = schemeStart; k < marker && start < 0; k++) {
      scanWork.steps++;
      if (isLetter(text.charCodeAt(k)) && (k === 0 || !isWordChar(text.charCodeAt(k - 1)))) start = k;
    }
    let end = marker + 3;
    while (end < text.length && !URL_END.test(text[end] as string)) {
      end++;
      scanWork.steps++;
    }
    if (start >= 0 && end > marker + 3) {
      spans.push([start, end]);
      from = end;
      marker = text.indexOf('://', end);
    } else {
      marker = text.indexOf('://', marker + 1);
    }
  }
  return spans;
}

/** Each URL in a text, as written. */
export function urlsIn(text: string): string[] {
  return urlSpans(text).map(([start, end]) => text.slice(start, end));
}

/** The text with each URL in it replaced by what `replace` makes of it. */
function replaceUrls(text: string, replace: (url: string) => string): string {
  let out = '';
  let last = 0;
  for (const [start, end] of urlSpans(text)) {
    out += text.slice(last, start) + replace(text.slice(start, end));
    last = end;
  }
  return out + text.slice(last);
}

/**
 * The `name=value` parameters after a URL's authority: a `?`, `&`, `;` or `#`, a name up to `=` (stopping at `&`,
 * `#` or `;`), a value up to `&`, `#` or `;` — in one pass, where /([?&;])([^=&#;]*)=([^&#;]*)/g retried the name
 * from every `?` of a run of them (quadratic). The fragment counts: OAuth's implicit flow returns its
 * `#access_token=` there (RFC 6749 §4.2.2), and a URL is shown whole.
 */
function queryParams(rest: string): Array<{ nameStart: number; valueStart: number; valueEnd: number }> {
  const params: Array<{ nameStart: number; valueStart: number; valueEnd: number }> = [];
  const isSeparator = (c: string | undefined) => c === '?' || c === '&' || c === ';' || c === '#';
  let i = 0;
  while (i < rest.length) {
    scanWork.steps++;
    if (!isSeparator(rest[i])) {
      i++;
      continue;
    }
    // Every `?` inside the name would stop at the same place: the first start decides for all of them.
    let stop = i + 1;
    while (stop < rest.length && !'=&#;'.includes(rest[stop] as string)) {
      stop++;
      scanWork.steps++;
    }
    if (rest[stop] !== '=') {
      i = stop;
      continue;
    }
    let valueEnd = stop + 1;
    while (valueEnd < rest.length && !'&#;'.includes(rest[valueEnd] as string)) {
      valueEnd++;
      scanWork.steps++;
    }
    params.push({ nameStart: i + 1, valueStart: stop + 1, valueEnd });
    i = valueEnd;
  }
  return params;
}

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
  let redactedRest = '';
  let last = 0;
  for (const { nameStart, valueStart, valueEnd } of queryParams(rest)) {
    if (valueEnd === valueStart || !isSecretParam(safeDecode(rest.slice(nameStart, valueStart - 1)))) continue;
    redactedRest += `${rest.slice(last, valueStart)}***`;
    last = valueEnd;
  }
  return `${scheme}${host}${redactedRest}${rest.slice(last)}`;
}

/**
 * Every URL in a text, redacted; a credential of one of them that the text repeats elsewhere (as a host name, a
 * second URL's path) is starred out there too.
 */
export function redactUrls(text: string): string {
  let out = replaceUrls(text, redactUrl);
  for (const secret of secretsIn(text).sort((a, b) => b.length - a.length))
    if (out.includes(secret)) out = out.split(secret).join('***');
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
  for (const url of urlsIn(text)) {
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
      const [user = '', password = ''] =
        colon >= 0 ? [userinfo.slice(0, colon), userinfo.slice(colon + 1)] : [userinfo];
      if (user.length + password.length > 3)
        found.add(Buffer.from(`${safeDecode(user)}:${safeDecode(password)}`).toString('base64'));
    }
    for (const { nameStart, valueStart, valueEnd } of queryParams(rest)) {
      const value = rest.slice(valueStart, valueEnd);
      if (value && isSecretParam(safeDecode(rest.slice(nameStart, valueStart - 1)))) add(value);
    }
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
 * holds no URL (urlSpans needs one), so the URL passes are skipped: a summary table calls this for every cell.
 */
function clean(text: unknown): string {
  const scrubbed = scrub(String(text ?? ''));
  return scrubbed.includes('://') ? redactUrls(scrubbed) : scrubbed;
}

/**
 * Outside text shortened to `max` characters for a message of ours (a provider's error page, a health component's
 * detail): registered secrets and URL credentials are starred out in the whole text first, and only then is it
 * cut, so a cut can never leave a secret's first characters behind.
 */
export function excerpt(text: unknown, max: number): string {
  return cap(clean(text), max);
}

/** The longest run of `char` in a text (a loop: no spread of a list as long as the text into Math.max). */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text[i] === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
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
  return (
    showControls(cap(clean(text), max))
      .replace(/\\/g, '\\\\')
      .replace(/&(?=#?\w+;)/g, '&amp;')
      // Only a < that could open a tag, a comment or an autolink: `p(95)<300` stays as people write it.
      .replace(/<(?=[a-z/!?])/gi, '&lt;')
      .replace(/([[\]`|])/g, '\\$1')
      .replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, '<br>')
  );
}

/** Outside text as a Markdown code span: a fence longer than any run of backticks in it, pipes escaped for tables. */
export function codeSpan(text: unknown, max = CELL_LIMIT): string {
  const body = showControls(cap(clean(text), max)).replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, ' ');
  const longest = longestRun(body, '`');
  const fence = '`'.repeat(longest + 1);
  const padded = body.startsWith('`') || body.endsWith('`') ? ` ${body} ` : body;
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

/** Outside text inside HTML (a <summary>, an attribute). */
export function escapeHtml(text: unknown, max = CELL_LIMIT): string {
  return showControls(cap(clean(text), max)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
