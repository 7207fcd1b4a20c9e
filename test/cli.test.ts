// `npx shipline`, run as a person runs it: the exit code is the step's, and a wrong command line is an error.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { prepareDemoFolder } from '../cli/demo.js';
import { parseArgs } from '../cli/args.js';
import { runCli } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'shipline-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('shipline CLI', () => {
  test('an unknown flag is an error that names the flags the command knows', async () => {
    const { code, stderr } = await runCli(['notify', '--status', 'started', '--bogus', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('--webhook-url');
  });

  test('the demo has the same parser: an unknown flag is refused, not ignored', async () => {
    const { code, stderr, stdout } = await runCli(['demo', '--plot', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--plot'");
    expect(stderr).toContain('--provider, --story, --out');
    expect(stdout).not.toContain('Release 1');
  });

  test('demo --story takes default, bake or canary; another value is an error naming them', async () => {
    const { code, stderr, stdout } = await runCli(['demo', '--story', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain("--story must be one of default, bake, canary, got 'x'");
    expect(stdout).not.toContain('Release 1');
    const functions = await runCli(['demo', '--story', 'bake', '--provider', 'supabase-functions']);
    expect(functions.code).toBe(2);
    expect(functions.stderr).toContain('--story bake runs with --provider vercel, netlify, railway, ecs');
  });

  test('a flag on its own means true, as the old parser took it', () => {
    const meta = { inputs: { 'dry-run': {}, target: {} } } as unknown as Parameters<typeof parseArgs>[2];
    expect(parseArgs('rollback', ['--dry-run', '--target', 'previous'], meta).inputs).toEqual({
      'dry-run': 'true',
      target: 'previous',
    });
    expect(parseArgs('rollback', ['--target', 'previous', '--dry-run'], meta).inputs).toEqual({
      'dry-run': 'true',
      target: 'previous',
    });
    expect(parseArgs('rollback', ['--dry-run=false'], meta).inputs).toEqual({ 'dry-run': 'false' });
  });

  test('a step runs as long as on a runner (360 minutes unless --timeout-minutes says otherwise), and is stopped at that bound', async () => {
    const meta = { inputs: { url: {} } } as unknown as Parameters<typeof parseArgs>[2];
    expect(parseArgs('smoke-test', ['--url', 'http://127.0.0.1:1/'], meta).timeoutMs).toBe(360 * 60_000);
    expect(parseArgs('smoke-test', ['--timeout-minutes', '1.5'], meta).timeoutMs).toBe(90_000);
    for (const bad of ['0', '1e3', 'soon', '40000'])
      expect(() => parseArgs('smoke-test', ['--timeout-minutes', bad], meta)).toThrow(
        /--timeout-minutes must be a number of minutes above 0/,
      );
    // A server that accepts and never answers: the smoke test itself would wait a minute; the step's bound is 3 s.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { code, stdout } = await runCli([
        'smoke-test',
        '--url',
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        '--timeout',
        '60s',
        '--deadline',
        '90s',
        '--timeout-minutes',
        '0.05',
      ]);
      expect(stdout).toMatch(/Step timed out in \d/);
      // The runner's own stop (at --timeout-minutes), not the smoke test's failure after its 60 s per request.
      expect(code).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('an unknown command is an error', async () => {
    const { code, stderr } = await runCli(['deploi']);
    expect(code).toBe(2);
    expect(stderr).toContain("no command 'deploi'");
  });

  test("a step that fails makes the process fail with the step's exit code", async () => {
    // No Slack destination: notify fails at input validation.
    const { code, stdout } = await runCli(['notify', '--status', 'failure']);
    expect(stdout).toContain('Step failed (exit 1)');
    // The log as the Actions UI shows it: the step's ::error:: command read back (shared/workflow-commands.ts), not printed raw.
    expect(stdout).toMatch(/^error: No Slack destination: set input 'webhook-url'/m);
    expect(stdout).not.toContain('::error');
    expect(code).toBe(1);
  });

  test('demo --out refuses a folder with files the demo did not write, and leaves them alone', async () => {
    const folder = join(scratch, 'mine');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'keep me');
    const { code, stderr } = await runCli(['demo', '--out', folder]);
    expect(code).toBe(1);
    expect(stderr).toContain('holds files the demo did not write');
    expect(readFileSync(join(folder, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

describe('the demo folder', () => {
  test('a new folder is created and marked; a marked folder has its old summaries replaced, nothing else', () => {
    const folder = join(scratch, 'demo-out');
    prepareDemoFolder(folder);
    expect(readdirSync(folder)).toEqual(['.shipline-demo']);
    writeFileSync(join(folder, '01-old.md'), 'old summary');
    writeFileSync(join(folder, 'extra.txt'), 'a user file');
    prepareDemoFolder(folder);
    expect(existsSync(join(folder, '01-old.md'))).toBe(false);
    expect(readFileSync(join(folder, 'extra.txt'), 'utf8')).toBe('a user file');
  });

  test('an empty folder is accepted; a non-empty unmarked one is refused', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    prepareDemoFolder(empty);
    const busy = join(scratch, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'package.json'), '{}');
    expect(() => prepareDemoFolder(busy)).toThrow('holds files the demo did not write');
    expect(existsSync(join(busy, 'package.json'))).toBe(true);
  });
});
