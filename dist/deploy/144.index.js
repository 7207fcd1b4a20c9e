export const id = 144;
export const ids = [144];
export const modules = {

/***/ 4144:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  realDeployDeps: () => (/* binding */ realDeployDeps)
});

// EXTERNAL MODULE: ./shared/ledger.ts
var ledger = __webpack_require__(9793);
// EXTERNAL MODULE: ./shared/github.ts
var shared_github = __webpack_require__(4319);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
;// CONCATENATED MODULE: ./shared/pr-comment.ts
// Sticky pull request comments: one comment per marker, found by paging through every comment (not just the
// first 30), updated in place. Ours is the comment with the marker that the token's own account wrote: anyone can
// paste the marker into a comment, and such a comment is never edited (the token may edit it: a workflow token
// with pull-requests: write edits any comment on the pull request). A fork's token cannot comment (403 "Resource
// not accessible by integration"): that degrades to a warning, because a missing comment must not fail a deploy.


const MAX_BODY = 65_536;
function marker(key) {
    return `<!-- shipline:${key} -->`;
}
/**
 * The account the token acts as. GraphQL's `viewer` answers for every kind of token: a personal token's user, and
 * an installation token's bot (GITHUB_TOKEN: github-actions[bot]), where REST's GET /user answers an installation
 * token with 403 "Resource not accessible by integration" (docs.github.com, "Authenticating as a GitHub App
 * installation": app installations can use the GraphQL API). Compared by id, which survives a rename.
 */
async function tokenAccount(github) {
    const { viewer } = await github.graphql('query { viewer { login databaseId } }');
    return { login: viewer.login, id: viewer.databaseId };
}
async function upsertStickyComment(github, options) {
    const { owner, repo } = (0,shared_github.splitRepository)(options.repository);
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
            (0,runner/* info */.pq)(`Pull request #${options.issueNumber}: ${foreign} comment${foreign === 1 ? '' : 's'} by another account carr${foreign === 1 ? 'ies' : 'y'} shipline's marker; left alone (ours is the one ${me.login} wrote).`);
        if (existing) {
            await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
            return { id: existing.id, action: 'updated' };
        }
        const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: options.issueNumber, body });
        return { id: data.id, action: 'created' };
    }
    catch (error) {
        const status = error.status;
        if (status === 403 || status === 404) {
            (0,runner/* warning */.$e)(`Could not comment on pull request #${options.issueNumber} (HTTP ${status}: ${error.message}). Fork pull requests get a read-only token; the deployment itself is unaffected.`);
            return undefined;
        }
        throw error;
    }
}

// EXTERNAL MODULE: ./shared/providers/load.ts
var load = __webpack_require__(2347);
// EXTERNAL MODULE: ./shared/run-context.ts
var run_context = __webpack_require__(7745);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(6566);
;// CONCATENATED MODULE: ./shared/step-io.ts
// What an action's run() does to the step beyond its own work: outputs, the job summary, the log. deploy and
// rollback take it as a dependency (as actions/cache's restoreImpl takes its StateProvider), so a test drives
// run() in-process and reads every output and log line; the entry point hands it the runner's.


const runnerIO = {
    setOutput: runner/* setOutput */.uH,
    appendSummary: (markdown) => void (0,summary/* appendSummary */.fe)(markdown),
    info: runner/* info */.pq,
    warning: runner/* warning */.$e,
    group: runner/* group */.Os,
};

// EXTERNAL MODULE: ./shared/deadline.ts
var deadline = __webpack_require__(1064);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(9413);
;// CONCATENATED MODULE: ./actions/deploy/src/sentry.ts
// deploy's Sentry step: the release of the commit in Sentry, its commits, and — once it is live — its deploy to the
// environment with the same start and finish as the ledger's, so Sentry's release health lines up with ours.
// Sentry is told after the provider and the ledger have done their work, and its failure never fails a release
// that went out: the step warns with Sentry's own reason (the release is live whatever Sentry knows of it; failing
// here would invite a re-run that deploys again, or a rollback of a good release).




/** Tells Sentry about the release; never throws (a warning says what Sentry refused, and why). */
async function tellSentry(target, moment) {
    const { SentryClient } = await __webpack_require__.e(/* import() */ 751).then(__webpack_require__.bind(__webpack_require__, 3751));
    const client = new SentryClient({ ...target.config, deadline: deadline/* Deadline */.B.in(sentry_inputs/* SENTRY_BUDGET_MS */.B$) });
    const done = [];
    try {
        await client.createRelease(target.release, [target.config.project], moment.started);
        done.push('release created');
        (0,runner/* setOutput */.uH)('sentry-release', target.release);
        // set-commits names a repository Sentry must know (its GitHub integration); without it Sentry refuses the refs.
        const repositories = await client.repositories();
        const repository = repositories.find((r) => r.toLowerCase() === moment.repository.toLowerCase());
        if (repository) {
            const previousCommit = moment.previousSha && moment.previousSha !== moment.sha ? moment.previousSha : null;
            await client.setCommits(target.release, [{ repository, commit: moment.sha, previousCommit }]);
            done.push(previousCommit
                ? `commits ${previousCommit.slice(0, 12)}..${moment.sha.slice(0, 12)} associated`
                : `commit ${moment.sha.slice(0, 12)} associated`);
        }
        else {
            (0,runner/* warning */.$e)(`Sentry: no repository ${moment.repository} is connected to organization ${target.config.org}, so release ${target.release} has no commits (connect it in Sentry's GitHub integration for suspect commits).`);
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
            (0,runner/* setOutput */.uH)('sentry-deploy-id', deploy.id);
            done.push(`deploy ${deploy.id} to ${target.environment}`);
        }
        (0,runner/* info */.pq)(`Sentry: release ${target.release}: ${done.join(', ')}`);
        return { release: target.release, state: done.join(', '), ok: true };
    }
    catch (error) {
        const reason = (0,errors/* failureMessage */.oh)(error).split('\n').join(' ');
        const stage = done.length > 0 ? ` (done: ${done.join(', ')})` : '';
        (0,runner/* warning */.$e)(`Sentry was not fully updated for release ${target.release}${stage}: ${reason}. The deploy itself succeeded.`);
        return { release: target.release, state: `not updated${stage}: ${reason}`, ok: false };
    }
}

;// CONCATENATED MODULE: ./actions/deploy/src/deps.ts
// deploy's real side effects: the provider and ledger the inputs name, the runner's outputs and log, the clock,
// Sentry and the pull request comment. index.ts builds these; tests hand run() in-memory ones instead.






function realDeployDeps(inputs) {
    const context = (0,run_context/* readRunContext */.$)();
    return {
        context,
        io: runnerIO,
        now: () => new Date(),
        provider: (deadline) => (0,load/* loadProvider */.Cg)(inputs.provider, { ...(0,load/* providerConfig */.Y6)(inputs, context.workspace), deadline }),
        ledger: () => (0,ledger/* openLedger */.au)({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository }),
        tellSentry: tellSentry,
        commentOnPullRequest: async (issueNumber, key, body) => {
            const { createGitHubClient } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 4319));
            const github = await createGitHubClient({ token: inputs['github-token'], apiUrl: context.apiUrl });
            return upsertStickyComment(github, { repository: context.repository, issueNumber, key, body }).catch((error) => {
                throw new ledger/* GitHubApiError */.OS(`commenting on pull request #${issueNumber}`, error);
            });
        },
    };
}


/***/ })

};
