export const id = 520;
export const ids = [520];
export const modules = {

/***/ 88837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ mapLimit)
/* harmony export */ });
/**
 * Runs `fn` over `items` with at most `limit` in flight; results keep the input order. Fails with the first error,
 * and starts no new work once one has failed (an upload or deploy after a failure would only be wasted or
 * half-done); work already in flight is allowed to finish before the promise rejects.
 */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index], index);
            }
            catch (error) {
                failed = true;
                throw error;
            }
        }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
    const rejected = outcomes.find((o) => o.status === 'rejected');
    if (rejected)
        throw rejected.reason;
    return results;
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

/***/ 78365:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hy: () => (/* binding */ resolveUnderRoot),
/* harmony export */   iv: () => (/* binding */ sha1File),
/* harmony export */   lo: () => (/* binding */ digestFolder),
/* harmony export */   ud: () => (/* binding */ outsideLinkError),
/* harmony export */   y9: () => (/* binding */ filesUnderRoot)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(32635);
// The files of a deployed folder, never leaving it (a link is followed only while its target stays inside), and
// their SHA1 digests: what Vercel and Netlify deploy by, so only files the provider does not already have are
// uploaded.




const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;
/** SHA1 of a file: read whole when small (most build output), in 1 MiB chunks when large. */
function sha1File(path, size) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha1');
    if (size <= WHOLE_FILE_LIMIT)
        return hash.update((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(path)).digest('hex');
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.openSync)(path, 'r');
    try {
        const buffer = Buffer.allocUnsafe(1024 * 1024);
        for (let n = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, buffer); n > 0; n = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, buffer))
            hash.update(buffer.subarray(0, n));
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.closeSync)(fd);
    }
    return hash.digest('hex');
}
/**
 * Every file under `dir` with its SHA1, never reading outside `dir` (filesUnderRoot: links leaving it are refused,
 * or skipped and returned in `skipped`). Synchronous on purpose: build outputs are thousands of small files, where
 * the cost is per-call overhead, and Node's async fs (a 4-thread pool, a promise per call) was 5× slower than
 * `sha1sum` on 5,000 files; nothing else runs while a deploy hashes.
 */
function digestFolder(dir, options = {}) {
    const found = filesUnderRoot(dir, { ignore: options.ignore, outsideLinks: options.outsideLinks });
    const files = found.files.map(({ path, absolutePath }) => {
        const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(absolutePath);
        return { path, absolutePath, sha1: sha1File(absolutePath, info.size), size: info.size, mode: info.mode };
    });
    return { files, skipped: found.skipped };
}
/** The refusal for a link that leaves the deployed folder: names the link, where it points, and the folder. */
function outsideLinkError(root, link, what = '') {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${what}${link.path} is a link to a path outside ${root} (${link.target}): refused`, {
        hint: 'Only files inside the deployed folder are uploaded. Copy what the link points to into the folder, or remove the link.',
    });
}
const insideOf = (realRoot, realPath) => {
    const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(realRoot, realPath);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_2__.sep}`) && !(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(rel));
};
const realpathOrUndefined = (path) => {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(path);
    }
    catch {
        return undefined;
    }
};
/** A path relative to a root (with / or the platform's separator), made posix; `..` or absolute means it leaves. */
function normalInside(relPath) {
    if ((0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(relPath))
        return undefined;
    const clean = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.normalize(relPath.split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/'));
    if (clean === '..' || clean.startsWith('../'))
        return undefined;
    return clean === '.' || clean === './' ? '' : clean.replace(/\/$/, '');
}
function resolveUnderRoot(root, relPath, options = {}) {
    const clean = normalInside(relPath);
    if (clean === undefined)
        return { kind: 'leaves', path: relPath };
    const realRoot = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(root);
    const parts = clean === '' ? [] : clean.split('/');
    let real = realRoot;
    for (let i = 0; i < parts.length; i++) {
        const next = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(real, parts[i]);
        let info;
        try {
            info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(next);
        }
        catch {
            return { kind: 'missing', path: clean };
        }
        const last = i === parts.length - 1;
        if (info.isSymbolicLink() && !(last && options.keepLastLink)) {
            const target = realpathOrUndefined(next);
            if (target === undefined)
                return { kind: 'missing', path: clean };
            if (!insideOf(realRoot, target))
                return {
                    kind: 'link',
                    path: clean,
                    link: { path: parts.slice(0, i + 1).join('/'), target: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(next) },
                };
            real = target;
        }
        else
            real = next;
    }
    const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(real);
    return {
        kind: 'inside',
        path: clean,
        realPath: real,
        isDirectory: info.isDirectory(),
        isLink: info.isSymbolicLink(),
    };
}
/**
 * Every file under `root` (or under its subfolder `from`), never reading anything outside `root`. Entries are
 * lstat-ed, so a link is seen as a link: one whose real target is inside the root is walked as its target (a
 * folder link into its own ancestors is skipped, it would never end); one whose target is outside is refused
 * (an error naming it), or, with `outsideLinks: 'skip'`, left out and reported in `skipped`. A dangling link
 * has nothing to upload and is left out. Node's recursive readdir cannot be used: it descends into linked
 * folders wherever they point (nodejs/node#51858).
 */
function filesUnderRoot(root, options = {}) {
    const realRoot = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(root);
    const files = [];
    const skipped = [];
    const start = resolveUnderRoot(root, options.from ?? '');
    if (start.kind === 'leaves')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${options.from} is outside ${root}: refused`);
    if (start.kind === 'link')
        throw outsideLinkError(root, start.link);
    if (start.kind === 'missing' || !start.isDirectory)
        return { files, skipped };
    const walk = (realFolder, path, ancestors) => {
        for (const name of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(realFolder).sort()) {
            const childPath = path ? `${path}/${name}` : name;
            if (options.ignore?.(childPath))
                continue;
            let real = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(realFolder, name);
            let info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(real);
            if (info.isSymbolicLink()) {
                const target = realpathOrUndefined(real);
                if (target === undefined)
                    continue;
                if (!insideOf(realRoot, target)) {
                    const link = { path: childPath, target: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(real) };
                    if (options.outsideLinks === 'skip') {
                        skipped.push(link);
                        continue;
                    }
                    throw outsideLinkError(root, link);
                }
                real = target;
                info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(real);
            }
            if (info.isDirectory()) {
                if (ancestors.has(real))
                    continue;
                walk(real, childPath, new Set([...ancestors, real]));
            }
            else if (info.isFile())
                files.push({ path: childPath, absolutePath: real });
        }
    };
    walk(start.realPath, start.path, new Set([realRoot, start.realPath]));
    return { files: files.sort(byPath), skipped };
}
const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);


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

/***/ 25520:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VercelProvider: () => (/* binding */ VercelProvider)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _concurrency_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(88837);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(32635);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(78365);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9096);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(52798);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(21064);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(71193);
/* harmony import */ var _provider_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(22862);
// Vercel through its REST API, without the CLI, sending the requests the vercel CLI and @vercel/client send
// (actions/deploy/README.md, "Provider fidelity"): hash the output, create the deployment (?prebuilt=1 for a
// .vercel/output), upload only the files Vercel reports missing, re-create, then follow readyState until READY
// and aliasAssigned. Staged production deploys (no domain assignment) are promoted later; rollback re-points
// production at an earlier deployment without a rebuild; both are followed through the project's
// lastAliasRequest (?rollbackInfo=true).











function rollingState(r) {
    const canaryId = r?.canaryDeployment?.id;
    if (!r || !canaryId || (r.state !== 'ACTIVE' && r.state !== 'COMPLETE' && r.state !== 'ABORTED'))
        return undefined;
    const stages = (r.stages ?? []).map((s) => s.targetPercentage ?? 0);
    const stageIndex = r.activeStage?.index ?? 0;
    return {
        state: r.state,
        canaryId,
        currentId: r.currentDeployment?.id,
        stageIndex,
        stages,
        share: r.activeStage?.targetPercentage ?? stages[stageIndex] ?? 0,
        advancement: r.advancementType === 'automatic' ? 'automatic' : 'manual-approval',
        updatedAt: r.updatedAt,
    };
}
const UPLOAD_CONCURRENCY = 8;
/** readyState polling: quick at first (most static deploys are ready in seconds), then backing off. */
const READY_POLL_MS = [500, 1000, 1000, 2000, 5000, 10_000, 15_000, 30_000];
/** The CLI polls alias jobs every 250 ms: they usually finish in about a second. */
const ALIAS_POLL_MS = 250;
/** States a deployment does not leave by itself: waiting longer changes nothing. */
const STOPPED = new Set(['ERROR', 'CANCELED', 'DELETED', 'BLOCKED']);
/** Time given to cancelling a build we gave up on, even past the deadline (it keeps production from changing). */
const CANCEL_MS = 5_000;
/** 5xx from a gateway: Vercel's own handler may still be working on the request, so its fate is unknown. */
const GATEWAY = new Set([502, 504]);
/** The build stopped by itself (failed, blocked, cancelled): it can never go live. */
class StoppedError extends _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ {
}
/**
 * BLOCKED is not final: a team member with the rights can unblock the deployment, which then builds and (a production
 * one) takes the production domains by itself. A BLOCKED deployment we stop following is cancelled.
 */
class BlockedError extends StoppedError {
}
/**
 * Whether a deployment ever served production: Vercel's Instant Rollback candidates are the deployments "previously
 * aliased to a production domain" (docs, "Instant Rollback"); the list marks them isRollbackCandidate, and
 * readySubstate says STAGED for a READY production build that never saw production traffic (@vercel/sdk
 * GetDeploymentsReadySubstate). A staged build nobody promoted was never checked in production: it is never a
 * rollback target.
 */
function servedProduction(d) {
    if (d.readySubstate === 'STAGED')
        return false;
    return d.isRollbackCandidate === true || d.readySubstate === 'PROMOTED';
}
function https(url) {
    if (!url)
        return undefined;
    return /^https?:\/\//.test(url) ? url : `https://${url}`;
}
const posix = (path) => path.split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
/** One entry as @vercel/client hashes it: lstat, a symlink is its link text, anything else its content. */
function digestEntry(absolutePath, path) {
    const info = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(absolutePath);
    if (info.isSymbolicLink()) {
        const link = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(absolutePath);
        const content = Buffer.from(link, 'utf8');
        return {
            path,
            absolutePath,
            sha1: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha1').update(content).digest('hex'),
            size: content.length,
            mode: info.mode,
            symlink: link,
        };
    }
    return { path, absolutePath, sha1: (0,_files_js__WEBPACK_IMPORTED_MODULE_4__/* .sha1File */ .iv)(absolutePath, info.size), size: info.size, mode: info.mode };
}
/**
 * Files and symlinks under `dir`, paths relative to `root`. A symlink is never followed (Node's recursive readdir
 * descends into linked folders, so the walk is our own): Vercel recreates it from its link text.
 */
function vercelFiles(dir, root, ignore = () => false) {
    const files = [];
    const walk = (folder) => {
        for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(folder, { withFileTypes: true })) {
            const absolutePath = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(folder, entry.name);
            const path = posix((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, absolutePath));
            if (ignore(path))
                continue;
            if (entry.isDirectory())
                walk(absolutePath);
            else if (entry.isFile() || entry.isSymbolicLink())
                files.push(digestEntry(absolutePath, path));
        }
    };
    walk(dir);
    return files.sort(byPath);
}
/**
 * A Build Output API upload as `vercel deploy --prebuilt` makes it: everything under .vercel/output (paths from the
 * project root), plus the files that functions' .vc-config.json `filePathMap`s point at outside it (traced
 * node_modules and the like). Nothing outside the project folder is read. An entry whose path climbs out of it
 * (`../`) is skipped, as @vercel/client does (utils/index.js buildFileTree: "resolves outside the deployment
 * root"), with a warning naming it. An entry reached through a linked folder whose target is outside is refused:
 * the client would read through the link (hashes.js lstats the full path) and upload what it points at. An entry
 * that is itself a link is sent as its link text, as the client sends it.
 */
function prebuiltFiles(root) {
    const output = (0,_files_js__WEBPACK_IMPORTED_MODULE_4__/* .resolveUnderRoot */ .Hy)(root, '.vercel/output');
    if (output.kind === 'link')
        throw (0,_files_js__WEBPACK_IMPORTED_MODULE_4__/* .outsideLinkError */ .ud)(root, output.link);
    const files = vercelFiles((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, '.vercel', 'output'), root);
    const seen = new Set(files.map((f) => f.path));
    const climbing = [];
    for (const config of files.filter((f) => f.path.endsWith('/.vc-config.json') && !f.symlink)) {
        let filePathMap;
        try {
            filePathMap = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(config.absolutePath, 'utf8'))
                .filePathMap;
        }
        catch (error) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${config.path} is not valid JSON (${error.message})`);
        }
        for (const target of Object.values(filePathMap ?? {})) {
            const entry = (0,_files_js__WEBPACK_IMPORTED_MODULE_4__/* .resolveUnderRoot */ .Hy)(root, target, { keepLastLink: true });
            if (entry.kind === 'leaves') {
                climbing.push(target);
                continue;
            }
            if (entry.kind === 'link')
                throw (0,_files_js__WEBPACK_IMPORTED_MODULE_4__/* .outsideLinkError */ .ud)(root, entry.link, `${config.path}: filePathMap entry ${target} goes through a link: `);
            if (entry.kind === 'missing')
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${config.path}: filePathMap entry ${target} does not exist`, {
                    hint: 'Run `vercel build` again in the same folder.',
                });
            if (seen.has(entry.path))
                continue;
            seen.add(entry.path);
            files.push(digestEntry(entry.realPath, entry.path));
        }
    }
    if (climbing.length > 0) {
        const shown = [...new Set(climbing)].sort();
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .warning */ .$e)(`Vercel: ${shown.length} filePathMap entries are outside ${root} and are not uploaded (as vercel deploy --prebuilt skips them): ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ', …' : ''}`);
    }
    return files.sort(byPath);
}
class VercelProvider {
    config;
    name = 'vercel';
    apiUrl;
    resolvedProjectId;
    /**
     * Rolling releases, with the requests `vercel rolling-release` sends (configure: PATCH …/rolling-release/config
     * with {enabled, advancementType, stages}; approve: POST …/approve-stage with {activeStageIndex, nextStageIndex,
     * canaryDeploymentId}; abort: a rollback to the deployment that serves the rest of the traffic).
     */
    rolling = {
        configure: async (stages, deadline) => {
            const { status, data } = await this.call('PATCH', `/v1/projects/${encodeURIComponent(await this.projectId())}/rolling-release/config`, {
                label: 'configure rolling release',
                // Manual approval: a stage moves on only when shipline's verdict approves it, never by time alone.
                body: {
                    enabled: true,
                    advancementType: 'manual-approval',
                    stages: stages.map((targetPercentage) => ({ targetPercentage })),
                },
                idempotent: true,
                deadline,
            });
            if (status >= 300)
                this.fail('configure rolling release', status, data);
        },
        state: async (deadline) => {
            const { status, data } = await this.call('GET', `/v1/projects/${encodeURIComponent(await this.projectId())}/rolling-release`, { label: 'get rolling release', deadline });
            if (status >= 300)
                this.fail('get rolling release', status, data);
            return rollingState(data.rollingRelease);
        },
        approve: async (rolling, deadline) => {
            const { status, data } = await this.call('POST', `/v1/projects/${encodeURIComponent(await this.projectId())}/rolling-release/approve-stage`, {
                label: 'approve rolling release stage',
                body: {
                    activeStageIndex: rolling.stageIndex,
                    nextStageIndex: rolling.stageIndex + 1,
                    canaryDeploymentId: rolling.canaryId,
                },
                // A second approval of the same stage is refused (the stage is no longer next): never a double advance.
                idempotent: false,
                deadline,
            });
            if (status >= 300)
                this.fail('approve rolling release stage', status, data);
        },
        abort: async (rolling, deadline) => {
            if (!rolling.currentId)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel's rolling release of ${rolling.canaryId} names no current deployment to return production traffic to`, { hint: 'Abort it in the Vercel dashboard (Deployments → Rolling Release → Abort).' });
            await this.aliasJob('rollback', rolling.currentId, deadline);
        },
    };
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://api.vercel.com').replace(/\/$/, '');
    }
    async call(method, path, options) {
        const url = new URL(`${this.apiUrl}${path}`);
        // Personal accounts have no team: then no teamId at all.
        if (this.config.team)
            url.searchParams.set('teamId', this.config.team);
        // Every status comes back to the caller, which reads Vercel's error codes itself (fail()); only a body that is
        // not JSON is an error here.
        return (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .requestJson */ .SS)(url, {
            label: `Vercel ${options.label}`,
            method,
            idempotent: options.idempotent,
            headers: {
                authorization: `Bearer ${this.config.token}`,
                ...(options.raw ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/json' }),
                ...options.headers,
            },
            body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
            // Every request of a deploy ends by its deadline, retries included: a hanging API cannot stretch the wait.
            deadline: options.deadline,
        }, {
            provider: 'Vercel',
            action: options.label,
            acceptStatus: () => true,
            errorMessage: () => undefined,
            // An error page from a proxy (502 "bad gateway") is an error answer, not a malformed one: its text is the reason.
            errorPage: (text, status) => ({ error: { message: (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .excerpt */ .Kb)(text, 200) || `HTTP ${status}` } }),
        });
    }
    fail(action, status, data) {
        const code = data.error?.code;
        const message = data.error?.message ?? `HTTP ${status}`;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('Vercel', code ? `${code}: ${message}` : message, {
            status,
            action,
            hint: hintFor(code, status),
        });
    }
    toRelease(d) {
        const id = (d.id ?? d.uid);
        return {
            provider: 'vercel',
            id,
            url: https(d.url),
            inspectorUrl: d.inspectorUrl,
            target: d.target === 'production' ? 'production' : 'preview',
            state: d.readyState ?? d.state,
            createdAt: d.createdAt ?? d.created,
            sha: d.meta?.githubCommitSha,
        };
    }
    digest(dir) {
        // A prebuilt project (vercel build, Build Output API) is deployed as its .vercel/output with the paths
        // `deploy --prebuilt` sends, and created with ?prebuilt=1; anything else is a static folder.
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, '.vercel', 'output', 'config.json')))
            return { files: prebuiltFiles(dir), prebuilt: true };
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(dir))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Input 'dir': ${dir} does not exist`);
        return {
            files: vercelFiles(dir, dir, (p) => p === '.git' || p === '.vercel' || p.startsWith('.git/') || p.startsWith('.vercel/')),
            prebuilt: false,
        };
    }
    async upload(files, missing, deadline) {
        const bySha = new Map(files.map((f) => [f.sha1, f]));
        const todo = [...new Set(missing)].map((sha) => bySha.get(sha)).filter((f) => f !== undefined);
        let bytes = 0;
        await (0,_concurrency_js__WEBPACK_IMPORTED_MODULE_9__/* .mapLimit */ .s)(todo, UPLOAD_CONCURRENCY, async (file) => {
            const body = file.symlink !== undefined ? Buffer.from(file.symlink, 'utf8') : (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file.absolutePath);
            // Uploads are keyed by digest, so sending one twice is harmless: they may be retried on any failure.
            const { status, data } = await this.call('POST', '/v2/files', {
                label: `upload ${file.path}`,
                raw: body,
                idempotent: true,
                deadline,
                headers: { 'x-vercel-digest': file.sha1, 'x-now-digest': file.sha1, 'x-now-size': String(body.length) },
            });
            if (status >= 300)
                this.fail(`upload of ${file.path}`, status, data);
            bytes += body.length;
        });
        return bytes;
    }
    /** The project's id: path parameters of promote and rollback take the id, and input 'project' may be a name. */
    async projectId() {
        this.resolvedProjectId ??= (await this.project()).id;
        return this.resolvedProjectId;
    }
    /**
     * A deployment this step already created, found by its idempotency key (`meta`, which Vercel stores and returns in
     * the project's deployment list): how a create whose answer was lost is recognised.
     */
    async findByKey(key, since, deadline) {
        const { status, data } = await this.call('GET', `/v6/deployments?projectId=${encodeURIComponent(await this.projectId())}&since=${since - 60_000}&limit=100`, {
            label: 'list deployments',
            deadline,
        });
        if (status >= 300)
            this.fail('list deployments', status, data);
        return data.deployments?.find((d) => d.meta?.shiplineDeployKey === key);
    }
    /** A create whose fate is unknown and whose deployment never showed up: both possibilities, never a second create. */
    unknownCreate(cause, key) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel create deployment: ${cause}, and no deployment with this step's key (meta.shiplineDeployKey = ${key}) appeared in project ${this.config.project} while we looked. ` +
            'Either Vercel never made it, or it is still making it; it was not created again, so there cannot be two.', {
            hint: `Look for a deployment with meta.shiplineDeployKey = ${key} in the Vercel dashboard: if there is one, cancel it or let it finish (a production deployment then goes live by itself); if there is none, re-run the job.`,
        });
    }
    async deploy(spec, deadline) {
        const hashStart = Date.now();
        const { files, prebuilt } = this.digest(spec.dir);
        const stats = { files: files.length, uploaded: 0, uploadedBytes: 0, hashMs: Date.now() - hashStart };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: ${files.length} files hashed in ${stats.hashMs} ms${prebuilt ? ' (prebuilt: .vercel/output)' : ''}`);
        const body = {
            name: this.config.project,
            project: this.config.project,
            target: spec.target === 'production' ? 'production' : undefined,
            files: files.map((f) => ({ file: f.path, sha: f.sha1, size: f.size, mode: f.mode })),
            meta: {
                shiplineDeployKey: spec.idempotencyKey,
                githubCommitSha: spec.git.sha,
                githubCommitRef: spec.git.ref,
                ...(spec.git.prNumber ? { githubPrId: String(spec.git.prNumber) } : {}),
            },
            gitMetadata: { commitSha: spec.git.sha, commitRef: spec.git.ref, commitMessage: spec.git.message?.slice(0, 500) },
            // Staged production: built for production, domains left alone until promote (the CLI's --skip-domain).
            ...(spec.staged ? { autoAssignCustomDomains: false } : {}),
        };
        // Without prebuilt=1 Vercel builds the upload as source, and a .vercel/output has no package.json to build.
        const query = prebuilt ? '?skipAutoDetectionConfirmation=1&prebuilt=1' : '?skipAutoDetectionConfirmation=1';
        const started = Date.now();
        let created;
        for (let round = 0; round < 4 && !created; round++) {
            let result;
            try {
                result = await this.call('POST', `/v13/deployments${query}`, {
                    label: 'create deployment',
                    body,
                    idempotent: false,
                    deadline,
                });
            }
            catch (error) {
                // A request that never reached Vercel (refused, unresolvable, stopped at the proxy, a TLS handshake that met
                // plain HTTP) made nothing: its own error, and asking again meets the same.
                if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .NetworkError */ .Dr) || (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .safeToResend */ .kM)(error.kind) || (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .metPlainHttp */ .PW)(error.cause))
                    throw error;
                // No answer (a timeout, a reset): Vercel may have made the deployment, or may still be making it. Look it up
                // by its key for a while; creating again on a guess could make a second one.
                created = await (0,_provider_js__WEBPACK_IMPORTED_MODULE_8__/* .lookUpUnknownCreate */ .X)((window) => this.findByKey(spec.idempotencyKey, started, window), deadline, _http_js__WEBPACK_IMPORTED_MODULE_5__/* .sleep */ .yy);
                if (!created)
                    throw this.unknownCreate(`no answer (${error.kind})`, spec.idempotencyKey);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: create deployment got no answer (${error.kind}); found the deployment it made by its key`);
                continue;
            }
            const { status, data } = result;
            if (data.error?.code === 'missing_files') {
                const missing = data.error.missing ?? [];
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: ${missing.length} of ${files.length} files are new; uploading them`);
                stats.uploadedBytes += await this.upload(files, missing, deadline);
                stats.uploaded += new Set(missing).size;
                continue;
            }
            if (GATEWAY.has(status)) {
                // A gateway gave up waiting: the request's fate is as unknown as after a timeout.
                created = await (0,_provider_js__WEBPACK_IMPORTED_MODULE_8__/* .lookUpUnknownCreate */ .X)((window) => this.findByKey(spec.idempotencyKey, started, window), deadline, _http_js__WEBPACK_IMPORTED_MODULE_5__/* .sleep */ .yy);
                if (!created)
                    throw this.unknownCreate(`a gateway answered HTTP ${status}`, spec.idempotencyKey);
                continue;
            }
            if (status >= 500) {
                // Vercel itself answered: the request is over. Only if no deployment carries this step's key was none made,
                // and only then is it created again.
                created = await this.findByKey(spec.idempotencyKey, started, deadline);
                if (!created && round === 3)
                    this.fail('create deployment', status, data);
                if (!created)
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: create deployment answered HTTP ${status} and no deployment with this step's key exists; creating again`);
                continue;
            }
            if (status >= 300)
                this.fail('create deployment', status, data);
            created = data;
        }
        if (!created)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('Vercel', 'files still reported missing after uploading them', {
                action: 'create deployment',
            });
        const release = this.toRelease(created);
        spec.onCreated?.(release);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: deployment ${release.id} created (${release.url}); waiting for it to be ready`);
        const goesLiveByItself = spec.target === 'production' && !spec.staged;
        let ready;
        try {
            ready = await this.waitUntilReady(release, deadline);
        }
        catch (error) {
            if (error instanceof BlockedError)
                throw await this.cancelBlocked(release, error);
            throw goesLiveByItself && !(error instanceof StoppedError) ? await this.gaveUp(release, error) : error;
        }
        if (!goesLiveByItself)
            return { release: ready, upload: stats };
        return { release: await this.takeProduction(ready, deadline), upload: stats };
    }
    /**
     * We stopped following a production deployment (deadline, or its status could not be read): Vercel would give
     * it the production domains by itself once READY, unchecked. Cancel it, and say exactly what production serves.
     */
    async gaveUp(release, error) {
        const cleanup = _deadline_js__WEBPACK_IMPORTED_MODULE_10__/* .Deadline */ .B.in(CANCEL_MS);
        const reason = error.message;
        const hint = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0 ? error.hint : undefined;
        try {
            const { status, data } = await this.call('PATCH', `/v12/deployments/${encodeURIComponent(release.id)}/cancel`, { label: 'cancel deployment', idempotent: true, deadline: cleanup });
            if (status < 300 && data.readyState === 'CANCELED') {
                return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${reason}. Deployment ${release.id} was cancelled, so production still serves what it served before this deploy`, { hint, cause: error });
            }
            if (status < 300 && data.readyState === 'READY') {
                const live = (await this.project(cleanup).catch(() => undefined))?.targets?.production;
                const serves = live
                    ? `production now serves ${live.id ?? live.uid}`
                    : 'what production serves could not be read';
                return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${reason}. Deployment ${release.id} was already READY, so it could not be cancelled: it takes the production domains by itself (unchecked); ${serves}`, {
                    hint: 'Check it, and run the rollback action if it is bad.',
                    cause: error,
                });
            }
            const why = status < 300
                ? `it is ${data.readyState ?? 'in an unknown state'}`
                : `HTTP ${status} ${data.error?.message ?? ''}`.trim();
            return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${reason}. Deployment ${release.id} could not be cancelled (${why}): if its build succeeds it takes the production domains by itself, unchecked`, {
                hint: 'Cancel it in the Vercel dashboard, or run the rollback action once it is live.',
                cause: error,
            });
        }
        catch (cancelError) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${reason}. Deployment ${release.id} could not be cancelled (${cancelError.message}): if its build succeeds it takes the production domains by itself, unchecked`, {
                hint: 'Cancel it in the Vercel dashboard, or run the rollback action once it is live.',
                cause: error,
            });
        }
    }
    /**
     * A BLOCKED deployment we stop following: cancelled (PATCH /v12/deployments/{id}/cancel, what `vercel` and the
     * dashboard's Cancel send), so that unblocking it later cannot build it and put it live unchecked.
     */
    async cancelBlocked(release, error) {
        const cleanup = _deadline_js__WEBPACK_IMPORTED_MODULE_10__/* .Deadline */ .B.in(CANCEL_MS);
        let outcome;
        try {
            const { status, data } = await this.call('PATCH', `/v12/deployments/${encodeURIComponent(release.id)}/cancel`, { label: 'cancel deployment', idempotent: true, deadline: cleanup });
            outcome =
                status < 300 && data.readyState === 'CANCELED'
                    ? `Deployment ${release.id} was cancelled, so unblocking it later cannot put it live`
                    : `Deployment ${release.id} could not be cancelled (${status < 300 ? `it is ${data.readyState ?? 'in an unknown state'}` : `HTTP ${status} ${data.error?.message ?? ''}`.trim()}): if someone unblocks it, it builds and ${release.target === 'production' ? 'takes the production domains by itself, unchecked' : 'goes up by itself'}`;
        }
        catch (cancelError) {
            outcome = `Deployment ${release.id} could not be cancelled (${cancelError.message}): if someone unblocks it, it builds and ${release.target === 'production' ? 'takes the production domains by itself, unchecked' : 'goes up by itself'}`;
        }
        return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel ${error.message}. ${outcome}`, { hint: error.hint, cause: error });
    }
    /** Follows the deployment until READY with its aliases assigned (what the CLI waits for), or a stop state. */
    async waitUntilReady(release, deadline) {
        let last = release.state ?? 'QUEUED';
        for (let attempt = 0;; attempt++) {
            const { status, data } = await this.call('GET', `/v13/deployments/${encodeURIComponent(release.id)}`, { label: 'get deployment', deadline });
            if (status >= 300)
                this.fail('get deployment', status, data);
            const state = data.readyState ?? 'UNKNOWN';
            if (state !== last)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: ${release.id} ${last} → ${state}`);
            last = state;
            if (data.aliasError)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('Vercel', `aliases were not assigned: ${data.aliasError.code ?? ''} ${data.aliasError.message ?? ''}`.trim(), { action: 'alias' });
            if (state === 'READY' && data.aliasAssigned)
                return this.toRelease(data);
            if (STOPPED.has(state))
                throw this.stopped(state, data, release);
            const wait = state === 'READY' ? ALIAS_POLL_MS : READY_POLL_MS[Math.min(attempt, READY_POLL_MS.length - 1)];
            if (wait > deadline.left()) {
                if (state === 'READY') {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel deployment ${release.id} is READY but its aliases were not assigned before the deadline`, { hint: "Raise input 'wait-timeout', or check the project's domains in the Vercel dashboard." });
                }
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel deployment ${release.id} was not ready before the deadline (last state ${last})`, { hint: "Raise input 'wait-timeout' if builds take longer." });
            }
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .sleep */ .yy)(wait);
        }
    }
    stopped(state, data, release) {
        const logs = `Build logs: ${release.inspectorUrl ?? data.inspectorUrl ?? 'the Vercel dashboard'}`;
        if (state === 'ERROR')
            return new StoppedError('Vercel', `${data.errorCode ?? 'ERROR'}: ${data.errorMessage ?? 'the build failed'}`, {
                action: 'build',
                hint: logs,
            });
        if (state === 'BLOCKED')
            return new BlockedError('Vercel', `deployment BLOCKED: ${data.readyStateReason ?? data.errorMessage ?? 'Vercel gave no reason'}`, { action: 'build', hint: logs });
        return new StoppedError('Vercel', `deployment ${state}`, { action: 'build' });
    }
    /**
     * A READY production deploy is live only if production serves it. After a rollback Vercel stops giving new
     * production deploys the production domains until a promote; such a deploy is promoted here, so a
     * `target: production` deploy is either live or fails — never recorded live while production serves another.
     */
    async takeProduction(release, deadline) {
        const live = (await this.project(deadline)).targets?.production;
        if ((live?.id ?? live?.uid) === release.id)
            return release;
        // With rolling releases on, the deployment is the canary of a rolling release: production serves it only in
        // part until the stages are approved, which deploy drives.
        const rolling = await this.rolling.state(deadline);
        if (rolling?.state === 'ACTIVE' && rolling.canaryId === release.id) {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: ${release.id} started a rolling release: it serves ${rolling.share} % of production traffic`);
            return release;
        }
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: ${release.id} is READY but production serves ${live?.id ?? live?.uid ?? 'nothing'} (automatic domain assignment is off after a rollback); promoting it`);
        await this.aliasJob('promote', release.id, deadline);
        return this.describe(release.id);
    }
    /** GET /v9/projects/{idOrName}: lastAliasRequest is a projection Vercel includes only with rollbackInfo=true. */
    async project(deadline) {
        const { status, data } = await this.call('GET', `/v9/projects/${encodeURIComponent(this.resolvedProjectId ?? this.config.project)}?rollbackInfo=true`, { label: 'get project', deadline });
        if (status >= 300)
            this.fail('get project', status, data);
        this.resolvedProjectId ??= data.id;
        return data;
    }
    /**
     * Asks for a promote or rollback and follows the project's alias job to `deploymentId` until it succeeds or
     * fails. The job is known as ours by being newer than the one before the request (an old job to the same
     * deployment, say from an earlier promote, must not count), without comparing clocks with Vercel's.
     */
    async aliasJob(kind, deploymentId, deadline) {
        const before = await this.project(deadline);
        const previous = before.lastAliasRequest;
        const path = kind === 'promote'
            ? `/v10/projects/${encodeURIComponent(before.id)}/promote/${encodeURIComponent(deploymentId)}`
            : `/v9/projects/${encodeURIComponent(before.id)}/rollback/${encodeURIComponent(deploymentId)}`;
        const isOurs = (job) => job?.toDeploymentId === deploymentId &&
            (!previous || job.requestedAt !== previous.requestedAt || job.toDeploymentId !== previous.toDeploymentId);
        const { status, data } = await this.call('POST', path, { label: kind, body: {}, idempotent: true, deadline });
        // A retried request whose first attempt was accepted (its answer lost) meets its own job: 409 "in progress".
        if (status === 409 && isOurs((await this.project(deadline)).lastAliasRequest))
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: the ${kind} of ${deploymentId} is already in progress`);
        else if (status >= 300)
            this.fail(kind, status, data);
        // 202: queued behind the project's active rolling release. `vercel promote` reports it and stops
        // (commands/promote/request-promote.ts): the promote starts only when that release completes, which no wait of ours
        // can bound, and then it goes live without us.
        if (status === 202)
            throw await this.queuedBehindRollingRelease(kind, deploymentId, before.id, deadline);
        for (;;) {
            const project = await this.project(deadline);
            // With rolling releases on, a promote starts a rolling release: followed as `vercel promote` follows it
            // (commands/promote/status.ts), by the rolling release's active stage rather than the alias job.
            if (kind === 'promote' && project.rollingRelease) {
                const rolling = await this.rolling.state(deadline);
                if (rolling?.state === 'ACTIVE' && rolling.canaryId === deploymentId) {
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Vercel: the promote of ${deploymentId} started a rolling release at ${rolling.share} % of production traffic`);
                    return;
                }
            }
            const job = project.lastAliasRequest;
            if (isOurs(job)) {
                if (job.jobStatus === 'succeeded')
                    return;
                if (job.jobStatus === 'failed')
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('Vercel', `the ${kind} job failed: production still serves ${project.targets?.production?.id ?? 'the previous deployment'}`, { action: kind });
                // Skipped: nothing to re-point, which is success only if production already serves it.
                if (job.jobStatus === 'skipped') {
                    if (project.targets?.production?.id === deploymentId)
                        return;
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('Vercel', `the ${kind} job was skipped and production serves ${project.targets?.production?.id ?? 'nothing'}`, { action: kind });
                }
            }
            if (ALIAS_POLL_MS > deadline.left()) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel ${kind} to ${deploymentId} did not finish before the deadline (job ${isOurs(job) ? job.jobStatus : status === 202 ? 'queued' : 'not started'})`);
            }
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .sleep */ .yy)(ALIAS_POLL_MS);
        }
    }
    /** What a promote answered 202 waits for, read as the CLI reads it (GET /v1/projects/{id}/rolling-release). */
    async queuedBehindRollingRelease(kind, deploymentId, projectId, deadline) {
        let behind = "the project's active rolling release";
        try {
            const { status, data } = await this.call('GET', `/v1/projects/${encodeURIComponent(projectId)}/rolling-release`, { label: 'get rolling release', deadline });
            const rolling = status < 300 ? data.rollingRelease : undefined;
            const canary = rolling?.canaryDeployment?.id;
            if (canary) {
                const share = rolling?.activeStage?.targetPercentage;
                behind = `the project's active rolling release of ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(canary)}${share === undefined ? '' : ` (serving ${share} % of production traffic)`}`;
            }
        }
        catch {
            // The sentence below holds without the rolling release's details.
        }
        return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel queued the ${kind} of ${deploymentId} (HTTP 202) behind ${behind}: it begins only when that rolling release completes successfully, so production does not serve ${deploymentId} now. ` +
            `This step does not wait for it; when it begins, ${deploymentId} goes live without this run's checks and without a ledger entry.`, {
            hint: `Finish the rolling release first (vercel rolling-release complete, or abort), then run the promote again: it records ${deploymentId} once production serves it.`,
        });
    }
    async promote(release, deadline) {
        await this.aliasJob('promote', release.id, deadline);
        return this.describe(release.id);
    }
    async rollback(to, deadline) {
        await this.checkHobbyRollback(to, deadline);
        await this.aliasJob('rollback', to.id, deadline);
        return this.describe(to.id);
    }
    /**
     * The account's plan: a team's billing.plan (GET /v2/teams/{id}); a personal account has no team, and the plan its
     * live production deployment was made under stands for it.
     */
    async plan(live, deadline) {
        if (this.config.team) {
            try {
                const { status, data } = await this.call('GET', `/v2/teams/${encodeURIComponent(this.config.team)}`, { label: 'get team', deadline });
                if (status < 300)
                    return data.billing?.plan ?? undefined;
            }
            catch {
                // The plan only lets us say Vercel's refusal in advance: a team we cannot read must not stop the rollback,
                // and Vercel's own 402 still says it.
            }
        }
        return live?.plan;
    }
    /**
     * On the Hobby plan Vercel rolls back only to the immediately previous production deployment ("To roll back further
     * than the previous production deployment, upgrade to pro": docs, "vercel rollback"; the API answers 402). Said
     * before anything is asked of Vercel, naming the one deployment it would accept.
     */
    async checkHobbyRollback(to, deadline) {
        const live = (await this.project(deadline)).targets?.production;
        if ((await this.plan(live, deadline)) !== 'hobby')
            return;
        const current = live ? this.toRelease(live) : undefined;
        if (current?.id === to.id)
            return;
        const previous = await this.previous(current);
        if (previous?.id === to.id)
            return;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Vercel's Hobby plan rolls back only to the immediately previous production deployment (${previous ? `${previous.id}${previous.sha ? `, commit ${previous.sha.slice(0, 12)}` : ''}` : 'there is none'}), and ${to.id} is not it: Vercel would refuse ("To roll back further than the previous production deployment, upgrade to pro"). Nothing was changed.`, {
            hint: previous
                ? `Roll back to ${previous.id} (target: previous), or promote ${to.id} (deploy action, command: promote, deployment-id: ${to.id}), or upgrade the Vercel team to Pro.`
                : `Promote ${to.id} (deploy action, command: promote, deployment-id: ${to.id}), or upgrade the Vercel team to Pro.`,
        });
    }
    async current() {
        const project = await this.project();
        const production = project.targets?.production;
        if (!production)
            return undefined;
        const release = this.toRelease(production);
        const job = project.lastAliasRequest;
        // A rollback job to the deployment production already served restored nothing: aborting a rolling release is
        // such a job (the rest of the traffic's deployment keeps all of it), and the canary it stopped was never live.
        if (job?.type === 'rollback' &&
            job.jobStatus === 'succeeded' &&
            job.toDeploymentId === release.id &&
            job.fromDeploymentId !== release.id)
            release.restoredFrom = job.fromDeploymentId;
        return release;
    }
    async productionHistory() {
        const { status, data } = await this.call('GET', `/v6/deployments?projectId=${encodeURIComponent(await this.projectId())}&target=production&state=READY&limit=100`, { label: 'list deployments' });
        if (status >= 300)
            this.fail('list deployments', status, data);
        return [...(data.deployments ?? [])].sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
    }
    async previous(current) {
        const history = await this.productionHistory();
        const candidate = history.find((d) => (d.uid ?? d.id) !== current?.id &&
            (current?.createdAt === undefined || (d.created ?? 0) < current.createdAt) &&
            servedProduction(d));
        return candidate ? this.toRelease(candidate) : undefined;
    }
    async describe(id) {
        const { status, data } = await this.call('GET', `/v13/deployments/${encodeURIComponent(id)}`, {
            label: 'get deployment',
        });
        if (status >= 300)
            this.fail(`get deployment ${id}`, status, data);
        return this.toRelease(data);
    }
    async findBySha(sha) {
        const match = (await this.productionHistory()).find((d) => servedProduction(d) && d.meta?.githubCommitSha?.startsWith(sha));
        return match ? this.toRelease(match) : undefined;
    }
    /**
     * Vercel deploys every push to the project's production branch to production when a Git repository is connected,
     * unless the vercel.json Vercel reads (in the project's root directory) turns Git deployments of that branch off.
     * That file is read from the workspace: the checkout of the commit being released.
     */
    async gitDeploys(branch) {
        const howToTurnOff = turnOffVercel(branch);
        const project = await this.project();
        const link = project.link;
        if (!link?.type)
            return { on: false, detail: `project ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(project.name)} has no Git repository connected`, howToTurnOff };
        const repository = (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(linkName(link));
        const production = link.productionBranch;
        if (production !== undefined && production !== branch) {
            return {
                on: false,
                detail: `connected to ${repository}, whose production branch is ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(production)}: a push to ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)} makes a preview, not a production deploy`,
                howToTurnOff,
            };
        }
        const file = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.config.workspace, project.rootDirectory ?? '', 'vercel.json');
        let config;
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file)) {
            try {
                config = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file, 'utf8'));
            }
            catch (error) {
                return {
                    on: true,
                    detail: `connected to ${repository} (production branch ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)}); ${file} is not valid JSON (${error.message}), so nothing turns Git deployments off`,
                    howToTurnOff,
                };
            }
        }
        const decided = deploymentEnabledBy(config, branch);
        if (decided && !decided.enabled)
            return {
                on: false,
                detail: `connected to ${repository} (production branch ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)}), but ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(decided.by)} turns Git deployments of ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)} off`,
                howToTurnOff,
            };
        const why = decided
            ? `${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(decided.by)} keeps them on`
            : (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file)
                ? 'vercel.json does not turn them off'
                : 'no vercel.json turns them off';
        return {
            on: true,
            detail: `project ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(project.name)} is connected to ${repository}: every push to ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_7__/* .inline */ .mG)(branch)} is deployed to production (${why})`,
            howToTurnOff,
        };
    }
    async assignAliases(release, aliases) {
        const assigned = [];
        for (const alias of aliases) {
            const { status, data } = await this.call('POST', `/v2/deployments/${encodeURIComponent(release.id)}/aliases`, { label: `alias ${alias}`, body: { alias }, idempotent: true });
            if (status >= 300)
                this.fail(`alias ${alias}`, status, data);
            assigned.push(`https://${data.alias ?? alias}`);
        }
        return assigned;
    }
}
/** How Vercel's Git deployments of a branch are turned off (https://vercel.com/docs/project-configuration/git-configuration). */
function turnOffVercel(branch) {
    return `Vercel project Settings → Git → Disconnect, or "git": {"deploymentEnabled": {${JSON.stringify(branch)}: false}} in vercel.json (https://vercel.com/docs/project-configuration/git-configuration)`;
}
/**
 * What vercel.json says about Git deployments of `branch`, as Vercel documents `git.deploymentEnabled`: `false` turns
 * them off for every branch; an object maps branch patterns (minimatch) to on/off, a branch no pattern matches is on,
 * and a branch that several patterns match is on if any of them says true. The deprecated `github.enabled: false`
 * turns them off too. undefined: the file does not decide (deployments stay on).
 */
function deploymentEnabledBy(config, branch) {
    const git = config?.git;
    const setting = git?.deploymentEnabled;
    if (typeof setting === 'boolean')
        return { enabled: setting, by: `vercel.json git.deploymentEnabled: ${setting}` };
    if (setting && typeof setting === 'object') {
        const matching = Object.entries(setting).filter(([pattern]) => pattern === branch || node_path__WEBPACK_IMPORTED_MODULE_2__.posix.matchesGlob(branch, pattern));
        if (matching.length === 0)
            return undefined;
        const on = matching.find(([, value]) => value === true);
        const [pattern, value] = on ?? matching[0];
        return { enabled: Boolean(on), by: `vercel.json git.deploymentEnabled ${JSON.stringify({ [pattern]: value })}` };
    }
    if (config?.github?.enabled === false)
        return { enabled: false, by: 'vercel.json github.enabled: false' };
    return undefined;
}
function linkName(link) {
    const name = link.projectNameWithNamespace ??
        ([link.org ?? link.owner, link.repo ?? link.slug].filter(Boolean).join('/') || 'a repository');
    return `${name} (${link.type})`;
}
function hintFor(code, status) {
    if (status === 401 || status === 403 || code === 'forbidden' || code === 'invalid_token')
        return "Check the Vercel token (input 'token') and that it has access to the project and team.";
    if (status === 404 || code === 'not_found')
        return "Check input 'project' (a project ID like prj_… or its name) and input 'team' for team projects.";
    if (code === 'alias_in_use' || code === 'not_domain_owner')
        return 'The alias belongs to another project or account.';
    if (status === 402)
        return 'The Vercel plan does not allow this (limits of the Hobby plan?).';
    if (status === 429)
        return 'Vercel rate limit (Hobby: 100 deployments a day).';
    return undefined;
}


/***/ })

};
