export const id = 990;
export const ids = [990];
export const modules = {

/***/ 14144:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  realDeployDeps: () => (/* binding */ realDeployDeps)
});

// EXTERNAL MODULE: ./shared/ledger.ts
var ledger = __webpack_require__(79793);
// EXTERNAL MODULE: ./shared/github.ts
var shared_github = __webpack_require__(64319);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(52798);
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
var load = __webpack_require__(12347);
// EXTERNAL MODULE: ./shared/run-context.ts
var run_context = __webpack_require__(97745);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(96566);
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

// EXTERNAL MODULE: ./actions/deploy/src/progressive.ts
var src_progressive = __webpack_require__(64818);
// EXTERNAL MODULE: ./shared/deadline.ts
var deadline = __webpack_require__(21064);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(39413);
;// CONCATENATED MODULE: ./actions/deploy/src/sentry.ts
// deploy's Sentry step: the release of the commit in Sentry, its commits, and — once it is live — its deploy to the
// environment with the same start and finish as the ledger's, so Sentry's release health lines up with ours.
// Sentry is told after the provider and the ledger have done their work, and its failure never fails a release
// that went out: the step warns with Sentry's own reason (the release is live whatever Sentry knows of it; failing
// here would invite a re-run that deploys again, or a rollback of a good release).




/** Tells Sentry about the release; never throws (a warning says what Sentry refused, and why). */
async function tellSentry(target, moment) {
    const { SentryClient } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 43751));
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
        provider: (deadline) => {
            const config = (0,load/* providerConfig */.Y6)(inputs, context.workspace);
            const progressive = (0,src_progressive/* progressiveRollout */.z3)(inputs);
            return (0,load/* loadProvider */.Cg)(inputs.provider, {
                ...config,
                ...(config.ecs && progressive ? { ecs: { ...config.ecs, progressive } } : {}),
                deadline,
            });
        },
        ledger: () => (0,ledger/* openLedger */.au)({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository }),
        tellSentry: tellSentry,
        commentOnPullRequest: async (issueNumber, key, body) => {
            const { createGitHubClient } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 64319));
            const github = await createGitHubClient({ token: inputs['github-token'], apiUrl: context.apiUrl });
            return upsertStickyComment(github, { repository: context.repository, issueNumber, key, body }).catch((error) => {
                throw new ledger/* GitHubApiError */.OS(`commenting on pull request #${issueNumber}`, error);
            });
        },
    };
}


/***/ }),

/***/ 21064:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline)
/* harmony export */ });
// Deadlines on the monotonic clock, shared by every wait that must hold its bound while the runner's wall clock
// steps (NTP, a suspended VM): providers' polls, lookups, clean-ups and every request of shared/http.ts.
/**
 * A point in time on performance.now()'s clock. It is created once per step (`Deadline.in(wait-timeout)`) and
 * handed down as it is, so no layer converts it to or from the wall clock.
 */
class Deadline {
    end;
    name;
    /**
     * `name`: what set the bound, in the words of the input or rule that did ("wait-timeout 15s"), so an error at the
     * deadline can say which bound ended the wait.
     */
    constructor(end, name) {
        this.end = end;
        this.name = name;
    }
    /** A deadline `ms` from now. */
    static in(ms, name) {
        return new Deadline(performance.now() + ms, name);
    }
    /** Whole milliseconds left (negative once passed): timers and AbortSignal.timeout take integers only. */
    left() {
        return Math.floor(this.end - performance.now());
    }
    passed() {
        return this.left() <= 0;
    }
}


/***/ }),

/***/ 84439:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Aw: () => (/* binding */ completedEntry),
/* harmony export */   Dw: () => (/* binding */ newestOfCommit),
/* harmony export */   JA: () => (/* binding */ standing),
/* harmony export */   Kg: () => (/* binding */ isGood),
/* harmony export */   YN: () => (/* binding */ byProviderId),
/* harmony export */   eA: () => (/* binding */ goodOfCommit),
/* harmony export */   fc: () => (/* binding */ withLive),
/* harmony export */   ib: () => (/* binding */ commitLookupOrder),
/* harmony export */   ll: () => (/* binding */ newestFirst)
/* harmony export */ });
/* unused harmony exports liveEntry, previousGood, bySha, reconcile, asRecorded, rollbackWrites, owedWritesText, schemaAhead, choosePrevious, failedNotLive, takenOutOfMix, decideRollback */
// ---------------------------------------------------------------------------------------------------------------
// Selection over ledger entries (newest first, as Ledger.entries returns them)
/** Reached success once, and never failed: a release a rollback may restore. */
function isGood(entry) {
    return entry.everSucceeded && !entry.everFailed;
}
function liveEntry(entries) {
    return entries.find((e) => e.state === 'success');
}
/** The newest release older than `live` that was good and is not live itself. */
function previousGood(entries, live) {
    const start = live ? entries.findIndex((e) => e.id === live.id) + 1 : 0;
    return entries.slice(start).find((e) => isGood(e) && e.payload.release.id !== live?.payload.release.id);
}
function byProviderId(entries, id) {
    return entries.find((e) => e.payload.release.id === id);
}
/** The newest good entry among those read whose commit starts with `sha`. */
function bySha(entries, sha) {
    return entries.find((e) => e.sha.startsWith(sha) && isGood(e));
}
/** Newest first: by creation time, then by id (records created in the same second). */
function newestFirst(a, b) {
    return b.createdAt.localeCompare(a.createdAt) || b.id - a.id;
}
/**
 * Whether a record is a deploy of its commit. The records a rollback or a reconciliation wrote may carry the
 * commit of the run that wrote them (when the provider keeps no commit), but no release was deployed from it.
 */
function deployedFromItsCommit(payload) {
    return !payload.rollback && !payload.adopted;
}
/** Of one commit's records, the ones a commit look-up considers, newest first. */
function commitLookupOrder(records) {
    return records.filter((r) => deployedFromItsCommit(r.payload)).sort(newestFirst);
}
/** The release a rollback to a commit restores: the newest good deploy of it (a later re-run of the same commit wins). */
function goodOfCommit(entries) {
    return commitLookupOrder(entries).find(isGood);
}
/** The release deployed from a commit (rollback's failed-commit): its newest deploy, good or not. */
function newestOfCommit(records) {
    return commitLookupOrder(records)[0];
}
/** Compares the ledger with what the provider serves (`current`; undefined when the provider cannot tell). */
function reconcile(entries, current) {
    const lastLive = entries.find((e) => e.everSucceeded);
    if (!current)
        return { kind: 'consistent', live: liveEntry(entries) };
    const entry = byProviderId(entries, current.id);
    if (!entry)
        return { kind: 'adopt', release: current, replaced: lastLive };
    if (entry === lastLive)
        return { kind: 'consistent', live: entry };
    if (!lastLive || entries.indexOf(entry) < entries.indexOf(lastLive))
        return { kind: 'went-live', entry, replaced: lastLive };
    return { kind: 'rolled-back', release: { ...entry.payload.release, ...current }, entry, replaced: lastLive };
}
/**
 * A Railway rollback starts new deployments from the old ones' images, so a release restored by a rollback whose
 * ledger write never happened has ids the ledger does not know: it is the ledger's good release of the same
 * commit over the same services, and is reconciled as that one (not adopted as a new release, whose "previous"
 * would be the release just rolled back).
 */
function asRecorded(entries, live) {
    if (!live?.services?.length || !live.sha || byProviderId(entries, live.id))
        return live;
    const servicesOf = (r) => (r.services ?? [])
        .map((s) => s.service)
        .sort()
        .join(',');
    const same = entries.find((e) => e.everSucceeded && e.sha === live.sha && servicesOf(e.payload.release) === servicesOf(live));
    return same ? { ...live, id: same.payload.release.id } : live;
}
/** The ledger's entry of a release, under the ids production serves it with. */
function servingAs(entry, live) {
    return { ...entry, payload: { ...entry.payload, release: { ...entry.payload.release, ...live } } };
}
/** The entries with `live` as the newest (a new entry, or one whose success was just recorded). */
function withLive(entries, live) {
    return [live, ...entries.filter((e) => e.id !== live.id)];
}
function standing(reader, entries, current, context) {
    if (reader === 'rollback' && current?.mixed)
        return { kind: 'not-a-release', live: liveEntry(entries), mixed: current.mixed };
    const recorded = reader === 'rollback' ? asRecorded(entries, current) : current;
    const found = reconcile(entries, recorded);
    if (found.kind === 'consistent')
        return { kind: 'agrees', live: found.live && recorded !== current ? servingAs(found.live, current) : found.live };
    if (reader === 'deploy' && found.kind === 'adopt' && found.release.services?.length)
        return { kind: 'unrecorded-mix', live: found.replaced };
    // Reconciled as the recorded release, written as what production serves (its own ids).
    const completion = found.kind === 'rolled-back' && recorded !== current
        ? { ...found, release: { ...found.release, ...current } }
        : found;
    return { kind: 'owes', completion, writes: completionWrites(completion, context) };
}
/** The writes that make the ledger agree with production, in order. They change nothing at the provider. */
function completionWrites(r, context) {
    const live = r.kind === 'went-live' ? r.entry.payload.release : r.release;
    const liveStatus = (id) => ({
        op: 'status',
        id,
        state: 'success',
        description: `live at ${context.provider} (recorded late)`,
        environmentUrl: live.url,
    });
    const rolledBackFrom = (entry) => ({
        op: 'status',
        id: entry.id,
        state: 'failure',
        description: `rolled back to ${live.id} (recorded late)`,
    });
    if (r.kind === 'went-live') {
        const from = r.entry.payload.rollback?.from;
        // A rollback entry whose success was never recorded: the release it took out is marked failed too.
        const takenOut = from && r.replaced && r.replaced.payload.release.id === from.id && !r.replaced.everFailed
            ? [rolledBackFrom(r.replaced)]
            : [];
        return [liveStatus(r.entry.id), ...takenOut];
    }
    const previous = r.replaced?.payload.release;
    const payload = r.kind === 'adopt'
        ? { release: live, previous, adopted: true }
        : {
            release: live,
            previous,
            rollback: { from: r.replaced.payload.release, reason: 'recorded late: production had already been switched' },
        };
    const record = {
        op: 'record',
        payload,
        sha: live.sha || context.sha,
        description: r.kind === 'adopt' ? `adopted: ${context.provider} serves ${live.id}` : `rollback to ${live.id} (recorded late)`,
    };
    const takenOut = r.kind === 'rolled-back' && !r.replaced.everFailed ? [rolledBackFrom(r.replaced)] : [];
    return [...takenOut, record, liveStatus('recorded')];
}
/** The entry of the live release once `completion` is written (`recordedId`: the id of the record it created). */
function completedEntry(r, recordedId, context) {
    if (r.kind === 'went-live')
        return { ...r.entry, state: 'success', everSucceeded: true };
    const [record] = completionWrites(r, context).filter((w) => w.op === 'record');
    const payload = record.payload;
    return {
        id: recordedId,
        sha: record.sha,
        ref: context.ref,
        environment: context.environment,
        createdAt: context.createdAt,
        payload: { shipline: 1, key: context.key, ...payload },
        state: 'success',
        everSucceeded: true,
        everFailed: false,
    };
}
/** The release taken out of a rollback and the one restored: the writes that record it, in order. */
function rollbackWrites(taken, restored, why) {
    const markFailed = taken.liveEntry && !taken.liveEntry.everFailed
        ? [{ op: 'status', id: taken.liveEntry.id, state: 'failure', description: why.takenOutDescription }]
        : [];
    return [
        ...markFailed,
        {
            op: 'record',
            payload: {
                release: restored,
                previous: taken.live,
                rollback: taken.live
                    ? {
                        from: taken.live,
                        reason: why.reason || undefined,
                        failedCommit: why.failedCommit,
                        schemaAhead: why.schemaAhead,
                        migratedDown: why.migratedDown,
                    }
                    : undefined,
            },
            sha: restored.sha || why.sha,
            description: `rollback to ${restored.id}`,
        },
        {
            op: 'status',
            id: 'recorded',
            state: 'success',
            description: `restored ${restored.id} in place of ${taken.live?.id ?? '?'}`,
            environmentUrl: restored.url,
        },
    ];
}
/** The ledger writes a rollback from `taken` to `restored` consists of, in words a person can carry out. */
function owedWritesText(taken, restored) {
    return taken
        ? `mark ${taken.id} failed and record ${restored.id} live as a rollback from ${taken.id}`
        : `record ${restored.id} live`;
}
/**
 * The contract migrations still in place for a rollback to `targetId`: those recorded with every release deployed
 * after the target was first deployed (failed ones too: their migrations ran, and an app rollback undoes none),
 * less those a later migrate-down rollback reverted.
 * Undefined when the entries read do not reach the target's first deploy, so nothing can be said.
 */
function schemaAhead(entries, targetId) {
    const ordered = [...entries].sort(newestFirst);
    const first = ordered.findLastIndex((e) => e.payload.release.id === targetId && !e.payload.rollback);
    if (first < 0)
        return undefined;
    // A migrate-down rollback reverted the migrations it lists: older deploys' contract migrations among them are no
    // longer in place. Walking newest first, a deploy that applied one again after that rollback is met before it.
    const reverted = new Set();
    const fileName = (path) => path.replace(/^.*\//, '');
    const ahead = [];
    for (const e of ordered.slice(0, first)) {
        for (const file of e.payload.rollback?.migratedDown ?? [])
            reverted.add(fileName(file));
        const changes = (e.payload.schema?.contract ?? []).filter((c) => !reverted.has(fileName(c.file)));
        if (changes.length > 0)
            ahead.push({ release: e.payload.release, changes });
    }
    return ahead;
}
/**
 * `target: previous`. `entries` is undefined when there is no ledger (or it could not be read): the provider's
 * own record then says whether a rollback already happened, and its history what came before.
 */
function choosePrevious(s) {
    const { live, liveEntry: entry, entries, failed } = s;
    const serving = live ?? entry?.payload.release;
    if (entries) {
        // The provider serves a release the ledger never recorded as live (a multi-service release that failed
        // part-way and could not be put back): the ledger's live release is the one before it, one release back,
        // and stays good in the ledger (what is taken out is the unrecorded one).
        if (live && entry && entry.payload.release.id !== live.id && live.services?.length)
            return { kind: 'chosen', target: entry.payload.release, source: 'ledger', liveEntry: undefined };
        const rolledBack = entry?.payload.rollback;
        // A re-run of a rollback that happened: it never rolls back a second time.
        if (rolledBack && !failed)
            return {
                kind: 'nothing-to-do',
                target: serving,
                source: 'ledger',
                reason: `already rolled back: ${entry?.payload.release.id} was restored from ${rolledBack.from.id}`,
            };
        return {
            kind: 'chosen',
            target: previousGood(entries, entry)?.payload.release,
            source: 'ledger',
            liveEntry: entry,
        };
    }
    if (live?.restoredFrom && !failed)
        return {
            kind: 'nothing-to-do',
            target: live,
            source: 'provider history',
            reason: `already rolled back: ${live.id} was restored from ${live.restoredFrom}`,
        };
    return { kind: 'ask-provider' };
}
/** A rollback of a named failed release that production no longer serves restores nothing. */
function failedNotLive(failed, serving) {
    if (!failed || serving?.id === failed)
        return undefined;
    return `${failed} is not live (production serves ${serving?.id ?? 'nothing'}): nothing to restore`;
}
/**
 * When production serves a mix of services, the ledger's live release is taken out only when it is not the one
 * restored (a rollback completed, not a deploy's services put back).
 */
function takenOutOfMix(entry, target) {
    return entry && target && entry.sha !== target.sha ? entry : undefined;
}
function decideRollback(p, environment) {
    if (p.noChange)
        return { kind: 'nothing-to-do', reason: p.noChange, target: p.target };
    if (!p.target)
        return {
            kind: 'refuse',
            reason: `No release to roll back to in ${environment} (${p.source}${p.live ? `; live is ${p.live.id}` : ''})`,
        };
    // Restoring what is already live would be a second switch for nothing.
    if (p.target.id === p.live?.id)
        return { kind: 'already-live', target: p.target };
    return { kind: 'restore', target: p.target, from: p.live };
}


/***/ })

};
