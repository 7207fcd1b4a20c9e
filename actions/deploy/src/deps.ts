// deploy's real side effects: the provider and ledger the inputs name, the runner's outputs and log, the clock,
// Sentry and the pull request comment. index.ts builds these; tests hand run() in-memory ones instead.
import { GitHubApiError, openLedger } from '../../../shared/ledger.js';
import { upsertStickyComment } from '../../../shared/pr-comment.js';
import { loadProvider, providerConfig } from '../../../shared/providers/load.js';
import { readRunContext } from '../../../shared/run-context.js';
import { runnerIO } from '../../../shared/step-io.js';
import type { DeployInputs } from './inputs.js';
import type { DeployDeps } from './run.js';
import { progressiveRollout } from './progressive.js';
import { tellSentry } from './sentry.js';

export function realDeployDeps(inputs: DeployInputs): DeployDeps {
  const context = readRunContext();
  return {
    context,
    io: runnerIO,
    now: () => new Date(),
    provider: (deadline) => {
      const config = providerConfig(inputs, context.workspace);
      const progressive = progressiveRollout(inputs);
      return loadProvider(inputs.provider, {
        ...config,
        ...(config.ecs && progressive ? { ecs: { ...config.ecs, progressive } } : {}),
        deadline,
      });
    },
    ledger: () => openLedger({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository }),
    tellSentry,
    commentOnPullRequest: async (issueNumber, key, body) => {
      const { createGitHubClient } = await import('../../../shared/github.js');
      const github = await createGitHubClient({ token: inputs['github-token'], apiUrl: context.apiUrl });
      return upsertStickyComment(github, { repository: context.repository, issueNumber, key, body }).catch(
        (error: unknown) => {
          throw new GitHubApiError(`commenting on pull request #${issueNumber}`, error);
        },
      );
    },
  };
}
