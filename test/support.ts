import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { expect } from '@jest/globals';
import type { RunResult } from '../cli/local-runner.js';

const require = createRequire(import.meta.url);

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

/** A real webhook payload from @octokit/webhooks-examples (the first one matching `where`). */
export function exampleEvent(name: string, where: (payload: Record<string, any>) => boolean = () => true): { name: string; payload: Record<string, any> } {
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

/** A loopback port nothing listens on (bound, then released), for "connection refused". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
