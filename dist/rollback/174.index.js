export const id = 174;
export const ids = [174];
export const modules = {

/***/ 7174:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  realRollbackDeps: () => (/* binding */ realRollbackDeps)
});

// EXTERNAL MODULE: ./shared/deadline.ts
var deadline = __webpack_require__(1064);
// EXTERNAL MODULE: ./shared/http.ts
var http = __webpack_require__(9096);
// EXTERNAL MODULE: ./shared/ledger.ts + 1 modules
var ledger = __webpack_require__(4292);
// EXTERNAL MODULE: ./shared/providers/load.ts
var load = __webpack_require__(2347);
// EXTERNAL MODULE: ./shared/run-context.ts + 1 modules
var run_context = __webpack_require__(3759);
// EXTERNAL MODULE: ./shared/sentry-inputs.ts
var sentry_inputs = __webpack_require__(9413);
// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
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

;// CONCATENATED MODULE: ./actions/rollback/src/deps.ts
// rollback's real side effects: the provider and ledger the inputs name, the runner's outputs and log, the clock,
// the verify request and Sentry. index.ts builds these; tests hand run() in-memory ones instead.







function realRollbackDeps(inputs) {
    const context = (0,run_context/* readRunContext */.$)();
    return {
        context,
        io: runnerIO,
        now: () => Date.now(),
        provider: (deadline) => (0,load/* loadProvider */.Cg)(inputs.provider, {
            ...(0,load/* providerConfig */.Y6)(inputs, context.workspace, { token: inputs['github-token'], serverUrl: context.serverUrl }),
            deadline,
        }),
        ledger: (signal) => (0,ledger/* openLedger */.au)({ token: inputs['github-token'], apiUrl: context.apiUrl, repository: context.repository, signal }),
        httpStatus: async (url) => {
            const response = await (0,http/* request */.Em)(url, {
                label: `GET ${url}`,
                timeoutMs: 10_000,
                retry: { retries: 3, baseDelayMs: 500 },
            });
            await response.body?.cancel().catch(() => undefined);
            return response.status;
        },
        migrateDown: async (given, target, ahead) => {
            const { prepareDowns } = await Promise.all(/* import() */[__webpack_require__.e(849), __webpack_require__.e(478)]).then(__webpack_require__.bind(__webpack_require__, 4478));
            return prepareDowns(given, context.workspace, target, ahead, runnerIO);
        },
        sentryDeploy: async (target, deploy) => {
            const { SentryClient } = await __webpack_require__.e(/* import() */ 751).then(__webpack_require__.bind(__webpack_require__, 3751));
            const client = new SentryClient({ ...target.config, deadline: deadline/* Deadline */.B.in(sentry_inputs/* SENTRY_BUDGET_MS */.B$) });
            return client.createDeploy(target.release, { environment: target.environment, ...deploy });
        },
    };
}


/***/ })

};
