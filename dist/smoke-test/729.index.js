export const id = 729;
export const ids = [729];
export const modules = {

/***/ 19729:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ChecksProblems: () => (/* binding */ ChecksProblems),
/* harmony export */   checksFromDocument: () => (/* binding */ checksFromDocument)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38815);
/* harmony import */ var _shared_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(18573);
/* harmony import */ var _shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(71193);
/* harmony import */ var _checks_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(46217);
/* harmony import */ var _expectations_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(78623);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(51613);
/* harmony import */ var _thresholds_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4340);
/* harmony import */ var _shared_collections_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(99243);
// Checks documents (YAML or JSON, inline or a file): a list of checks, optional `defaults:` applied to each, an
// optional `base-url` for checks given by `path`, and overall `thresholds`. The action's inputs are the defaults
// below the document's own. Every problem is reported at once, with where it is, before any request is sent.
// Loaded only when a document is given: yaml is the largest thing the action uses.








/** Every problem found in a checks document. */
class ChecksProblems extends Error {
    problems;
    constructor(problems) {
        super(problems.join('\n'));
        this.problems = problems;
    }
}
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const TOP_KEYS = new Set(['base-url', 'defaults', 'checks', 'thresholds']);
const CHECK_KEYS = new Set([
    'name',
    'url',
    'path',
    'method',
    'headers',
    'body',
    'expect',
    'follow-redirects',
    'tls',
    'timeout',
    'samples',
    'thresholds',
]);
const EXPECT_KEYS = new Set(['status', 'json', 'contains', 'matches', 'max-latency', 'health', 'degraded']);
const ASSERTION_KEYS = new Set(['path', 'equals', 'one-of', 'exists', 'matches', 'lt', 'lte', 'gt', 'gte']);
const TLS_KEYS = new Set(['ca-file', 'insecure']);
/** Collects problems with their place in the document, and the environment values a document used. */
class DocumentReader {
    label;
    env;
    problems = [];
    secrets = [];
    constructor(label, env) {
        this.label = label;
        this.env = env;
    }
    /** A problem may quote what was written, in its place too (a key is the user's text): URL credentials starred out. */
    problem(where, message) {
        this.problems.push(`${this.label}: ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrls */ .sK)(`${where} ${message}`)}`);
    }
    unknownKeys(where, value, allowed) {
        for (const key of Object.keys(value))
            if (!allowed.has(key))
                this.problem(where ? `${where}.${key}` : key, `is not a known field (known: ${[...allowed].join(', ')})`);
    }
    /** `${NAME}` from the environment (a workflow's `env:`), so secrets need not be written into the file. */
    expand(where, text) {
        return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name) => {
            const value = this.env[name];
            if (value === undefined) {
                this.problem(where, `uses \${${name}}, which is not set in the environment (pass it with env: in the workflow)`);
                return whole;
            }
            if (value.length > 0)
                this.secrets.push(value);
            return value;
        });
    }
    string(where, value) {
        if (value === undefined)
            return undefined;
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
            return String(value);
        this.problem(where, `must be text, got ${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .cap */ .Np)((0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrls */ .sK)(JSON.stringify(value) ?? ''), 40)}`);
        return undefined;
    }
    stringList(where, value) {
        if (value === undefined)
            return undefined;
        const items = Array.isArray(value) ? value : [value];
        const texts = items.map((item, i) => this.string(Array.isArray(value) ? `${where}[${i}]` : where, item));
        return texts.every((t) => t !== undefined) ? texts : undefined;
    }
    duration(where, value) {
        const text = this.string(where, value);
        if (text === undefined)
            return undefined;
        const ms = (0,_shared_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E9)(text);
        // Up to 10 minutes, as the inputs allow: a longer timer would not hold (node fires one past 2^31 ms at once).
        if (ms === undefined || !(ms >= 1 && ms <= 600_000)) {
            this.problem(where, `must be a duration like 300ms, 5s or 2m, from 1ms to 10m, got '${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .cap */ .Np)(text, 40)}'`);
            return undefined;
        }
        return ms;
    }
    boolean(where, value) {
        if (value === undefined || typeof value === 'boolean')
            return value;
        this.problem(where, `must be true or false, got ${JSON.stringify(value)}`);
        return undefined;
    }
    number(where, value) {
        if (value === undefined || (typeof value === 'number' && Number.isFinite(value)))
            return value;
        this.problem(where, `must be a number, got ${JSON.stringify(value)}`);
        return undefined;
    }
    regex(where, value) {
        const text = this.string(where, value);
        if (text === undefined)
            return undefined;
        const literal = /^\/(.+)\/([dgimsuy]*)$/s.exec(text);
        try {
            return literal ? new RegExp(literal[1], literal[2].replace('g', '')) : new RegExp(text);
        }
        catch (error) {
            this.problem(where, `is not a valid regular expression (${error.message})`);
            return undefined;
        }
    }
}
/** The fields a check and `defaults:` share, applied over `into`. */
function applyFields(reader, where, raw, into) {
    const spec = { ...into, headers: { ...into.headers }, expect: { ...into.expect }, tls: { ...into.tls } };
    const method = reader.string(`${where}.method`, raw.method)?.toUpperCase();
    if (method !== undefined) {
        if (_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .METHODS */ .J8.includes(method))
            spec.method = method;
        else
            reader.problem(`${where}.method`, `must be one of ${_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .METHODS */ .J8.join(', ')}, got '${method}'`);
    }
    if (raw.headers !== undefined) {
        if (!isObject(raw.headers))
            reader.problem(`${where}.headers`, 'must be a map of header names to values');
        else
            for (const [name, value] of Object.entries(raw.headers)) {
                const text = reader.string(`${where}.headers.${name}`, value);
                if (text !== undefined)
                    spec.headers[name] = reader.expand(`${where}.headers.${name}`, text);
            }
    }
    if (raw.body !== undefined) {
        // A map or list is sent as JSON, with the content type to say so unless the check sets one.
        if (typeof raw.body === 'object' && raw.body !== null) {
            spec.body = reader.expand(`${where}.body`, JSON.stringify(raw.body));
            if (!Object.keys(spec.headers).some((h) => h.toLowerCase() === 'content-type'))
                spec.headers['content-type'] = 'application/json';
        }
        else {
            const text = reader.string(`${where}.body`, raw.body);
            if (text !== undefined)
                spec.body = reader.expand(`${where}.body`, text);
        }
    }
    const redirects = reader.boolean(`${where}.follow-redirects`, raw['follow-redirects']);
    if (redirects !== undefined)
        spec.followRedirects = redirects;
    const timeout = reader.duration(`${where}.timeout`, raw.timeout);
    if (timeout !== undefined)
        spec.timeoutMs = timeout;
    const samples = reader.number(`${where}.samples`, raw.samples);
    if (samples !== undefined) {
        if (Number.isInteger(samples) && samples >= 1 && samples <= 10_000)
            spec.samples = samples;
        else
            reader.problem(`${where}.samples`, `must be a whole number from 1 to 10000, got ${samples}`);
    }
    const thresholds = readThresholds(reader, `${where}.thresholds`, raw.thresholds);
    if (thresholds)
        spec.thresholds = thresholds;
    if (raw.tls !== undefined) {
        if (!isObject(raw.tls))
            reader.problem(`${where}.tls`, 'must be a map with ca-file and/or insecure');
        else {
            reader.unknownKeys(`${where}.tls`, raw.tls, TLS_KEYS);
            const caFile = reader.string(`${where}.tls.ca-file`, raw.tls['ca-file']);
            if (caFile !== undefined)
                spec.tls.caFile = caFile;
            const insecure = reader.boolean(`${where}.tls.insecure`, raw.tls.insecure);
            if (insecure !== undefined)
                spec.tls.insecure = insecure;
        }
    }
    if (raw.expect !== undefined) {
        if (!isObject(raw.expect))
            reader.problem(`${where}.expect`, 'must be a map (status, json, contains, matches, max-latency, health, degraded)');
        else
            spec.expect = readExpect(reader, `${where}.expect`, raw.expect, spec.expect);
    }
    return spec;
}
function readThresholds(reader, where, value) {
    const texts = reader.stringList(where, value);
    if (!texts)
        return undefined;
    const parsed = texts.map(_thresholds_js__WEBPACK_IMPORTED_MODULE_5__/* .parseThreshold */ .B7);
    texts.forEach((text, i) => {
        if (!parsed[i])
            reader.problem(`${where}[${i}]`, `must be ${_thresholds_js__WEBPACK_IMPORTED_MODULE_5__/* .THRESHOLD_FORM */ .Ho}, got '${text}'`);
    });
    return parsed.every(Boolean) ? parsed : undefined;
}
function readExpect(reader, where, raw, base) {
    reader.unknownKeys(where, raw, EXPECT_KEYS);
    const expect = { ...base };
    if (raw.status !== undefined) {
        const text = Array.isArray(raw.status) ? raw.status.map(String).join(',') : String(raw.status);
        const ranges = (0,_expectations_js__WEBPACK_IMPORTED_MODULE_3__/* .parseStatusList */ .AQ)(text);
        if (ranges)
            expect.status = ranges;
        else
            reader.problem(`${where}.status`, `must be ${_expectations_js__WEBPACK_IMPORTED_MODULE_3__/* .STATUS_FORM */ .ef}, got '${text}'`);
    }
    if (raw.json !== undefined) {
        const list = Array.isArray(raw.json) ? raw.json : [raw.json];
        expect.json = list
            .map((item, i) => readAssertion(reader, `${where}.json[${i}]`, item))
            .filter((a) => a !== undefined);
    }
    const contains = reader.stringList(`${where}.contains`, raw.contains);
    if (contains)
        expect.contains = contains;
    const matches = reader.stringList(`${where}.matches`, raw.matches);
    if (matches)
        expect.matches = matches
            .map((m, i) => reader.regex(`${where}.matches${Array.isArray(raw.matches) ? `[${i}]` : ''}`, m))
            .filter((r) => r !== undefined);
    const maxLatency = reader.duration(`${where}.max-latency`, raw['max-latency']);
    if (maxLatency !== undefined)
        expect.maxLatencyMs = maxLatency;
    if (raw.health !== undefined) {
        if (raw.health === 'auto' || raw.health === true)
            expect.health = 'auto';
        else if (raw.health === 'off' || raw.health === false)
            expect.health = 'off';
        else
            reader.problem(`${where}.health`, `must be auto or off, got ${JSON.stringify(raw.health)}`);
    }
    if (raw.degraded !== undefined) {
        if (raw.degraded === 'pass' || raw.degraded === 'fail')
            expect.degraded = raw.degraded;
        else
            reader.problem(`${where}.degraded`, `must be pass or fail, got ${JSON.stringify(raw.degraded)}`);
    }
    return expect;
}
function readAssertion(reader, where, raw) {
    if (!isObject(raw)) {
        reader.problem(where, 'must be a map like {path: $.status, equals: healthy}');
        return undefined;
    }
    reader.unknownKeys(where, raw, ASSERTION_KEYS);
    const pathText = reader.string(`${where}.path`, raw.path);
    const path = pathText === undefined ? undefined : (0,_expectations_js__WEBPACK_IMPORTED_MODULE_3__/* .parseJsonPath */ .Hf)(pathText);
    if (pathText === undefined)
        reader.problem(`${where}.path`, 'is required (a JSON path like $.checks.database.status)');
    else if (!path)
        reader.problem(`${where}.path`, `must be a JSON path like $.checks.database.status or $['db:latency'][0].status, got '${pathText}'`);
    const assertion = { path: path ?? [] };
    if ('equals' in raw)
        assertion.equals = raw.equals;
    if (raw['one-of'] !== undefined) {
        if (Array.isArray(raw['one-of']))
            assertion.oneOf = raw['one-of'];
        else
            reader.problem(`${where}.one-of`, 'must be a list of values');
    }
    const exists = reader.boolean(`${where}.exists`, raw.exists);
    if (exists !== undefined)
        assertion.exists = exists;
    const matches = reader.regex(`${where}.matches`, raw.matches);
    if (matches)
        assertion.matches = matches;
    for (const key of ['lt', 'lte', 'gt', 'gte']) {
        const limit = reader.number(`${where}.${key}`, raw[key]);
        if (limit !== undefined)
            assertion[key] = limit;
    }
    const hasTest = ['equals', 'one-of', 'exists', 'matches', 'lt', 'lte', 'gt', 'gte'].some((k) => k in raw);
    if (!hasTest)
        reader.problem(where, 'needs a test: equals, one-of, exists, matches, lt, lte, gt or gte');
    return path ? assertion : undefined;
}
/** Compiles a checks document; throws ChecksProblems listing every problem found. */
function checksFromDocument(source, inputs, env = process.env) {
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(source.text, { lineCounter });
    const syntaxError = doc.errors[0];
    if (syntaxError) {
        // Only the first: the parser's later errors are mostly echoes of it.
        const pos = syntaxError.linePos?.[0];
        const what = syntaxError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        // The parser's message quotes the document: URL credentials in it are starred out, as in every problem.
        throw new ChecksProblems([
            `${source.label}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML or JSON (${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrls */ .sK)(what)})`,
        ]);
    }
    let root;
    try {
        // An alias to no anchor (`*a`) or a billion-laughs expansion parse without errors and throw here.
        root = doc.toJS({ maxAliasCount: 100 });
    }
    catch (error) {
        throw new ChecksProblems([
            `${source.label}: not valid YAML or JSON (${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrls */ .sK)(error.message.split('\n')[0])})`,
        ]);
    }
    const reader = new DocumentReader(source.label, env);
    const rawChecks = Array.isArray(root) ? root : isObject(root) ? root.checks : undefined;
    const top = isObject(root) ? root : {};
    if (isObject(root))
        reader.unknownKeys('', root, TOP_KEYS);
    if (!Array.isArray(rawChecks) || rawChecks.length === 0) {
        reader.problem('checks', 'must be a non-empty list of checks (each with url or path)');
        throw new ChecksProblems(reader.problems);
    }
    const baseUrlText = reader.string('base-url', top['base-url']);
    const baseUrl = baseUrlText !== undefined ? reader.expand('base-url', baseUrlText) : inputs['base-url'];
    let defaults = (0,_checks_js__WEBPACK_IMPORTED_MODULE_6__/* .baseCheck */ .Sw)(inputs);
    if (top.defaults !== undefined) {
        if (!isObject(top.defaults))
            reader.problem('defaults', 'must be a map of check fields');
        else {
            reader.unknownKeys('defaults', top.defaults, new Set([...CHECK_KEYS].filter((k) => !['name', 'url', 'path'].includes(k))));
            defaults = applyFields(reader, 'defaults', top.defaults, defaults);
        }
    }
    const overall = readThresholds(reader, 'thresholds', top.thresholds) ?? inputs['overall-thresholds'];
    const checks = [];
    rawChecks.forEach((raw, i) => {
        const where = `checks[${i}]`;
        if (!isObject(raw))
            return reader.problem(where, 'must be a map with url or path');
        reader.unknownKeys(where, raw, CHECK_KEYS);
        const url = readCheckUrl(reader, where, raw, baseUrl);
        const spec = applyFields(reader, where, raw, defaults);
        const name = reader.string(`${where}.name`, raw.name);
        if (!url)
            return;
        const node = doc.getIn(Array.isArray(root) ? [i] : ['checks', i], true);
        const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
        checks.push({
            ...spec,
            name: name ?? `${spec.method === 'GET' ? '' : `${spec.method} `}${(0,_checks_js__WEBPACK_IMPORTED_MODULE_6__/* .nameFor */ .Fe)(url, false)}`,
            url,
            ...(source.file && pos ? { source: { file: source.file, line: pos.line, column: pos.col } } : {}),
        });
    });
    if (reader.problems.length > 0)
        throw new ChecksProblems(reader.problems);
    const secrets = [...reader.secrets];
    for (const check of checks) {
        for (const [header, value] of Object.entries(check.headers))
            if (value && (0,_expectations_js__WEBPACK_IMPORTED_MODULE_3__/* .isSecretHeader */ .io)(header))
                secrets.push(value);
        (0,_shared_collections_js__WEBPACK_IMPORTED_MODULE_7__/* .appendAll */ .u2)(secrets, (0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .secretsIn */ .VY)(check.url.href));
    }
    return { checks: (0,_checks_js__WEBPACK_IMPORTED_MODULE_6__/* .uniqueNames */ .uZ)(checks), overallThresholds: overall, secrets };
}
function readCheckUrl(reader, where, raw, baseUrl) {
    const urlText = reader.string(`${where}.url`, raw.url);
    const pathText = reader.string(`${where}.path`, raw.path);
    if (urlText !== undefined && pathText !== undefined) {
        reader.problem(where, 'has both url and path: give one');
        return undefined;
    }
    if (urlText === undefined && pathText === undefined) {
        reader.problem(where, 'needs url (a full URL) or path (relative to base-url)');
        return undefined;
    }
    if (pathText !== undefined && !baseUrl) {
        reader.problem(`${where}.path`, "needs a base-url: set base-url in the document or the input 'base-url'");
        return undefined;
    }
    const text = urlText !== undefined ? reader.expand(`${where}.url`, urlText) : reader.expand(`${where}.path`, pathText);
    const field = urlText !== undefined ? `${where}.url` : `${where}.path`;
    // What was written (before ${NAME} expansion, so no environment secret), with any URL credentials starred out.
    const written = `'${(0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .cap */ .Np)((0,_shared_sanitise_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrls */ .sK)(urlText ?? pathText ?? ''), 60)}'`;
    let url;
    try {
        url = urlText !== undefined ? new URL(text) : (0,_checks_js__WEBPACK_IMPORTED_MODULE_6__/* .joinUrl */ .we)(baseUrl, text);
    }
    catch {
        reader.problem(field, `must be an http(s) URL${pathText !== undefined ? ' path' : ''}, got ${written}`);
        return undefined;
    }
    const problem = (0,_shared_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .urlProblem */ .rn)(url.href, `an http(s) URL${pathText !== undefined ? ' path' : ''}`);
    if (problem !== undefined) {
        reader.problem(field, `${problem}, got ${written}`);
        return undefined;
    }
    return url;
}


/***/ })

};
