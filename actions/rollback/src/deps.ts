// rollback's real side effects: the provider and ledger the inputs name, the runner's outputs and log, the clock,
// the verify request and Sentry. index.ts builds these; tests hand run() in-memory ones instead.
import { Deadline } from '../../../shared/deadline.js';
import { request } from '../../../shared/http.js';
import { openLedger } from '../../../shared/ledger.js';
import { loadProvider, providerConfig } from '../../../shared/providers/load.js';
import { readRunContext } from '../../../shared/run-context.js';
import { SENTRY_BUDGET_MS } from '../../../shared/sentry-inputs.js';
import { runnerIO } from '../../../shared/step-io.js';
import type { RollbackInputs } from './inputs.js';
import type { RollbackDeps } from './run.js';

export function realRollbackDeps(inputs: RollbackInputs): RollbackDeps {
  const context = readRunContext();
  return {
    context,
    io: runnerIO,
    now: () => Date.now(),
    provider: (deadline) =>
      loadProvider(inputs.provider, {
        ...providerConfig(inputs, context.workspace, { token: inputs['github-token'], serverUrl: context.serverUrl }),
        deadline,
      }),
    ledger: (signal) =>
      openLedger({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository, signal }),
    httpStatus: async (url) => {
      const response = await request(url, {
        label: `GET ${url}`,
        timeoutMs: 10_000,
        retry: { retries: 3, baseDelayMs: 500 },
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status;
    },
    migrateDown: async (given, target, ahead) => {
      const { prepareDowns } = await import('./migrate-down.js');
      return prepareDowns(given, context.workspace, target, ahead, runnerIO);
    },
    sentryDeploy: async (target, deploy) => {
      const { SentryClient } = await import('../../../shared/sentry.js');
      const client = new SentryClient({ ...target.config, deadline: Deadline.in(SENTRY_BUDGET_MS) });
      return client.createDeploy(target.release, { environment: target.environment, ...deploy });
    },
  };
}
