export const id = 600;
export const ids = [600];
export const modules = {

/***/ 1064:
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

/***/ 4439:
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
 * after the target was first deployed (failed ones too: their migrations ran, and an app rollback undoes none).
 * Undefined when the entries read do not reach the target's first deploy, so nothing can be said.
 */
function schemaAhead(entries, targetId) {
    const ordered = [...entries].sort(newestFirst);
    const first = ordered.findLastIndex((e) => e.payload.release.id === targetId && !e.payload.rollback);
    if (first < 0)
        return undefined;
    return ordered
        .slice(0, first)
        .filter((e) => (e.payload.schema?.contract.length ?? 0) > 0)
        .map((e) => ({ release: e.payload.release, changes: e.payload.schema?.contract ?? [] }));
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


/***/ }),

/***/ 7745:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ readRunContext),
/* harmony export */   U: () => (/* binding */ stepKey)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1758);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4107);
// What the runner tells a step about the run it is part of, as @actions/github's `context` reads it (the GITHUB_*
// variables and the event payload at GITHUB_EVENT_PATH), mapped to the names shipline's summaries and messages
// use. Three variables the context does not carry come from the environment: GITHUB_WORKSPACE, GITHUB_HEAD_REF and
// GITHUB_REF_NAME.



function repository() {
    try {
        const { owner, repo } = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.repo;
        return `${owner}/${repo}`;
    }
    catch {
        return ''; // neither GITHUB_REPOSITORY nor a repository in the payload: a terminal run outside a clone
    }
}
const text = (n) => (Number.isFinite(n) ? String(n) : '');
function readRunContext(env = process.env) {
    const serverUrl = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.serverUrl;
    const repo = repository();
    const event = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.payload;
    const pr = (event.pull_request ?? undefined);
    const sha = pr?.head?.sha ?? _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.sha ?? '';
    const runId = text(_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.runId);
    const headCommitMessage = event.head_commit?.message ?? undefined;
    const ref = _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.ref ?? '';
    return {
        serverUrl,
        apiUrl: _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.apiUrl,
        repository: repo,
        repositoryUrl: `${serverUrl}/${repo}`,
        sha,
        shortSha: sha.slice(0, 7),
        ref,
        refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, ''),
        actor: _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.actor || event.sender?.login || '',
        eventName: _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.eventName ?? '',
        event,
        workflow: _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.workflow ?? '',
        job: _actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.job ?? '',
        runId,
        runAttempt: text(_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._.runAttempt) || '1',
        runUrl: runId ? `${serverUrl}/${repo}/actions/runs/${runId}` : '',
        workspace: (0,_workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .workspaceOf */ .B)(env),
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
function stepKey(context, purpose) {
    return `${context.runId || 'local'}-${context.runAttempt}-${context.job}-${purpose}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)().slice(0, 8)}`;
}


/***/ })

};
