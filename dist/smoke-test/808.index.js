export const id = 808;
export const ids = [808];
export const modules = {

/***/ 8808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   actionsCacheStore: () => (/* binding */ actionsCacheStore)
/* harmony export */ });
/* unused harmony exports BASELINE_DIR, cacheKeys, watchRestoreFailure */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _shared_workflow_commands_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2408);
/* harmony import */ var _regression_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1773);
// The latency baseline in the GitHub Actions cache, through the official client (@actions/cache, loaded here
// only, and only when the regression gate is used: the client and the Azure SDK it brings are a large lazy
// chunk that a run without the gate never reads).
//
// Cache entries are immutable: every passing run saves under a key of its own, `shipline-latency/<key>/<run
// id>-<attempt>`, and a run restores the most recent entry under the prefix `shipline-latency/<key>/`. The `/`
// after the key keeps `prod` from matching `prod-eu`'s entries. The cache service scopes entries by branch: a run
// reads its own branch's entries, then the default branch's (a pull request's: its base branch's).
//
// The cache is optional. @actions/cache itself never throws for a service that fails: it logs a warning (an
// error for a 5xx) and reports a miss (restore) or -1 (save). A miss and a failed restore mean different things
// here (pass with "no baseline yet" vs. the gate skipped), so the client's `Failed to restore:` line is watched
// for while it restores. A call that does not finish within `timeoutMs` is abandoned: the gate is skipped, and
// the caller ends the process once the step has reported (a request the client sent without a timeout would
// otherwise keep it alive).




/** Workspace-relative, so the archive holds the same path on every runner (the cache version is a hash of it). */
const BASELINE_DIR = '.shipline-latency-baseline';
function cacheKeys(key, runId, runAttempt) {
    const prefix = `shipline-latency/${key}/`;
    return { prefix, save: `${prefix}${runId || 'local'}-${runAttempt || '1'}` };
}
class Timeout extends Error {
}
function within(promise, ms, what) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Timeout(`${what} did not finish within ${Math.round(ms / 1000)}s (cache-timeout)`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
/** Why the cache cannot be used in this process, or undefined when it can. */
function unavailability(cache, env) {
    if (!cache.isFeatureAvailable())
        return 'the Actions cache service is not available here (ACTIONS_RESULTS_URL, or ACTIONS_CACHE_URL on GHES, is not set: not running on GitHub Actions?)';
    if (!env.ACTIONS_RUNTIME_TOKEN)
        return 'the Actions cache service is not available here (ACTIONS_RUNTIME_TOKEN is not set)';
    return undefined;
}
/** How @actions/cache begins the warning (or, for a 5xx, the error) it prints for a restore that failed. */
const RESTORE_FAILED = 'Failed to restore: ';
/**
 * Runs `call` while watching this process's stdout for the client's own report of a failed restore
 * (`::warning::Failed to restore: …`, `::error::…` for a 5xx), read as the runner reads it (shared/workflow-commands.ts):
 * the only sign it gives that the miss it returns was a failure. What it writes still reaches the log unchanged.
 */
async function watchRestoreFailure(call) {
    const stdout = process.stdout;
    const write = stdout.write;
    let failure;
    stdout.write = function (chunk, ...rest) {
        for (const line of (typeof chunk === 'string' ? chunk : String(chunk)).split(/\r\n|\r|\n/)) {
            const command = (0,_shared_workflow_commands_js__WEBPACK_IMPORTED_MODULE_2__/* .parseCommandLine */ .Du)(line);
            if ((command?.command === 'warning' || command?.command === 'error') && command.data.startsWith(RESTORE_FAILED))
                failure ??= command.data.slice(RESTORE_FAILED.length);
        }
        return write.call(this, chunk, ...rest);
    };
    try {
        const value = await call();
        return failure === undefined ? { value } : { value, failure };
    }
    finally {
        stdout.write = write;
    }
}
function message(error) {
    return error instanceof Error ? error.message : String(error);
}
function actionsCacheStore(options) {
    const env = options.env ?? process.env;
    const relative = `${BASELINE_DIR}/${options.key}.json`;
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(env.GITHUB_WORKSPACE || process.cwd(), relative);
    const keys = cacheKeys(options.key, options.runId, options.runAttempt);
    let abandoned = false;
    const load = () => __webpack_require__.e(/* import() */ 641).then(__webpack_require__.bind(__webpack_require__, 2641));
    /** The file exists only while the client archives or extracts it: the workspace is the user's. */
    const removeFile = () => {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(file, { force: true });
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(file));
        }
        catch {
            // Not empty (another key's file of a step running alongside) or already gone: leave it.
        }
    };
    const guarded = async (what, call) => {
        try {
            return await within(call(), options.timeoutMs, what);
        }
        catch (error) {
            if (error instanceof Timeout)
                abandoned = true;
            throw error;
        }
    };
    return {
        get abandoned() {
            return abandoned;
        },
        async restore() {
            const cache = await load();
            const reason = unavailability(cache, env);
            if (reason)
                return { kind: 'unavailable', reason };
            // A file left by an earlier step of this job must not pass for the restored one.
            removeFile();
            try {
                const { value: matchedKey, failure } = await guarded('restoring the baseline', () => watchRestoreFailure(() => cache.restoreCache([relative], keys.save, [keys.prefix])));
                if (failure !== undefined)
                    return { kind: 'unavailable', reason: `the cache service failed: ${failure}` };
                if (!matchedKey)
                    return { kind: 'miss' };
                let text;
                try {
                    text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8');
                }
                catch {
                    return { kind: 'unreadable', matchedKey };
                }
                const baseline = (0,_regression_js__WEBPACK_IMPORTED_MODULE_3__/* .readBaseline */ .mF)(text, options.key);
                return baseline ? { kind: 'restored', baseline, matchedKey } : { kind: 'unreadable', matchedKey };
            }
            catch (error) {
                return { kind: 'unavailable', reason: `the baseline could not be restored: ${message(error)}` };
            }
            finally {
                removeFile();
            }
        },
        async save(baseline) {
            const cache = await load();
            const reason = unavailability(cache, env);
            if (reason)
                return { kind: 'unavailable', reason };
            try {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(file), { recursive: true });
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(file, `${JSON.stringify(baseline, null, 2)}\n`);
                const id = await guarded('saving the baseline', () => cache.saveCache([relative], keys.save));
                return id > 0 ? { kind: 'saved', key: keys.save } : { kind: 'not saved', key: keys.save, reason: 'the cache service did not take it (see the message above)' };
            }
            catch (error) {
                return { kind: 'not saved', key: keys.save, reason: message(error) };
            }
            finally {
                removeFile();
            }
        },
    };
}


/***/ })

};
