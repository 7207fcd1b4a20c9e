// The sanitiser reads outside text whole before it is cut (a cut must not halve a secret), so
// its work must grow in step with the text: a 128 KiB health component name once held a 3 s-deadline smoke test
// for 89 s, as a URL pattern retried its scheme from every word boundary. These tests count the
// scanners' steps (scanWork), never the clock: a linear pass stays under a small multiple of the text's length,
// where a quadratic one is thousands of times over it at these sizes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import fc from 'fast-check';
import { runBundle } from '../cli/local-runner.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';
import { errors } from './support.js';
import { ignoredRules } from '../actions/migrate/src/lint.js';
import {
  codeSpan,
  escapeHtml,
  escapeMarkdown,
  forLog,
  inline,
  redactUrl,
  redactUrls,
  scanWork,
  secretsIn,
  urlsIn,
} from '../shared/sanitise.js';

let app: Target;
beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  app = await startTarget();
});
afterAll(async () => {
  jest.restoreAllMocks();
  await app.close();
});

const KIB = 1024;

/** Steps per character a linear scan may take: each character is looked at a bounded number of times. */
const STEPS_PER_CHAR = 4;

/** Runs every outside-text entry point of the sanitiser on `text` and returns the scanners' steps. */
function workFor(text: string): number {
  scanWork.steps = 0;
  inline(text, 200);
  escapeMarkdown(text);
  codeSpan(text);
  escapeHtml(text);
  forLog(text);
  redactUrls(text);
  secretsIn(text);
  return scanWork.steps;
}

// Each is a near miss for a URL or a query parameter, repeated: the shapes that make a backtracking pattern retry
// from every position.
const ADVERSARIAL_UNITS = [
  'a-',
  'a.',
  'a+',
  'x1.',
  '?',
  '??a',
  'a://',
  ':// ',
  '-a',
  '&b',
  ';',
  '%',
  '=',
  'a?b',
  '@',
  'é-',
];
const SHAPES: Array<[string, (n: number) => string]> = [
  ['a scheme-like run before a :// that starts no URL', (n) => `${'a-'.repeat(n / 2)} ://`],
  ['dots: a word boundary at every other character', (n) => `${'a.'.repeat(n / 2)}://`],
  ['a URL whose query is all question marks', (n) => `http://h/${'?'.repeat(n)}`],
  ['question marks then a name that never meets =', (n) => `http://user:pw@h/?${'?a'.repeat(n / 2)}#`],
  ['many :// with nothing after them', (n) => 'a://'.repeat(n / 4)],
  ['a long URL-shaped component name', (n) => `https://${'a-'.repeat(n / 2)}?token=${'b?'.repeat(n / 4)}`],
];

describe('the sanitiser does work linear in the text', () => {
  test.each(SHAPES)(
    '%s: 128 KiB take at most a few steps a character, and twice the text twice the work',
    (_name, make) => {
      const small = make(64 * KIB);
      const large = make(128 * KIB);
      const smallWork = workFor(small);
      const largeWork = workFor(large);
      expect(largeWork).toBeLessThanOrEqual(STEPS_PER_CHAR * 7 * large.length);
      // Quadratic work would be four times over, not two.
      expect(largeWork).toBeLessThanOrEqual(2.2 * smallWork + 64);
    },
  );

  test('property: any text built of adversarial pieces, up to 128 KiB, costs a bounded number of steps per character', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ADVERSARIAL_UNITS), fc.integer({ min: 1, max: 16 * KIB })), {
          minLength: 1,
          maxLength: 8,
        }),
        (runs) => {
          const text = runs
            .map(([unit, times]) => unit.repeat(times))
            .join('')
            .slice(0, 128 * KIB);
          expect(workFor(text)).toBeLessThanOrEqual(STEPS_PER_CHAR * 7 * text.length + 64);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// The scanners replace regular expressions; these are the patterns they stand for, run on short texts only (where
// their backtracking costs nothing), so the scanners are shown to find exactly what the patterns found.
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
// `#` starts parameters too: the fragment's (OAuth's #access_token=).
const PARAM_PATTERN = /([?&;#])([^=&#;]*)=([^&#;]*)/g;

function redactUrlByPatterns(url: string): string {
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
  const secretName = (name: string) =>
    /token|secret|key|sig|pass|pwd|auth|bypass|credential|jwt|session|^sid$|^code$|hmac|ticket|assertion/i.test(name);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return `${scheme}${host}${rest.replace(PARAM_PATTERN, (whole, sep: string, key: string, value: string) => (value && secretName(decode(key)) ? `${sep}${key}=***` : whole))}`;
}

const PIECES = [
  'http',
  's',
  '://',
  'a',
  'Z',
  '9',
  '-',
  '.',
  '+',
  '_',
  ' ',
  '\n',
  '"',
  "'",
  '<',
  '`',
  ':',
  '/',
  '@',
  'user',
  'pw',
  '?',
  '&',
  ';',
  '=',
  '#',
  'token',
  'key',
  'x',
  '%41',
  '%zz',
  'é',
];
const textOfPieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));

describe('the scanners find what the patterns they replace found', () => {
  test('property: the same URLs in any text', () => {
    fc.assert(
      fc.property(textOfPieces, (text) => {
        expect(urlsIn(text)).toEqual([...text.matchAll(URL_PATTERN)].map((m) => m[0]));
      }),
      { numRuns: 3000 },
    );
  });

  test('property: the same redaction of any URL', () => {
    fc.assert(
      fc.property(textOfPieces, (tail) => {
        for (const url of [`https://${tail}`, `postgres://u:p@h/db${tail}`, `http://h/?${tail}`])
          expect(redactUrl(url)).toBe(redactUrlByPatterns(url));
      }),
      { numRuns: 3000 },
    );
  });

  test('examples: credentials and token-like query values are still starred out', () => {
    expect(redactUrls('see https://ci:hunter2-secret@h.example/x?token=abc123&page=2; done')).toBe(
      'see https://ci:***@h.example/x?token=***&page=2; done',
    );
    expect(secretsIn('https://h/?a?api_key=k3y-value#f')).toContain('k3y-value');
    expect(codeSpan('a ``` b')).toBe('````a ``` b````');
  });
});

describe("migrate's -- shipline-ignore comments", () => {
  // The pattern that was replaced: its lazy group and the white space around it shared every blank.
  const IGNORE_PATTERN = /--\s*(?:shipline|squawk)-ignore\s+([a-z0-9,\s-]+?)\s*$/gm;
  const byPattern = (leading: string) => {
    const rules = new Set<string>();
    for (const m of leading.matchAll(IGNORE_PATTERN))
      for (const r of (m[1] as string).split(/[\s,]+/)) if (r) rules.add(r);
    return rules;
  };
  const IGNORE_PIECES = [
    '-- ',
    '--',
    'shipline-ignore',
    'squawk-ignore',
    ' ',
    '\t',
    ',',
    'ban-drop-table',
    'require-lock-timeout',
    'X',
    '!',
    '\n',
  ];

  test('property: the same rules as the pattern read from any one-line comment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...IGNORE_PIECES.filter((p) => p !== '\n')), { maxLength: 12 }),
        (pieces) => {
          const line = pieces.join('');
          expect([...ignoredRules(line)]).toEqual([...byPattern(line)]);
        },
      ),
      { numRuns: 2000 },
    );
    expect([...ignoredRules('-- shipline-ignore ban-drop-table, require-lock-timeout  \nselect 1')]).toEqual([
      'ban-drop-table',
      'require-lock-timeout',
    ]);
  });
});

describe('the smoke-test bundle with a 128 KiB adversarial health component name', () => {
  test('the step gives its own verdict, naming the component, instead of being stopped from outside', async () => {
    // The red team's shape: a word boundary at every other character of a run that ends in `://`.
    const name = `${'a.'.repeat(64 * KIB)} ://x`;
    app.route(
      '/health',
      json(
        503,
        { status: 'fail', checks: { [name]: [{ status: 'fail', output: 'replica lag' }] } },
        'application/health+json',
      ),
    );
    const workspace = mkdtempSync(join(tmpdir(), 'smoke-linear-ws-'));
    // The step's own deadline is 3 s; the runner's limit here only ends a step that never answers (the quadratic
    // sanitiser held it 89 s): what is asserted is that the step reported its verdict itself.
    const result = await runBundle({
      action: 'smoke-test',
      workspace,
      inputs: { url: `${app.url}/health`, deadline: '3s', timeout: '2s', 'max-attempts': 1 },
      timeoutMs: 40_000,
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(errors(result).join('\n')).toMatch(/health fail \(health\+json, status 'fail'\): a\.a\.a\.a/);
    expect(result.stdout).not.toContain('This is a shipline bug');
  }, 60_000);
});
