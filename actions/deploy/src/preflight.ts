// command: preflight — the production gate, run before anything changes production. It changes nothing anywhere:
// it reads the GitHub environment's protection rules and the provider's own Git integration, and refuses (every
// problem at once) when nothing would stop this job before production changes, or when the provider deploys the
// released branch to production by itself, ahead of the pipeline's tests and approval.
import { failureMessage, ShiplineError } from '../../../shared/errors.js';
import { GitHubApiError } from '../../../shared/ledger.js';
import { loadProvider, providerConfig } from '../../../shared/providers/load.js';
import { type RunContext, readRunContext } from '../../../shared/run-context.js';
import { info, notice, setOutput, warning } from '../../../shared/runner.js';
import { escapeMarkdown, inline } from '../../../shared/sanitise.js';
import { appendSummary, MARK, table } from '../../../shared/summary.js';
import type { DeployInputs } from './inputs.js';
import { environmentName } from './run.js';

/** GitHub's reference for the one request the reviewers check sends, and the permission it needs. */
const GET_ENVIRONMENT_DOCS = 'https://docs.github.com/en/rest/deployments/environments#get-an-environment';
const PERMISSION =
  'reading an environment needs the "Actions" repository permission (read): `permissions: actions: read` on the job (for a reusable workflow, on the job that calls it; a fine-grained token or GitHub App: Actions read; a classic token: the repo scope on a private repository)';

interface Check {
  check: string;
  result: 'passed' | 'refused' | 'off' | 'accepted' | 'nothing to detect';
  detail: string;
  /** Why this check refuses the release, and what to do (only for result refused). */
  problem?: string;
  /** The auto-deploy check's finding, for its output; absent when the provider could not be read. */
  autoDeploy?: 'off' | 'on' | 'allowed' | 'none';
}

/** The provider as its users name it, in sentences. */
const PROVIDER_NAMES: Record<DeployInputs['provider'], string> = {
  vercel: 'Vercel',
  netlify: 'Netlify',
  railway: 'Railway',
  ecs: 'AWS ECS',
  'supabase-functions': 'Supabase Edge Functions',
};

const RESULT: Record<Check['result'], string> = {
  passed: `${MARK.passed} passed`,
  refused: `${MARK.failed} refused`,
  off: `${MARK.warning} off`,
  accepted: `${MARK.warning} accepted`,
  'nothing to detect': `${MARK.none} nothing to detect`,
};

interface EnvironmentRule {
  type?: string;
  prevent_self_review?: boolean;
  reviewers?: { type?: string; reviewer?: { login?: string; slug?: string; name?: string } | null }[];
}

function status(error: unknown): number | undefined {
  return error instanceof ShiplineError ? undefined : (error as { status?: number })?.status;
}

/** GitHub's own words for a refusal, and the permission it names (X-Accepted-GitHub-Permissions), on one line. */
function githubSaid(error: unknown): string {
  const e = error as {
    status?: number;
    response?: { data?: { message?: unknown }; headers?: Record<string, unknown> };
  };
  const message = typeof e.response?.data?.message === 'string' ? `: ${inline(e.response.data.message, 200)}` : '';
  const accepted = e.response?.headers?.['x-accepted-github-permissions'];
  return `HTTP ${e.status}${message}${typeof accepted === 'string' ? `; GitHub accepts ${inline(accepted, 100)}` : ''}`;
}

/**
 * Required reviewers on the environment, read through GET /repos/{owner}/{repo}/environments/{name}: the one thing
 * that stops a job naming the environment until a person approves it. An environment that does not exist is created
 * unprotected by the first job that names it, so it is refused like one without reviewers.
 */
async function requiredReviewers(token: string, context: RunContext, environment: string): Promise<Check> {
  const check = 'Required reviewers';
  const { createGitHubClient, splitRepository } = await import('../../../shared/github.js');
  const github = await createGitHubClient({ token, apiUrl: context.apiUrl });
  const { owner, repo } = splitRepository(context.repository);
  const where = `environment '${inline(environment)}' of ${inline(context.repository)}`;
  const optOut = 'or set require-reviewers: false to release without review';
  const cannotRead = (error: unknown): Check => ({
    check,
    result: 'refused',
    detail: `cannot read ${where} (${githubSaid(error)})`,
    problem: `The token cannot read ${where} (${githubSaid(error)}): ${PERMISSION} (${GET_ENVIRONMENT_DOCS}). Without it shipline cannot tell whether a reviewer must approve production; ${optOut}.`,
  });
  let rules: EnvironmentRule[];
  try {
    const { data } = await github.rest.repos.getEnvironment({ owner, repo, environment_name: environment });
    rules = (data.protection_rules ?? []) as EnvironmentRule[];
  } catch (error) {
    if (status(error) === 403) return cannotRead(error);
    if (status(error) !== 404) throw new GitHubApiError(`reading ${where}`, error);
    // Not found: a missing environment, or a token that may not see environments. Listing them tells the two apart
    // (the same permission), and names the ones there are, for a misspelt name.
    let names: string[];
    try {
      names = (
        (await github.rest.repos.getAllEnvironments({ owner, repo, per_page: 100 })).data.environments ?? []
      ).map((e) => e.name);
    } catch (listError) {
      if (status(listError) === 403 || status(listError) === 404) return cannotRead(listError);
      throw new GitHubApiError(`listing the environments of ${inline(context.repository)}`, listError);
    }
    const existing =
      names.length > 0
        ? ` The repository's environments: ${names.map((n) => inline(n, 100)).join(', ')}.`
        : ' The repository has no environments.';
    return {
      check,
      result: 'refused',
      detail: `${where} does not exist`,
      problem: `${where[0]?.toUpperCase()}${where.slice(1)} does not exist: GitHub creates it, unprotected, the first time a job names it, so nothing would wait for approval.${existing} Create it with required reviewers (Settings → Environments), check input 'environment' for a misspelling, ${optOut}.`,
    };
  }
  const rule = rules.find((r) => r.type === 'required_reviewers');
  const reviewers = (rule?.reviewers ?? []).map((r) =>
    r.type === 'Team' ? `team ${r.reviewer?.slug ?? r.reviewer?.name ?? '?'}` : (r.reviewer?.login ?? '?'),
  );
  if (reviewers.length === 0) {
    return {
      check,
      result: 'refused',
      detail: `${where} has no required reviewers`,
      problem:
        `${where[0]?.toUpperCase()}${where.slice(1)} has no required reviewers: nothing stops this job before it changes production. Add them in Settings → Environments → ${inline(environment)} → Required reviewers ` +
        `(on a private or internal repository this needs GitHub Enterprise: on GitHub Free, Pro and Team, required reviewers are available for public repositories only), ${optOut}.`,
    };
  }
  const selfReview = rule?.prevent_self_review ? '; self-review prevented' : '';
  return {
    check,
    result: 'passed',
    detail: `${where} requires a review by ${reviewers.map((r) => inline(r, 100)).join(', ')}${selfReview}`,
  };
}

/** The provider's own Git integration, which would deploy the released branch to production without this pipeline. */
async function providerAutoDeploy(inputs: DeployInputs, context: RunContext, branch: string): Promise<Check> {
  const check = 'Provider auto-deploy';
  const provider = await loadProvider(inputs.provider, providerConfig(inputs, context.workspace));
  const name = PROVIDER_NAMES[inputs.provider];
  if (!provider.gitDeploys)
    return {
      check,
      result: 'nothing to detect',
      detail: `${name} deploys only when asked (no Git integration of its own)`,
      autoDeploy: 'none',
    };
  const allowed = inputs['provider-auto-deploy'] === 'allow';
  let found: Awaited<ReturnType<NonNullable<typeof provider.gitDeploys>>>;
  try {
    found = await provider.gitDeploys(branch);
  } catch (error) {
    // Accepting the provider's own deploys makes what they are moot: a read that failed does not block the release.
    if (!allowed || !(error instanceof ShiplineError)) throw error;
    return {
      check,
      result: 'accepted',
      detail: `could not be read (${inline(error.message.split('\n')[0])}); accepted by provider-auto-deploy: allow`,
    };
  }
  if (!found.on) return { check, result: 'passed', detail: found.detail, autoDeploy: 'off' };
  if (allowed) {
    return {
      check,
      result: 'accepted',
      detail: `${found.detail}. Accepted by provider-auto-deploy: allow: ${name} also deploys ${inline(branch)} by itself`,
      autoDeploy: 'allowed',
    };
  }
  return {
    check,
    result: 'refused',
    detail: found.detail,
    autoDeploy: 'on',
    problem: `${name} deploys ${inline(branch)} to production by itself, on every push, before this pipeline's tests and approval: ${found.detail}. Turn it off: ${found.howToTurnOff}; or set provider-auto-deploy: allow to accept it.`,
  };
}

/** A check that could not be made is a refusal too: the gate is not known to be there. */
async function settle(check: string, optOut: string, run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    const reason = failureMessage(error).replace(/\n/g, ' ');
    return {
      check,
      result: 'refused',
      detail: `could not be checked: ${error.message.split('\n')[0]}`,
      problem: `${check} could not be checked: ${reason} Fix that, or set ${optOut} to release without this check.`,
    };
  }
}

export async function preflight(inputs: DeployInputs, context = readRunContext()): Promise<void> {
  const environment = environmentName(inputs);
  const branch = inputs.branch || context.refName;
  const unreviewed = `${environment} is deployed without required reviewers: require-reviewers is false`;
  const reviewers: Check = inputs['require-reviewers']
    ? await settle('Required reviewers', 'require-reviewers: false', () =>
        requiredReviewers(inputs['github-token'], context, environment),
      )
    : { check: 'Required reviewers', result: 'off', detail: unreviewed };
  const autoDeploy = await settle('Provider auto-deploy', 'provider-auto-deploy: allow', () =>
    providerAutoDeploy(inputs, context, branch),
  );
  const checks = [reviewers, autoDeploy];

  setOutput('reviewed', reviewers.result === 'passed');
  setOutput('auto-deploy', autoDeploy.autoDeploy ?? 'unknown');
  for (const c of checks) info(`Preflight: ${c.check}: ${c.result}: ${c.detail}`);
  if (reviewers.result === 'off') warning(unreviewed);
  if (autoDeploy.result === 'accepted') notice(autoDeploy.detail);

  const problems = checks.flatMap((c) => (c.problem ? [c.problem] : []));
  appendSummary(
    [
      `### Production preflight: ${inputs.provider} → ${escapeMarkdown(environment)} (${escapeMarkdown(branch)})`,
      reviewers.result === 'off' ? `${MARK.warning} ${escapeMarkdown(unreviewed)}` : '',
      table(
        ['Check', 'Result', 'Detail'],
        checks.map((c) => [c.check, RESULT[c.result], c.detail]),
      ),
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  if (problems.length > 0) {
    throw new ShiplineError(
      `The production preflight refused the release (nothing was changed):\n- ${problems.join('\n- ')}`,
    );
  }
}
