export const id = 479;
export const ids = [479];
export const modules = {

/***/ 16479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  environmentName: () => (/* binding */ environmentName),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(32635);
// EXTERNAL MODULE: ./shared/release-choice.ts
var release_choice = __webpack_require__(84439);
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

// EXTERNAL MODULE: ./shared/deadline.ts
var shared_deadline = __webpack_require__(21064);
// EXTERNAL MODULE: ./shared/inputs.ts
var shared_inputs = __webpack_require__(18573);
// EXTERNAL MODULE: ./shared/providers/provider.ts
var providers_provider = __webpack_require__(22862);
// EXTERNAL MODULE: ./shared/run-context.ts
var run_context = __webpack_require__(97745);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(71193);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(96566);
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
    return (0,summary/* markdown */.wD)(services.map((s) => `${(0,sanitise/* escapeMarkdown */.FV)(s.name ?? (0,summary/* shortId */.m_)(s.service))}: ${(0,sanitise/* escapeMarkdown */.FV)(s.url)}`).join('\n'));
}
/** The release in one line of plain text (for an outcome sentence): `backend 1a2b3c4d, frontend 5e6f7a8b`, else its id. */
function releaseLabel(release) {
    if (!release.services?.length)
        return release.id;
    return release.services
        .map((s) => `${s.name ?? shortId(s.service)} ${s.id ? shortId(s.id) : '(no deployment)'}`)
        .join(', ');
}

// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(39413);
;// CONCATENATED MODULE: ./actions/deploy/src/aliases.ts
// Alias templates: {{PR_NUMBER}}, {{BRANCH}} and {{SHA}} filled in from the run, as DNS-safe labels.

/** A branch name as a DNS label: lower case, [a-z0-9-], at most 63 characters, no leading or trailing dash. */
function dnsLabel(text) {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 63)
        .replace(/-+$/, '');
}
function expandAlias(template, values) {
    const missing = [];
    const alias = template.replace(/\{\{\s*(PR_NUMBER|BRANCH|SHA)\s*\}\}/g, (_, name) => {
        if (name === 'PR_NUMBER') {
            if (values.prNumber === undefined)
                missing.push('{{PR_NUMBER}} (this run is not for a pull request)');
            return String(values.prNumber ?? '');
        }
        if (name === 'BRANCH')
            return dnsLabel(values.branch);
        return values.sha.slice(0, 7);
    });
    if (missing.length > 0)
        throw new errors/* ShiplineError */.J0(`Input 'aliases': cannot fill ${missing.join(', ')} in '${template}'`);
    return alias;
}

// EXTERNAL MODULE: ./actions/deploy/src/inputs.ts + 2 modules
var src_inputs = __webpack_require__(39833);
// EXTERNAL MODULE: ./shared/schema-changes.ts
var schema_changes = __webpack_require__(2187);
// EXTERNAL MODULE: ./shared/http.ts
var http = __webpack_require__(9096);
// EXTERNAL MODULE: ./actions/smoke-test/src/probe.ts
var probe = __webpack_require__(19812);
// EXTERNAL MODULE: ./actions/smoke-test/src/evaluate.ts + 1 modules
var evaluate = __webpack_require__(17843);
// EXTERNAL MODULE: ./shared/metric-gates.ts
var metric_gates = __webpack_require__(12757);
// EXTERNAL MODULE: ./actions/smoke-test/src/watch.ts + 1 modules
var watch = __webpack_require__(57921);
;// CONCATENATED MODULE: ./actions/smoke-test/src/metric-gates-report.ts
// Metric gates in the reports: their readings over a bake window (a section of the job summary), and the one
// reading each takes in a one-shot smoke test (mode gate or monitor), which can fail the run as a check does.




/** Readings a summary row shows: the last ones of a long window (a 6-hour window at 1s reads 21,600 times). */
const SHOWN_READINGS = 60;
const BARS = '▁▂▃▄▅▆▇█';
/** An unread tick in the sparkline. */
const UNREAD = '·';
/** The readings as a one-line chart, lowest to highest across the shown ticks; '·' where the gate had no reading. */
function sparkline(ticks) {
    const values = ticks.flatMap((t) => (t.value !== undefined && Number.isFinite(t.value) ? [t.value] : []));
    const low = Math.min(...values);
    const high = Math.max(...values);
    return ticks
        .map((t) => {
        if (t.value === undefined)
            return UNREAD;
        if (!Number.isFinite(t.value))
            return t.value > 0 ? '█' : '▁';
        const share = high === low ? 0.5 : (t.value - low) / (high - low);
        return BARS[Math.min(BARS.length - 1, Math.floor(share * BARS.length))];
    })
        .join('');
}
function gateVerdict(gate, failures) {
    const failure = failures.find((f) => f.startsWith(`${gate.name}: `));
    if (failure)
        return failure.includes(': inconclusive, ') ? `${MARK.warning} inconclusive` : `${MARK.failed} failed`;
    const unread = gate.ticks.filter((t) => t.error !== undefined).length;
    if (unread > 0 && gate.noData === 'pass' && unread === gate.ticks.length)
        return `${MARK.warning} no data (passed: gates-no-data is pass)`;
    return `${MARK.passed} passed`;
}
/**
 * The bake window's metric gates, one row each: every reading (the last SHOWN_READINGS) as a chart and as numbers,
 * the range, the unread ticks and the verdict. Empty when the window had no metric gate.
 */
function metricGatesMarkdown(gates, failures) {
    const metric = gates.filter((g) => g.failAfter !== undefined);
    if (metric.length === 0)
        return '';
    const rows = metric.map((g) => {
        const shown = g.ticks.slice(-SHOWN_READINGS);
        const values = g.ticks.flatMap((t) => (t.value !== undefined ? [t.value] : []));
        const numbers = shown.map((t) => (t.value !== undefined ? formatReading(t.value) : '–')).join(' ');
        const lastError = [...g.ticks].reverse().find((t) => t.error !== undefined)?.error;
        return [
            markdown(codeSpan(g.name.replace(/^prometheus: /, ''), 400)),
            values.length > 0 ? `${sparkline(shown)} (${numbers})` : 'no reading',
            values.length > 0 ? `${formatReading(Math.min(...values))} – ${formatReading(Math.max(...values))}` : '',
            `${g.ticks.filter((t) => t.error !== undefined).length} of ${g.ticks.length}${lastError ? ` (last: ${inline(lastError, 200)})` : ''}`,
            gateVerdict(g, failures),
        ];
    });
    const older = metric.some((g) => g.ticks.length > SHOWN_READINGS)
        ? ` (the last ${SHOWN_READINGS} ticks of each)`
        : '';
    // table() escapes plain cells; the code spans are escaped by codeSpan itself.
    return [
        `**Metric gates: readings per tick${older}** (· no reading)`,
        table(['Gate', 'Readings', 'Range', 'Unread', 'Verdict'], rows),
    ].join('\n\n');
}
/** Every gate read once, at the same time, each bounded by `timeoutMs`. */
function readGatesOnce(gates, timeoutMs) {
    return Promise.all(gates.map(async (gate) => ({ name: gate.name, ...(await (0,watch/* readGate */.c)(gate, timeoutMs)) })));
}
/** What the one-shot readings do to the report: a failing gate fails it; no reading too, unless gates-no-data is pass. */
function withGateReadings(report, readings, noData) {
    const failed = readings.filter((r) => r.ok === false).map((r) => `${r.name}: ${r.measurement ?? 'failed'}`);
    const unread = noData === 'pass'
        ? []
        : readings.filter((r) => r.error !== undefined).map((r) => `${r.name}: inconclusive, no reading (${r.error})`);
    const failures = [...failed, ...unread];
    if (failures.length === 0)
        return { report: { ...report, gates: readings }, failures };
    return {
        report: {
            ...report,
            passed: false,
            status: 'failed',
            // Only the gates' missing readings against it: the run could not judge the release (result inconclusive).
            ...(report.passed && failed.length === 0 ? { inconclusive: true } : {}),
            summary: `${report.summary}; ${failures.length === 1 ? 'a metric gate' : `${failures.length} metric gates`} failed: ${failures.join('; ')}`,
            gates: readings,
        },
        failures,
    };
}
/** The one-shot readings in the job summary. */
function oneShotGatesMarkdown(readings, noData) {
    const rows = readings.map((r) => [
        markdown(codeSpan(r.name.replace(/^prometheus: /, ''), 400)),
        r.value !== undefined ? formatReading(r.value) : `no reading: ${inline(r.error ?? '', 300)}`,
        r.ok === true
            ? `${MARK.passed} passed`
            : r.ok === false
                ? `${MARK.failed} failed`
                : noData === 'pass'
                    ? `${MARK.warning} no data (passed: gates-no-data is pass)`
                    : `${MARK.warning} inconclusive`,
    ]);
    return ['**Metric gates** (one reading each)', table(['Gate', 'Reading', 'Verdict'], rows)].join('\n\n');
}

;// CONCATENATED MODULE: ./actions/deploy/src/rollout.ts
// A staged rollout driven by measurements: at each stage of the provider's rolling release (Vercel: a canary serving
// a share of production traffic) the canary is probed with smoke-test's own probe and judge (probe.ts, evaluate.ts),
// and the stage is approved when its error rate is within the limit, the release aborted when it is not. A stage
// that does not move on within the stage timeout is aborted too: no rollout waits at a stage forever.




const STATE_POLL_MS = 250;
/** The bound of one provider call, whatever the stage timeout: a short stage timeout must not cut a request short. */
const CALL_MS = 30_000;
/** An abort is a rollback job, which the provider finishes in seconds: it is followed this long. */
const ABORT_MS = 120_000;
const PROBE_TIMEOUT_MS = 10_000;
/** The bound of one gate reading at the end of a stage. */
const GATE_MS = 10_000;
function canaryUrl(template, canary) {
    const base = (canary.url ?? '').replace(/\/$/, '');
    return new URL(template.replaceAll('{deployment-url}', base).replaceAll('{deployment-id}', canary.id));
}
function errorRateText(verdict) {
    const rate = verdict.requests === 0 ? 0 : (100 * verdict.failed) / verdict.requests;
    return `${verdict.failed} of ${verdict.requests} requests failed (${Number(rate.toFixed(1))}%)`;
}
/** One stage's measurement: `requests` probes of the canary spread over the bake time, judged as smoke-test judges. */
async function bake(url, share, settings, hooks) {
    const expect = {
        status: settings.expectStatus,
        json: [],
        contains: [],
        matches: [],
        health: 'auto',
        degraded: 'pass',
    };
    const connections = new probe/* Connections */.UQ();
    const gap = settings.requests > 1 ? settings.bakeMs / (settings.requests - 1) : settings.bakeMs;
    let failed = 0;
    const reasons = new Set();
    try {
        for (let i = 0; i < settings.requests; i++) {
            if (i > 0 && gap >= 1)
                await hooks.sleep(gap);
            const outcome = await (0,probe/* probe */.dy)({
                url,
                method: 'GET',
                headers: {},
                timeoutMs: PROBE_TIMEOUT_MS,
                followRedirects: true,
                tlsFor: () => ({ insecure: false }),
            }, connections);
            const judged = (0,evaluate/* evaluate */._)(expect, outcome);
            if (!judged.passed) {
                failed++;
                for (const reason of judged.reasons)
                    if (reasons.size < 3)
                        reasons.add(reason);
            }
        }
    }
    finally {
        connections.close();
    }
    // A gate that cannot be read leaves the stage unjudged, which never approves it (smoke-test's gates-no-data fail).
    const readings = settings.gates.length > 0 ? await readGatesOnce(settings.gates, GATE_MS) : [];
    const gateFailures = [
        ...readings.filter((r) => r.ok === false).map((r) => `${r.name}: ${r.measurement ?? 'failed'}`),
        ...readings.filter((r) => r.error !== undefined).map((r) => `${r.name}: no reading (${r.error})`),
    ];
    const healthy = failed / settings.requests <= settings.maxErrorRate && gateFailures.length === 0;
    return { share, healthy, requests: settings.requests, failed, reasons: [...reasons], gateFailures };
}
/** Waits until the release leaves stage `index` (or is no longer active); undefined when the stage timeout passes. */
async function nextStage(rolling, index, settings, hooks) {
    const until = hooks.deadline(settings.stageTimeoutMs);
    for (;;) {
        const state = await rolling.state(hooks.deadline(CALL_MS));
        if (!state || state.state !== 'ACTIVE' || state.stageIndex > index)
            return state;
        if (until.left() < STATE_POLL_MS)
            return undefined;
        await hooks.sleep(STATE_POLL_MS);
    }
}
/**
 * Drives the rolling release of `release` from the state `first` to its end: complete (the canary serves all of
 * production) or aborted (production serves the deployment it served before, to everyone).
 */
async function driveRollout(rolling, release, first, settings, hooks) {
    const url = canaryUrl(settings.checkUrl, release);
    const stages = [];
    let state = first;
    const abort = async (at, reason) => {
        await rolling.abort(at, hooks.deadline(ABORT_MS));
        return { kind: 'aborted', stages, stoppedAt: at.share, reason };
    };
    for (;;) {
        if (!state || state.canaryId !== release.id)
            throw new Error(`the rolling release of ${release.id} is no longer the project's rolling release`);
        if (state.state === 'COMPLETE')
            return { kind: 'complete', stages };
        if (state.state === 'ABORTED')
            return { kind: 'aborted', stages, stoppedAt: state.share, reason: 'aborted outside this step' };
        hooks.info(`Rolling release: ${release.id} serves ${state.share}% of production traffic; probing ${url.href}`);
        const verdict = await bake(url, state.share, settings, hooks);
        stages.push(verdict);
        await hooks.onStage(verdict);
        if (!verdict.healthy)
            return abort(state, verdict.gateFailures.length > 0 && verdict.failed / verdict.requests <= settings.maxErrorRate
                ? verdict.gateFailures.join('; ')
                : `${errorRateText(verdict)}, over the limit of ${Number((settings.maxErrorRate * 100).toFixed(2))}%${verdict.reasons[0] ? `: ${verdict.reasons[0]}` : ''}`);
        const index = state.stageIndex;
        if (state.advancement === 'manual-approval')
            await rolling.approve(state, hooks.deadline(CALL_MS));
        const moved = await nextStage(rolling, index, settings, hooks);
        if (!moved)
            return abort(state, `the stage at ${state.share}% did not move on within rolling-stage-timeout ${(0,shared_inputs/* durationText */.S5)(settings.stageTimeoutMs)}`);
        state = moved;
    }
}
/**
 * The progression in one line for people (deploy's `rollout` output, a line of the Slack message): "5% healthy →
 * 25% healthy → 100%", or "5% healthy → stopped at 25%: <reason>".
 */
function rolloutLine(outcome) {
    const judged = outcome.stages.filter((s) => s.healthy).map((s) => `${s.share}% healthy`);
    const end = outcome.kind === 'complete' ? '100%' : `stopped at ${outcome.stoppedAt}%: ${outcome.reason}`;
    return [...judged, end].join(' → ');
}
/** The progression as a mermaid chart: the canary's share at each stage reached, and each stage's error rate. */
function rolloutChart(outcome) {
    const labels = outcome.stages.map((s) => `"${s.share}%"`);
    const shares = outcome.stages.map((s) => s.share);
    const rates = outcome.stages.map((s) => Number(((100 * s.failed) / Math.max(1, s.requests)).toFixed(1)));
    return [
        '```mermaid',
        'xychart-beta',
        `  title "Rolling release: ${outcome.kind === 'complete' ? 'completed' : `stopped at ${outcome.stoppedAt}%`}"`,
        `  x-axis "stage" [${labels.join(', ')}]`,
        '  y-axis "%" 0 --> 100',
        `  bar [${shares.join(', ')}]`,
        `  line [${rates.join(', ')}]`,
        '```',
        '',
        `Bars: the share of production traffic the new deployment served at each stage judged; line: the share of its probes that failed.${outcome.kind === 'complete' ? ' After the last approval it serves 100%.' : ''}`,
    ].join('\n');
}

// EXTERNAL MODULE: ./actions/deploy/src/progressive.ts
var src_progressive = __webpack_require__(64818);
// EXTERNAL MODULE: ./actions/deploy/src/stage-gates.ts + 3 modules
var stage_gates = __webpack_require__(94184);
;// CONCATENATED MODULE: ./actions/deploy/src/run.ts
// deploy: create a release on the provider, wait until it is ready, record it in the ledger, point aliases at
// it, and tell the pull request; or promote a staged release to production.
//
// run() takes its side effects as `deps` (the provider, the ledger, the clock, outputs and log, Sentry, the pull
// request comment): index.ts hands it the real ones (deps.ts), test/deploy-run-seam.test.ts in-memory ones. Which
// release is live before a deploy is decided in shared/release-choice.ts and settled by shared/ledger-settle.ts.


















function environmentName(inputs) {
    if (inputs.environment)
        return inputs.environment;
    return inputs.target === 'preview' && inputs.command === 'deploy' ? 'preview' : 'production';
}
function releaseOutputs(io, release) {
    // A staged release the provider holds by a handle of its own (ECS: its paused service deployment) is promoted by it.
    io.setOutput('deployment-id', release.staging?.handle ?? release.id);
    if (release.url)
        io.setOutput('url', release.url);
    if (release.inspectorUrl)
        io.setOutput('inspector-url', release.inspectorUrl);
    io.setOutput('release', JSON.stringify(release));
}
async function setUp(inputs, deps) {
    const deadline = shared_deadline/* Deadline */.B.in(inputs['wait-timeout'], `wait-timeout ${(0,shared_inputs/* durationText */.S5)(inputs['wait-timeout'])}`);
    const provider = await deps.provider(deadline);
    const ledger = await deps.ledger();
    return { provider, ledger, context: deps.context, environment: environmentName(inputs), deadline, deps };
}
/**
 * What is live in the environment now, by the provider's own account, with the ledger made to agree with it first.
 * The provider is always asked: a ledger that looks finished can still be behind it (a rollback that switched
 * production and was killed, or whose GitHub write failed, before it recorded anything), and a "previous" taken
 * from the ledger alone would then be the release that was rolled back for being bad — the one the next failed
 * deploy's rollback would restore. So a release production serves is recorded before this deploy names it.
 */
async function liveRelease(setup, entries) {
    const { ledger, provider, context, environment, deps } = setup;
    if (!entries || !ledger) {
        const release = environment === 'production' ? await provider.current() : undefined;
        return release && { release, commit: commitOf(undefined, release) };
    }
    const current = await provider.current();
    // The ledger reads statuses only as deep as decisions need: read deeper when what is live lies further back.
    const all = current && !(0,release_choice/* byProviderId */.YN)(entries, current.id)
        ? await ledger.entries(environment, { releaseIds: [current.id] })
        : entries;
    // A multi-service release the ledger has no entry for is a mix left by a release that failed part-way: it is
    // never recorded as good; what was live before it stays the ledger's live release, for rollback to restore.
    const settled = await settleLedger(ledger, all, current, {
        reader: 'deploy',
        environment,
        key: (0,run_context/* stepKey */.U)(context, 'reconcile'),
        sha: context.sha,
        ref: context.refName,
        provider: provider.name,
        logUrl: context.runUrl,
        now: deps.now,
        announce: (s) => {
            if (s.kind !== 'owes')
                return;
            const r = s.completion;
            const release = r.kind === 'went-live' ? r.entry.payload.release : r.release;
            deps.io.warning(`Ledger: ${provider.name} serves ${release.id}, which the ledger did not record as live (${r.kind}); recording it before deploying.`);
        },
    });
    const release = settled.liveEntry?.payload.release;
    return release && { release, commit: commitOf(settled.liveEntry, release) };
}
/**
 * The commit of a release live before this step: what the bake window's ${previous} names, the same identifier as
 * its ${release} (the commit a deploy records). A deploy's own entry carries its commit. An entry adopted or
 * written by a rollback carries the commit of the run that wrote it when the provider named none for the release:
 * then only the provider's own (full) commit is trusted, and without one nothing is said rather than a wrong commit.
 */
function commitOf(entry, release) {
    if (entry && !entry.payload.adopted && !entry.payload.rollback)
        return entry.sha;
    const named = release.sha?.toLowerCase();
    if (entry && named && entry.sha.toLowerCase().startsWith(named))
        return entry.sha;
    return named && /^[0-9a-f]{40}$/.test(named) ? named : undefined;
}
/** The outputs naming the release live before this step: what rollback restores and what ${previous} reads. */
function previousOutputs(io, live) {
    if (live)
        io.setOutput('previous-deployment-id', live.release.id);
    if (live?.commit)
        io.setOutput('previous-sha', live.commit);
}
/**
 * A ledger write after the provider acted. Its failure must not read as if the deploy failed or hide the
 * provider's state: it says what production serves now and what completes the record.
 */
async function afterProviderActed(state, hint, write) {
    try {
        return await write();
    }
    catch (error) {
        const ledgerHint = error instanceof errors/* ShiplineError */.J0 && error.hint ? ` ${error.hint}` : '';
        throw new errors/* ShiplineError */.J0(`${state}, but the ledger was not updated. ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`, {
            cause: error,
            hint: `${hint}${ledgerHint}`,
        });
    }
}
/** What production is like after this deploy went through at the provider, and what completes the ledger. */
function stateAfterDeploy(provider, release, production, staged) {
    if (staged)
        return {
            state: `${provider.name}: ${release.id} is staged; production is unchanged`,
            hint: `Promote it (command: promote, deployment-id: ${release.staging?.handle ?? release.id}): the promote records it.`,
        };
    if (!production)
        return {
            state: `${provider.name}: preview ${release.id} is ready at ${release.url ?? 'its URL'}`,
            hint: 'The preview works; re-run the job to record it in the ledger.',
        };
    return {
        state: `${provider.name}: ${release.id} is live in production`,
        hint: `Nothing to undo: the next deploy or rollback asks ${provider.name}, finds ${release.id} live and completes the ledger. To take it out, run rollback (target: previous).`,
    };
}
/**
 * Everything a deploy needs that can be checked is checked before anything changes, all problems at once: the alias
 * templates (expanded here, once, and the expanded list used later) and the folder to deploy.
 */
function checkBeforeDeploy(inputs, context) {
    const problems = [];
    const aliases = [];
    for (const template of inputs.aliases) {
        try {
            aliases.push(expandAlias(template, { prNumber: context.pullRequest?.number, branch: context.refName, sha: context.sha }));
        }
        catch (error) {
            if (!(error instanceof errors/* ShiplineError */.J0))
                throw error;
            problems.push(error.message);
        }
    }
    const dir = (0,src_inputs/* dirProblem */.R)(inputs.provider, (0,external_node_path_.resolve)(context.workspace, inputs.dir));
    if (dir)
        problems.push(dir);
    if (problems.length > 0)
        throw new errors/* InputError */.dz(problems);
    return { aliases };
}
/** The contract migrations this release's pipeline applied, for its ledger entry (none: no field at all). */
/** The contract migrations the pipeline applied (or, in a pull request, plans to), as migrate reported them. */
function plannedChanges(inputs) {
    const parsed = (0,schema_changes/* parseContractMigrations */.Rx)(inputs['contract-migrations']);
    return 'changes' in parsed ? parsed.changes : [];
}
/** What the ledger keeps of them: where and why, not the statement. */
function schemaOf(inputs) {
    const changes = plannedChanges(inputs).map(({ file, line, reason }) => ({ file, line, reason }));
    return changes.length > 0 ? { contract: changes } : undefined;
}
function rolloutSettings(inputs, gates) {
    return {
        gates,
        checkUrl: inputs['rolling-check-url'],
        requests: inputs['rolling-requests'],
        maxErrorRate: inputs['rolling-max-error-rate'],
        expectStatus: inputs['rolling-expect-status'],
        bakeMs: inputs['rolling-bake'],
        stageTimeoutMs: inputs['rolling-stage-timeout'],
    };
}
/** A stage's deployment status in the ledger: the share, the verdict and what it was measured on. */
function stageDescription(verdict) {
    const gates = verdict.gateFailures.length > 0 ? `; ${verdict.gateFailures.join('; ')}` : '';
    return `rolling ${verdict.share}%: ${verdict.healthy ? 'healthy' : 'unhealthy'}, ${errorRateText(verdict)}${gates}`;
}
function stoppedDescription(share, reason) {
    return `stopped at ${share}%: ${reason}`;
}
/**
 * A rolling release left active by an earlier run (a step killed mid-rollout) is never left waiting, and never
 * joined by a second one: the same commit's release, still within its stage timeout, is resumed from its stage;
 * any other is aborted (production returns to the deployment it served before, to everyone) and recorded as stopped.
 */
async function reconcileRollout(inputs, setup, entries) {
    const { provider, ledger, context, deadline, deps } = setup;
    const rolling = provider.rolling;
    if (!rolling)
        return undefined;
    const active = await rolling.state(deadline);
    if (active?.state !== 'ACTIVE')
        return undefined;
    const canary = await provider.describe(active.canaryId);
    const idleMs = active.updatedAt === undefined ? 0 : deps.now().getTime() - active.updatedAt;
    if (canary.sha === context.sha && idleMs <= inputs['rolling-stage-timeout']) {
        deps.io.info(`Rolling release: ${canary.id} (this commit) is at ${active.share}% of production traffic, left by an earlier run; resuming it`);
        return canary;
    }
    const why = canary.sha === context.sha
        ? `its stage at ${active.share}% waited ${(0,shared_inputs/* durationText */.S5)(idleMs)}, over rolling-stage-timeout ${(0,shared_inputs/* durationText */.S5)(inputs['rolling-stage-timeout'])}`
        : `the run driving it ended before a verdict, and commit ${context.shortSha} is being deployed`;
    deps.io.warning(`Rolling release: aborting the rolling release of ${canary.id} at ${active.share}%: ${why}`);
    await rolling.abort(active, deadline);
    const entry = entries && (0,release_choice/* byProviderId */.YN)(entries, canary.id);
    if (ledger && entry)
        await ledger.setStatus(entry.id, 'failure', {
            description: stoppedDescription(active.share, `aborted by a later run: ${why}`),
            logUrl: context.runUrl,
        });
    return undefined;
}
async function run(inputs, deps) {
    const { context, io } = deps;
    // undefined for a promote, which deploys nothing.
    const checked = inputs.command === 'promote' ? undefined : checkBeforeDeploy(inputs, context);
    const setup = await setUp(inputs, deps);
    if (!checked)
        return promote(inputs, setup);
    const { provider, ledger, environment, deadline } = setup;
    const production = inputs.target !== 'preview';
    // Read the ledger before deploying: a token that cannot read it fails the step before anything changes.
    const entries = ledger ? await ledger.entries(environment) : undefined;
    const live = production ? await liveRelease(setup, entries) : undefined;
    const previous = live?.release;
    const schema = schemaOf(inputs);
    /** This deploy's ledger entry for `release`, under the step's key (the same across its retries). */
    const recordRelease = (to, release) => to.record({
        key: (0,run_context/* stepKey */.U)(context, 'record'),
        release,
        previous,
        schema,
        environment,
        sha: context.sha,
        ref: context.refName,
        production,
        transient: !production,
        description: `${provider.name} ${release.id}`,
        logUrl: context.runUrl,
    });
    previousOutputs(io, live);
    const staged = inputs.target === 'staged';
    const prNumber = context.pullRequest?.number;
    let ledgerId;
    let release;
    let upload;
    const startedAt = deps.now();
    const rolls = production && !staged && provider.rolling !== undefined;
    const resumed = rolls ? await reconcileRollout(inputs, setup, entries) : undefined;
    const stages = inputs['vercel-rolling-stages'];
    if (rolls && stages && !resumed)
        await provider.rolling?.configure(stages, deadline);
    // A progressive rollout (ECS blue/green, canary, linear): each pause judged, recorded and shown.
    const progressive = (0,src_progressive/* progressiveRollout */.z3)(inputs) !== undefined;
    const pauses = [];
    const abandoned = [];
    // The release is on record, in progress, before any traffic reaches it: a run killed mid-rollout leaves an entry
    // the next run closes.
    const beforeRollout = async (starting) => {
        if (!ledger)
            return;
        try {
            ledgerId ??= await recordRelease(ledger, starting);
            io.setOutput('ledger-id', ledgerId);
        }
        catch (ledgerError) {
            io.warning(`Ledger: ${starting.id} not recorded before its rollout (${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]})`);
        }
    };
    // The stage gates, read over each pause's window as the bake window reads them; Sentry's new issues counted
    // from the start of this deploy, ${previous} the release production served before it.
    const gatesAtPause = (judging) => (0,stage_gates/* stageGates */.vs)(inputs, { sha: context.sha, environment, previousSha: live?.commit, since: startedAt }, judging);
    const atPause = async (pause) => {
        const record = await (0,src_progressive/* judgePause */.sm)(inputs, pause, (line) => io.info(line), gatesAtPause);
        pauses.push(record);
        // Each stage is a deployment status of the release's ledger entry.
        if (ledger && release) {
            const paused = release;
            try {
                ledgerId ??= await recordRelease(ledger, paused);
                io.setOutput('ledger-id', ledgerId);
                await ledger.setStatus(ledgerId, 'in_progress', { description: (0,src_progressive/* stageStatus */.lN)(record), logUrl: context.runUrl });
            }
            catch (ledgerError) {
                // The verdict is what the rollout waits on; a ledger that cannot be written must not hold the pause past its timeout.
                io.warning(`Ledger: stage not recorded (${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]})`);
            }
        }
        return record.verdict;
    };
    /** Rollouts an earlier, killed run left, which the provider rolled back before this one: their entries say so. */
    const settleAbandoned = async () => {
        if (!ledger || !entries)
            return;
        for (const left of abandoned) {
            const entry = (0,release_choice/* byProviderId */.YN)(entries, left.releaseId);
            // Only a record still in progress is the abandoned rollout's: one that ended says so already.
            if (!entry || entry.state !== 'in_progress')
                continue;
            await ledger
                .setStatus(entry.id, 'failure', {
                description: `${left.stoppedAt === undefined ? 'stopped' : `stopped at ${left.stoppedAt}%`}: ${left.reason}`,
                logUrl: context.runUrl,
            })
                .catch((ledgerError) => io.warning(`Ledger: ${left.releaseId} not marked stopped (${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]})`));
        }
    };
    const told = (0,src_progressive/* pauseProgression */.ER)(pauses);
    /** A staged release (ECS held at its test listener) is neither live nor stopped. */
    const progression = (outcome, error) => progressive ? told.chart(outcome, error) : '';
    /** deploy's `rollout` output for a progressive rollout, in the form a Vercel rolling release's takes. */
    const progressiveOutput = (outcome, error) => {
        const line = progressive ? told.line(outcome, error) : undefined;
        if (line !== undefined)
            io.setOutput('rollout', line);
    };
    try {
        if (resumed)
            release = resumed;
        else
            ({ release, upload } = await io.group(`Deploy to ${provider.name} (${inputs.target})`, () => provider.deploy({
                dir: (0,external_node_path_.resolve)(context.workspace, inputs.dir),
                target: production ? 'production' : 'preview',
                staged,
                git: {
                    sha: context.sha,
                    ref: context.refName,
                    message: context.commitSubject,
                    repository: context.repository,
                    prNumber,
                },
                // One key per step attempt: re-running the job deploys again, but a retried request never does.
                idempotencyKey: (0,run_context/* stepKey */.U)(context, 'deploy'),
                onCreated: (created) => {
                    release = created;
                    releaseOutputs(io, created);
                },
                ...(progressive
                    ? { beforeRollout, atPause, onReconciled: (left) => void abandoned.push(left) }
                    : {}),
            }, deadline)));
    }
    catch (error) {
        await settleAbandoned();
        if (ledger && release) {
            const failed = release;
            try {
                ledgerId ??= await recordRelease(ledger, failed);
                io.setOutput('ledger-id', ledgerId);
                await ledger.setStatus(ledgerId, 'failure', {
                    description: (0,errors/* failureMessage */.oh)(error).split('\n')[0],
                    logUrl: context.runUrl,
                });
            }
            catch (ledgerError) {
                // The provider's reason is the step's failure; the ledger's is secondary.
                io.warning(`The failed release ${failed.id} was not recorded in the ledger: ${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]}`);
            }
        }
        io.appendSummary(run_summary(inputs, environment, release, previous, undefined, `failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`) +
            progression('failed', error));
        progressiveOutput('failed', error);
        throw error;
    }
    await settleAbandoned();
    progressiveOutput(staged ? 'staged' : 'live');
    // ECS knows its test listener only as a rule ARN: the staged release's URL is the one its verdict was measured on.
    if (staged && !release.url && inputs['verify-test-url'])
        release = { ...release, url: inputs['verify-test-url'] };
    releaseOutputs(io, release);
    if (upload)
        io.setOutput('uploaded-files', upload.uploaded);
    const after = stateAfterDeploy(provider, release, production, staged);
    const recorded = release;
    const earlier = resumed && entries ? (0,release_choice/* byProviderId */.YN)(entries, resumed.id) : undefined;
    const ledgerFailed = (error) => {
        io.appendSummary(run_summary(inputs, environment, recorded, previous, upload, `${after.state.replace(/^[^:]*: /, '')}; ledger not updated`));
        return error;
    };
    if (ledger) {
        try {
            ledgerId ??=
                earlier?.id ?? (await afterProviderActed(after.state, after.hint, () => recordRelease(ledger, recorded)));
        }
        catch (error) {
            throw ledgerFailed(error);
        }
        io.setOutput('ledger-id', ledgerId);
    }
    const rollout = rolls ? await rollOut(inputs, setup, release, ledgerId, live?.commit) : undefined;
    if (rollout?.kind === 'aborted')
        rolloutStopped(inputs, environment, release, previous, upload, rollout, io);
    let environmentUrl = release.url;
    try {
        const { aliases } = checked;
        // Inputs refuse aliases where the provider has none (capabilities.ts), so a list here has a provider for it.
        if (aliases.length > 0 && provider.assignAliases) {
            const assigned = await provider.assignAliases(release, aliases);
            io.info(`Aliases: ${assigned.join(', ')}`);
            environmentUrl = assigned[0] ?? environmentUrl;
        }
    }
    catch (error) {
        if (ledger && ledgerId) {
            await ledger
                .setStatus(ledgerId, 'failure', {
                description: `alias failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`,
                logUrl: context.runUrl,
            })
                .catch((ledgerError) => {
                io.warning(`The alias failure was not recorded in the ledger: ${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]}`);
            });
        }
        throw error;
    }
    if (environmentUrl)
        io.setOutput('environment-url', environmentUrl);
    if (ledger && ledgerId) {
        const id = ledgerId;
        try {
            await afterProviderActed(after.state, after.hint, () => staged
                ? // Not live until promoted: it stays in progress, so "live" in the ledger is still the previous release.
                    ledger.setStatus(id, 'in_progress', {
                        description: `staged: ready, awaiting promote (${recorded.id})`,
                        environmentUrl,
                        logUrl: context.runUrl,
                    })
                : // A production release going live retires the one it replaced (in the ledger: GitHub never does that itself).
                    ledger.setStatus(id, 'success', {
                        description: `live: ${recorded.id}${rollout ? ` (rolled out over ${rollout.stages.map((s) => `${s.share}%`).join(' → ')} → 100%)` : ''}`,
                        environmentUrl,
                        logUrl: context.runUrl,
                    }));
        }
        catch (error) {
            throw ledgerFailed(error);
        }
    }
    // Sentry hears of the release once the provider and the ledger are done, with the ledger's release (the commit).
    const sentry = (0,sentry_inputs/* sentryTarget */.Z1)(inputs, { release: context.sha, environment });
    const sentryOutcome = sentry
        ? await deps.tellSentry(sentry, {
            kind: staged ? 'staged' : 'live',
            production,
            started: startedAt,
            finished: deps.now(),
            name: release.id,
            url: environmentUrl,
            repository: inputs['sentry-repository'] || context.repository,
            sha: context.sha,
            previousSha: previous?.sha,
        })
        : undefined;
    if (prNumber && inputs['pr-comment'] && inputs['github-token'] && !production) {
        const comment = await deps.commentOnPullRequest(prNumber, `deploy:${environment}`, prComment(release, environmentUrl, context, deps.now(), plannedChanges(inputs)));
        if (comment)
            io.info(`Pull request #${prNumber}: ${comment.action} the preview comment`);
    }
    const outcome = staged
        ? 'staged (ready; production unchanged until promote)'
        : production
            ? 'live in production'
            : 'preview ready';
    io.info(`${provider.name}: ${release.id} ${outcome} at ${environmentUrl}`);
    io.appendSummary(run_summary(inputs, environment, release, previous, upload, outcome, environmentUrl, sentryOutcome, rollout ? rolloutChart(rollout) : undefined) + progression(staged ? 'staged' : 'live'));
}
/** A rolling release aborted at a stage: the summary charts it, and the step fails naming the share that saw it. */
function rolloutStopped(inputs, environment, release, previous, upload, rollout, io) {
    const reason = stoppedDescription(rollout.stoppedAt, rollout.reason);
    io.appendSummary(run_summary(inputs, environment, release, previous, upload, reason, undefined, undefined, rolloutChart(rollout)));
    throw new errors/* ShiplineError */.J0(`Rolling release of ${release.id} ${reason}. Production serves ${previous?.id ?? 'the deployment it served before'} to everyone again; the new deployment saw at most ${rollout.stoppedAt}% of production traffic`, { hint: 'Fix the release and deploy again; nothing needs undoing.' });
}
/**
 * Drives the rolling release `release` started (or an earlier run left), each stage's verdict a deployment status in
 * the ledger; undefined when the deploy started none (rolling releases off, or the project's first deployment).
 */
async function rollOut(inputs, setup, release, ledgerId, previousSha) {
    const { provider, ledger, context, deadline, deps } = setup;
    const rolling = provider.rolling;
    if (!rolling)
        return undefined;
    const state = await rolling.state(deadline);
    if (state?.state !== 'ACTIVE' || state.canaryId !== release.id)
        return undefined;
    const status = (state, description) => ledger && ledgerId ? ledger.setStatus(ledgerId, state, { description, logUrl: context.runUrl }) : Promise.resolve();
    const outcome = await deps.io.group(`Rolling release of ${release.id}`, () => driveRollout(rolling, release, state, rolloutSettings(inputs, 
    // Read once at the end of each stage: one failing reading is the stage's verdict, and no reading never
    // approves it. Sentry's new issues are counted from the start of the rolling release.
    (0,stage_gates/* stageGates */.vs)(inputs, { sha: context.sha, environment: setup.environment, previousSha, since: new Date() }, { failAfter: 1, noDataAfter: 1 })), {
        onStage: async (verdict) => {
            deps.io.info(`Rolling release: ${stageDescription(verdict)}${verdict.reasons[0] ? ` — ${verdict.reasons[0]}` : ''}`);
            await status('in_progress', stageDescription(verdict));
        },
        info: (message) => deps.io.info(message),
        sleep: http/* sleep */.yy,
        deadline: (ms) => shared_deadline/* Deadline */.B.in(ms),
    }));
    deps.io.setOutput('rollout', rolloutLine(outcome));
    if (outcome.kind === 'aborted')
        await status('failure', stoppedDescription(outcome.stoppedAt, outcome.reason));
    return outcome;
}
async function promote(inputs, setup) {
    const { provider, ledger, context, environment, deadline, deps } = setup;
    const { io } = deps;
    let entries = ledger ? await ledger.entries(environment, { releaseIds: [inputs['deployment-id']] }) : undefined;
    const live = await liveRelease(setup, entries);
    const previous = live?.release;
    const schema = schemaOf(inputs);
    previousOutputs(io, live);
    const staged = await provider.describe(inputs['deployment-id']);
    // On ECS the deployment-id is the service deployment, and the ledger records the release by its own id: read as
    // deep as that entry when the first read did not reach it.
    if (ledger && entries && staged.id !== inputs['deployment-id'] && !(0,release_choice/* byProviderId */.YN)(entries, staged.id))
        entries = await ledger.entries(environment, { releaseIds: [staged.id] });
    releaseOutputs(io, staged);
    const startedAt = deps.now();
    // On Vercel with rolling releases on, the promote is where production traffic moves: it starts the rolling release
    // (`vercel promote` stops at "Rolling Release serving traffic at initial percentage N"), driven here stage by stage.
    // A left-over rolling release is reconciled only when this pipeline drives rolling releases (stages given): one
    // started otherwise (by hand, say) queues the promote, which fails naming it.
    const rolling = provider.rolling;
    const stages = inputs['vercel-rolling-stages'];
    const resumed = rolling && stages ? await reconcileRollout(inputs, setup, entries) : undefined;
    if (rolling && stages && !resumed)
        await rolling.configure(stages, deadline);
    // Where promote moves traffic in stages with pauses (ECS), each further pause is judged as a progressive deploy's.
    const pauses = [];
    const stagedEntry = entries && (0,release_choice/* byProviderId */.YN)(entries, staged.id);
    const atPause = async (pause) => {
        const record = await (0,src_progressive/* judgePause */.sm)(inputs, pause, (line) => io.info(line));
        pauses.push(record);
        if (ledger && stagedEntry)
            await ledger
                .setStatus(stagedEntry.id, 'in_progress', { description: (0,src_progressive/* stageStatus */.lN)(record), logUrl: context.runUrl })
                .catch((ledgerError) => io.warning(`Ledger: stage not recorded (${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]})`));
        return record.verdict;
    };
    const told = (0,src_progressive/* pauseProgression */.ER)(pauses);
    // ECS's pauses after the promote, told as a deploy's are (the summary's chart, the `rollout` line of Slack's message).
    const tell = (outcome, error) => {
        const line = told.line(outcome, error);
        // A staged progressive release (ECS) is told even without further pauses: its deploy's line said "staged".
        if ((pauses.length > 0 || staged.staging) && line !== undefined)
            io.setOutput('rollout', line);
        return told.chart(outcome, error);
    };
    let release;
    try {
        release =
            resumed?.id === staged.id
                ? resumed
                : await io.group(`Promote ${staged.id} to production`, () => provider.promote(staged, deadline, { atPause }));
    }
    catch (error) {
        // A staged release the provider ended (ECS: its pause timed out, or it was rolled back) will never go live.
        if (error instanceof providers_provider/* ReleaseNotLive */.$ && ledger && stagedEntry?.state === 'in_progress')
            await ledger
                .setStatus(stagedEntry.id, 'failure', {
                description: `not promoted: ${error.outcome}`,
                logUrl: context.runUrl,
            })
                .catch((ledgerError) => io.warning(`Ledger: the failed promote was not recorded (${(0,errors/* failureMessage */.oh)(ledgerError).split('\n')[0]})`));
        io.appendSummary(run_summary(inputs, environment, staged, previous, undefined, `promote failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`) + tell('failed', error));
        throw error;
    }
    releaseOutputs(io, release);
    const rollout = rolling ? await rollOut(inputs, setup, release, stagedEntry?.id, live?.commit) : undefined;
    if (rollout?.kind === 'aborted')
        rolloutStopped(inputs, environment, release, previous, undefined, rollout, io);
    const environmentUrl = release.url;
    if (environmentUrl)
        io.setOutput('environment-url', environmentUrl);
    if (ledger && entries) {
        const after = stateAfterDeploy(provider, release, true, false);
        try {
            await afterProviderActed(after.state, after.hint, async () => {
                const entry = (0,release_choice/* byProviderId */.YN)(entries, release.id);
                const id = entry?.id ??
                    (await ledger.record({
                        key: (0,run_context/* stepKey */.U)(context, 'promote'),
                        release,
                        previous,
                        schema,
                        environment,
                        sha: context.sha,
                        ref: context.refName,
                        production: true,
                        transient: false,
                        description: `promoted ${release.id}`,
                        logUrl: context.runUrl,
                    }));
                io.setOutput('ledger-id', id);
                await ledger.setStatus(id, 'success', {
                    description: `promoted: ${release.id}${rollout ? ` (rolled out over ${rollout.stages.map((s) => `${s.share}%`).join(' → ')} → 100%)` : ''}`,
                    environmentUrl,
                    logUrl: context.runUrl,
                });
            });
        }
        catch (error) {
            io.appendSummary(run_summary(inputs, environment, release, previous, undefined, 'promoted to production; ledger not updated', environmentUrl));
            throw error;
        }
    }
    io.info(`${provider.name}: ${release.id} promoted to production`);
    const sentry = (0,sentry_inputs/* sentryTarget */.Z1)(inputs, { release: context.sha, environment });
    const sentryOutcome = sentry
        ? await deps.tellSentry(sentry, {
            kind: 'live',
            production: true,
            started: startedAt,
            finished: deps.now(),
            name: release.id,
            url: environmentUrl,
            repository: inputs['sentry-repository'] || context.repository,
            sha: context.sha,
            previousSha: previous?.sha,
        })
        : undefined;
    io.appendSummary(run_summary(inputs, environment, release, previous, undefined, 'promoted to production', environmentUrl, sentryOutcome, rollout ? rolloutChart(rollout) : undefined) + tell('live'));
}
/**
 * The preview's pull request comment. With contract migrations (migrate plan's, passed as contract-migrations) it
 * says, before merge, that the release is not rollback-safe and why.
 */
function prComment(release, url, context, now, contract) {
    const safety = contract.length > 0 ? `\n\n${(0,schema_changes/* notRollbackSafe */.zg)(contract, 'would leave')}` : '';
    return `${[
        `### 🚀 Preview ready`,
        '',
        `| | |`,
        `| --- | --- |`,
        `| Preview | ${url ?? release.url} |`,
        `| Commit | ${context.shortSha} |`,
        release.inspectorUrl ? `| Build | [${release.provider} inspector](${release.inspectorUrl}) |` : '',
        `| Updated | ${now.toISOString().replace('T', ' ').slice(0, 16)} UTC |`,
    ]
        .filter(Boolean)
        .join('\n')}${safety}`;
}
function run_summary(inputs, environment, release, previous, upload, outcome, environmentUrl, sentry, rolloutChartText) {
    return [
        `### ${inputs.command === 'promote' ? 'Promote' : 'Deploy'}: ${inputs.provider} → ${environment}`,
        (0,summary/* facts */.Ix)([
            ['Outcome', outcome],
            ['Release', releaseCell(release)],
            ['URL', urlCell(release, environmentUrl)],
            ['Release URL', release?.url],
            ['Inspector', release?.inspectorUrl],
            ['State', release?.state],
            ['Previously live', releaseCell(previous)],
            [
                'Promote by',
                release?.staging?.expiresAt
                    ? `${new Date(release.staging.expiresAt).toISOString().replace('T', ' ').slice(0, 16)} UTC: a staged release not promoted by then is rolled back by ${release.provider === 'ecs' ? 'ECS itself (its pause times out: ecs-pause-timeout)' : `${release.provider} itself`}`
                    : undefined,
            ],
            [
                'Files',
                upload
                    ? `${upload.files} (${upload.uploaded} uploaded, ${(upload.uploadedBytes / 1024).toFixed(0)} KiB; hashed in ${upload.hashMs} ms)`
                    : undefined,
            ],
            [
                'Sentry',
                sentry ? `${sentry.ok ? '' : `${summary/* MARK */.M$.warning} `}release ${sentry.release}: ${sentry.state}` : undefined,
            ],
        ]),
        ...(rolloutChartText ? [rolloutChartText] : []),
    ].join('\n\n');
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

/***/ 22862:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ ReleaseNotLive),
/* harmony export */   X: () => (/* binding */ lookUpUnknownCreate)
/* harmony export */ });
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(21064);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);
// One interface for every hosting provider. deploy and rollback talk only to this; each provider is one module
// behind it, loaded lazily by load.ts, so a Vercel deploy never loads the AWS SDK.


/**
 * The provider ended a release's rollout without it going live (rolled back, stopped, its pause timed out): trying
 * again will not make it live. A staged release in this state is recorded as failed.
 */
class ReleaseNotLive extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ {
    /** What the provider did with it, in a few words for the ledger (GitHub keeps 140 characters of a status). */
    outcome;
    constructor(provider, reason, options = {}) {
        super(provider, reason, options);
        this.outcome = options.outcome ?? reason;
    }
}
/** How long a create whose fate is unknown is looked up, at least (even past the deadline) and at most. */
const LOOKUP_MIN_MS = 5_000;
const LOOKUP_MAX_MS = 120_000;
const LOOKUP_POLL_MS = 1_000;
/**
 * After a create whose answer never came (a timeout, a reset), the provider may have made the release, or may still
 * be making it. Looks it up by the key the create carried until it appears or the window ends: between
 * LOOKUP_MIN_MS and LOOKUP_MAX_MS, and not past the deadline unless that leaves less than LOOKUP_MIN_MS.
 * A lookup that fails transiently is tried again within the window; a refusal is thrown. Returns undefined when
 * nothing appeared.
 */
async function lookUpUnknownCreate(lookup, deadline, sleepFor) {
    const window = _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .Deadline */ .B.in(Math.min(LOOKUP_MAX_MS, Math.max(LOOKUP_MIN_MS, deadline.left())));
    for (;;) {
        try {
            const found = await lookup(window);
            if (found !== undefined)
                return found;
        }
        catch (error) {
            // The API struggling (no answer, 5xx, 429) is worth another look while the window lasts; a refusal (401, 403,
            // 404) will not change, and hiding it behind "nothing appeared" would name the wrong cause.
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ && error.status !== undefined && error.status < 500 && error.status !== 429)
                throw error;
        }
        if (window.left() < LOOKUP_POLL_MS)
            return undefined;
        await sleepFor(LOOKUP_POLL_MS);
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
