export const id = 655;
export const ids = [655];
export const modules = {

/***/ 9655:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  environmentName: () => (/* binding */ environmentName),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
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

// EXTERNAL MODULE: ./shared/deadline.ts
var shared_deadline = __webpack_require__(1064);
// EXTERNAL MODULE: ./shared/inputs.ts
var shared_inputs = __webpack_require__(8573);
// EXTERNAL MODULE: ./shared/run-context.ts
var run_context = __webpack_require__(7745);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(1193);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(6566);
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
var sentry_inputs = __webpack_require__(9413);
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

// EXTERNAL MODULE: ./actions/deploy/src/inputs.ts + 1 modules
var src_inputs = __webpack_require__(5978);
// EXTERNAL MODULE: ./shared/schema-changes.ts
var schema_changes = __webpack_require__(2187);
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
    io.setOutput('deployment-id', release.id);
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
    if (!entries || !ledger)
        return environment === 'production' ? provider.current() : undefined;
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
    return settled.liveEntry?.payload.release;
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
            hint: `Promote it (command: promote, deployment-id: ${release.id}): the promote records it.`,
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
function schemaOf(inputs) {
    const parsed = (0,schema_changes/* parseContractMigrations */.R)(inputs['contract-migrations']);
    return 'changes' in parsed && parsed.changes.length > 0 ? { contract: parsed.changes } : undefined;
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
    const previous = production ? await liveRelease(setup, entries) : undefined;
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
    if (previous)
        io.setOutput('previous-deployment-id', previous.id);
    const staged = inputs.target === 'staged';
    const prNumber = context.pullRequest?.number;
    let ledgerId;
    let release;
    let upload;
    const startedAt = deps.now();
    try {
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
        }, deadline)));
    }
    catch (error) {
        if (ledger && release) {
            const failed = release;
            try {
                ledgerId = await recordRelease(ledger, failed);
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
        io.appendSummary(run_summary(inputs, environment, release, previous, undefined, `failed: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`));
        throw error;
    }
    releaseOutputs(io, release);
    if (upload)
        io.setOutput('uploaded-files', upload.uploaded);
    const after = stateAfterDeploy(provider, release, production, staged);
    const recorded = release;
    const ledgerFailed = (error) => {
        io.appendSummary(run_summary(inputs, environment, recorded, previous, upload, `${after.state.replace(/^[^:]*: /, '')}; ledger not updated`));
        return error;
    };
    if (ledger) {
        try {
            ledgerId = await afterProviderActed(after.state, after.hint, () => recordRelease(ledger, recorded));
        }
        catch (error) {
            throw ledgerFailed(error);
        }
        io.setOutput('ledger-id', ledgerId);
    }
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
                        description: `live: ${recorded.id}`,
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
        const comment = await deps.commentOnPullRequest(prNumber, `deploy:${environment}`, prComment(release, environmentUrl, context, deps.now()));
        if (comment)
            io.info(`Pull request #${prNumber}: ${comment.action} the preview comment`);
    }
    const outcome = staged
        ? 'staged (ready; production unchanged until promote)'
        : production
            ? 'live in production'
            : 'preview ready';
    io.info(`${provider.name}: ${release.id} ${outcome} at ${environmentUrl}`);
    io.appendSummary(run_summary(inputs, environment, release, previous, upload, outcome, environmentUrl, sentryOutcome));
}
async function promote(inputs, setup) {
    const { provider, ledger, context, environment, deadline, deps } = setup;
    const { io } = deps;
    const entries = ledger ? await ledger.entries(environment, { releaseIds: [inputs['deployment-id']] }) : undefined;
    const previous = await liveRelease(setup, entries);
    const schema = schemaOf(inputs);
    if (previous)
        io.setOutput('previous-deployment-id', previous.id);
    const staged = await provider.describe(inputs['deployment-id']);
    releaseOutputs(io, staged);
    const startedAt = deps.now();
    const release = await io.group(`Promote ${staged.id} to production`, () => provider.promote(staged, deadline));
    releaseOutputs(io, release);
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
                    description: `promoted: ${release.id}`,
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
    io.appendSummary(run_summary(inputs, environment, release, previous, undefined, 'promoted to production', environmentUrl, sentryOutcome));
}
function prComment(release, url, context, now) {
    return [
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
        .join('\n');
}
function run_summary(inputs, environment, release, previous, upload, outcome, environmentUrl, sentry) {
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
    ].join('\n\n');
}


/***/ })

};
