// The smoke-test bundle against hostile input, run as the runner runs it: a server under test whose
// answers hold workflow commands, Markdown and escape sequences; inputs that carry credentials in malformed
// places; durations that would make a wait unbounded; URLs no request can be sent to. Each test names the fault
// class; README.md's "Reliability" section lists what happens in each.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, type RunResult, runBundle } from '../cli/local-runner.js';
import { readCommands } from '../shared/workflow-commands.js';
import { json, startTarget, type Target, text } from './fakes/smoke-target.js';
import { closedPort, errors, expectNoSecrets } from './support.js';

let app: Target;
const workspace = mkdtempSync(join(tmpdir(), 'smoke-hostile-ws-'));

beforeAll(async () => {
  app = await startTarget();
});
afterAll(() => app.close());
beforeEach(() => app.reset());

function smoke(inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}): Promise<RunResult> {
  return runBundle({ action: 'smoke-test', inputs, workspace, timeoutMs: 30_000, ...extra });
}

/** Every line of output but the debug log (where the stack of an unforeseen error may go). */
function shownLines(result: RunResult): string {
  return result.visibleStdout
    .split('\n')
    .filter((line) => !line.startsWith('::debug::'))
    .join('\n');
}

const STACK_FRAME = /\n\s+at .+[(:]\d+/;

// What a compromised or merely odd server can put in its health answer: the `::` commands (also after white space
// and after a lone \r, which ends a line for the runner), the legacy `##[` form that counts anywhere in a line,
// stop-commands (which would switch off every mask and annotation after it), an ANSI escape that erases a line,
// and Markdown/HTML for the job summary.
const HOSTILE = [
  '\u001b[2Kerased <img src=x onerror=alert(1)> [click](http://evil.example/) `code`',
  '::error title=pwned::injected error',
  '::add-mask::Smoke',
  '  ::stop-commands::tok1',
  'before ##[warning]legacy warning',
  '\r::notice::after a carriage return',
].join('\n');

describe('outside text never acts as a workflow command', () => {
  test('a health body with ::error, ::add-mask, ::stop-commands and ##[ in component names and details', async () => {
    app.route(
      '/health',
      json(
        503,
        {
          status: 'fail',
          checks: { [`db\n::error title=pwned-name::from a component name`]: [{ status: 'fail', output: HOSTILE }] },
        },
        'application/health+json',
      ),
    );
    app.route('/page', text(503, `Service Unavailable ##[error]legacy error in a body ##[add-mask]Unavailable`));
    const result = await smoke({ url: `${app.url}/health\n${app.url}/page`, 'max-attempts': 1 });
    expect(result.exitCode).toBe(1);

    // The runner's view of stdout: only the commands the action issued itself.
    const commands = readCommands(result.stdout);
    expect(commands.map((c) => c.command)).not.toContain('stop-commands');
    expect(result.masks).toEqual([]);
    expect(result.annotations.map((a) => [a.level, a.title])).toEqual([
      ['error', 'smoke-test: /health failed'],
      ['error', 'smoke-test: /page failed'],
      ['error', undefined],
    ]);
    // The last annotation comes after the hostile text: commands were not switched off.
    expect(errors(result)[2]).toMatch(/^Smoke test: 2 of 2 checks failed/);
    // The text itself is still there for a person to read, on the check's line.
    expect(result.visibleStdout).toContain('injected error');
    expect(result.visibleStdout).not.toContain('\u001b');

    // The job summary shows the server's text as text: no HTML, no link, no code span of its own.
    expect(result.summary).not.toMatch(/<img/i);
    expect(result.summary).not.toMatch(/(?<!\\)\]\(http:\/\/evil/);
    expect(result.summary).toContain('&lt;img src=x onerror=alert(1)>');
    expect(result.summary).toContain('\\[click\\](http://evil.example/)');
  });
});

describe('secrets never reach stdout, the summary or an output', () => {
  test('a malformed headers line: every value is masked, none is echoed, the bad line is named by number', async () => {
    const result = await smoke({
      url: `${app.url}/`,
      headers: 'Authorization: Bearer hdr-Sekret-1\nX-Api-Key: key-Sekret-2\nToken line-Sekret-3',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'headers' must be 'Name: value' lines (line 3 has no 'Name:' before its value)",
    );
    expect(result.masks).toEqual(
      expect.arrayContaining(['Bearer hdr-Sekret-1', 'key-Sekret-2', 'Token line-Sekret-3']),
    );
    expectNoSecrets(result, ['hdr-Sekret-1', 'key-Sekret-2', 'line-Sekret-3']);
    expect(app.hits).toEqual([]);
  });

  test('credentials in an invalid base-url are masked and starred out of the problem', async () => {
    const result = await smoke({ 'base-url': 'ftp://deploy:ftp-Sekret-4@127.0.0.1/app' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'base-url' must be an http(s) URL, got 'ftp://deploy:***@127.0.0.1/app'",
    );
    expect(result.masks).toContain('ftp-Sekret-4');
    expectNoSecrets(result, ['ftp-Sekret-4']);
  });

  test('a token as the URL user name, and a server that echoes credentials back, leave no trace', async () => {
    // A 401 page quoting what it was sent, as some frameworks' debug pages do.
    app.route('/private', (req, res) =>
      text(401, `denied: authorization=${req.headers.authorization} url=${req.path}`, 'text/plain')(req, res, 0),
    );
    const url = `${app.url.replace('http://', 'http://ghp-User-Sekret-5@')}/private?access_token=qry-Sekret-6`;
    const result = await smoke({ url, headers: 'X-Api-Key: hdr-Sekret-7', 'max-attempts': 1 });
    expect(result.exitCode).toBe(1);
    expect(app.hits[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ghp-User-Sekret-5:').toString('base64')}`);
    expect(result.masks).toEqual(expect.arrayContaining(['ghp-User-Sekret-5', 'qry-Sekret-6', 'hdr-Sekret-7']));
    const report = JSON.parse(result.outputs.report as string) as { checks: { url: string; reason: string }[] };
    expect(report.checks[0]?.url).toMatch(/^http:\/\/\*\*\*@127\.0\.0\.1:\d+\/private\?access_token=\*\*\*$/);
    expect(report.checks[0]?.reason).toContain('denied: authorization=Basic');
    expectNoSecrets(result, [
      'ghp-User-Sekret-5',
      'qry-Sekret-6',
      'hdr-Sekret-7',
      Buffer.from('ghp-User-Sekret-5:').toString('base64'),
    ]);
  });
});

describe('every wait has a bound that holds', () => {
  test('a zero or absurd duration is refused at input validation, before any request', async () => {
    const result = await smoke(
      { url: `${app.url}/`, interval: '0', 'max-interval': '0s', deadline: '99999999999999h', timeout: '0.0001s' },
      { timeoutMs: 20_000 },
    );
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    for (const input of ['interval', 'max-interval', 'deadline', 'timeout'])
      expect(message).toContain(`Input '${input}' must be a duration like 30s, 5m or 1h, from 1ms to`);
    expect(app.hits).toEqual([]);
  });

  test('the deadline holds when the wall clock steps back an hour during the run (monotonic clock)', async () => {
    const port = await closedPort();
    const preload = fileURLToPath(new URL('./fixtures/wall-clock-steps-back.mjs', import.meta.url));
    const result = await smoke(
      {
        url: `http://127.0.0.1:${port}/`,
        deadline: '3s',
        timeout: '500ms',
        interval: '100ms',
        'max-interval': '200ms',
      },
      { env: { NODE_OPTIONS: `--import=${preload}` }, timeoutMs: 20_000 },
    );
    // On the wall clock the deadline would have moved an hour away: the run would still be retrying when the runner
    // cut it (timedOut). It ended by its own deadline, which it names.
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(errors(result)[0]).toMatch(/not ready after \d+ attempts in [23]\.\ds: connection refused/);
  });
});

describe('every failure is a sentence, never a stack trace', () => {
  test('a malformed percent escape in a URL is refused at validation, not retried until the deadline', async () => {
    const result = await smoke({ url: `${app.url}/%zz/health`, deadline: '3s', timeout: '1s' }, { timeoutMs: 20_000 });
    expect(result.exitCode).toBe(1);
    expect(errors(result)).toEqual([
      expect.stringContaining(
        "Input 'url' must be http(s) URLs, one per line or separated by commas: '%zz' is not a percent escape (%XX, two hex digits; a literal % is written %25)",
      ),
    ]);
    expect(app.hits).toEqual([]);
    expect(shownLines(result)).not.toMatch(STACK_FRAME);
  });

  test('a malformed escape in a URL password is a sentence, and the password is still masked', async () => {
    const result = await smoke({ url: `http://deploy:%zz-Sekret-8@127.0.0.1:${await closedPort()}/` });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(
      /^Input 'url' must be http\(s\) URLs.*'http:\/\/deploy:\*\*\*@127\.0\.0\.1:\d+\/' is not one/,
    );
    expect(result.masks).toContain('%zz-Sekret-8');
    expectNoSecrets(result, ['zz-Sekret-8']);
    expect(shownLines(result)).not.toMatch(STACK_FRAME);
  });

  test('out-of-range values in a checks document are problems with their place, not timer overflows', async () => {
    const checks = [
      `- url: ${app.url}/%zz`,
      `- url: ${app.url}/ok`,
      '  timeout: 100000h',
      '  expect:',
      '    max-latency: 0ms',
    ].join('\n');
    const result = await smoke({ checks });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      "checks[0].url must be an http(s) URL: '%zz' is not a percent escape (%XX, two hex digits; a literal % is written %25), got",
    );
    expect(message).toContain(
      "checks[1].timeout must be a duration like 300ms, 5s or 2m, from 1ms to 10m, got '100000h'",
    );
    expect(message).toContain(
      "checks[1].expect.max-latency must be a duration like 300ms, 5s or 2m, from 1ms to 10m, got '0ms'",
    );
    expect(result.stderr).not.toContain('TimeoutOverflowWarning');
    expect(app.hits).toEqual([]);
    expect(shownLines(result)).not.toMatch(STACK_FRAME);
  });
});
