export const id = 749;
export const ids = [749];
export const modules = {

/***/ 6749:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./shared/deadline.ts
var deadline = __webpack_require__(1064);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/inputs.ts
var shared_inputs = __webpack_require__(8573);
// EXTERNAL MODULE: ./shared/ledger.ts + 1 modules
var ledger = __webpack_require__(4292);
// EXTERNAL MODULE: ./shared/release-choice.ts
var release_choice = __webpack_require__(4439);
;// CONCATENATED MODULE: ./shared/ledger-settle.ts

/**
 * Makes `writes` in order; returns the id of the record one of them created. `onRecorded` hears of that id as
 * soon as it exists (before the status that follows it).
 */
async function applyWrites(ledger, writes, context, onRecorded) {
    let recorded;
    for (const write of writes) {
        if (write.op === 'record') {
            recorded = await ledger.record({
                ...write.payload,
                key: context.key,
                environment: context.environment,
                sha: write.sha,
                ref: context.ref,
                production: true,
                transient: false,
                description: write.description,
                logUrl: context.logUrl,
            });
            onRecorded?.(recorded);
            continue;
        }
        const id = write.id === 'recorded' ? recorded : write.id;
        if (id === undefined)
            throw new Error('a status for a record that was not created');
        await ledger.setStatus(id, write.state, {
            description: write.description,
            environmentUrl: write.environmentUrl,
            logUrl: context.logUrl,
        });
    }
    return recorded;
}
/**
 * Reconcile, then complete: the ledger's standing against `current` and the writes it owes, made (or, in a dry
 * run, only imagined: the entry they would write is id 0, so what is decided next is what a real run decides).
 * `announce` hears of the standing before anything is written.
 */
async function settleLedger(ledger, entries, current, options) {
    const found = (0,release_choice/* standing */.JA)(options.reader, entries, current, { provider: options.provider, sha: options.sha });
    options.announce?.(found);
    if (found.kind !== 'owes')
        return { standing: found, entries, liveEntry: found.live };
    const r = found.completion;
    const entryContext = {
        provider: options.provider,
        sha: options.sha,
        environment: options.environment,
        ref: options.ref,
        createdAt: options.now().toISOString(),
    };
    if (options.dryRun) {
        const release = r.kind === 'went-live' ? r.entry.payload.release : r.release;
        const imagined = r.kind === 'went-live'
            ? { ...r.entry, state: 'success', everSucceeded: true }
            : {
                id: 0,
                sha: release.sha ?? '',
                ref: '',
                environment: options.environment,
                createdAt: entryContext.createdAt,
                state: 'success',
                everSucceeded: true,
                everFailed: false,
                payload: {
                    shipline: 1,
                    release,
                    rollback: r.kind === 'rolled-back' ? { from: r.replaced.payload.release } : undefined,
                },
            };
        return { standing: found, entries: (0,release_choice/* withLive */.fc)(entries, imagined), liveEntry: imagined, completion: r };
    }
    const recorded = await applyWrites(ledger, found.writes, options);
    const liveEntry = (0,release_choice/* completedEntry */.Aw)(r, recorded ?? 0, { ...entryContext, key: options.key });
    return { standing: found, entries: (0,release_choice/* withLive */.fc)(entries, liveEntry), liveEntry, completion: r };
}

// EXTERNAL MODULE: ./shared/providers/load.ts
var load = __webpack_require__(2347);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(1193);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(6566);
;// CONCATENATED MODULE: ./shared/schema-changes.ts
// Contract migrations a release's pipeline applied (migrate's `contract-migrations` output), as deploy records them
// in the ledger and rollback reads them: a release older than one of them would meet a schema it does not know.
// Also how every report says so before merge: migrate plan's summary and deploy's pull request comment.


/** Where the two-release pattern (expand, then contract) is shown for the common cases. */
const EXPAND_CONTRACT_DOCS = 'https://github.com/shipline/shipline/blob/main/actions/migrate/README.md#two-releases-expand-then-contract';
/**
 * The "not rollback-safe" section: each contract migration's file:line, why and statement, and the way to ship
 * the change safely. `verb` says whether the migrations are to come (plan, a pull request) or ran (apply).
 */
function notRollbackSafe(changes, verb) {
    const rows = changes.map((c) => `| ${escapeMarkdown(`${c.file}:${c.line}`)} | ${escapeMarkdown(c.reason)} | ${c.statement ? codeSpan(c.statement, 200) : '–'} |`);
    return [
        '#### Not rollback-safe',
        '',
        `${MARK.warning} **This release is not rollback-safe**: these migrations ${verb} a schema the release before them does not know: rolling the app back past them would fail on its first query against it (rollback refuses, unless allow-schema-ahead or migrate-down). Ship such a change in two releases, expand then contract: [how, for renaming a column, dropping one and adding NOT NULL](${EXPAND_CONTRACT_DOCS}).`,
        '',
        '| Where | Why | Statement |',
        '| --- | --- | --- |',
        ...rows,
    ].join('\n');
}
/** At most this many are recorded per release: the ledger's payload stays small, and one is enough to refuse. */
const RECORDED = 20;
/** migrate's `contract-migrations` output, read: an empty input is none; anything but its JSON form is a problem. */
function parseContractMigrations(raw) {
    const expected = "Input 'contract-migrations' must be migrate's contract-migrations output: a JSON array of {file, line, reason}";
    if (raw.trim() === '')
        return { changes: [] };
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        return { problem: `${expected} (it is not JSON)` };
    }
    if (!Array.isArray(parsed))
        return { problem: `${expected} (it is not an array)` };
    const changes = [];
    for (const item of parsed) {
        const { file, line, reason, statement } = (item ?? {});
        if (typeof file !== 'string' || typeof reason !== 'string' || !Number.isInteger(line))
            return { problem: `${expected} (an item lacks a file, line or reason)` };
        changes.push({
            file: file.slice(0, 300),
            line: line,
            reason: reason.slice(0, 300),
            ...(typeof statement === 'string' ? { statement: statement.slice(0, 300) } : {}),
        });
    }
    return { changes: changes.slice(0, RECORDED) };
}
const describeChange = (c) => `${c.file}:${c.line} (${c.reason})`;

// EXTERNAL MODULE: ./shared/run-context.ts + 1 modules
var run_context = __webpack_require__(3759);
;// CONCATENATED MODULE: ./shared/release-summary.ts


/** Outside text between the HTML tags of a cell is escaped as Markdown: GFM still reads it as Markdown there. */
function serviceLine(s, urls) {
    const name = s.name
        ? `<b>${(0,sanitise/* escapeMarkdown */.FV)(s.name)}</b>`
        : `service <code>${(0,sanitise/* escapeMarkdown */.FV)((0,summary/* shortId */.m_)(s.service))}</code>`;
    const deployment = s.id ? `<code>${(0,sanitise/* escapeMarkdown */.FV)((0,summary/* shortId */.m_)(s.id))}</code>` : 'no deployment';
    const state = s.state ? ` ${(0,sanitise/* escapeMarkdown */.FV)(s.state)}` : '';
    const url = urls && s.url ? ` ${(0,sanitise/* escapeMarkdown */.FV)(s.url)}` : '';
    const ids = [
        `service <code>${(0,sanitise/* escapeMarkdown */.FV)(s.service)}</code>`,
        ...(s.id ? [`deployment <code>${(0,sanitise/* escapeMarkdown */.FV)(s.id)}</code>`] : []),
    ].join('<br>');
    return `<details><summary>${name} ${deployment}${state}${url}</summary>${ids}</details>`;
}
/** A summary cell naming the release; with `urls`, each service's (or the release's) URL too. */
function releaseCell(release, options = {}) {
    if (!release)
        return undefined;
    if (!release.services?.length)
        return options.urls && release.url ? `${release.id} (${release.url})` : release.id;
    return (0,summary/* markdown */.wD)(release.services.map((s) => serviceLine(s, options.urls === true)).join(''));
}
/** A summary cell with every service's URL, by name; for a single-service release, `url` or its own. */
function urlCell(release, url) {
    const services = release?.services?.filter((s) => s.url) ?? [];
    if (services.length === 0)
        return url ?? release?.url;
    return markdown(services.map((s) => `${escapeMarkdown(s.name ?? shortId(s.service))}: ${escapeMarkdown(s.url)}`).join('\n'));
}
/** The release in one line of plain text (for an outcome sentence): `backend 1a2b3c4d, frontend 5e6f7a8b`, else its id. */
function releaseLabel(release) {
    if (!release.services?.length)
        return release.id;
    return release.services
        .map((s) => `${s.name ?? (0,summary/* shortId */.m_)(s.service)} ${s.id ? (0,summary/* shortId */.m_)(s.id) : '(no deployment)'}`)
        .join(', ');
}

// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(9413);
// EXTERNAL MODULE: ./actions/rollback/src/target.ts
var src_target = __webpack_require__(4233);
;// CONCATENATED MODULE: ./actions/rollback/src/run.ts
// rollback: work out exactly which release to put back (the ledger's record of what was good before the live
// one, else the provider's own history), re-point production at it, check it answers, and record what happened.
//
// The provider is asked first what production serves, and the ledger is made to agree with it before anything is
// decided (shared/ledger-settle.ts, the same sequence deploy runs): a release live without an entry is adopted, a
// rollback whose ledger write failed is completed. So a re-run after a partial failure finishes the record and
// changes nothing at the provider, and "previous" is one back from what is really live. Which release is
// restored, and whether anything is, is decided in shared/release-choice.ts; this file carries it out.
//
// run() takes its side effects as `deps` (the provider, the ledger, the clock, outputs and log, the verify request,
// Sentry): index.ts hands it the real ones (deps.ts), test/rollback-run-seam.test.ts in-memory ones.













/**
 * Reads the ledger and makes it agree with what the provider serves. In a dry run the missing entry is only
 * imagined (id 0), so the plan is the same as a real run's and nothing is written.
 */
async function readLedger(ledger, inputs, target, provider, live, deps) {
    const { context, io } = deps;
    const targetId = target.kind === 'id' ? target.id : target.kind === 'id-or-sha' ? target.value : undefined;
    const ids = [live?.id, inputs['failed-deployment-id'], targetId].filter((x) => Boolean(x));
    // A commit named as the target is looked up on its own (LedgerPort.goodOfCommit, in bySha): reading statuses
    // until it turns up would read the whole history for a SHA with no release.
    const entries = await ledger.entries(inputs.environment, { releaseIds: ids });
    let what;
    const settled = await settleLedger(ledger, entries, live, {
        reader: 'rollback',
        environment: inputs.environment,
        key: (0,run_context/* stepKey */.U)(context, 'reconcile'),
        sha: context.sha,
        ref: context.refName,
        provider: provider.name,
        logUrl: context.runUrl,
        dryRun: inputs['dry-run'],
        now: () => new Date(deps.now()),
        announce: (s) => {
            what = announcement(s, provider.name, live);
            if (what)
                io.warning(`Ledger: ${what}.`);
        },
    });
    const reconciled = what && settled.standing.kind === 'owes' ? (inputs['dry-run'] ? `would record: ${what}` : what) : undefined;
    return { ledger, entries: settled.entries, liveEntry: settled.liveEntry, reconciled };
}
/** What the ledger's standing says in the log, when it says anything. */
function announcement(s, providerName, live) {
    // Not a release: never adopted as the live one. The ledger stays as it is until the services are settled.
    if (s.kind === 'not-a-release')
        return `${providerName} serves no single release (${s.mixed}); not recorded as one`;
    if (s.kind !== 'owes')
        return undefined;
    const r = s.completion;
    return {
        adopt: `${providerName} serves ${live?.id}, which the ledger has no entry for: adopting it as the live release`,
        'went-live': `${providerName} serves ${live?.id}, whose ledger entry never recorded that it went live: recording it`,
        'rolled-back': `${providerName} serves ${live?.id}, older than the ledger's live release (${r.kind === 'rolled-back' ? r.replaced.payload.release.id : ''}): a rollback whose ledger write failed; completing the ledger`,
    }[r.kind];
}
async function plan(inputs, target, provider, live, view, io) {
    const entries = view?.entries;
    const liveEntry = view?.liveEntry;
    const base = { live: live ?? liveEntry?.payload.release, liveEntry };
    if (live?.mixed) {
        // The services serve different releases (a switch that stopped part-way): not a release, so never kept as
        // the good one nor gone back one from. 'previous' (and the in-job rollback of a failed release) settles every
        // service on one release; a named target is restored on every service.
        const chosen = target.kind === 'previous'
            ? { target: await provider.previous(live), source: 'provider history' }
            : await byTarget(inputs, target, provider, view);
        io.info(`Rollback: ${provider.name} serves no single release (${live.mixed}); every service goes to ${chosen.target?.id ?? 'a release to be found'}.`);
        return { live, liveEntry: (0,release_choice/* takenOutOfMix */.BW)(liveEntry, chosen.target), ...chosen };
    }
    const failed = inputs['failed-deployment-id'];
    const notLive = (0,release_choice/* failedNotLive */.Nz)(failed, base.live);
    if (notLive)
        return { ...base, target: base.live, source: 'input', noChange: notLive };
    if (target.kind === 'previous') {
        const choice = (0,release_choice/* choosePrevious */.vx)({ live, liveEntry, entries, failed });
        if (choice.kind === 'nothing-to-do')
            return { ...base, target: choice.target, source: choice.source, noChange: choice.reason };
        if (choice.kind === 'chosen')
            return { live: base.live, liveEntry: choice.liveEntry, target: choice.target, source: choice.source };
        return { ...base, target: await provider.previous(live), source: 'provider history' };
    }
    return { ...base, ...(await byTarget(inputs, target, provider, view)) };
}
/** The release a named target (an id, a commit) is. */
async function byTarget(inputs, target, provider, view) {
    if (target.kind === 'sha')
        return bySha(target.sha, provider, view, inputs.environment);
    if (target.kind === 'id')
        return { target: await provider.describe(target.id), source: 'input' };
    return byIdOrSha(inputs.provider, target.value, provider, view, inputs.environment);
}
/**
 * The release of a commit: the ledger's good release of it (among the entries read, else by a look-up of that
 * commit alone), else the provider's newest ready one. A few requests whatever the history's length.
 */
async function bySha(sha, provider, view, environment) {
    const fromLedger = view
        ? ((0,release_choice/* bySha */.qP)(view.entries, sha) ?? (await view.ledger.goodOfCommit(environment, sha)))?.payload.release
        : undefined;
    return { target: fromLedger ?? (await provider.findBySha(sha)), source: fromLedger ? 'ledger' : 'provider history' };
}
/** The release with this id, or undefined when the provider has none (404); any other failure is thrown. */
async function describeIfAny(provider, id) {
    try {
        return await provider.describe(id);
    }
    catch (error) {
        if (error instanceof errors/* ProviderError */.mZ && error.status === 404)
            return undefined;
        throw error;
    }
}
/**
 * A value with the shape of both a release id and a commit SHA (a Netlify deploy id): looked up as both. The one
 * that exists is restored; when both do, nothing is guessed and the step fails naming both and the prefixes.
 */
async function byIdOrSha(name, value, provider, view, environment) {
    const asId = (view ? (0,release_choice/* byProviderId */.YN)(view.entries, value)?.payload.release : undefined) ?? (await describeIfAny(provider, value));
    const asSha = await bySha(value.toLowerCase(), provider, view, environment);
    if (asId && asSha.target && asId.id !== asSha.target.id) {
        throw new errors/* InputError */.dz([
            `Input 'target' '${value}' names two releases: ${asId.id} (as ${load/* RELEASE_IDS */.jA[name].form}) and ${asSha.target.id} (built from commit ${asSha.target.sha ?? value}). Say which: 'id:${value}' or 'sha:${value}'`,
        ]);
    }
    if (asId)
        return { target: asId, source: 'input' };
    if (asSha.target)
        return asSha;
    throw new errors/* ShiplineError */.J0(`Input 'target' '${value}' is neither a ${name} release nor a commit with a release in ${name}: with provider ${name} it takes ${(0,src_target/* targetForms */.P)(name)}`);
}
async function verify(url, deps) {
    const status = await deps.httpStatus(url);
    if (status >= 400)
        throw new errors/* ShiplineError */.J0(`Rolled back, but ${url} answers HTTP ${status}`, {
            hint: 'Production now serves the restored release; check it by hand.',
        });
    return status;
}
async function run(given, deps) {
    const { context, io } = deps;
    const waitTimeout = `wait-timeout ${(0,shared_inputs/* durationText */.S5)(given['wait-timeout'])}`;
    // The reads before the switch (what is live, the history, the target) end by wait-timeout from the step's start;
    // the switch itself then gets its own wait-timeout.
    const provider = await deps.provider(deadline/* Deadline */.B.in(given['wait-timeout'], waitTimeout));
    // Every GitHub request of the ledger read before the switch ends when `reading` aborts (inTime).
    const reading = new AbortController();
    const ledger = await deps.ledger(reading.signal);
    let inputs = given;
    let byCommit;
    if (given['failed-commit']) {
        if (!ledger)
            throw new errors/* ShiplineError */.J0(`Input 'failed-commit' needs the release ledger, and it is off`, {
                hint: "Set 'github-token' (deployments: read and write) and GITHUB_REPOSITORY.",
            });
        const sha = await ledger.fullSha(given['failed-commit']);
        const entry = await ledger.newestOfCommit(given.environment, sha);
        if (!entry) {
            // The job stopped before it deployed (or before its ledger entry was written): nothing of this commit can
            // be serving, and restoring anything would be a guess.
            const text = `the ${given.environment} ledger has no release deployed from commit ${sha}: nothing to restore`;
            io.info(`Rollback: ${text}.`);
            io.setOutput('changed', 'false');
            io.appendSummary(`### Rollback: ${given.provider} → ${given.environment}\n\n${(0,summary/* facts */.Ix)([
                ['Outcome', `no change: ${text}`],
                ['Failed commit', sha],
                ['Reason', given.reason],
            ])}`);
            return;
        }
        byCommit = { sha, entry };
        io.info(`Rollback: commit ${sha} was deployed to ${given.environment} as ${entry.payload.release.id} (ledger entry ${entry.id}); treating it as the failed release.`);
        inputs = { ...given, 'failed-deployment-id': entry.payload.release.id };
    }
    // The provider says what production serves (where it can: Supabase functions carry no release identity, and
    // then the ledger's live release is it); the ledger, made to agree with it, says what was good before it.
    const parsed = (0,src_target/* parseTarget */.h)(inputs.provider, inputs.target);
    if ('problem' in parsed)
        throw new errors/* InputError */.dz([parsed.problem]);
    const live = await provider.current();
    // A staged release that failed its checks (ECS: its service deployment, paused on the test listener) is ended
    // before anything else: production never served it, so nothing is restored; left, it would hold the test listener
    // until the provider's own timeout. From here on it is the release it staged, as the ledger records it.
    let staged;
    const failedId = inputs['failed-deployment-id'];
    if (failedId && provider.discardStaged) {
        staged = await provider.discardStaged(failedId, deadline/* Deadline */.B.in(inputs['wait-timeout'], waitTimeout), {
            dryRun: inputs['dry-run'],
        });
        if (staged) {
            io.info(`Rollback: the staged release ${staged.release.id} (${failedId}): ${staged.live ? 'went live; rolling back from it' : staged.outcome}.`);
            inputs = { ...inputs, 'failed-deployment-id': staged.release.id };
            if (staged.live)
                staged = undefined;
        }
    }
    const budgetMs = ledgerBudgetMs(inputs['wait-timeout']);
    let view;
    /** Why the ledger could not be read in time, when it could not: the plan then comes from the provider's history. */
    let ledgerDown;
    if (ledger) {
        try {
            view = await inTime(() => readLedger(ledger, inputs, parsed.target, provider, live, deps), budgetMs, reading, `reading the ${inputs.environment} ledger`);
        }
        catch (error) {
            // GitHub rate-limited, failing or silent must not keep a bad release serving: the provider knows its own
            // history. A refusal (a token without deployments: read) is not an outage and fails here, before any change.
            if (!ledgerUnavailable(error))
                throw error;
            ledgerDown = (0,errors/* failureMessage */.oh)(error).split('\n')[0];
            io.warning(`Ledger: ${ledgerDown}. Choosing the release from the provider's own history (${provider.name}); the ledger is written after the switch if GitHub answers by then, else this step names the writes it owes.`);
        }
    }
    const p = await plan(inputs, parsed.target, provider, live, view, io);
    const reason = inputs.reason ? ` (${inputs.reason})` : '';
    const ledgerRow = ledgerDown
        ? `not read (${ledgerDown}); chosen from ${provider.name}'s own history`
        : view?.reconciled;
    /** The contract migrations a rollback goes past, as allowed (`allow-schema-ahead`). */
    let schemaNote;
    const report = (outcome) => io.appendSummary(run_summary(p, outcome, inputs, ledgerRow, byCommit, schemaNote));
    const decision = (0,release_choice/* decideRollback */.h6)(p, inputs.environment);
    if (decision.kind === 'nothing-to-do') {
        io.info(`Rollback: ${decision.reason}.`);
        if (ledgerDown) {
            // Production is right, but whether the ledger says so could not be checked: the step succeeds only when both
            // hold, so that a later re-run (or the safety net) completes the record.
            const text = `no change: ${decision.reason}; the ledger could not be read to check that it agrees`;
            report({ kind: 'no change', text });
            throw new errors/* ShiplineError */.J0(`Rollback: ${decision.reason}, but the ledger could not be read (${ledgerDown})`, {
                hint: 'Production needs nothing. Re-run this rollback once GitHub answers: it completes the ledger if it lags behind, and changes nothing at the provider.',
            });
        }
        if (view && inputs['failed-deployment-id'] && !inputs['dry-run']) {
            const failedEntry = (0,release_choice/* byProviderId */.YN)(view.entries, inputs['failed-deployment-id']);
            const description = staged
                ? `staged release discarded: ${inputs.reason ?? staged.outcome}`
                : byCommit
                    ? `not live; marked failed by commit ${byCommit.sha.slice(0, 12)} (safety net)${reason}`
                    : `failed checks, never live${reason}`;
            if (failedEntry && !failedEntry.everFailed)
                await view.ledger.setStatus(failedEntry.id, 'failure', { description, logUrl: context.runUrl });
        }
        io.setOutput('changed', 'false');
        if (decision.target) {
            io.setOutput('restored-deployment-id', decision.target.id);
            if (decision.target.url)
                io.setOutput('url', decision.target.url);
        }
        report({
            kind: 'no change',
            text: staged
                ? `no change to production: staged release ${staged.release.id} ${inputs['dry-run'] ? 'would be discarded' : 'discarded'} (${staged.outcome})`
                : `no change: ${decision.reason}`,
        });
        return;
    }
    if (decision.kind === 'refuse')
        throw new errors/* ShiplineError */.J0(decision.reason, {
            hint: "Name one with input 'target' (a deployment id or a commit SHA).",
        });
    if (decision.kind === 'already-live') {
        io.info(`Rollback: ${decision.target.id} is already live.`);
        io.setOutput('changed', 'false');
        io.setOutput('restored-deployment-id', decision.target.id);
        if (decision.target.url)
            io.setOutput('url', decision.target.url);
        report({ kind: 'no change', text: 'no change: already live' });
        return;
    }
    const target = decision.target;
    const downs = inputs['migrate-down'] ? await downsFor(view, target, inputs, deps) : undefined;
    const ahead = downs ? undefined : schemaAheadOf(view, target, inputs, io);
    if (ahead)
        schemaNote = `past ${ahead}; allowed: ${inputs['allow-schema-ahead']}`;
    if (downs)
        schemaNote = inputs['dry-run'] ? `would have ${downs.note}` : downs.note;
    if (schemaNote)
        io.setOutput('schema', schemaNote);
    if (inputs['dry-run']) {
        io.info(`Dry run: would restore ${target.id} (${target.url ?? 'no URL'}) in place of ${p.live?.id ?? 'nothing'}, found from ${p.source}.`);
        io.setOutput('changed', 'false');
        report({ kind: 'dry run', text: `dry run: would restore ${target.id}` });
        return;
    }
    if (downs && downs.files.length > 0) {
        try {
            await io.group(`Revert ${downs.files.length} migration(s) with their down scripts`, downs.run);
            p.migratedDown = downs.files;
        }
        catch (error) {
            schemaNote = `not reverted: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`;
            io.setOutput('schema', schemaNote);
            report({
                kind: 'no change',
                text: `no change: the down migrations failed, so ${p.live?.id ?? 'the live release'} still serves`,
            });
            throw new errors/* ShiplineError */.J0(`Rollback stopped before the switch: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}. The downs ran in one transaction, so none of them is applied and ${p.live?.id ?? 'the live release'} still serves against the schema it was deployed with`, {
                cause: error,
                hint: 'Fix the down script (the proof passed on an empty database; this failure comes from the data), or roll forward.',
            });
        }
    }
    const started = deps.now();
    const restored = await io.group(`Roll back ${inputs.environment}: ${p.live?.id ?? '?'} → ${target.id}`, () => provider.rollback(target, deadline/* Deadline */.B.in(inputs['wait-timeout'], waitTimeout)));
    const switchMs = deps.now() - started;
    io.setOutput('restored-deployment-id', restored.id);
    if (restored.url)
        io.setOutput('url', restored.url);
    if (ledger) {
        const owed = (0,release_choice/* owedWritesText */.vX)(p.live, restored);
        try {
            if (view)
                await recordRollback(view.ledger, p, restored, inputs, deps, byCommit?.sha);
            else
                await recordAfterOutage(p, restored, inputs, deps, byCommit?.sha, budgetMs);
        }
        catch (error) {
            // Production changed; only the record of it is missing. Say exactly that, and what completes it. The step
            // fails, and `changed` stays unwritten: the pipeline reads it as "rolled back and recorded", and a job whose
            // rollback failed is not settled, so the safety net runs — and, finding the failed release no longer live, it
            // only completes the ledger: a release that is not live is never rolled back from, so nothing is rolled back
            // twice. A step that succeeded here would leave the ledger naming the bad release live, and the next deploy
            // would have to find that out.
            const chosen = ledgerDown
                ? `, chosen from ${provider.name}'s own history because the ledger could not be read (${ledgerDown})`
                : '';
            const failure = new errors/* ShiplineError */.J0(`Rolled back: production serves ${restored.id} in place of ${p.live?.id ?? 'nothing'}${chosen}, but the ledger was not updated. ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}. The ledger owes: ${owed}.`, {
                cause: error,
                hint: `Production is where you want it. Re-run this rollback with the same inputs once GitHub answers: it sees ${restored.id} live, writes exactly that and does not change production again.${error instanceof errors/* ShiplineError */.J0 && error.hint ? ` ${error.hint}` : ''}`,
            });
            report({
                kind: 'restored',
                text: `restored ${restored.id}; ledger not updated: it owes: ${owed} (re-run to write it)`,
                restored,
                switchMs,
            });
            throw failure;
        }
    }
    // Only now that the ledger agrees with the provider (or there is no ledger): the pipeline's word for it.
    io.setOutput('changed', 'true');
    if (p.live)
        io.setOutput('rolled-back-deployment-id', p.live.id);
    // Sentry (when named): the restored release's deploy to the environment, with the switch's start and finish, so
    // that Sentry's latest deploy is the release the ledger now says is live. Never fails a rollback that happened.
    const restoredSha = restored.sha || target.sha || (view ? (0,release_choice/* byProviderId */.YN)(view.entries, restored.id)?.sha : undefined);
    const sentry = await tellSentryOfRollback(inputs, restored, restoredSha, new Date(started), new Date(started + switchMs), deps);
    const verifyUrl = inputs['verify-url'] ?? restored.url;
    let verified = 'not checked';
    if (inputs.verify && verifyUrl) {
        try {
            verified = `HTTP ${await verify(verifyUrl, deps)} from ${verifyUrl}`;
        }
        catch (error) {
            report({
                kind: 'restored',
                text: `restored ${releaseLabel(restored)}, but verification failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`,
                restored,
                switchMs,
            });
            throw error;
        }
    }
    io.info(`Rollback: ${restored.id} is live again (${verified}); switched in ${(switchMs / 1000).toFixed(1)}s.`);
    report({ kind: 'restored', text: `restored ${releaseLabel(restored)}`, restored, switchMs, verified, sentry });
}
/** How long the ledger read before the switch may take: a quarter of wait-timeout, from 5 s to 60 s. */
function ledgerBudgetMs(waitTimeoutMs) {
    return Math.min(60_000, Math.max(5_000, Math.round(waitTimeoutMs / 4)));
}
/** The ledger did not answer within its budget. */
class LedgerTooSlow extends errors/* ShiplineError */.J0 {
}
/**
 * Runs `work` (GitHub requests made through a ledger opened with `controller`'s signal) for at most `ms`: past it
 * `controller` aborts every request the work started, so nothing it began writes behind the step's back.
 */
async function inTime(work, ms, controller, what) {
    let timer;
    const running = work();
    running.catch(() => undefined);
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => {
            controller.abort();
            reject(new LedgerTooSlow(`GitHub API: ${what} did not finish within ${(0,shared_inputs/* durationText */.S5)(ms)}`));
        }, ms);
    });
    try {
        return await Promise.race([running, late]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** GitHub is unavailable (rate limit, 5xx, no answer, too slow), as opposed to refusing the token. */
function ledgerUnavailable(error) {
    return error instanceof LedgerTooSlow || (error instanceof ledger/* GitHubApiError */.OS && error.unavailable);
}
/**
 * The ledger's side of a rollback chosen from the provider's history while GitHub was unavailable: with a client
 * of its own (the reading one was aborted) and the same bound, the entries are read again and the rollback
 * recorded as any other.
 */
async function recordAfterOutage(p, restored, inputs, deps, failedCommit, budgetMs) {
    const writing = new AbortController();
    const ledger = await deps.ledger(writing.signal);
    if (!ledger)
        return;
    await inTime(async () => {
        const entries = await ledger.entries(inputs.environment, {
            releaseIds: [restored.id, ...(p.live ? [p.live.id] : [])],
        });
        const liveEntry = p.live ? (0,release_choice/* byProviderId */.YN)(entries, p.live.id) : undefined;
        await recordRollback(ledger, { ...p, liveEntry }, restored, inputs, deps, failedCommit);
    }, budgetMs, writing, `writing the ${inputs.environment} ledger`);
}
/** Marks the restored release's deploy in Sentry; a warning (never a failure) when Sentry refuses or is down. */
async function tellSentryOfRollback(inputs, restored, sha, started, finished, { io, sentryDeploy }) {
    const target = (0,sentry_inputs/* sentryTarget */.Z1)(inputs, { release: sha ?? '', environment: inputs.environment });
    if (!target)
        return undefined;
    if (!target.release) {
        io.warning(`Sentry: the restored release ${restored.id} has no known commit, so no deploy was marked in Sentry (set sentry-release to name its Sentry release).`);
        return 'no deploy marked (the restored release has no known commit)';
    }
    try {
        const deploy = await sentryDeploy(target, {
            name: restored.id,
            url: restored.url,
            dateStarted: started,
            dateFinished: finished,
        });
        io.setOutput('sentry-deploy-id', deploy.id);
        io.info(`Sentry: release ${target.release}: deploy ${deploy.id} to ${target.environment} (rollback)`);
        return `release ${target.release}: deploy ${deploy.id} to ${target.environment}`;
    }
    catch (error) {
        const reason = (0,errors/* failureMessage */.oh)(error).split('\n').join(' ');
        io.warning(`Sentry was not told of the rollback to release ${target.release}: ${reason}. The rollback itself succeeded.`);
        return `${summary/* MARK */.M$.warning} release ${target.release}: not updated: ${reason}`;
    }
}
/**
 * The down migrations a migrate-down rollback to `target` runs, worked out, checked and proved before anything
 * changes (./migrate-down.ts). The ledger names the contract migrations after the target: without it, or when the
 * entries read do not reach the target's deploy, nothing can be named and the rollback is refused.
 */
async function downsFor(view, target, inputs, deps) {
    const ahead = view ? (0,release_choice/* schemaAhead */.N7)(view.entries, target.id) : undefined;
    if (!ahead)
        throw new errors/* ShiplineError */.J0(`Rollback refused: migrate-down reverts the migrations applied after ${target.id}, and ${view ? `the ledger entries read do not reach ${target.id}'s deploy` : 'the ledger could not be read'}, so which they are is not known. Nothing was changed`, { hint: "Re-run once GitHub answers, or name a more recent target with input 'target'." });
    if (ahead.length === 0) {
        deps.io.info(`migrate-down: no contract migration was applied after ${target.id}; nothing to revert.`);
        return {
            files: [],
            note: `nothing to revert: no contract migration after ${target.id}`,
            run: async () => undefined,
        };
    }
    if (!deps.migrateDown)
        throw new errors/* ShiplineError */.J0('migrate-down is not available in this build');
    return deps.migrateDown(inputs, target, ahead);
}
/** The ledger's side of a rollback that happened: the release taken out failed, the restored one is live. */
/**
 * Refuses (before the provider is touched) a rollback to a release older than contract migrations still in place:
 * it would fail on its first query against the schema. `allow-schema-ahead` names why it can run anyway; the
 * refusal and the override name each migration. Without the ledger nothing is known, and that is said.
 */
function schemaAheadOf(view, target, inputs, io) {
    const ahead = view ? (0,release_choice/* schemaAhead */.N7)(view.entries, target.id) : undefined;
    if (!ahead) {
        if (view)
            io.info(`Schema: the ledger entries read do not reach ${target.id}'s deploy, so no contract migration after it can be named.`);
        return undefined;
    }
    const changes = ahead.flatMap((a) => a.changes.map((c) => `${describeChange(c)}, applied with ${a.release.id}`));
    if (changes.length === 0)
        return undefined;
    const listed = changes.length > 5 ? `${changes.slice(0, 5).join('; ')} and ${changes.length - 5} more` : changes.join('; ');
    if (!inputs['allow-schema-ahead'])
        throw new errors/* ShiplineError */.J0(`Rollback refused: ${target.id} is older than contract migrations still in place, and would run against a schema it does not know: ${listed}`, {
            hint: "Roll forward with a fix instead; or set input 'migrate-down: true' (with 'database-url') to revert them with their down scripts, proved on a throw-away database first (dbmate, goose, golang-migrate, Flyway undo); or set input 'allow-schema-ahead' to why the old release runs against the new schema (recorded in the ledger, the summary and Slack).",
        });
    io.warning(`Rolling back past contract migrations (${listed}), as allowed: ${inputs['allow-schema-ahead']}`);
    return listed;
}
async function recordRollback(ledger, p, restored, inputs, { context, io }, failedCommit) {
    const writes = (0,release_choice/* rollbackWrites */.xe)(p, restored, {
        takenOutDescription: rolledBackDescription(restored.id, inputs.reason),
        reason: inputs.reason,
        failedCommit,
        schemaAhead: inputs['allow-schema-ahead'] || undefined,
        migratedDown: p.migratedDown,
        sha: context.sha,
    });
    await applyWrites(ledger, writes, {
        environment: inputs.environment,
        key: (0,run_context/* stepKey */.U)(context, 'rollback'),
        sha: context.sha,
        ref: context.refName,
        logUrl: context.runUrl,
    }, (id) => io.setOutput('ledger-id', id));
}
/**
 * The status of the release taken out. A reason that already says it was rolled back ("rolled back after promotion:
 * <measurements>", from the bake window) leads, so that GitHub's 140-character cap cuts the release id rather than
 * the measurements; any other reason follows in brackets.
 */
function rolledBackDescription(restoredId, reason) {
    if (reason && /^rolled back\b/i.test(reason))
        return `${reason} (restored ${restoredId})`;
    return `rolled back to ${restoredId}${reason ? ` (${reason})` : ''}`;
}
/**
 * The rollback's summary: one outcome per table, rows naming what is true of that outcome only. When nothing changed, the reason it was asked for (the pipeline's "rolled back after
 * promotion: …", written before the rollback ran) is labelled as such, so it does not read as an outcome.
 */
function run_summary(p, outcome, inputs, reconciled, byCommit, schema) {
    const name = (r) => releaseCell(r, { urls: true });
    const rows = outcome.kind === 'restored'
        ? [
            ['Restored', name(outcome.restored)],
            ['Taken out', p.live && p.live.id !== outcome.restored.id ? releaseCell(p.live) : undefined],
            ['Chosen from', p.source],
            ['Switch time', `${(outcome.switchMs / 1000).toFixed(1)}s`],
            ['Verified', outcome.verified],
            ['Sentry', outcome.sentry],
        ]
        : outcome.kind === 'dry run'
            ? [
                ['Would restore', name(p.target)],
                ['Live release', releaseCell(p.live)],
                ['Chosen from', p.source],
            ]
            : [['Live release', name(p.live ?? p.target)]];
    return [
        `### Rollback: ${inputs.provider} → ${inputs.environment}`,
        (0,summary/* facts */.Ix)([
            ['Outcome', outcome.text],
            ...rows,
            [
                'Failed release',
                byCommit
                    ? `${releaseLabel(byCommit.entry.payload.release)} (commit ${byCommit.sha}, from the ledger)`
                    : undefined,
            ],
            ['Ledger', reconciled],
            [outcome.kind === 'no change' ? 'Asked for because' : 'Reason', inputs.reason],
            ['Schema', schema],
        ]),
    ].join('\n\n');
}


/***/ })

};
