// No input size reaches a stack or argument limit: a list as long as the input is never spread
// into a call (`push(...rows)` overflows past about 120,000 items), and a walk over nesting the input chooses is a
// loop, or the nesting is refused first as an input error naming the input and the limit. Each test runs the
// bundle as the runner runs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { startTarget, type Target } from './fakes/smoke-target.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';
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
  removeWorkspaces();
});

const SHIPLINE_BUG = 'This is a shipline bug';
const push = exampleEvent('push', (p) => Boolean(p.head_commit));

describe('migrate: one file of 130,000 statements', () => {
  test('plan splits and lints it: no stack overflow, every statement counted', async () => {
    // The statements of a file were collected with push(...part.statements): 125,000 was past the limit.
    const ws = workspace({ 'migrations/001_seed.sql': 'insert into seed values (1);\n'.repeat(130_000) });
    const result = await migrate(ws, { command: 'plan', path: 'migrations' }, { timeoutMs: 120_000 });
    expect(result.stdout).not.toContain(SHIPLINE_BUG);
    expect(result.exitCode).toBe(0);
    expect(result.visibleStdout).toMatch(/001_seed\.sql/);
  }, 150_000);
});

describe('notify: a payload nested 60,000 and 100,000 levels deep', () => {
  test("input 'payload': refused as an input error that names it and the limit", async () => {
    // 60,000 levels of arrays: the most an environment variable holds (128 KiB) of JSON nesting.
    const depth = 60_000;
    const payload = `{"text":"x","blocks":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const result = await runBundle({
      action: 'notify',
      event: push,
      inputs: { status: 'succeeded', payload, 'webhook-url': slack.webhookUrl },
      timeoutMs: 30_000,
    });
    expect(result.stdout).not.toContain(SHIPLINE_BUG);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(/Input 'payload' must be a JSON object nested at most 64 levels deep/);
    expect(slack.webhookMessages).toHaveLength(0);
  });

  test("input 'payload-file': refused, naming the input, the file and the limit", async () => {
    const depth = 100_000;
    const dir = mkdtempSync(join(tmpdir(), 'notify-deep-'));
    writeFileSync(join(dir, 'deep.json'), `{"text":"x","blocks":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`);
    const result = await runBundle({
      action: 'notify',
      event: push,
      workspace: dir,
      inputs: { status: 'succeeded', 'payload-file': 'deep.json', 'webhook-url': slack.webhookUrl },
      timeoutMs: 30_000,
    });
    expect(result.stdout).not.toContain(SHIPLINE_BUG);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain("Input 'payload-file': deep.json is nested more than 64 levels deep");
    expect(slack.webhookMessages).toHaveLength(0);
  });

  test('a payload at the limit is still sent', async () => {
    const blocks = `${'['.repeat(60)}${']'.repeat(60)}`;
    const result = await runBundle({
      action: 'notify',
      event: push,
      inputs: {
        status: 'succeeded',
        payload: `{"text":"deep but fine","metadata":${blocks}}`,
        'webhook-url': slack.webhookUrl,
      },
      timeoutMs: 30_000,
    });
    expect(errors(result).join('\n')).not.toMatch(/nested/);
  });
});

describe('smoke-test: a Spring health answer whose groups nest 40,000 levels deep', () => {
  test('the step reads it without recursion and names the failing component', async () => {
    // 40,000 levels keep the answer under the 1 MiB smoke-test reads of a body.
    const depth = 40_000;
    const body = `{"status":"DOWN","components":${'{"g":{"components":'.repeat(depth)}{"db":{"status":"DOWN","details":{"error":"gone"}}}${'}}'.repeat(depth)}}`;
    app.route('/health', (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(body);
    });
    const ws = mkdtempSync(join(tmpdir(), 'smoke-deep-ws-'));
    const result = await runBundle({
      action: 'smoke-test',
      workspace: ws,
      inputs: { url: `${app.url}/health`, 'max-attempts': 1 },
      timeoutMs: 60_000,
    });
    expect(result.stdout).not.toContain(SHIPLINE_BUG);
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(/health fail \(spring, status 'DOWN'\): g\.g\.g\./);
    expect(errors(result).join('\n')).toContain('(gone)');
  }, 90_000);
});
