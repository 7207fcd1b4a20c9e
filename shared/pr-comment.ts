// Sticky pull request comments: one comment per marker, found by paging through every comment (not just the
// first 30), updated in place. A fork's token cannot comment (403 "Resource not accessible by integration"):
// that degrades to a warning, because a missing comment must not fail a deploy.
import { type GitHubClient, splitRepository } from './github.js';
import { warning } from './runner.js';

const MAX_BODY = 65_536;

export function marker(key: string): string {
  return `<!-- shipline:${key} -->`;
}

export async function upsertStickyComment(
  github: GitHubClient,
  options: { repository: string; issueNumber: number; key: string; body: string },
): Promise<{ id: number; action: 'created' | 'updated' } | undefined> {
  const { owner, repo } = splitRepository(options.repository);
  const tag = marker(options.key);
  const body = `${tag}\n${options.body}`.slice(0, MAX_BODY);
  try {
    const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: options.issueNumber, per_page: 100 });
    const existing = comments.find((c) => c.body?.startsWith(tag));
    if (existing) {
      await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { id: existing.id, action: 'updated' };
    }
    const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: options.issueNumber, body });
    return { id: data.id, action: 'created' };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) {
      warning(`Could not comment on pull request #${options.issueNumber} (HTTP ${status}: ${(error as Error).message}). Fork pull requests get a read-only token; the deployment itself is unaffected.`);
      return undefined;
    }
    throw error;
  }
}
