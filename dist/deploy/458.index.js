export const id = 458;
export const ids = [458];
export const modules = {

/***/ 29458:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   preflight: () => (/* binding */ preflight)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);
/* harmony import */ var _shared_ledger_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(79793);
/* harmony import */ var _shared_providers_load_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(12347);
/* harmony import */ var _shared_run_context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(97745);
/* harmony import */ var _shared_runner_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(52798);
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(71193);
/* harmony import */ var _shared_summary_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(96566);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(16479);
// command: preflight — the production gate, run before anything changes production. It changes nothing anywhere:
// it reads the GitHub environment's protection rules and the provider's own Git integration, and refuses (every
// problem at once) when nothing would stop this job before production changes, or when the provider deploys the
// released branch to production by itself, ahead of the pipeline's tests and approval.








/** GitHub's reference for the one request the reviewers check sends, and the permission it needs. */
const GET_ENVIRONMENT_DOCS = 'https://docs.github.com/en/rest/deployments/environments#get-an-environment';
const PERMISSION = 'reading an environment needs the "Actions" repository permission (read): `permissions: actions: read` on the job (for a reusable workflow, on the job that calls it; a fine-grained token or GitHub App: Actions read; a classic token: the repo scope on a private repository)';
/** The provider as its users name it, in sentences. */
const PROVIDER_NAMES = {
    vercel: 'Vercel',
    netlify: 'Netlify',
    railway: 'Railway',
    ecs: 'AWS ECS',
    'supabase-functions': 'Supabase Edge Functions',
};
const RESULT = {
    passed: `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .MARK */ .M$.passed} passed`,
    refused: `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .MARK */ .M$.failed} refused`,
    off: `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .MARK */ .M$.warning} off`,
    accepted: `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .MARK */ .M$.warning} accepted`,
    'nothing to detect': `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .MARK */ .M$.none} nothing to detect`,
};
function status(error) {
    return error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0 ? undefined : error?.status;
}
/** GitHub's own words for a refusal, and the permission it names (X-Accepted-GitHub-Permissions), on one line. */
function githubSaid(error) {
    const e = error;
    const message = typeof e.response?.data?.message === 'string' ? `: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(e.response.data.message, 200)}` : '';
    const accepted = e.response?.headers?.['x-accepted-github-permissions'];
    return `HTTP ${e.status}${message}${typeof accepted === 'string' ? `; GitHub accepts ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(accepted, 100)}` : ''}`;
}
/**
 * Required reviewers on the environment, read through GET /repos/{owner}/{repo}/environments/{name}: the one thing
 * that stops a job naming the environment until a person approves it. An environment that does not exist is created
 * unprotected by the first job that names it, so it is refused like one without reviewers.
 */
async function requiredReviewers(token, context, environment) {
    const check = 'Required reviewers';
    const { createGitHubClient, splitRepository } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 64319));
    const github = await createGitHubClient({ token, apiUrl: context.apiUrl });
    const { owner, repo } = splitRepository(context.repository);
    const where = `environment '${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(environment)}' of ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(context.repository)}`;
    const optOut = 'or set require-reviewers: false to release without review';
    const cannotRead = (error) => ({
        check,
        result: 'refused',
        detail: `cannot read ${where} (${githubSaid(error)})`,
        problem: `The token cannot read ${where} (${githubSaid(error)}): ${PERMISSION} (${GET_ENVIRONMENT_DOCS}). Without it shipline cannot tell whether a reviewer must approve production; ${optOut}.`,
    });
    let rules;
    try {
        const { data } = await github.rest.repos.getEnvironment({ owner, repo, environment_name: environment });
        rules = (data.protection_rules ?? []);
    }
    catch (error) {
        if (status(error) === 403)
            return cannotRead(error);
        if (status(error) !== 404)
            throw new _shared_ledger_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubApiError */ .OS(`reading ${where}`, error);
        // Not found: a missing environment, or a token that may not see environments. Listing them tells the two apart
        // (the same permission), and names the ones there are, for a misspelt name.
        let names;
        try {
            names = ((await github.rest.repos.getAllEnvironments({ owner, repo, per_page: 100 })).data.environments ?? []).map((e) => e.name);
        }
        catch (listError) {
            if (status(listError) === 403 || status(listError) === 404)
                return cannotRead(listError);
            throw new _shared_ledger_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubApiError */ .OS(`listing the environments of ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(context.repository)}`, listError);
        }
        const existing = names.length > 0
            ? ` The repository's environments: ${names.map((n) => (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(n, 100)).join(', ')}.`
            : ' The repository has no environments.';
        return {
            check,
            result: 'refused',
            detail: `${where} does not exist`,
            problem: `${where[0]?.toUpperCase()}${where.slice(1)} does not exist: GitHub creates it, unprotected, the first time a job names it, so nothing would wait for approval.${existing} Create it with required reviewers (Settings → Environments), check input 'environment' for a misspelling, ${optOut}.`,
        };
    }
    const rule = rules.find((r) => r.type === 'required_reviewers');
    const reviewers = (rule?.reviewers ?? []).map((r) => r.type === 'Team' ? `team ${r.reviewer?.slug ?? r.reviewer?.name ?? '?'}` : (r.reviewer?.login ?? '?'));
    if (reviewers.length === 0) {
        return {
            check,
            result: 'refused',
            detail: `${where} has no required reviewers`,
            problem: `${where[0]?.toUpperCase()}${where.slice(1)} has no required reviewers: nothing stops this job before it changes production. Add them in Settings → Environments → ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(environment)} → Required reviewers ` +
                `(on a private or internal repository this needs GitHub Enterprise: on GitHub Free, Pro and Team, required reviewers are available for public repositories only), ${optOut}.`,
        };
    }
    const selfReview = rule?.prevent_self_review ? '; self-review prevented' : '';
    return {
        check,
        result: 'passed',
        detail: `${where} requires a review by ${reviewers.map((r) => (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(r, 100)).join(', ')}${selfReview}`,
    };
}
/** The provider's own Git integration, which would deploy the released branch to production without this pipeline. */
async function providerAutoDeploy(inputs, context, branch) {
    const check = 'Provider auto-deploy';
    const provider = await (0,_shared_providers_load_js__WEBPACK_IMPORTED_MODULE_2__/* .loadProvider */ .Cg)(inputs.provider, (0,_shared_providers_load_js__WEBPACK_IMPORTED_MODULE_2__/* .providerConfig */ .Y6)(inputs, context.workspace));
    const name = PROVIDER_NAMES[inputs.provider];
    if (!provider.gitDeploys)
        return {
            check,
            result: 'nothing to detect',
            detail: `${name} deploys only when asked (no Git integration of its own)`,
            autoDeploy: 'none',
        };
    const allowed = inputs['provider-auto-deploy'] === 'allow';
    let found;
    try {
        found = await provider.gitDeploys(branch);
    }
    catch (error) {
        // Accepting the provider's own deploys makes what they are moot: a read that failed does not block the release.
        if (!allowed || !(error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0))
            throw error;
        return {
            check,
            result: 'accepted',
            detail: `could not be read (${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(error.message.split('\n')[0])}); accepted by provider-auto-deploy: allow`,
        };
    }
    if (!found.on)
        return { check, result: 'passed', detail: found.detail, autoDeploy: 'off' };
    if (allowed) {
        return {
            check,
            result: 'accepted',
            detail: `${found.detail}. Accepted by provider-auto-deploy: allow: ${name} also deploys ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(branch)} by itself`,
            autoDeploy: 'allowed',
        };
    }
    return {
        check,
        result: 'refused',
        detail: found.detail,
        autoDeploy: 'on',
        problem: `${name} deploys ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .inline */ .mG)(branch)} to production by itself, on every push, before this pipeline's tests and approval: ${found.detail}. Turn it off: ${found.howToTurnOff}; or set provider-auto-deploy: allow to accept it.`,
    };
}
/** A check that could not be made is a refusal too: the gate is not known to be there. */
async function settle(check, optOut, run) {
    try {
        return await run();
    }
    catch (error) {
        if (!(error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0))
            throw error;
        const reason = (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .failureMessage */ .oh)(error).replace(/\n/g, ' ');
        return {
            check,
            result: 'refused',
            detail: `could not be checked: ${error.message.split('\n')[0]}`,
            problem: `${check} could not be checked: ${reason} Fix that, or set ${optOut} to release without this check.`,
        };
    }
}
async function preflight(inputs, context = (0,_shared_run_context_js__WEBPACK_IMPORTED_MODULE_3__/* .readRunContext */ .$)()) {
    const environment = (0,_run_js__WEBPACK_IMPORTED_MODULE_7__.environmentName)(inputs);
    const branch = inputs.branch || context.refName;
    const unreviewed = `${environment} is deployed without required reviewers: require-reviewers is false`;
    const reviewers = inputs['require-reviewers']
        ? await settle('Required reviewers', 'require-reviewers: false', () => requiredReviewers(inputs['github-token'], context, environment))
        : { check: 'Required reviewers', result: 'off', detail: unreviewed };
    const autoDeploy = await settle('Provider auto-deploy', 'provider-auto-deploy: allow', () => providerAutoDeploy(inputs, context, branch));
    const checks = [reviewers, autoDeploy];
    (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .setOutput */ .uH)('reviewed', reviewers.result === 'passed');
    (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .setOutput */ .uH)('auto-deploy', autoDeploy.autoDeploy ?? 'unknown');
    for (const c of checks)
        (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .info */ .pq)(`Preflight: ${c.check}: ${c.result}: ${c.detail}`);
    if (reviewers.result === 'off')
        (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .warning */ .$e)(unreviewed);
    if (autoDeploy.result === 'accepted')
        (0,_shared_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .notice */ .lm)(autoDeploy.detail);
    const problems = checks.flatMap((c) => (c.problem ? [c.problem] : []));
    (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .appendSummary */ .fe)([
        `### Production preflight: ${inputs.provider} → ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(environment)} (${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(branch)})`,
        reviewers.result === 'off' ? `${_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .MARK */ .M$.warning} ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_5__/* .escapeMarkdown */ .FV)(unreviewed)}` : '',
        (0,_shared_summary_js__WEBPACK_IMPORTED_MODULE_6__/* .table */ .tp)(['Check', 'Result', 'Detail'], checks.map((c) => [c.check, RESULT[c.result], c.detail])),
    ]
        .filter(Boolean)
        .join('\n\n'));
    if (problems.length > 0) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`The production preflight refused the release (nothing was changed):\n- ${problems.join('\n- ')}`);
    }
}


/***/ })

};
