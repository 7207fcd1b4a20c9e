// A registered secret that a server echoes must be starred out before its text is cut to fit a message: cut
// first, the secret's first characters (all but the last, at worst) no longer match the secret and reach the log
// unmasked. Each test places the secret across the cut that applies to its text, and runs the
// bundle as the runner runs it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type RunResult, runBundle } from '../cli/local-runner.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { json, startTarget, type Target } from './fakes/smoke-target.js';
import { errors, exampleEvent } from './support.js';

let app: Target;
let slack: FakeSlack;
beforeAll(async () => {
  app = await startTarget();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await app.close();
  await slack.close();
});

/** Everything that leaves the step: the log (without the masks themselves), the summary and every output. */
function leaving(result: RunResult): string {
  return [
    result.visibleStdout,
    result.stderr,
    result.summary,
    ...Object.values(result.outputs),
    ...result.annotations.map((a) => a.message),
  ].join('\n');
}

/** No prefix of the secret long enough to be one (four characters and up: see rememberSecret) leaves the step. */
function expectNoPrefixOf(result: RunResult, secret: string): void {
  const text = leaving(result);
  for (let length = secret.length; length >= 8; length--) expect(text).not.toContain(secret.slice(0, length));
}

describe('scrub first, cut after', () => {
  test('smoke-test: a health detail echoing a masked header, cut at 200 characters inside the secret', async () => {
    const secret = 'key-Sekret-QWERTYUIOP-2024';
    // The detail was cut to its first 200 characters: the secret ends at the 201st, so all but its last
    // character fell inside the cut.
    const output = `${'upstream said: '.padEnd(201 - secret.length, '.')}${secret} and more`;
    expect(output.slice(0, 200)).toContain(secret.slice(0, -1));
    app.route(
      '/health',
      json(503, { status: 'fail', checks: { auth: [{ status: 'fail', output }] } }, 'application/health+json'),
    );
    const workspace = mkdtempSync(join(tmpdir(), 'scrub-cut-ws-'));
    const result = await runBundle({
      action: 'smoke-test',
      workspace,
      inputs: { url: `${app.url}/health`, headers: `X-Api-Key: ${secret}`, 'max-attempts': 1 },
      timeoutMs: 30_000,
    });
    expect(result.masks).toContain(secret);
    expect(result.exitCode).toBe(1);
    // The detail is still shown, with the secret starred out.
    expect(errors(result).join('\n')).toContain('upstream said: ');
    expect(leaving(result)).toContain('***');
    expectNoPrefixOf(result, secret);
  });

  test("notify: Slack's unreadable answer quoting the bot token, cut at 200 characters inside the token", async () => {
    const reason = `${'<html>proxy error for '.padEnd(201 - slack.token.length, '.')}${slack.token}</html>`;
    slack.server.inject(/chat\.postMessage/, {
      kind: 'status',
      status: 200,
      body: reason,
      headers: { 'content-type': 'text/html' },
    });
    const result = await runBundle({
      action: 'notify',
      event: exampleEvent('push', (p) => Boolean(p.head_commit)),
      inputs: { status: 'succeeded', 'bot-token': slack.token, channel: '#deploys', 'slack-api-url': slack.apiUrl },
      timeoutMs: 30_000,
    });
    slack.server.clearFaults();
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('proxy error for');
    expectNoPrefixOf(result, slack.token);
  });
});
