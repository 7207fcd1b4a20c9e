export const id = 645;
export const ids = [645];
export const modules = {

/***/ 9243:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nQ: () => (/* binding */ largest),
/* harmony export */   o9: () => (/* binding */ smallest),
/* harmony export */   u2: () => (/* binding */ appendAll)
/* harmony export */ });
/* unused harmony export nestingDepth */
// Loops for lists whose length outside input decides (a migration file's statements, a health document's
// components, a watch's samples): `target.push(...items)` and `Math.max(...values)` pass every item as an argument,
// and past about 120,000 of them that overflows the stack (RangeError) whatever the memory.
/** Appends every item to `target`, one at a time. */
function appendAll(target, items) {
    for (const item of items)
        target.push(item);
    return target;
}
/** The largest of `values`, or `floor` when it is larger or there are none. */
function largest(values, floor = -Infinity) {
    let max = floor;
    for (const value of values)
        if (value > max)
            max = value;
    return max;
}
/** The smallest of `values`, or `ceiling` when it is smaller or there are none. */
function smallest(values, ceiling = Infinity) {
    let min = ceiling;
    for (const value of values)
        if (value < min)
            min = value;
    return min;
}
/**
 * How deeply arrays and objects nest in a parsed JSON value, counted without recursion (JSON.parse reads any depth,
 * but a recursive walk, JSON.stringify among them, overflows the stack near 10,000 levels). Stops counting past
 * `limit`: the answer is then `limit + 1`, whatever the real depth.
 */
function nestingDepth(value, limit) {
    let deepest = 0;
    const pending = [[value, 1]];
    while (pending.length > 0) {
        const [item, depth] = pending.pop();
        if (item === null || typeof item !== 'object')
            continue;
        if (depth > deepest)
            deepest = depth;
        if (deepest > limit)
            return limit + 1;
        for (const child of Object.values(item))
            if (child !== null && typeof child === 'object')
                pending.push([child, depth + 1]);
    }
    return deepest;
}


/***/ }),

/***/ 1645:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SupabaseFunctionsProvider: () => (/* binding */ SupabaseFunctionsProvider)
/* harmony export */ });
/* unused harmony export readFunctionSettings */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var smol_toml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3292);
/* harmony import */ var _concurrency_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8837);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9096);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2798);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8365);
/* harmony import */ var _collections_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9243);
// Supabase Edge Functions through the Management API, as `supabase functions deploy --use-api` does it: each
// function's sources — the files its entrypoint reaches through its imports, plus its import map and static_files —
// go in a multipart request (a `metadata` part and one `file` part per file), with verify_jwt, the entrypoint and
// the import map taken from supabase/config.toml. Several functions are bundled first (`bundleOnly=true`) and then
// activated together by one bulk update, so a release goes live whole or not at all. Supabase keeps no release
// history to roll back to, so a rollback redeploys the sources of the earlier release, taken from git at that
// release's commit (the ledger's sha).










/** The [functions.<name>] tables of supabase/config.toml (a TOML parser, so any valid TOML reads as the CLI reads it). */
function readFunctionSettings(configToml, file = 'supabase/config.toml') {
    let config;
    try {
        config = (0,smol_toml__WEBPACK_IMPORTED_MODULE_3__/* .parse */ .qg)(configToml);
    }
    catch (error) {
        const at = error instanceof smol_toml__WEBPACK_IMPORTED_MODULE_3__/* .TomlError */ .zx ? `:${error.line}:${error.column}` : '';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`${file}${at} is not valid TOML: ${error.message.split('\n')[0]}`, {
            cause: error,
        });
    }
    const settings = new Map();
    const functions = isTable(config.functions) ? config.functions : {};
    for (const [name, table] of Object.entries(functions)) {
        if (!isTable(table))
            continue;
        const entry = { enabled: table.enabled !== false, staticFiles: [] };
        if (typeof table.verify_jwt === 'boolean')
            entry.verifyJwt = table.verify_jwt;
        if (typeof table.import_map === 'string')
            entry.importMap = table.import_map;
        if (typeof table.entrypoint === 'string')
            entry.entrypoint = table.entrypoint;
        if (Array.isArray(table.static_files))
            entry.staticFiles = table.static_files.filter((f) => typeof f === 'string');
        settings.set(name, entry);
    }
    return settings;
}
function isTable(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
const posix = (p) => p.split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
/** The import paths in a source file: the CLI's own pattern (static imports, re-exports and dynamic imports). */
const IMPORT_PATTERN = /(?:import|export)\s+(?:type\s+)?(?:{[^{}]+}|.*?)\s*(?:from)?\s*['"](.*?)['"]|import\(\s*['"](.*?)['"]\)/gi;
/** A local path in an import map, resolved against the map's folder as the CLI does (`./` kept for relative). */
function resolveMapTarget(mapPath, target) {
    if (target.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(target))
        return target;
    let resolved = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.dirname(mapPath), target);
    if (target.endsWith('/'))
        resolved += '/';
    return resolved.startsWith('/') ? resolved : `./${resolved}`;
}
/** JSON with comments (deno.jsonc): comments outside strings removed. */
function parseJsonc(text) {
    return JSON.parse(text
        .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str) => str ?? '')
        .replace(/,(\s*[}\]])/g, '$1'));
}
/** A local path (not a URL, npm:, jsr: or bare specifier) of an import map. */
const isLocal = (target) => target.startsWith('./') || target.startsWith('../') || target.startsWith('/');
/**
 * The files of one function, found as `supabase functions deploy --use-api` (2.117) finds them: the import map
 * (and the map a deno.json points to), the static files, every local module reachable from the entrypoint through
 * imports, and the local targets of the import map (a folder target with all its files). Paths are relative to
 * the project root, with /; `absolutePath` is the real file to read.
 *
 * Nothing outside the project root is read. A path that climbs out of it (an import or import-map target with
 * `../` too many, a static_files pattern starting with `../`) is refused, naming it: the CLI reads through an
 * fs.FS rooted at the project (afero.NewIOFS), whose Open refuses such a path (fs.ValidPath), so its deploy
 * fails too (pkg/function/deploy.go writeForm). A link on the way whose target is outside the root is refused,
 * naming the link: the CLI's OS file system would follow it and upload what it points at.
 */
function functionFiles(root, entrypoint, importMapPath, staticPatterns) {
    const files = new Map();
    const missing = [];
    /** A path under the root as a file to read, or why not: refused when it leaves the root, undefined when absent. */
    const locate = (p, what) => {
        const found = (0,_files_js__WEBPACK_IMPORTED_MODULE_7__/* .resolveUnderRoot */ .Hy)(root, p);
        if (found.kind === 'leaves')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`${what} ${p} is outside ${root}: refused`, {
                hint: 'Only files inside the project root (input dir) are uploaded: move the file inside it.',
            });
        if (found.kind === 'link')
            throw (0,_files_js__WEBPACK_IMPORTED_MODULE_7__/* .outsideLinkError */ .ud)(root, found.link, `${what} ${p}: `);
        return found.kind === 'missing' ? undefined : found;
    };
    const add = (file) => {
        if (!files.has(file.path))
            files.set(file.path, file.absolutePath);
    };
    const filesUnder = (dir, what) => {
        try {
            return (0,_files_js__WEBPACK_IMPORTED_MODULE_7__/* .filesUnderRoot */ .y9)(root, { from: dir }).files;
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`${what}: ${error.message}`, { hint: error.hint });
            throw error;
        }
    };
    const map = { imports: [] };
    const targets = [];
    const load = (mapPath) => {
        const found = locate(mapPath, 'Import map');
        if (!found || found.isDirectory)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Import map ${mapPath} does not exist`);
        const data = parseJsonc((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(found.realPath, 'utf8'));
        add({ path: found.path, absolutePath: found.realPath });
        map.imports = Object.entries(data.imports ?? {}).map(([k, v]) => [k, resolveMapTarget(mapPath, v)]);
        for (const scope of Object.values(data.scopes ?? {}))
            (0,_collections_js__WEBPACK_IMPORTED_MODULE_8__/* .appendAll */ .u2)(targets, Object.values(scope).map((v) => resolveMapTarget(mapPath, v)));
        (0,_collections_js__WEBPACK_IMPORTED_MODULE_8__/* .appendAll */ .u2)(targets, map.imports.map(([, v]) => v));
        return data;
    };
    if (importMapPath) {
        const data = load(importMapPath);
        // A deno.json with no imports of its own may point to an import map file.
        if (/^deno\.jsonc?$/i.test(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.basename(importMapPath)) && !data.imports && !data.scopes && data.importMap)
            load(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.dirname(importMapPath), data.importMap));
    }
    for (const pattern of staticPatterns) {
        const matches = globFiles(root, pattern, locate, filesUnder);
        if (matches.length === 0)
            missing.push(pattern);
        matches.forEach(add);
    }
    const seen = new Set();
    const walk = (start, from) => {
        const queue = [[start, from]];
        while (queue.length > 0) {
            const [current, importer] = queue.pop();
            if (seen.has(current))
                continue;
            seen.add(current);
            const found = locate(current, importer);
            if (!found || found.isDirectory) {
                missing.push(current);
                continue;
            }
            add({ path: found.path, absolutePath: found.realPath });
            for (const match of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(found.realPath, 'utf8').matchAll(IMPORT_PATTERN)) {
                let mod = (match[1] || match[2] || '').trim();
                let substituted = false;
                for (const [key, target] of map.imports) {
                    if (mod.startsWith(key)) {
                        mod = target + mod.slice(key.length);
                        substituted = true;
                    }
                }
                // URLs, bare specifiers (npm:, jsr:) and directories are not files of the function.
                if (!node_path__WEBPACK_IMPORTED_MODULE_2__.posix.extname(mod))
                    continue;
                const relativeImport = mod.startsWith('./') || mod.startsWith('../');
                if (!relativeImport && !mod.startsWith('/'))
                    continue;
                if (relativeImport && !substituted)
                    mod = node_path__WEBPACK_IMPORTED_MODULE_2__.posix.join(node_path__WEBPACK_IMPORTED_MODULE_2__.posix.dirname(current), mod);
                queue.push([node_path__WEBPACK_IMPORTED_MODULE_2__.posix.normalize(mod), `Import in ${current}:`]);
            }
        }
    };
    walk(entrypoint, 'Entrypoint');
    // The CLI also uploads what the import map points to locally: a folder with every file in it, a file with
    // what it imports, so a module reached only through a mapped specifier at run time is still there.
    for (const target of targets.filter(isLocal).map((t) => node_path__WEBPACK_IMPORTED_MODULE_2__.posix.normalize(t))) {
        const found = locate(target, 'Import map target');
        if (!found)
            continue;
        if (found.isDirectory)
            filesUnder(target, `Import map target ${target}`).forEach(add);
        else
            walk(target, 'Import map target');
    }
    return { files: [...files].map(([p, absolutePath]) => ({ path: p, absolutePath })), missing };
}
/** Files under the root matching a glob pattern the way Go's fs.Glob does: * and ? within one path segment. */
function globFiles(root, pattern, locate, filesUnder) {
    const clean = pattern.replace(/^\.\//, '');
    const what = `static_files entry ${pattern}`;
    const segments = clean.split('/');
    const firstGlob = segments.findIndex((seg) => /[*?[]/.test(seg));
    if (firstGlob === -1) {
        const found = locate(clean, 'static_files entry');
        return found && !found.isDirectory ? [{ path: found.path, absolutePath: found.realPath }] : [];
    }
    // As the CLI's pattern: ** crosses folders, * and ? stay within one.
    const regex = new RegExp(`^${clean.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*\*|\*|\?/g, (m) => (m === '**' ? '.*' : m === '*' ? '[^/]*' : '[^/]'))}$`);
    const start = segments.slice(0, firstGlob).join('/');
    const found = locate(start, 'static_files entry');
    if (!found || !found.isDirectory)
        return [];
    return filesUnder(found.path, what).filter((f) => regex.test(f.path));
}
class SupabaseFunctionsProvider {
    config;
    name = 'supabase-functions';
    apiUrl;
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://api.supabase.com').replace(/\/$/, '');
    }
    functionsUrl() {
        return `https://${this.config.project}.supabase.co/functions/v1`;
    }
    /** The functions to deploy from a project root: the `functions` input, or every folder not starting with _ or . */
    functionNames(root) {
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'supabase', 'functions');
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(dir))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`No supabase/functions folder under ${root}`, {
                hint: "Input 'dir' is the Supabase project root (the folder holding supabase/).",
            });
        const all = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
            .map((e) => e.name)
            .sort();
        const wanted = this.config.functions ?? [];
        const unknown = wanted.filter((name) => !all.includes(name));
        if (unknown.length > 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Input 'functions': no function ${unknown.join(', ')} under supabase/functions (found: ${all.join(', ') || 'none'})`);
        return wanted.length > 0 ? wanted : all;
    }
    /** What the CLI sends for one function: its metadata part and its files (paths relative to the project root). */
    prepare(root, name, settings) {
        const rel = (p) => posix((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, p));
        const supabaseDir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'supabase');
        const functionDir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(supabaseDir, 'functions', name);
        const entrypoint = settings?.entrypoint
            ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(supabaseDir, settings.entrypoint)
            : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(functionDir, (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(functionDir, 'index.ts')) ? 'index.ts' : 'index.js');
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(entrypoint))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Function ${name}: entrypoint ${rel(entrypoint)} does not exist`);
        // Precedence as the CLI's: config.toml, then deno.json / deno.jsonc / import_map.json beside the entrypoint,
        // then the global supabase/functions/import_map.json.
        const entryDir = settings?.entrypoint ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(entrypoint, '..') : functionDir;
        const importMap = settings?.importMap
            ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(supabaseDir, settings.importMap)
            : [
                ...['deno.json', 'deno.jsonc', 'import_map.json'].map((f) => (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(entryDir, f)),
                (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(supabaseDir, 'functions', 'import_map.json'),
            ].find((f) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(f));
        if (importMap && !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(importMap))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Function ${name}: import map ${rel(importMap)} does not exist`);
        const staticPatterns = (settings?.staticFiles ?? []).map((pattern) => rel((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(supabaseDir, pattern)));
        const { files, missing } = functionFiles(root, rel(entrypoint), importMap ? rel(importMap) : undefined, staticPatterns);
        for (const path of missing)
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .warning */ .$e)(`Function ${name}: ${path} is imported or listed in static_files but does not exist; it is not uploaded`);
        return {
            metadata: {
                name,
                ...(settings?.verifyJwt === undefined ? {} : { verify_jwt: settings.verifyJwt }),
                entrypoint_path: rel(entrypoint),
                import_map_path: importMap ? rel(importMap) : '',
                static_patterns: staticPatterns,
            },
            files,
        };
    }
    async send(label, url, init) {
        // Bundling the same sources again only makes another unused version, and the bulk update names exact versions:
        // both requests may be repeated.
        const answer = await (0,_http_js__WEBPACK_IMPORTED_MODULE_5__/* .requestJson */ .SS)(url, {
            label: `Supabase ${label}`,
            method: init.method,
            headers: {
                authorization: `Bearer ${this.config.token}`,
                ...(init.json ? { 'content-type': 'application/json' } : {}),
            },
            body: init.body,
            idempotent: true,
            timeoutMs: init.timeoutMs ?? 120_000,
            // The uploads of a deploy end by its deadline, retries included: a hanging API cannot stretch the step.
            deadline: this.deadline,
        }, {
            provider: 'Supabase',
            action: 'functions deploy',
            emptyIsObject: false,
            errorMessage: (data, status) => status >= 300
                ? `${label.replace(/^deploy of function /, '')}: ${data?.message ?? `HTTP ${status}`}`
                : undefined,
            hint: (status) => hintFor(status),
        });
        return answer.data;
    }
    /** POST …/functions/deploy: with bundleOnly the version is bundled but not yet serving. */
    async upload(name, prepared, bundleOnly) {
        const form = new FormData();
        form.append('metadata', JSON.stringify(prepared.metadata));
        let bytes = 0;
        for (const file of prepared.files) {
            const content = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file.absolutePath);
            bytes += content.length;
            form.append('file', new Blob([content]), file.path);
        }
        const query = `slug=${encodeURIComponent(name)}${bundleOnly ? '&bundleOnly=true' : ''}`;
        const data = await this.send(`deploy of function ${name}`, `${this.projectUrl()}/functions/deploy?${query}`, { method: 'POST', body: form });
        return { ...data, bytes };
    }
    projectUrl() {
        return `${this.apiUrl}/v1/projects/${encodeURIComponent(this.config.project)}`;
    }
    service(fn, name) {
        const slug = fn.slug ?? name;
        return {
            service: slug,
            name,
            id: `${slug}@v${fn.version}`,
            url: `${this.functionsUrl()}/${slug}`,
            state: fn.status,
        };
    }
    /** The deadline of the deploy or rollback under way (on the monotonic clock), which every request is cut to. */
    deadline;
    async deploy(spec, deadline) {
        if (deadline)
            this.deadline = deadline;
        const started = Date.now();
        const configPath = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(spec.dir, 'supabase', 'config.toml');
        const settings = readFunctionSettings((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(configPath) ? (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(configPath, 'utf8') : '', configPath);
        const names = this.functionNames(spec.dir).filter((name) => {
            if (settings.get(name)?.enabled !== false)
                return true;
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: skipping ${name} (enabled = false in config.toml)`);
            return false;
        });
        if (names.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0('No function to deploy: every function is disabled in supabase/config.toml');
        // Every function's files are found before anything is sent: a missing entrypoint stops the release whole.
        const prepared = new Map(names.map((name) => [name, this.prepare(spec.dir, name, settings.get(name))]));
        let deployed;
        if (names.length === 1) {
            const name = names[0];
            deployed = [{ ...(await this.upload(name, prepared.get(name), false)), name }];
        }
        else {
            // As the CLI: bundle each function without activating it, then activate them all with one bulk update.
            const bundled = await (0,_concurrency_js__WEBPACK_IMPORTED_MODULE_9__/* .mapLimit */ .s)(names, 4, async (name) => ({
                ...(await this.upload(name, prepared.get(name), true)),
                name,
            }));
            const body = bundled.map((b) => ({
                id: b.id,
                name: b.name,
                slug: b.slug,
                version: b.version,
                entrypoint_path: b.entrypoint_path,
                import_map: b.import_map,
                import_map_path: b.import_map_path,
                verify_jwt: b.verify_jwt,
                status: b.status,
                created_at: b.created_at,
            }));
            const updated = await this.send('bulk update of functions', `${this.projectUrl()}/functions`, { method: 'PUT', body: JSON.stringify(body), json: true });
            deployed = bundled.map((b) => ({ ...b, ...updated.functions?.find((f) => f.slug === b.slug) }));
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${names.join(', ')} activated together`);
        }
        for (const fn of deployed) {
            if (fn.status !== 'ACTIVE')
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', `${fn.name} is ${fn.status ?? 'not active'} after deploy`, {
                    action: 'functions deploy',
                });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${fn.name} deployed as version ${fn.version} (verify_jwt ${fn.verify_jwt ?? 'unchanged'}, ${prepared.get(fn.name)?.files.length} files)`);
        }
        const release = {
            provider: this.name,
            id: spec.git.sha,
            sha: spec.git.sha,
            url: this.functionsUrl(),
            target: 'production',
            state: 'ACTIVE',
            createdAt: Date.now(),
            sourcePath: await this.sourcePath(spec.dir),
            services: deployed.map((fn) => this.service(fn, fn.name)),
        };
        spec.onCreated?.(release);
        const files = [...prepared.values()].reduce((n, p) => n + p.files.length, 0);
        const stats = { files, uploaded: files, uploadedBytes: deployed.reduce((n, d) => n + d.bytes, 0), hashMs: 0 };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase: ${names.length} function(s) deployed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return { release, upload: stats };
    }
    /** The project root's path inside its git repository ('' at the top), so a rollback finds it at another commit. */
    async sourcePath(dir) {
        try {
            return posix((await tool('git', ['-C', dir, 'rev-parse', '--show-prefix'])).trim()).replace(/\/$/, '');
        }
        catch {
            return '';
        }
    }
    /** The supabase/ folder as it was at `sha`, checked out from git into a temporary folder. */
    async checkout(sha, sourcePath, deadline) {
        const repo = (await tool('git', ['-C', this.config.workspace, 'rev-parse', '--show-toplevel'])).trim();
        const git = (args) => tool('git', ['-C', repo, ...args]);
        try {
            await git(['cat-file', '-e', `${sha}^{commit}`]);
        }
        catch {
            // A shallow checkout (actions/checkout's default) lacks older commits: fetch just that one.
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`git: fetching ${sha} (not in this checkout)`);
            // Never a credential prompt (it would wait for ever), and a transfer that stalls is given up by git itself:
            // @actions/exec has no timeout of its own.
            const stall = String(Math.max(5, Math.min(60, Math.floor((deadline?.left() ?? 60_000) / 1000))));
            const env = {
                GIT_TERMINAL_PROMPT: '0',
                GIT_HTTP_LOW_SPEED_LIMIT: '1',
                GIT_HTTP_LOW_SPEED_TIME: stall,
                ...gitAuthEnv(this.config.git),
            };
            await tool('git', ['-C', repo, 'fetch', '--depth=1', 'origin', sha], env);
        }
        const out = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), 'shipline-functions-'));
        const archive = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(out, 'sources.tar');
        const prefix = sourcePath ? `${sourcePath}/supabase` : 'supabase';
        await git(['archive', '--format=tar', '-o', archive, sha, prefix]);
        await tool('tar', ['-xf', archive, '-C', out]);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(archive);
        return sourcePath ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(out, sourcePath) : out;
    }
    async rollback(to, deadline) {
        if (!to.sha)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`Release ${to.id} records no commit: its sources cannot be redeployed`);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .info */ .pq)(`Supabase keeps no earlier function versions to switch back to: redeploying the sources of ${to.sha.slice(0, 12)}.`);
        const dir = await this.checkout(to.sha, to.sourcePath ?? '', deadline);
        try {
            const { release } = await this.deploy({
                dir,
                target: 'production',
                staged: false,
                git: { sha: to.sha, ref: '' },
                idempotencyKey: `rollback-${to.sha}`,
            }, deadline);
            return release;
        }
        finally {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
        }
    }
    promote() {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ProviderError */ .mZ('Supabase', 'Edge Functions go live when deployed; there is no staged release to promote', {
            action: 'promote',
        });
    }
    /** Supabase records function versions, not which commit they came from: the ledger knows what is live. */
    async current() {
        return undefined;
    }
    async previous() {
        return undefined;
    }
    async describe(id) {
        if (!/^[0-9a-f]{7,40}$/i.test(id))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`A Supabase functions release is named by its commit SHA, got '${id}'`);
        return { provider: this.name, id, sha: id, url: this.functionsUrl(), target: 'production' };
    }
    async findBySha(sha) {
        return this.describe(sha);
    }
}
function hintFor(status) {
    if (status === 401 || status === 403)
        return "Check the Supabase access token (input 'token', sbp_…) and its access to the project.";
    if (status === 404)
        return "Check input 'project' (the project ref, from the dashboard URL).";
    return undefined;
}
/**
 * The job's token for this one git command, as actions/checkout sends it (an AUTHORIZATION header for GitHub's URL
 * only), through git's GIT_CONFIG_COUNT/KEY/VALUE environment: a private repository's fetch works after a checkout
 * with persist-credentials: false, and nothing reaches .git/config, the command line or the log (the header value
 * is masked).
 */
function gitAuthEnv(git, env = process.env) {
    if (!git?.token || !git.serverUrl)
        return {};
    const basic = Buffer.from(`x-access-token:${git.token}`, 'utf8').toString('base64');
    (0,_runner_js__WEBPACK_IMPORTED_MODULE_6__/* .setSecret */ .Pq)(basic);
    // Entries an outer environment already gives git stay; ours come after them. The empty value first clears the
    // headers read so far (a checkout that persisted an older token), so that exactly one AUTHORIZATION is sent.
    const index = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
    const key = `http.${git.serverUrl.replace(/\/+$/, '')}/.extraheader`;
    return {
        GIT_CONFIG_COUNT: String(index + 2),
        [`GIT_CONFIG_KEY_${index}`]: key,
        [`GIT_CONFIG_VALUE_${index}`]: '',
        [`GIT_CONFIG_KEY_${index + 1}`]: key,
        [`GIT_CONFIG_VALUE_${index + 1}`]: `AUTHORIZATION: basic ${basic}`,
    };
}
/**
 * Runs git or tar through @actions/exec, output captured and not printed; a failure is a sentence with the tool's
 * own first line of complaint.
 */
async function tool(command, args, env) {
    const { getExecOutput } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 2876));
    const result = await getExecOutput(command, args, {
        silent: true,
        ignoreReturnCode: true,
        env: env && { ...process.env, ...env },
    });
    if (result.exitCode !== 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ShiplineError */ .J0(`${command} ${args
            .filter((a) => !a.startsWith('-'))
            .slice(0, 2)
            .join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n')[0] ?? ''}`);
    return result.stdout;
}


/***/ })

};
