export const id = 808;
export const ids = [808];
export const modules = {

/***/ 48808:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   actionsCacheStore: () => (/* binding */ actionsCacheStore)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _regression_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(61773);
// The latency baseline in the GitHub Actions cache, through the official client (@actions/cache, loaded here
// only, and only when the regression gate is used: the client and the Azure SDK it brings are a large lazy
// chunk that a run without the gate never reads).
//
// Cache entries are immutable: every passing run saves under a key of its own, `shipline-latency/<key>/<run
// id>-<attempt>`, and a run restores the most recent entry under the prefix `shipline-latency/<key>/`. The `/`
// after the key keeps `prod` from matching `prod-eu`'s entries. The cache service scopes entries by branch: a run
// reads its own branch's entries, then the default branch's (a pull request's: its base branch's).
//
// What the cache holds is not trusted. Any workflow run with a cache-writing token of a branch this run reads can
// have saved an entry under the prefix, and @actions/cache's restoreCache extracts whatever the archive holds with
// `tar -xf … -P -C $GITHUB_WORKSPACE` (lib/internal/tar.js): `-P` keeps absolute names and `..`, so no `-C`
// confines it, and a member `/home/runner/work/app/app/.shipline/dist/rollback/index.js` (or a symlink member
// followed by a write through it) replaces code that later runs with the deploy token. So restoreCache is never
// called. The client still does the transfer (the lookup, cache service v2 or v1, and the download, with its
// retries), from its lower-level modules, into a folder of this step's own (mkdtemp under RUNNER_TEMP: mode 0700);
// then the archive is listed, and only when it holds exactly the one expected member, a regular file of bounded
// size, is that member extracted, without `-P` (GNU tar then refuses `..` and strips a leading `/`), read
// (lstat, O_NOFOLLOW), and checked against the baseline's schema and ranges (regression.ts). Anything else and the
// baseline is refused with the reason: the gate runs as on its first run, and a passing run's baseline becomes the
// newest entry again. Saving also archives from such a folder, so nothing of the cache touches the workspace.
//
// The cache is optional: a lookup or download that fails skips the gate with a warning (a miss and a failure
// mean different things here: pass with "no baseline yet" vs. the gate skipped). A call that does not finish
// within `timeoutMs` is abandoned: the gate is skipped, and the caller ends the process once the step has reported
// (a request the client sent without a timeout would otherwise keep it alive).




/**
 * The one member a baseline archive holds, relative to the folder it is archived from. The cache version is a
 * hash of this path (and the compression), so it stays what it has always been: earlier baselines still match.
 */
const BASELINE_DIR = '.shipline-latency-baseline';
/** A baseline is a few kilobytes; the archive and the file are refused beyond this (a decompression bomb, say). */
const BASELINE_MAX_BYTES = 1024 * 1024;
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
function message(error) {
    return error instanceof Error ? error.message : String(error);
}
/** A baseline entry refused: the reason is reported, the entry is not used. */
class Refused extends Error {
}
/**
 * The client's own modules for the transfer. The package exports restoreCache only (whose extraction is the
 * problem), so its internals are imported by file; package-lock pins the version these paths are read from.
 */
const loadTransfer = async () => {
    const [utils, http, twirp, config] = await Promise.all([
        __webpack_require__.e(/* import() */ 490).then(__webpack_require__.bind(__webpack_require__, 69490)),
        Promise.all(/* import() */[__webpack_require__.e(490), __webpack_require__.e(841)]).then(__webpack_require__.bind(__webpack_require__, 11841)),
        Promise.all(/* import() */[__webpack_require__.e(490), __webpack_require__.e(513), __webpack_require__.e(201)]).then(__webpack_require__.bind(__webpack_require__, 99513)),
        __webpack_require__.e(/* import() */ 253).then(__webpack_require__.bind(__webpack_require__, 65253)),
    ]);
    return { utils, http, twirp, config };
};
/** Runs tar through the toolkit's exec; the archive is at most 1 MiB, so its listing is small too. */
async function run(file, args) {
    const { getExecOutput } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 65334));
    // LC_ALL=C: the listing's columns in one form.
    const result = await getExecOutput(file, [...args], {
        silent: true,
        ignoreReturnCode: true,
        env: { ...process.env, LC_ALL: 'C' },
    });
    if (result.exitCode !== 0)
        throw new Refused(`tar could not read the archive (${(result.stderr || `exit ${result.exitCode}`).trim().split('\n')[0]?.slice(0, 200) ?? ''})`);
    return result.stdout;
}
/**
 * How tar decompresses an archive made with this compression method (as lib/internal/tar.js makes them on Linux).
 * The listing and the flags below are GNU tar's; another tar fails them, and the baseline is refused, not trusted.
 */
function decompression(method) {
    if (method === 'zstd')
        return ['--use-compress-program', 'unzstd --long=30'];
    if (method === 'zstd-without-long')
        return ['--use-compress-program', 'unzstd'];
    return ['-z'];
}
/**
 * The baseline file inside a downloaded archive, or a Refused naming why not. The archive must list exactly one
 * member, `member`, a regular file of at most BASELINE_MAX_BYTES; only that member is extracted, into `into`
 * (fresh, private), with no `-P`, and read back without following a link.
 */
async function extractBaselineFile(archive, method, member, into) {
    const archiveBytes = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(archive).size;
    if (archiveBytes > BASELINE_MAX_BYTES)
        throw new Refused(`the archive is ${archiveBytes} bytes, more than a baseline's ${BASELINE_MAX_BYTES}`);
    const listing = (await run('tar', ['-tvf', archive, ...decompression(method), '--numeric-owner', '--quoting-style=escape']))
        .split('\n')
        .filter((line) => line !== '');
    if (listing.length !== 1)
        throw new Refused(`the archive holds ${listing.length} members; a baseline archive holds one, ${member}`);
    // `-rw-r--r-- 1001/118       345 2026-12-06 19:33 .shipline-latency-baseline/production.json`
    const entry = /^(.)\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s(.*)$/.exec(listing[0]);
    if (!entry)
        throw new Refused('the archive could not be listed');
    const [, type, size, name] = entry;
    // A link's line goes on with ` -> target` or ` link to target`: its type is judged first.
    if (type !== '-')
        throw new Refused(`the archive's one member is not a regular file (tar type '${type}')`);
    if (name !== member)
        throw new Refused(`the archive holds ${JSON.stringify(name.slice(0, 200))}, not ${member}`);
    if (Number(size) > BASELINE_MAX_BYTES)
        throw new Refused(`${member} is ${size} bytes, more than a baseline's ${BASELINE_MAX_BYTES}`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(into, { mode: 0o700 });
    await run('tar', [
        '-xf',
        archive,
        ...decompression(method),
        '-C',
        into,
        '--no-same-owner',
        '--no-same-permissions',
        '--no-overwrite-dir',
        '--no-wildcards',
        '--',
        member,
    ]);
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(into, member);
    const folder = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(file));
    const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)(file, { throwIfNoEntry: false });
    if (!folder.isDirectory() || !stat?.isFile())
        throw new Refused(`${member} did not extract as a regular file`);
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW);
    try {
        const opened = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd);
        if (!opened.isFile() || opened.size > BASELINE_MAX_BYTES)
            throw new Refused(`${member} is not a regular file of at most ${BASELINE_MAX_BYTES} bytes`);
        const buffer = Buffer.alloc(opened.size);
        let read = 0;
        while (read < buffer.length) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buffer, read, buffer.length - read, read);
            if (n === 0)
                break;
            read += n;
        }
        return buffer.subarray(0, read).toString('utf8');
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
function actionsCacheStore(options) {
    const env = options.env ?? process.env;
    const member = `${BASELINE_DIR}/${options.key}.json`;
    const keys = cacheKeys(options.key, options.runId, options.runAttempt);
    let abandoned = false;
    const load = () => Promise.all(/* import() */[__webpack_require__.e(490), __webpack_require__.e(841), __webpack_require__.e(513), __webpack_require__.e(682)]).then(__webpack_require__.bind(__webpack_require__, 38682));
    /** This step's own folder for the archive and the file (mode 0700), removed with everything in it afterwards. */
    const privateFolder = () => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), 'shipline-baseline-'));
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
    /** The newest entry under the prefix and where to download it, as restoreCache finds it (v2, or v1 on GHES). */
    const lookup = async (transfer, method) => {
        const { utils, http, twirp, config } = transfer;
        const compression = method;
        if (config.getCacheServiceVersion() === 'v2') {
            const response = await twirp.internalCacheTwirpClient().GetCacheEntryDownloadURL({
                key: keys.save,
                restoreKeys: [keys.prefix],
                version: utils.getCacheVersion([member], compression, false),
            });
            return response.ok ? { key: response.matchedKey, url: response.signedDownloadUrl } : undefined;
        }
        const entry = await http.getCacheEntry([keys.save, keys.prefix], [member], {
            compressionMethod: compression,
            enableCrossOsArchive: false,
        });
        return entry?.archiveLocation && entry.cacheKey ? { key: entry.cacheKey, url: entry.archiveLocation } : undefined;
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
            const transfer = await loadTransfer();
            if (!transfer.config.isCacheReadable(transfer.config.getCacheMode()))
                return {
                    kind: 'unavailable',
                    reason: `the cache mode '${transfer.config.getCacheMode()}' does not permit reads`,
                };
            const folder = privateFolder();
            try {
                return await guarded('restoring the baseline', async () => {
                    const method = await transfer.utils.getCompressionMethod();
                    let found;
                    const archive = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, transfer.utils.getCacheFileName(method));
                    try {
                        found = await lookup(transfer, method);
                        if (!found)
                            return { kind: 'miss' };
                        await transfer.http.downloadCache(found.url, archive, {
                            useAzureSdk: transfer.config.getCacheServiceVersion() === 'v2',
                        });
                    }
                    catch (error) {
                        return { kind: 'unavailable', reason: `the cache service failed: ${message(error)}` };
                    }
                    try {
                        const parsed = (0,_regression_js__WEBPACK_IMPORTED_MODULE_3__/* .parseBaseline */ .nk)(await extractBaselineFile(archive, method, member, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, 'extracted')), options.key);
                        return 'baseline' in parsed
                            ? { kind: 'restored', baseline: parsed.baseline, matchedKey: found.key }
                            : { kind: 'refused', matchedKey: found.key, reason: parsed.refused };
                    }
                    catch (error) {
                        if (error instanceof Refused)
                            return { kind: 'refused', matchedKey: found.key, reason: error.message };
                        throw error;
                    }
                });
            }
            catch (error) {
                return { kind: 'unavailable', reason: `the baseline could not be restored: ${message(error)}` };
            }
            finally {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(folder, { recursive: true, force: true });
            }
        },
        async save(baseline) {
            const cache = await load();
            const reason = unavailability(cache, env);
            if (reason)
                return { kind: 'unavailable', reason };
            const folder = privateFolder();
            // The client finds `paths` from the working directory (@actions/glob) and archives them relative to
            // GITHUB_WORKSPACE (lib/internal/tar.js: `-C` it). Pointing both at the private folder for this call keeps the
            // member name (and so the cache version) what it has always been, and the workspace (the checked-out
            // repository, where a symlink could stand at BASELINE_DIR) out of it. Nothing else runs meanwhile: the
            // checks are done when a baseline is saved.
            const workspace = process.env.GITHUB_WORKSPACE;
            const cwd = process.cwd();
            try {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, BASELINE_DIR), { mode: 0o700 });
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, member), `${JSON.stringify(baseline, null, 2)}\n`, { flag: 'wx' });
                process.env.GITHUB_WORKSPACE = folder;
                process.chdir(folder);
                const id = await guarded('saving the baseline', () => cache.saveCache([member], keys.save));
                return id > 0
                    ? { kind: 'saved', key: keys.save }
                    : { kind: 'not saved', key: keys.save, reason: 'the cache service did not take it (see the message above)' };
            }
            catch (error) {
                return { kind: 'not saved', key: keys.save, reason: message(error) };
            }
            finally {
                process.chdir(cwd);
                if (workspace === undefined)
                    delete process.env.GITHUB_WORKSPACE;
                else
                    process.env.GITHUB_WORKSPACE = workspace;
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(folder, { recursive: true, force: true });
            }
        },
    };
}


/***/ })

};
