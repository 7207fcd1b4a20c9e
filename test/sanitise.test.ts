// The one sanitiser for outside text and the one codec of workflow commands, judged by the runner's own reading
// rules (readCommands follows actions/runner's ActionCommandManager): whatever text goes in, no command comes out.
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import fc from 'fast-check';
import {
  codeSpan,
  escapeMarkdown,
  forLog,
  inline,
  redactUrl,
  redactUrls,
  scrub,
  secretsIn,
} from '../shared/sanitise.js';
import * as z from 'zod/mini';
import { runAction } from '../shared/action.js';
import { failureMessage, type InputError, ShiplineError } from '../shared/errors.js';
import { readInputs, url } from '../shared/inputs.js';
import { cell, markdown, table } from '../shared/summary.js';
import { error, info, setSecret, warning } from '../shared/runner.js';
import * as core from '@actions/core';
import { neutraliseCommands, parseCommandLine, readCommands } from '../shared/workflow-commands.js';

// Text built from the pieces that matter to the runner, so the generator reaches them often.
const PIECES = [
  '::',
  ':',
  '##[',
  '[',
  ']',
  '\n',
  '\r',
  '\r\n',
  ' ',
  '\t',
  '\u00a0',
  '\u0085',
  '\u2028',
  'error',
  'add-mask',
  'stop-commands',
  'warning',
  'x',
  '%',
  '%0A',
  '=',
  ',',
];
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((p) => p.join('')),
);

describe('the runner reads workflow commands', () => {
  test('the :: form after white space, the ##[ form anywhere in a line, and a lone \\r ends a line', () => {
    expect(readCommands('  ::error title=t::m').map((c) => [c.command, c.properties.title, c.data])).toEqual([
      ['error', 't', 'm'],
    ]);
    expect(readCommands('some text ##[warning]legacy').map((c) => [c.command, c.data])).toEqual([
      ['warning', 'legacy'],
    ]);
    expect(readCommands('ok\r::add-mask::s3cret').map((c) => [c.command, c.data])).toEqual([['add-mask', 's3cret']]);
    expect(parseCommandLine('::not-a-command::x')).toBeUndefined();
  });

  test('stop-commands switches every command off until its token', () => {
    const stdout = [
      '::stop-commands::tok',
      '::add-mask::hidden',
      '::error::ignored',
      '::tok::',
      '::error::counted',
    ].join('\n');
    expect(readCommands(stdout).map((c) => [c.command, c.data])).toEqual([
      ['stop-commands', 'tok'],
      ['error', 'counted'],
    ]);
  });

  test("@actions/core's encoding round-trips any message and property through the runner's reading", () => {
    const spy = jest.spyOn(process.stdout, 'write');
    try {
      fc.assert(
        fc.property(hostileText, hostileText, (message, title) => {
          const written: string[] = [];
          spy.mockImplementation((chunk: string | Uint8Array) => {
            written.push(String(chunk));
            return true;
          });
          core.error(message, { title });
          const [parsed, ...more] = readCommands(written.join(''));
          expect(more).toEqual([]);
          expect(parsed?.command).toBe('error');
          expect(parsed?.data).toBe(message);
          // The runner trims the properties as a whole, before decoding: a title ending in a space loses it there.
          const wire = /^::error (?:title=)?([^:]*)::/.exec(written.join(''))?.[1] ?? '';
          if (title && wire === wire.trim()) expect(parsed?.properties.title).toBe(title);
        }),
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe('neutraliseCommands', () => {
  test('no text, neutralised, holds a command the runner would read', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(readCommands(neutraliseCommands(text))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  test('it shows the same text, with a zero-width space where a command would start', () => {
    expect(neutraliseCommands('a\n::error::x')).toBe('a\n:\u200b:error::x');
    expect(neutraliseCommands('see ##[group]')).toBe('see #\u200b#[group]');
    expect(neutraliseCommands('no commands: 10:30, a::b')).toBe('no commands: 10:30, a::b');
  });
});

describe('log lines and annotations (shared/runner.ts)', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('info, warning and error with any outside text issue exactly the one command they are', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        written = [];
        info(`server said: ${text}`);
        warning(text, { title: text });
        error(text);
        expect(readCommands(written.join('')).map((c) => c.command)).toEqual(['warning', 'error']);
      }),
      { numRuns: 500 },
    );
  });

  test('a registered secret is starred out of every later line, even when a server quotes it back', () => {
    setSecret('tok-Registered-1');
    info('401 from server: "Authorization: Bearer tok-Registered-1"');
    expect(written.at(-1)).toBe('401 from server: "Authorization: Bearer ***"\n');
    expect(scrub('x tok-Registered-1 y')).toBe('x *** y');
  });

  test('control characters are shown, not obeyed; text is capped', () => {
    expect(forLog('a\u001b[2Kb\u0007')).toBe('a\\x1b[2Kb\\x07');
    expect(forLog('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(inline('one\ntwo\r\nthree')).toBe('one ⏎ two ⏎ three');
  });
});

describe('URL credentials', () => {
  test('passwords, token user names and token-like query values are starred out, whatever the URL', () => {
    expect(redactUrl('https://deploy:pa55@host/x?token=t0k&page=2')).toBe('https://deploy:***@host/x?token=***&page=2');
    expect(redactUrl('https://ghp_abc123@github.com/o/r.git')).toBe('https://***@github.com/o/r.git');
    expect(redactUrls('see http://u:%zz@h/%zz and https://h/?access_token=a%2')).toBe(
      'see http://u:***@h/%zz and https://h/?access_token=***',
    );
    fc.assert(fc.property(fc.string(), (text) => void redactUrls(text)));
  });

  test('the masker finds the same secrets, raw, decoded and as the Basic header they become', () => {
    expect(secretsIn('https://deploy:p%40ss-word@host/?key=k3y-value&x=1').sort()).toEqual(
      ['p%40ss-word', 'p@ss-word', 'k3y-value', Buffer.from('deploy:p@ss-word').toString('base64')].sort(),
    );
    expect(secretsIn('no url here, token=abc')).toEqual([]);
  });
});

describe('summary cells (shared/summary.ts)', () => {
  test('outside text is text: no HTML, link, image or code span of its own, and the row stays one row', () => {
    fc.assert(
      fc.property(hostileText, fc.string(), (a, b) => {
        const text = `${a}<script>x</script>![i](http://t/p.png)[l](http://e/)\`c\`|${b}`;
        const escaped = cell(text);
        expect(escaped).not.toMatch(/<(?!br>)[a-z/!?]/i);
        expect(escaped).not.toMatch(/(?<!\\)\]\(/);
        expect(escaped).not.toMatch(/(?<!\\)`/);
        expect(escaped).not.toMatch(/(?<!\\)\|/);
        expect(escaped).not.toMatch(/[\r\n]/);
      }),
    );
  });

  test('Markdown the action writes itself passes as written; comparisons like p(95)<300 stay readable', () => {
    expect(table(['A', 'B'], [[markdown('**bold**'), 'p(95)<300']])).toBe(
      '| A | B |\n| --- | --- |\n| **bold** | p(95)<300 |',
    );
    expect(escapeMarkdown('<img src=x> & &lt; [a](b)')).toBe('&lt;img src=x> & &amp;lt; \\[a\\](b)');
    expect(codeSpan('GET http://h/a`b|c')).toBe('``GET http://h/a`b\\|c``');
  });
});

describe('the masker in readInputs (every action: api-url, verify-url, base-url, …)', () => {
  test('URL credentials in any input are registered before validation, and no problem shows them', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const schema = z.object({ 'api-url': url(), 'verify-url': url() });
      const raw: Record<string, string> = {
        'api-url': 'https://ci:api-Sekret-1@api.example.com/v1',
        'verify-url': 'ftp://ver-Token-2@example.com/%zz?key=key-Sekret-3',
      };
      let problem = '';
      try {
        readInputs({ schema }, (name) => raw[name] ?? '');
      } catch (error) {
        problem = (error as InputError).message;
      }
      const masks = readCommands(written.join(''))
        .filter((c) => c.command === 'add-mask')
        .map((c) => c.data);
      expect(masks).toEqual(expect.arrayContaining(['api-Sekret-1', 'ver-Token-2', 'key-Sekret-3']));
      expect(problem).toBe("Input 'verify-url' must be an http(s) URL, got 'ftp://***@example.com/%zz?key=***'");
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the one outermost catch (shared/action.ts)', () => {
  test('an error nobody foresaw fails the step with one sentence; its stack goes to the debug log only', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await runAction(async () => {
        decodeURIComponent('%zz');
      });
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
    const commands = readCommands(written.join(''));
    expect(commands.filter((c) => c.command === 'error').map((c) => c.data)).toEqual([
      "Unexpected error (URIError): URI malformed. This is a shipline bug: please report it with the step's debug log.",
    ]);
    expect(commands.find((c) => c.command === 'debug')?.data).toMatch(/^URIError: URI malformed\n\s+at /);
    expect(failureMessage(new ShiplineError('Input x is bad', { hint: 'Set x.' }))).toBe('Input x is bad\nSet x.');
  });
});
