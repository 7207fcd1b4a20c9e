// deploy's Sentry step: the release of the commit in Sentry, its commits, and — once it is live — its deploy to the
// environment with the same start and finish as the ledger's, so Sentry's release health lines up with ours.
// Sentry is told after the provider and the ledger have done their work, and its failure never fails a release
// that went out: the step warns with Sentry's own reason (the release is live whatever Sentry knows of it; failing
// here would invite a re-run that deploys again, or a rollback of a good release).
import { Deadline } from '../../../shared/deadline.js';
import { failureMessage } from '../../../shared/errors.js';
import { info, setOutput, warning } from '../../../shared/runner.js';
import { SENTRY_BUDGET_MS, type SentryTarget } from '../../../shared/sentry-inputs.js';

export interface SentryMoment {
  /** staged: built but not live (release and commits only); live: a deploy to the environment (and, in production, released). */
  kind: 'staged' | 'live';
  production: boolean;
  started: Date;
  finished: Date;
  /** The provider's release id, the deploy's name in Sentry. */
  name?: string;
  url?: string;
  /** The repository as Sentry's GitHub integration names it (owner/name) and the commit. */
  repository: string;
  sha: string;
  /** The commit of the release this one replaced (the ledger's previous): Sentry takes the commits between them. */
  previousSha?: string;
}

export interface SentryOutcome {
  release: string;
  /** What Sentry now knows, or why it knows nothing (for the summary). */
  state: string;
  ok: boolean;
}

/** Tells Sentry about the release; never throws (a warning says what Sentry refused, and why). */
export async function tellSentry(target: SentryTarget, moment: SentryMoment): Promise<SentryOutcome> {
  const { SentryClient } = await import('../../../shared/sentry.js');
  const client = new SentryClient({ ...target.config, deadline: Deadline.in(SENTRY_BUDGET_MS) });
  const done: string[] = [];
  try {
    await client.createRelease(target.release, [target.config.project], moment.started);
    done.push('release created');
    setOutput('sentry-release', target.release);
    // set-commits names a repository Sentry must know (its GitHub integration); without it Sentry refuses the refs.
    const repositories = await client.repositories();
    const repository = repositories.find((r) => r.toLowerCase() === moment.repository.toLowerCase());
    if (repository) {
      const previousCommit = moment.previousSha && moment.previousSha !== moment.sha ? moment.previousSha : null;
      await client.setCommits(target.release, [{ repository, commit: moment.sha, previousCommit }]);
      done.push(
        previousCommit
          ? `commits ${previousCommit.slice(0, 12)}..${moment.sha.slice(0, 12)} associated`
          : `commit ${moment.sha.slice(0, 12)} associated`,
      );
    } else {
      warning(
        `Sentry: no repository ${moment.repository} is connected to organization ${target.config.org}, so release ${target.release} has no commits (connect it in Sentry's GitHub integration for suspect commits).`,
      );
      done.push('no commits (repository not connected)');
    }
    if (moment.kind === 'live') {
      if (moment.production) {
        await client.finalizeRelease(target.release, moment.finished, [target.config.project]);
        done.push('released');
      }
      const deploy = await client.createDeploy(target.release, {
        environment: target.environment,
        name: moment.name,
        url: moment.url,
        dateStarted: moment.started,
        dateFinished: moment.finished,
      });
      setOutput('sentry-deploy-id', deploy.id);
      done.push(`deploy ${deploy.id} to ${target.environment}`);
    }
    info(`Sentry: release ${target.release}: ${done.join(', ')}`);
    return { release: target.release, state: done.join(', '), ok: true };
  } catch (error) {
    const reason = failureMessage(error).split('\n').join(' ');
    const stage = done.length > 0 ? ` (done: ${done.join(', ')})` : '';
    warning(
      `Sentry was not fully updated for release ${target.release}${stage}: ${reason}. The deploy itself succeeded.`,
    );
    return { release: target.release, state: `not updated${stage}: ${reason}`, ok: false };
  }
}
