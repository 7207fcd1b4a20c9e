// The pipeline event a notification is about, assembled from the inputs and the run's context.
import type { RunContext } from '../../../shared/run-context.js';
import type { Mention, NotifyInputs, PipelineStatus } from './inputs.js';
import { parseInstant } from './inputs.js';

export interface PipelineEvent {
  status: PipelineStatus;
  emoji: string;
  title: string;
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

export function defaultTitle(status: PipelineStatus, environment: string): string {
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
    runLabel: [context.workflow, context.runId && `run ${context.runId}${context.runAttempt !== '1' ? ` (attempt ${context.runAttempt})` : ''}`]
      .filter(Boolean)
      .join(' · '),
    durationMs: startedAt ? Math.max(0, now.getTime() - startedAt.getTime()) : undefined,
    mentions: mentioned ? inputs.mention : [],
  };
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
