// deploy: create a release on the provider, wait until it is ready, record it in the ledger, point aliases at
// it, and tell the pull request; or promote a staged release to production.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { InputError, ProviderError, ShiplineError, failureMessage } from '../../../shared/errors.js';
import { Ledger, type LedgerEntry, openLedger } from '../../../shared/ledger.js';
import { upsertStickyComment } from '../../../shared/pr-comment.js';
import { loadProvider, providerConfig } from '../../../shared/providers/load.js';
import { monotonicNow, type Provider, type Release, type UploadStats } from '../../../shared/providers/provider.js';
import { type RunContext, readRunContext } from '../../../shared/run-context.js';
import { group, info, setOutput } from '../../../shared/runner.js';
import { appendSummary, facts } from '../../../shared/summary.js';
import { expandAlias } from './aliases.js';
import { type DeployInputs, dirProblem } from './inputs.js';

export function environmentName(inputs: DeployInputs): string {
  if (inputs.environment) return inputs.environment;
  return inputs.target === 'preview' && inputs.command === 'deploy' ? 'preview' : 'production';
}

function releaseOutputs(release: Release): void {
  setOutput('deployment-id', release.id);
  if (release.url) setOutput('url', release.url);
  if (release.inspectorUrl) setOutput('inspector-url', release.inspectorUrl);
  setOutput('release', JSON.stringify(release));
}

interface Setup {
  provider: Provider;
  ledger: Ledger | undefined;
  context: RunContext;
  environment: string;
  deadline: number;
}

async function setUp(inputs: DeployInputs, context = readRunContext()): Promise<Setup> {
  const provider = await loadProvider(inputs.provider, providerConfig(inputs, context.workspace));
  const ledger = await openLedger({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository });
  return { provider, ledger, context, environment: environmentName(inputs), deadline: monotonicNow() + inputs['wait-timeout'] };
}

/** What is live in the environment now: the ledger's account when there is one, else the provider's. */
async function liveRelease(setup: Setup, entries: LedgerEntry[] | undefined): Promise<Release | undefined> {
  if (entries) return Ledger.live(entries)?.payload.release;
  return setup.environment === 'production' ? setup.provider.current() : undefined;
}

/**
 * Everything a deploy needs that can be checked is checked before anything changes, all problems at once: the alias
 * templates (expanded here, once, and the expanded list used later) and the folder to deploy.
 */
function checkBeforeDeploy(inputs: DeployInputs, context: RunContext): { aliases: string[] } {
  const problems: string[] = [];
  const aliases: string[] = [];
  for (const template of inputs.aliases) {
    try {
      aliases.push(expandAlias(template, { prNumber: context.pullRequest?.number, branch: context.refName, sha: context.sha }));
    } catch (error) {
      if (!(error instanceof ShiplineError)) throw error;
      problems.push(error.message);
    }
  }
  const dir = dirProblem(inputs.provider, resolve(context.workspace, inputs.dir));
  if (dir) problems.push(dir);
  if (problems.length > 0) throw new InputError(problems);
  return { aliases };
}

export async function run(inputs: DeployInputs): Promise<void> {
  const context = readRunContext();
  const checked = inputs.command === 'promote' ? undefined : checkBeforeDeploy(inputs, context);
  const setup = await setUp(inputs, context);
  if (inputs.command === 'promote' || !checked) return promote(inputs, setup);
  const { provider, ledger, environment, deadline } = setup;

  const production = inputs.target !== 'preview';
  // Read the ledger before deploying: a token that cannot read it fails the step before anything changes.
  const entries = ledger ? await ledger.entries(environment) : undefined;
  const previous = production ? await liveRelease(setup, entries) : undefined;
  if (previous) setOutput('previous-deployment-id', previous.id);

  const staged = inputs.target === 'staged';
  if (staged && !provider.supportsStaging) throw new ProviderError(provider.name, 'staged production deploys are not supported; use target production', { action: 'deploy' });
  const prNumber = context.pullRequest?.number;
  let ledgerId: number | undefined;
  let release: Release | undefined;
  let upload: UploadStats | undefined;
  try {
    ({ release, upload } = await group(`Deploy to ${provider.name} (${inputs.target})`, () =>
      provider.deploy(
        {
          dir: resolve(context.workspace, inputs.dir),
          target: production ? 'production' : 'preview',
          staged,
          git: { sha: context.sha, ref: context.refName, message: context.commitSubject, repository: context.repository, prNumber },
          // One key per step attempt: re-running the job deploys again, but a retried request never does.
          idempotencyKey: `${context.runId || 'local'}-${context.runAttempt}-${context.job}-${randomUUID().slice(0, 8)}`,
          onCreated: (created) => {
            release = created;
            releaseOutputs(created);
          },
        },
        deadline,
      ),
    ));
  } catch (error) {
    if (ledger && release) {
      ledgerId = await ledger.record({ release, previous, environment, sha: context.sha, ref: context.refName, production, transient: !production, description: `${provider.name} ${release.id}`, logUrl: context.runUrl });
      setOutput('ledger-id', ledgerId);
      await ledger.setStatus(ledgerId, 'failure', { description: failureMessage(error).split('\n')[0], logUrl: context.runUrl });
    }
    appendSummary(summary(inputs, environment, release, previous, undefined, `failed: ${failureMessage(error).split('\n')[0]}`));
    throw error;
  }
  releaseOutputs(release);
  if (upload) setOutput('uploaded-files', upload.uploaded);

  if (ledger) {
    ledgerId = await ledger.record({ release, previous, environment, sha: context.sha, ref: context.refName, production, transient: !production, description: `${provider.name} ${release.id}`, logUrl: context.runUrl });
    setOutput('ledger-id', ledgerId);
  }

  let environmentUrl = release.url;
  try {
    const { aliases } = checked;
    if (aliases.length > 0) {
      const assigned = await provider.assignAliases(release, aliases);
      info(`Aliases: ${assigned.join(', ')}`);
      environmentUrl = assigned[0] ?? environmentUrl;
    }
  } catch (error) {
    if (ledger && ledgerId) await ledger.setStatus(ledgerId, 'failure', { description: `alias failed: ${failureMessage(error).split('\n')[0]}`, logUrl: context.runUrl });
    throw error;
  }
  if (environmentUrl) setOutput('environment-url', environmentUrl);

  if (ledger && ledgerId) {
    if (staged) {
      // Not live until promoted: it stays in progress, so "live" in the ledger is still the previous release.
      await ledger.setStatus(ledgerId, 'in_progress', { description: `staged: ready, awaiting promote (${release.id})`, environmentUrl, logUrl: context.runUrl });
    } else {
      // A production release going live retires the one it replaced (in the ledger: GitHub never does that itself).
      await ledger.setStatus(ledgerId, 'success', { description: `live: ${release.id}`, environmentUrl, logUrl: context.runUrl });
    }
  }

  if (prNumber && inputs['pr-comment'] && inputs['github-token'] && !production) {
    const { createGitHubClient } = await import('../../../shared/github.js');
    const github = await createGitHubClient({ token: inputs['github-token'], apiUrl: context.apiUrl });
    const comment = await upsertStickyComment(github, {
      repository: context.repository,
      issueNumber: prNumber,
      key: `deploy:${environment}`,
      body: prComment(release, environmentUrl, context),
    });
    if (comment) info(`Pull request #${prNumber}: ${comment.action} the preview comment`);
  }

  const outcome = staged ? 'staged (ready; production unchanged until promote)' : production ? 'live in production' : 'preview ready';
  info(`${provider.name}: ${release.id} ${outcome} at ${environmentUrl}`);
  appendSummary(summary(inputs, environment, release, previous, upload, outcome, environmentUrl));
}

async function promote(inputs: DeployInputs, setup: Setup): Promise<void> {
  const { provider, ledger, context, environment, deadline } = setup;
  const entries = ledger ? await ledger.entries(environment) : undefined;
  const previous = await liveRelease(setup, entries);
  if (previous) setOutput('previous-deployment-id', previous.id);
  const staged = await provider.describe(inputs['deployment-id']);
  releaseOutputs(staged);
  const release = await group(`Promote ${staged.id} to production`, () => provider.promote(staged, deadline));
  releaseOutputs(release);
  const environmentUrl = release.url;
  if (environmentUrl) setOutput('environment-url', environmentUrl);
  if (ledger && entries) {
    const entry = Ledger.byProviderId(entries, release.id);
    if (entry) {
      setOutput('ledger-id', entry.id);
      await ledger.setStatus(entry.id, 'success', { description: `promoted: ${release.id}`, environmentUrl, logUrl: context.runUrl });
    } else {
      const id = await ledger.record({ release, previous, environment, sha: context.sha, ref: context.refName, production: true, transient: false, description: `promoted ${release.id}`, logUrl: context.runUrl });
      setOutput('ledger-id', id);
      await ledger.setStatus(id, 'success', { description: `promoted: ${release.id}`, environmentUrl, logUrl: context.runUrl });
    }
  }
  info(`${provider.name}: ${release.id} promoted to production`);
  appendSummary(summary(inputs, environment, release, previous, undefined, 'promoted to production', environmentUrl));
}

function prComment(release: Release, url: string | undefined, context: RunContext): string {
  return [
    `### 🚀 Preview ready`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| Preview | ${url ?? release.url} |`,
    `| Commit | ${context.shortSha} |`,
    release.inspectorUrl ? `| Build | [${release.provider} inspector](${release.inspectorUrl}) |` : '',
    `| Updated | ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC |`,
  ]
    .filter(Boolean)
    .join('\n');
}

function summary(inputs: DeployInputs, environment: string, release: Release | undefined, previous: Release | undefined, upload: UploadStats | undefined, outcome: string, environmentUrl?: string): string {
  return [
    `### ${inputs.command === 'promote' ? 'Promote' : 'Deploy'}: ${inputs.provider} → ${environment}`,
    facts([
      ['Outcome', outcome],
      ['Release', release?.id],
      ['URL', environmentUrl ?? release?.url],
      ['Release URL', release?.url],
      ['Inspector', release?.inspectorUrl],
      ['State', release?.state],
      ['Previously live', previous?.id],
      ['Files', upload ? `${upload.files} (${upload.uploaded} uploaded, ${(upload.uploadedBytes / 1024).toFixed(0)} KiB; hashed in ${upload.hashMs} ms)` : undefined],
    ]),
  ].join('\n\n');
}
