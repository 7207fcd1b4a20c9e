import { createRequire } from 'node:module';
import { expect } from '@jest/globals';
import type { RunResult } from '../cli/local-runner.js';

const require = createRequire(import.meta.url);

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

/** A real webhook payload from @octokit/webhooks-examples (the first one matching `where`). */
export function exampleEvent(
  name: string,
  where: (payload: Record<string, any>) => boolean = () => true,
): { name: string; payload: Record<string, any> } {
  const all = require('@octokit/webhooks-examples') as WebhookExamples[];
  const payload = all.find((e) => e.name === name)?.examples.find(where);
  if (!payload) throw new Error(`no ${name} example`);
  return { name, payload: structuredClone(payload) as Record<string, any> };
}

/** What a person reading the step's log could see must not contain any secret, masked or not. */
export function expectNoSecrets(result: RunResult, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.visibleStdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
    expect(result.summary).not.toContain(secret);
    for (const value of Object.values(result.outputs)) expect(value).not.toContain(secret);
  }
}

export function errors(result: RunResult): string[] {
  return result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

export function warnings(result: RunResult): string[] {
  return result.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
}

export { closedPort } from '../cli/sandbox/ports.js';

/** Runs `npx shipline <args…>` (the built CLI, under the bundles' Node) as a person would from a terminal. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const { findRoot, nodeBinary } = await import('../cli/local-runner.js');
  const root = findRoot();
  const child = spawn(nodeBinary(root), [join(root, 'dist/cli/index.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
