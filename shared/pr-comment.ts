// Sticky pull request comments: one comment per marker, found by paging through every comment (not just the
// first 30), updated in place. Ours is the comment with the marker that the token's own account wrote: anyone can
// paste the marker into a comment, and such a comment is never edited (the token may edit it: a workflow token
// with pull-requests: write edits any comment on the pull request). A fork's token cannot comment (403 "Resource
// not accessible by integration"): that degrades to a warning, because a missing comment must not fail a deploy.
import { type GitHubClient, splitRepository } from './github.js';
import { info, warning } from './runner.js';

const MAX_BODY = 65_536;

function marker(key: string): string {
  return `<!-- shipline:${key} -->`;
}

interface Account {
  login: string;
  id: number;
}

/**
 * The account the token acts as. GraphQL's `viewer` answers for every kind of token: a personal token's user, and
 * an installation token's bot (GITHUB_TOKEN: github-actions[bot]), where REST's GET /user answers an installation
 * token with 403 "Resource not accessible by integration" (docs.github.com, "Authenticating as a GitHub App
 * installation": app installations can use the GraphQL API). Compared by id, which survives a rename.
 */
async function tokenAccount(github: GitHubClient): Promise<Account> {
  const { viewer } = await github.graphql<{ viewer: { login: string; databaseId: number } }>(
    'query { viewer { login databaseId } }',
  );
  return { login: viewer.login, id: viewer.databaseId };
}

export async function upsertStickyComment(
  github: GitHubClient,
  options: { repository: string; issueNumber: number; key: string; body: string },
): Promise<{ id: number; action: 'created' | 'updated' } | undefined> {
  const { owner, repo } = splitRepository(options.repository);
  const tag = marker(options.key);
  const body = `${tag}\n${options.body}`.slice(0, MAX_BODY);
  try {
    const me = await tokenAccount(github);
    const comments = await github.paginate(github.rest.issues.listComments, {
      owner,
      repo,
      issue_number: options.issueNumber,
      per_page: 100,
    });
    const marked = comments.filter((c) => c.body?.startsWith(tag));
    const existing = marked.find((c) => c.user?.id === me.id);
    const foreign = marked.filter((c) => c.user?.id !== me.id).length;
    if (foreign > 0)
      info(
        `Pull request #${options.issueNumber}: ${foreign} comment${foreign === 1 ? '' : 's'} by another account carr${foreign === 1 ? 'ies' : 'y'} shipline's marker; left alone (ours is the one ${me.login} wrote).`,
      );
    if (existing) {
      await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { id: existing.id, action: 'updated' };
    }
    const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: options.issueNumber, body });
    return { id: data.id, action: 'created' };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) {
      warning(
        `Could not comment on pull request #${options.issueNumber} (HTTP ${status}: ${(error as Error).message}). Fork pull requests get a read-only token; the deployment itself is unaffected.`,
      );
      return undefined;
    }
    throw error;
  }
}
