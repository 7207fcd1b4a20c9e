// What the runner tells a step about the run it is part of, as @actions/github's `context` reads it (the GITHUB_*
// variables and the event payload at GITHUB_EVENT_PATH), mapped to the names shipline's summaries and messages
// use. Three variables the context does not carry come from the environment: GITHUB_WORKSPACE, GITHUB_HEAD_REF and
// GITHUB_REF_NAME.
import { randomUUID } from 'node:crypto';
import { context } from '@actions/github';
import { workspaceOf } from './workspace.js';

export interface RunContext {
  serverUrl: string;
  apiUrl: string;
  repository: string;
  repositoryUrl: string;
  sha: string;
  shortSha: string;
  ref: string;
  /** Branch or tag name; for a pull request, its head branch. */
  refName: string;
  actor: string;
  eventName: string;
  event: Record<string, unknown>;
  workflow: string;
  job: string;
  runId: string;
  runAttempt: string;
  runUrl: string;
  workspace: string;
  pullRequest?: { number: number; title: string; url: string; headSha: string; fromFork: boolean };
  /** First line of the commit message, when the event carries it. */
  commitSubject?: string;
  commitUrl: string;
}

type AnyRecord = Record<string, any>;

function repository(): string {
  try {
    const { owner, repo } = context.repo;
    return `${owner}/${repo}`;
  } catch {
    return ''; // neither GITHUB_REPOSITORY nor a repository in the payload: a terminal run outside a clone
  }
}

const text = (n: number): string => (Number.isFinite(n) ? String(n) : '');

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const serverUrl = context.serverUrl;
  const repo = repository();
  const event = context.payload as AnyRecord;
  const pr = (event.pull_request ?? undefined) as AnyRecord | undefined;
  const sha = (pr?.head?.sha as string | undefined) ?? context.sha ?? '';
  const runId = text(context.runId);
  const headCommitMessage = (event.head_commit?.message as string | undefined) ?? undefined;
  const ref = context.ref ?? '';
  return {
    serverUrl,
    apiUrl: context.apiUrl,
    repository: repo,
    repositoryUrl: `${serverUrl}/${repo}`,
    sha,
    shortSha: sha.slice(0, 7),
    ref,
    refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, ''),
    actor: context.actor || (event.sender?.login as string | undefined) || '',
    eventName: context.eventName ?? '',
    event,
    workflow: context.workflow ?? '',
    job: context.job ?? '',
    runId,
    runAttempt: text(context.runAttempt) || '1',
    runUrl: runId ? `${serverUrl}/${repo}/actions/runs/${runId}` : '',
    workspace: workspaceOf(env),
    pullRequest: pr
      ? {
          number: Number(pr.number),
          title: String(pr.title ?? ''),
          url: String(pr.html_url ?? ''),
          headSha: String(pr.head?.sha ?? ''),
          fromFork: Boolean(pr.head?.repo && pr.base?.repo && pr.head.repo.full_name !== pr.base.repo.full_name),
        }
      : undefined,
    commitSubject: headCommitMessage?.split('\n')[0],
    commitUrl: sha ? `${serverUrl}/${repo}/commit/${sha}` : '',
  };
}

/** One key per step attempt and purpose: a retried request finds what it made, a re-run makes its own. */
export function stepKey(context: RunContext, purpose: string): string {
  return `${context.runId || 'local'}-${context.runAttempt}-${context.job}-${purpose}-${randomUUID().slice(0, 8)}`;
}
