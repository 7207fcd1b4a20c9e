// What the runner tells a step about the run it is part of: the GITHUB_* variables and the event payload.
import { readFileSync } from 'node:fs';

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

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

type AnyRecord = Record<string, any>;

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const repository = env.GITHUB_REPOSITORY || '';
  const event = readEvent(env.GITHUB_EVENT_PATH) as AnyRecord;
  const pr = (event.pull_request ?? undefined) as AnyRecord | undefined;
  const sha = (pr?.head?.sha as string | undefined) ?? env.GITHUB_SHA ?? '';
  const runId = env.GITHUB_RUN_ID || '';
  const headCommitMessage = (event.head_commit?.message as string | undefined) ?? undefined;
  return {
    serverUrl,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository,
    repositoryUrl: `${serverUrl}/${repository}`,
    sha,
    shortSha: sha.slice(0, 7),
    ref: env.GITHUB_REF || '',
    refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || (env.GITHUB_REF ?? '').replace(/^refs\/(heads|tags)\//, ''),
    actor: env.GITHUB_ACTOR || (event.sender?.login as string | undefined) || '',
    eventName: env.GITHUB_EVENT_NAME || '',
    event,
    workflow: env.GITHUB_WORKFLOW || '',
    job: env.GITHUB_JOB || '',
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : '',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
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
    commitUrl: sha ? `${serverUrl}/${repository}/commit/${sha}` : '',
  };
}
