// release.yml's tag job, run for real: its script against a local bare repository standing in for origin. The
// first run pushes vX.Y.Z and vX in one atomic push; a re-run whose vX.Y.Z is on the same commit moves vX only;
// vX.Y.Z on another commit fails and moves nothing; a ref the remote refuses leaves the other unpushed. The push
// token is a GitHub App's with the workflows permission (GITHUB_TOKEN cannot push commits that change
// .github/workflows/), and the verify job names every missing setting at once.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadWorkflow, runScript, stepOf } from './workflow-steps.js';

const release = loadWorkflow('.github/workflows/release.yml');
const tagScript: string = stepOf(release, 'tag', /^Tag vX\.Y\.Z and move vX$/).run;
const settingsScript: string = stepOf(release, 'verify', /^The version is X\.Y\.Z/).run;

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: cwd, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe("release.yml's tag job", () => {
  let dir: string;
  let origin: string;
  let first: string;
  let second: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipline-release-'));
    origin = join(dir, 'origin.git');
    git(dir, 'init', '-q', '--bare', origin);
    const seed = join(dir, 'seed');
    git(dir, 'clone', '-q', origin, seed);
    git(seed, 'commit', '-q', '--allow-empty', '-m', 'one');
    first = git(seed, 'rev-parse', 'HEAD');
    git(seed, 'commit', '-q', '--allow-empty', '-m', 'two');
    second = git(seed, 'rev-parse', 'HEAD');
    git(seed, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The job as it runs: a fresh checkout of origin (no tags), then the step's script for `sha`. */
  async function tagJob(version: string, sha: string) {
    const work = mkdtempSync(join(dir, 'job-'));
    git(work, 'clone', '-q', '--no-tags', origin, '.');
    return runScript(tagScript, { VERSION: version, GITHUB_SHA: sha, ...GIT_ENV }, work);
  }

  const remoteTag = (name: string): string | undefined => {
    const line = git(dir, 'ls-remote', origin, `refs/tags/${name}`);
    return line ? line.split('\t')[0] : undefined;
  };

  it('tags vX.Y.Z and moves vX to the commit on the first run', async () => {
    git(dir, '--git-dir', origin, 'tag', 'v1', first);
    const run = await tagJob('1.4.2', second);
    expect(run.log).not.toContain('::error');
    expect(run.status).toBe(0);
    expect(remoteTag('v1.4.2')).toBe(second);
    expect(remoteTag('v1')).toBe(second);
    expect(run.summary).toContain(`| v1.4.2 (tagged) | ${second} |`);
    expect(run.summary).toContain(`| v1 (moved) | ${second} |`);
  });

  it('moves only vX on a re-run whose vX.Y.Z already points at the commit', async () => {
    git(dir, '--git-dir', origin, 'tag', 'v1.4.2', second);
    git(dir, '--git-dir', origin, 'tag', 'v1', first);
    const run = await tagJob('1.4.2', second);
    expect(run.status).toBe(0);
    expect(run.log).toContain(`v1.4.2 already points at ${second} (a re-run): moving v1 only`);
    expect(remoteTag('v1.4.2')).toBe(second);
    expect(remoteTag('v1')).toBe(second);
    expect(run.summary).toContain('| v1.4.2 (already tagged by an earlier run) |');
  });

  it('takes an annotated vX.Y.Z on the commit for a re-run too (its peeled commit decides)', async () => {
    git(dir, '--git-dir', origin, 'tag', '-a', '-m', 'release', 'v1.4.2', second);
    const run = await tagJob('1.4.2', second);
    expect(run.status).toBe(0);
    expect(remoteTag('v1')).toBe(second);
  });

  it('fails, moving nothing, when vX.Y.Z exists on another commit', async () => {
    git(dir, '--git-dir', origin, 'tag', 'v1.4.2', first);
    git(dir, '--git-dir', origin, 'tag', 'v1', first);
    const run = await tagJob('1.4.2', second);
    expect(run.status).not.toBe(0);
    expect(run.log).toContain(
      `::error title=release::v1.4.2 exists already on ${first}, not on this commit (${second})`,
    );
    expect(remoteTag('v1.4.2')).toBe(first);
    expect(remoteTag('v1')).toBe(first);
  });

  it('pushes both tags atomically: when the remote refuses vX, vX.Y.Z is not created either', async () => {
    // The update hook runs once per ref: without --atomic the remote would take v1.4.2 and refuse only v1.
    const hook = join(origin, 'hooks', 'update');
    writeFileSync(hook, '#!/bin/sh\nif [ "$1" = refs/tags/v1 ]; then echo "v1 is protected" >&2; exit 1; fi\nexit 0\n');
    chmodSync(hook, 0o755);
    const run = await tagJob('1.4.2', second);
    expect(run.status).not.toBe(0);
    expect(run.log).toContain('v1 is protected');
    expect(remoteTag('v1.4.2')).toBeUndefined();
    expect(remoteTag('v1')).toBeUndefined();
  });

  it("pushes with a GitHub App's token that may change workflows, and GITHUB_TOKEN only reads", () => {
    const tag = release.jobs.tag;
    expect(tag.permissions).toEqual({ contents: 'read' });
    const app = stepOf(release, 'tag', 'app');
    expect(app.uses).toMatch(/^actions\/create-github-app-token@[0-9a-f]{40}$/);
    expect(app.with).toEqual({
      'client-id': '${{ vars.RELEASE_APP_CLIENT_ID }}',
      'private-key': '${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
      'permission-contents': 'write',
      'permission-workflows': 'write',
    });
    const steps: Record<string, any>[] = tag.steps;
    const checkout = steps.find((s) => String(s.uses ?? '').startsWith('actions/checkout@'))!;
    expect(steps.indexOf(app)).toBeLessThan(steps.indexOf(checkout));
    expect(checkout.with.token).toBe('${{ steps.app.outputs.token }}');
    // The one push that creates vX.Y.Z carries vX too.
    expect(tagScript).toMatch(/git push --atomic origin "refs\/tags\/\$tag" "\+refs\/tags\/\$major"/);
  });

  it('names every missing setting at once before building: the version and the App', async () => {
    const bad = await runScript(settingsScript, { VERSION: '1.4', APP_CLIENT_ID: '', APP_KEY_SET: 'false' });
    expect(bad.status).not.toBe(0);
    const errors = bad.log.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain("version must be X.Y.Z, got '1.4'");
    expect(errors[1]).toContain('RELEASE_APP_CLIENT_ID');
    expect(errors[2]).toContain('RELEASE_APP_PRIVATE_KEY');
    const good = await runScript(settingsScript, { VERSION: '1.4.2', APP_CLIENT_ID: 'Iv23li', APP_KEY_SET: 'true' });
    expect(good.status).toBe(0);
    expect(release.jobs.verify.steps[2].env).toEqual({
      VERSION: '${{ inputs.version }}',
      APP_CLIENT_ID: '${{ vars.RELEASE_APP_CLIENT_ID }}',
      APP_KEY_SET: "${{ secrets.RELEASE_APP_PRIVATE_KEY != '' }}",
    });
  });
});
