// Each provider declares what it can do (shared/providers/capabilities.ts): a deploy input it cannot honour is an
// input problem, reported with the others before any request. Reached after the switch, the same refusal failed a
// deploy that had already moved production (ECS with aliases) and marked the live release failed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runBundle } from '../cli/local-runner.js';
import { errors, exampleEvent } from './support.js';

// Every API of the step (the provider's and GitHub's) points here: a request that arrives means the step acted.
let server: Server;
let url = '';
let requests: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not here"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  requests = [];
});

function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipline-site-'));
  writeFileSync(join(dir, 'index.html'), '<h1>hello</h1>');
  return dir;
}

const aws = () => ({
  AWS_ENDPOINT_URL_ECS: url,
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-key',
  AWS_REGION: 'eu-west-1',
  AWS_EC2_METADATA_DISABLED: 'true',
});

async function deploy(inputs: Record<string, string>) {
  const dir = site();
  return runBundle({
    action: 'deploy',
    inputs: { 'github-token': 'ghs_example', 'api-url': url, dir, ...inputs },
    env: { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'acme/app', GITHUB_SHA: 'a'.repeat(40), ...aws() },
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 60_000,
  });
}

describe('deploy inputs a provider cannot honour are refused before any request', () => {
  test('ECS with aliases and target staged without a progressive ecs-strategy: both named at once, nothing sent to ECS or GitHub', async () => {
    const result = await deploy({
      provider: 'ecs',
      cluster: 'prod',
      service: 'api',
      images: 'api=123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v2',
      target: 'staged',
      aliases: 'api.example.com',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      "Input 'aliases' is not supported with provider ecs (domains belong to the load balancer)",
    );
    // ECS stages a release on its test listener, which only blue/green, canary and linear deployments have.
    expect(message).toContain(
      "Input 'ecs-strategy' must be blue-green, canary or linear with target staged on provider ecs",
    );
    expect(requests).toEqual([]);
  });

  test('Netlify with aliases; Railway staged; Supabase functions as a preview', async () => {
    const netlify = await deploy({
      provider: 'netlify',
      token: 'nfp_example',
      project: 'site-1',
      target: 'production',
      aliases: 'www.example.com',
    });
    expect(errors(netlify).join('\n')).toContain("Input 'aliases' is not supported with provider netlify");
    const railway = await deploy({
      provider: 'railway',
      token: 'rw_example',
      project: 'p',
      'railway-environment': 'e',
      services: 's1',
      target: 'staged',
    });
    expect(errors(railway).join('\n')).toContain(
      "Input 'target': staged is not supported with provider railway (a Railway deployment goes live when it is ready)",
    );
    const supabase = await deploy({
      provider: 'supabase-functions',
      token: 'sbp_example',
      project: 'abcdefghijklmnopqrst',
      target: 'preview',
    });
    expect(errors(supabase).join('\n')).toContain(
      "Input 'target': preview is not supported with provider supabase-functions",
    );
    for (const result of [netlify, railway, supabase]) expect(result.exitCode).toBe(1);
    expect(requests).toEqual([]);
  });

  test('promote on a provider that cannot stage is refused the same way', async () => {
    const result = await deploy({
      provider: 'railway',
      token: 'rw_example',
      project: 'p',
      'railway-environment': 'e',
      services: 's1',
      command: 'promote',
      'deployment-id': 's1=d1',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain("Input 'command': promote is not supported with provider railway");
    expect(requests).toEqual([]);
  });
});
