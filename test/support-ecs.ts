// The loopback ECS and GitHub that the ECS rollout tests run the deploy and rollback bundles against: one pair per
// test file, and a service no rollout is moving at the start of each test.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { awsEnvironment, type FakeEcs, startFakeEcs } from '../cli/sandbox/ecs.js';
import { type FakeGitHub, startFakeGitHub } from '../cli/sandbox/github.js';
import { exampleEvent } from './support.js';
import { until } from './support-waits.js';

/** An image of the service's one container, in the stand-in's registry. */
export const ecrImage = (tag: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:${tag}`;

/** Whether no service deployment is in flight (the stand-in moves its deployments on when asked about them). */
export function rolloutSettled(ecs: FakeEcs): boolean {
  ecs.primaryTaskDefinition();
  return ecs.serviceDeployments.every((sd) => !['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'].includes(sd.status));
}

/**
 * Starts the stand-ins before the file's tests and closes them after. A lifecycle stage takes 100 ms; a minute of
 * ECS's bake times and hook timeouts, 300 ms. Before each test it waits for the service to be steady with no
 * service deployment in flight, and forgets what the listeners served.
 */
export function ecsRolloutStandIns(): { readonly ecs: FakeEcs; readonly github: FakeGitHub } {
  const standIns = {} as { ecs: FakeEcs; github: FakeGitHub };
  beforeAll(async () => {
    standIns.ecs = await startFakeEcs({ stepMs: 100, minuteMs: 300 });
    standIns.github = await startFakeGitHub();
  });
  afterAll(async () => {
    await standIns.ecs?.close();
    await standIns.github?.close();
  });
  beforeEach(async () => {
    const { ecs } = standIns;
    await until('the service to be steady, no service deployment in flight', () => rolloutSettled(ecs) && ecs.stable());
    ecs.served.length = 0;
  });
  return standIns;
}

/**
 * Runs the deploy or rollback bundle as a push of `commit` would, against the stand-ins: AWS pointed at the loopback
 * ECS, the ledger at the loopback GitHub. `extra.env` is added to that environment; the rest of `extra` overrides.
 */
export function runOnStandIns(
  standIns: { readonly ecs: FakeEcs; readonly github: FakeGitHub },
  action: 'deploy' | 'rollback',
  inputs: RunOptions['inputs'],
  commit: string,
  extra: Partial<RunOptions> = {},
): ReturnType<typeof runBundle> {
  const { ecs, github } = standIns;
  return runBundle({
    action,
    inputs,
    event: exampleEvent('push', (p) => Boolean(p.head_commit)),
    timeoutMs: 90_000,
    ...extra,
    env: {
      ...awsEnvironment(ecs),
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: github.repository,
      GITHUB_SHA: commit,
      ...extra.env,
    },
  });
}

/**
 * A production deploy of the service at image `tag` as a 10% canary with a pause before each production shift,
 * judged on the production listener; each test adds its own verdict window and limits.
 */
export function ecsCanaryInputs(
  standIns: { readonly ecs: FakeEcs; readonly github: FakeGitHub },
  tag: string,
): RunOptions['inputs'] {
  const { ecs, github } = standIns;
  return {
    provider: 'ecs',
    cluster: ecs.cluster,
    service: ecs.serviceName,
    'github-token': github.token,
    target: 'production',
    'wait-timeout': '60s',
    images: `api=${ecrImage(tag)}`,
    'ecs-strategy': 'canary',
    'ecs-canary-percent': '10',
    'ecs-step-bake-time': '1m',
    'ecs-bake-time': '0m',
    'ecs-pause-timeout': '30m',
    'verify-url': ecs.listeners.production,
  };
}
