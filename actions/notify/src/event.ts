// The pipeline event a notification is about, assembled from the inputs and the run's context.
import type { RunContext } from '../../../shared/run-context.js';
import type { Mention, NotifyInputs, PipelineStatus } from './inputs.js';
import { parseInstant } from './inputs.js';
import { MARK } from '../../../shared/summary.js';

export interface PipelineEvent {
  status: PipelineStatus;
  emoji: string;
  /** The Slack message's title: Slack draws its emoji itself. */
  title: string;
  /** The job summary's heading: the same without colour emoji, which a browser without an emoji font draws as boxes. */
  summaryTitle: string;
  environment: string;
  url?: string;
  message: string;
  repository: string;
  repositoryUrl: string;
  ref: string;
  sha: string;
  shortSha: string;
  commitSubject: string;
  commitUrl: string;
  actor: string;
  runUrl: string;
  runLabel: string;
  durationMs?: number;
  mentions: Mention[];
}

const EMOJI: Record<PipelineStatus, string> = {
  started: '🚀',
  succeeded: '✅',
  failed: '❌',
  'rolled-back': '⏪',
  cancelled: '⚪',
  'awaiting-approval': '⏸️',
};

/** The summary's mark for a status (MARK), where one helps; the words say the rest. */
const SUMMARY_MARK: Partial<Record<PipelineStatus, string>> = { succeeded: MARK.passed, failed: MARK.failed };

function defaultTitle(status: PipelineStatus, environment: string): string {
  const env = environment || undefined;
  switch (status) {
    case 'started':
      return env ? `Deploying to ${env}` : 'Pipeline started';
    case 'succeeded':
      return env ? `Deployed to ${env}` : 'Pipeline succeeded';
    case 'failed':
      return env ? `Deploy to ${env} failed` : 'Pipeline failed';
    case 'rolled-back':
      return env ? `${env} rolled back` : 'Rolled back';
    case 'cancelled':
      return env ? `Deploy to ${env} cancelled` : 'Pipeline cancelled';
    case 'awaiting-approval':
      return env ? `Deploy to ${env} awaiting approval` : 'Awaiting approval';
  }
}

/** Seconds of a Slack message timestamp ("1700000000.123456") as a Date: when that message was first posted. */
function tsToDate(ts: string): Date | undefined {
  return ts ? parseInstant(ts.split('.')[0] as string) : undefined;
}

export function buildEvent(inputs: NotifyInputs, context: RunContext, now: Date): PipelineEvent {
  const startedAt = inputs['started-at'] ?? tsToDate(inputs.ts);
  const status = inputs.status;
  const mentioned = inputs['mention-on'].includes(status);
  return {
    status,
    emoji: EMOJI[status],
    title: inputs.title || `${EMOJI[status]} ${defaultTitle(status, inputs.environment)}`,
    summaryTitle:
      inputs.title || [SUMMARY_MARK[status], defaultTitle(status, inputs.environment)].filter(Boolean).join(' '),
    environment: inputs.environment,
    url: inputs.url,
    message: inputs.message,
    repository: context.repository,
    repositoryUrl: context.repositoryUrl,
    ref: context.refName,
    sha: context.sha,
    shortSha: context.shortSha,
    commitSubject: context.commitSubject ?? context.pullRequest?.title ?? '',
    commitUrl: context.commitUrl,
    actor: context.actor,
    runUrl: context.runUrl,
    runLabel: [
      context.workflow,
      context.runId && `run ${context.runId}${context.runAttempt !== '1' ? ` (attempt ${context.runAttempt})` : ''}`,
    ]
      .filter(Boolean)
      .join(' · '),
    durationMs: elapsedSince(startedAt, now),
    mentions: mentioned ? inputs.mention : [],
  };
}

/** A workflow run lasts at most 35 days (GitHub's limit, waiting for approvals included). */
const LONGEST_RUN_MS = 35 * 24 * 3600 * 1000;
/** Clocks of runners and Slack may disagree a little. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Time since the pipeline started; undefined when the start is unknown or cannot be this run's (in the future, or
 * before the longest run could have begun: a start of 0 or a clock that is wrong), so no false duration is shown.
 */
export function elapsedSince(startedAt: Date | undefined, now: Date): number | undefined {
  if (!startedAt || Number.isNaN(startedAt.getTime())) return undefined;
  const ms = now.getTime() - startedAt.getTime();
  if (ms < -CLOCK_SKEW_MS || ms > LONGEST_RUN_MS) return undefined;
  return Math.max(0, ms);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > LONGEST_RUN_MS) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
