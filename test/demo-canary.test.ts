// `npm run demo -- --story canary` (the built CLI, run as a person runs it) on Vercel and ECS: release 1 goes live,
// release 2's new deployment answers 500 and its progressive rollout is stopped at its first share on shipline's
// verdict, release 3 rolls out to 100%. Asserted on what the run leaves behind: the exit code, canary.json in --out
// (the provider stand-in's own record of each rollout, what production served by release and share, what production
// answered once each pipeline was over, what the ledger says) and the deploy steps' job summaries.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { CanaryRelease } from '../cli/demo.js';
import { runCli } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'demo-canary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The job summary the demo wrote for a step ("Release 2: deploy progressive"), with the step's exit code. */
function summary(out: string, step: string): { exit: number; text: string } | undefined {
  for (const file of readdirSync(out).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(out, file), 'utf8');
    const head = /^<!-- [a-z-]+: (.+) \(exit (-?\d+|null)\) -->/.exec(text);
    if (head?.[1] === step) return { exit: Number(head[2]), text };
  }
  return undefined;
}

/** Runs the canary story and reads its record, release by release. */
async function canaryStory(provider: string) {
  const out = join(scratch, provider);
  const run = await runCli(['demo', '--story', 'canary', '--provider', provider, '--out', out]);
  const releases = JSON.parse(readFileSync(join(out, 'canary.json'), 'utf8')) as CanaryRelease[];
  const release = (n: number) => releases.find((r) => r.number === n) as CanaryRelease;
  /** The shares of production at which release `of` answered requests during release `during`'s pipeline. */
  const sharesOf = (during: number, of: number) =>
    release(during)
      .served.filter((s) => s.release === of)
      .map((s) => s.share);
  return { ...run, out, release, sharesOf };
}

const cases = [
  {
    provider: 'vercel',
    first: 5,
    failed: { state: 'ABORTED', sharesReached: [5] },
    healthy: { state: 'COMPLETE', sharesReached: [5, 25, 100] },
    summary: 'stopped at 5%',
  },
  {
    provider: 'ecs',
    first: 10,
    failed: { state: 'ROLLBACK_SUCCESSFUL', stoppedAtPercent: 10 },
    healthy: { state: 'SUCCESSFUL' },
    summary: 'Stopped at 10% of production traffic',
  },
];

describe.each(cases)(
  'npm run demo -- --story canary --provider $provider',
  ({ provider, first, failed, healthy, summary: stopped }) => {
    test(`release 2 is stopped at ${first}% and production keeps serving release 1; release 3 rolls out to 100%`, async () => {
      const story = await canaryStory(provider);
      expect({ code: story.code, stderr: story.stderr }).toEqual({ code: 0, stderr: '' });

      // Release 1 went live at once and production answered as release 1.
      expect(story.release(1)).toMatchObject({ progressive: false, deployExit: 0, productionAfter: { 1: 20 } });

      // Release 2: the provider stopped its rollout at the first share, its deploy step failed, and the ledger says so.
      const two = story.release(2);
      expect(two.rollout).toEqual(failed);
      expect(two.deployExit).not.toBe(0);
      expect(two.stoppedAt).toBe(first);
      expect(two.ledger).toMatch(new RegExp(`stopped at ${first}%`));
      // What production served while it rolled out: release 2 only at its first share (every answer a 500), never more;
      // release 1 the rest. Once its pipeline was over, production answered as release 1 to everyone.
      expect(story.sharesOf(2, 2).every((share) => share === first)).toBe(true);
      expect(two.served.filter((s) => s.release === 2).every((s) => s.errors === s.requests)).toBe(true);
      expect(story.sharesOf(2, 1).every((share) => share === 100 - first || share === 100)).toBe(true);
      expect(two.productionAfter).toEqual({ 1: 20 });
      expect(summary(story.out, 'Release 2: deploy progressive')?.text).toContain(stopped);
      expect(summary(story.out, 'Release 2: notify rolled back')?.exit).toBe(0);
      // The demo says which share saw it.
      expect(story.stdout).toContain(`Release 2: its rollout was stopped at ${first}%`);

      // Release 3, healthy, rolled out to 100%: production answered as release 3 to everyone afterwards.
      const three = story.release(3);
      expect(three.rollout).toEqual(healthy);
      expect(three).toMatchObject({ deployExit: 0, productionAfter: { 3: 20 } });
      expect(three.stoppedAt).toBeUndefined();
      expect(three.served.filter((s) => s.release === 3).every((s) => s.errors === 0)).toBe(true);
      expect(story.sharesOf(3, 3)).toContain(100);
    }, 300_000);
  },
);

test('the canary story refuses a provider that cannot roll out progressively, naming the ones that can', async () => {
  const { code, stderr } = await runCli([
    'demo',
    '--story',
    'canary',
    '--provider',
    'netlify',
    '--out',
    join(scratch, 'netlify'),
  ]);
  expect(code).toBe(2);
  expect(stderr).toContain("--story canary runs with --provider vercel, ecs, not 'netlify'");
});
