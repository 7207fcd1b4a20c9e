export const id = 346;
export const ids = [346];
export const modules = {

/***/ 7346:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
;// CONCATENATED MODULE: ./shared/workspace.ts
// The folder a step works in, on its own so that an action needing only this does not load @actions/github (and
// the HTTP client under it) just to read one variable: GITHUB_WORKSPACE as the runner sets it, else the current
// directory (a terminal run). run-context.ts reads it from here too.
function workspaceOf(env = process.env) {
    return env.GITHUB_WORKSPACE || process.cwd();
}

;// CONCATENATED MODULE: ./shared/run-context.ts
// What the runner tells a step about the run it is part of, as @actions/github's `context` reads it (the GITHUB_*
// variables and the event payload at GITHUB_EVENT_PATH), mapped to the names shipline's summaries and messages
// use. Three variables the context does not carry come from the environment: GITHUB_WORKSPACE, GITHUB_HEAD_REF and
// GITHUB_REF_NAME.



function repository() {
    try {
        const { owner, repo } = github/* context */._.repo;
        return `${owner}/${repo}`;
    }
    catch {
        return ''; // neither GITHUB_REPOSITORY nor a repository in the payload: a terminal run outside a clone
    }
}
const run_context_text = (n) => (Number.isFinite(n) ? String(n) : '');
function readRunContext(env = process.env) {
    const serverUrl = github/* context */._.serverUrl;
    const repo = repository();
    const event = github/* context */._.payload;
    const pr = (event.pull_request ?? undefined);
    const sha = pr?.head?.sha ?? github/* context */._.sha ?? '';
    const runId = run_context_text(github/* context */._.runId);
    const headCommitMessage = event.head_commit?.message ?? undefined;
    const ref = github/* context */._.ref ?? '';
    return {
        serverUrl,
        apiUrl: github/* context */._.apiUrl,
        repository: repo,
        repositoryUrl: `${serverUrl}/${repo}`,
        sha,
        shortSha: sha.slice(0, 7),
        ref,
        refName: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || ref.replace(/^refs\/(heads|tags)\//, ''),
        actor: github/* context */._.actor || event.sender?.login || '',
        eventName: github/* context */._.eventName ?? '',
        event,
        workflow: github/* context */._.workflow ?? '',
        job: github/* context */._.job ?? '',
        runId,
        runAttempt: run_context_text(github/* context */._.runAttempt) || '1',
        runUrl: runId ? `${serverUrl}/${repo}/actions/runs/${runId}` : '',
        workspace: workspaceOf(env),
        pullRequest: pr
            ? {
                number: Number(pr.number),
                title: String(pr.title ?? ''),
                url: String(pr.html_url ?? ''),
                headSha: String(pr.head?.sha ?? ''),
                fromFork: Boolean(pr.head?.repo && pr.base?.repo && pr.head.repo.full_name !== pr.base.repo.full_name),
            }
            : undefined,
        commitSubject: headCommitMessage?.split('\n')[0],
        commitUrl: sha ? `${serverUrl}/${repo}/commit/${sha}` : '',
    };
}
/** One key per step attempt and purpose: a retried request finds what it made, a re-run makes its own. */
function stepKey(context, purpose) {
    return `${context.runId || 'local'}-${context.runAttempt}-${context.job}-${purpose}-${randomUUID().slice(0, 8)}`;
}

// EXTERNAL MODULE: ./shared/runner.ts
var runner = __webpack_require__(2798);
// EXTERNAL MODULE: ./shared/summary.ts
var summary = __webpack_require__(6566);
;// CONCATENATED MODULE: ./actions/notify/src/block-kit-limits.ts
const LIMITS = {
    blocks: 50,
    headerText: 150,
    sectionText: 3000,
    fields: 10,
    fieldText: 2000,
    contextElements: 10,
    blockId: 255,
    text: 4000,
};
const MARKER = '…';
/**
 * Cuts text to at most `max` characters ending in a marker, without leaving half of a mrkdwn link (`<url|x`),
 * half of an entity (`&am`) or half of a surrogate pair behind.
 */
function truncate(text, max, marker = MARKER) {
    if (text.length <= max)
        return text;
    let cut = text.slice(0, Math.max(0, max - marker.length));
    const open = cut.lastIndexOf('<');
    if (open > cut.lastIndexOf('>'))
        cut = cut.slice(0, open);
    cut = cut.replace(/&[a-z#0-9]{0,6}$/i, '');
    if (/[\uD800-\uDBFF]$/.test(cut))
        cut = cut.slice(0, -1);
    return cut + marker;
}
function fitText(obj, max, where, notes) {
    if (!obj || typeof obj.text !== 'string' || obj.text.length <= max)
        return obj;
    notes.push(`${where} cut from ${obj.text.length} to ${max} characters`);
    return { ...obj, text: truncate(obj.text, max) };
}
function fitBlock(block, index, notes) {
    const where = `block ${index + 1} (${block.type})`;
    const out = { ...block };
    if (typeof out.block_id === 'string' && out.block_id.length > LIMITS.blockId)
        out.block_id = out.block_id.slice(0, LIMITS.blockId);
    if (block.type === 'header')
        out.text = fitText(block.text, LIMITS.headerText, `${where} text`, notes);
    if (block.type === 'section') {
        if (block.text)
            out.text = fitText(block.text, LIMITS.sectionText, `${where} text`, notes);
        if (Array.isArray(block.fields)) {
            let fields = block.fields;
            if (fields.length > LIMITS.fields) {
                notes.push(`${where} kept ${LIMITS.fields} of ${fields.length} fields`);
                fields = fields.slice(0, LIMITS.fields);
            }
            out.fields = fields.map((f, i) => fitText(f, LIMITS.fieldText, `${where} field ${i + 1}`, notes));
        }
    }
    if (block.type === 'context' && Array.isArray(block.elements) && block.elements.length > LIMITS.contextElements) {
        notes.push(`${where} kept ${LIMITS.contextElements} of ${block.elements.length} elements`);
        out.elements = block.elements.slice(0, LIMITS.contextElements);
    }
    return out;
}
/** The message within every Block Kit limit, and what had to be cut (empty when nothing was). */
function fitToLimits(message) {
    const cuts = [];
    const out = { ...message };
    if (typeof message.text === 'string' && message.text.length > LIMITS.text) {
        cuts.push(`text cut from ${message.text.length} to ${LIMITS.text} characters`);
        out.text = truncate(message.text, LIMITS.text);
    }
    if (Array.isArray(message.blocks)) {
        let blocks = message.blocks;
        if (blocks.length > LIMITS.blocks) {
            const dropped = blocks.length - (LIMITS.blocks - 1);
            cuts.push(`kept ${LIMITS.blocks - 1} of ${blocks.length} blocks`);
            blocks = [
                ...blocks.slice(0, LIMITS.blocks - 1),
                {
                    type: 'context',
                    elements: [
                        { type: 'mrkdwn', text: `${MARKER} ${dropped} more blocks not shown (Slack allows ${LIMITS.blocks})` },
                    ],
                },
            ];
        }
        out.blocks = blocks.map((b, i) => fitBlock(b, i, cuts));
    }
    return { message: out, cuts };
}

// EXTERNAL MODULE: ./actions/notify/src/inputs.ts + 13 modules
var inputs = __webpack_require__(8000);
;// CONCATENATED MODULE: ./actions/notify/src/event.ts


const EMOJI = {
    started: '🚀',
    succeeded: '✅',
    failed: '❌',
    'rolled-back': '⏪',
    cancelled: '⚪',
    'awaiting-approval': '⏸️',
};
/** The summary's mark for a status (MARK), where one helps; the words say the rest. */
const SUMMARY_MARK = { succeeded: summary/* MARK */.M$.passed, failed: summary/* MARK */.M$.failed };
function defaultTitle(status, environment) {
    const env = environment || undefined;
    switch (status) {
        case 'started':
            return env ? `Deploying to ${env}` : 'Pipeline started';
        case 'succeeded':
            return env ? `Deployed to ${env}` : 'Pipeline succeeded';
        case 'failed':
            return env ? `Deploy to ${env} failed` : 'Pipeline failed';
        case 'rolled-back':
            return env ? `${env} rolled back` : 'Rolled back';
        case 'cancelled':
            return env ? `Deploy to ${env} cancelled` : 'Pipeline cancelled';
        case 'awaiting-approval':
            return env ? `Deploy to ${env} awaiting approval` : 'Awaiting approval';
    }
}
/** Seconds of a Slack message timestamp ("1700000000.123456") as a Date: when that message was first posted. */
function tsToDate(ts) {
    return ts ? (0,inputs/* parseInstant */.nV)(ts.split('.')[0]) : undefined;
}
function buildEvent(inputs, context, now) {
    const startedAt = inputs['started-at'] ?? tsToDate(inputs.ts);
    const status = inputs.status;
    const mentioned = inputs['mention-on'].includes(status);
    return {
        status,
        emoji: EMOJI[status],
        title: inputs.title || `${EMOJI[status]} ${defaultTitle(status, inputs.environment)}`,
        summaryTitle: inputs.title || [SUMMARY_MARK[status], defaultTitle(status, inputs.environment)].filter(Boolean).join(' '),
        environment: inputs.environment,
        url: inputs.url,
        message: inputs.message,
        repository: context.repository,
        repositoryUrl: context.repositoryUrl,
        ref: context.refName,
        sha: context.sha,
        shortSha: context.shortSha,
        commitSubject: context.commitSubject ?? context.pullRequest?.title ?? '',
        commitUrl: context.commitUrl,
        actor: context.actor,
        runUrl: context.runUrl,
        runLabel: [
            context.workflow,
            context.runId && `run ${context.runId}${context.runAttempt !== '1' ? ` (attempt ${context.runAttempt})` : ''}`,
        ]
            .filter(Boolean)
            .join(' · '),
        durationMs: elapsedSince(startedAt, now),
        mentions: mentioned ? inputs.mention : [],
    };
}
/** A workflow run lasts at most 35 days (GitHub's limit, waiting for approvals included). */
const LONGEST_RUN_MS = 35 * 24 * 3600 * 1000;
/** Clocks of runners and Slack may disagree a little. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/**
 * Time since the pipeline started; undefined when the start is unknown or cannot be this run's (in the future, or
 * before the longest run could have begun: a start of 0 or a clock that is wrong), so no false duration is shown.
 */
function elapsedSince(startedAt, now) {
    if (!startedAt || Number.isNaN(startedAt.getTime()))
        return undefined;
    const ms = now.getTime() - startedAt.getTime();
    if (ms < -CLOCK_SKEW_MS || ms > LONGEST_RUN_MS)
        return undefined;
    return Math.max(0, ms);
}
function formatDuration(ms) {
    if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > LONGEST_RUN_MS)
        return '';
    const s = Math.round(ms / 1000);
    if (s < 60)
        return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60)
        return `${m}m ${s % 60}s`;
    const h = Math.floor(m / 60);
    if (h < 24)
        return `${h}h ${m % 60}m`;
    return `${Math.floor(h / 24)}d ${h % 24}h`;
}

;// CONCATENATED MODULE: ./actions/notify/src/mrkdwn.ts
function escapeMrkdwn(text) {
    return (text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        // Plain "@channel" pings only where the app enables link_names, but a zero-width joiner makes sure of it.
        .replace(/@(channel|here|everyone)\b/gi, '@\u2060$1'));
}
/** A link, only for http(s) URLs; anything else is shown as escaped text. */
function mrkdwn_link(url, label) {
    if (!url || !/^https?:\/\//i.test(url))
        return escapeMrkdwn(label || url || '');
    const target = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
    return `<${target}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}
/** Inline code for a ref name: backticks removed so it cannot close the span early. */
function code(text) {
    return text ? `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\`` : '';
}
function formatMentions(mentions) {
    return mentions
        .map((m) => {
        switch (m.kind) {
            case 'user':
                return `<@${m.id}>`;
            case 'group':
                return `<!subteam^${m.id}>`;
            default:
                return `<!${m.kind}>`;
        }
    })
        .join(' ');
}

;// CONCATENATED MODULE: ./actions/notify/src/message.ts
// The Slack message: a Block Kit layout built from the event, or the user's own payload with the event's fields
// filled into its template variables.



const STATUS_LABEL = {
    started: 'Started',
    succeeded: 'Succeeded',
    failed: 'Failed',
    'rolled-back': 'Rolled back',
    cancelled: 'Cancelled',
    'awaiting-approval': 'Awaiting approval',
};
const mrkdwn = (text) => ({ type: 'mrkdwn', text });
/** The notification text (what push notifications and screen readers show): plain, escaped, one line. */
function fallbackText(event) {
    const parts = [
        `${event.title}`,
        event.repository,
        event.shortSha && `${event.shortSha}${event.commitSubject ? ` ${event.commitSubject}` : ''}`,
        event.actor && `by ${event.actor}`,
    ];
    return escapeMrkdwn(parts.filter(Boolean).join(' · '));
}
function buildMessage(event) {
    const mention = formatMentions(event.mentions);
    const commit = event.shortSha
        ? `${mrkdwn_link(event.commitUrl, event.shortSha)}${event.commitSubject ? ` ${escapeMrkdwn(event.commitSubject)}` : ''}`
        : '';
    const headline = [event.repository && `*${mrkdwn_link(event.repositoryUrl, event.repository)}*`, code(event.ref), commit]
        .filter(Boolean)
        .join('  ·  ');
    const fields = [
        event.environment && mrkdwn(`*Environment*\n${escapeMrkdwn(event.environment)}`),
        mrkdwn(`*Status*\n${event.emoji} ${STATUS_LABEL[event.status]}`),
        event.url && mrkdwn(`*URL*\n${mrkdwn_link(event.url, event.url)}`),
        event.durationMs !== undefined && mrkdwn(`*Duration*\n${formatDuration(event.durationMs)}`),
    ].filter(Boolean);
    const footer = [
        event.runUrl && mrkdwn_link(event.runUrl, event.runLabel || 'Workflow run'),
        event.actor && `triggered by ${escapeMrkdwn(event.actor)}`,
    ]
        .filter(Boolean)
        .join('  ·  ');
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: event.title, emoji: true } }];
    const lead = [mention, headline].filter(Boolean).join(' ');
    if (lead)
        blocks.push({ type: 'section', text: mrkdwn(lead) });
    if (event.message)
        blocks.push({ type: 'section', text: mrkdwn(escapeMrkdwn(event.message)) });
    blocks.push({ type: 'section', fields });
    if (footer)
        blocks.push({ type: 'context', elements: [mrkdwn(footer)] });
    return { text: [mention, fallbackText(event)].filter(Boolean).join(' '), blocks };
}
const URL_VARIABLES = new Set(['url', 'commit_url', 'run_url']);
/** Keys of Block Kit and attachment fields that hold a URL rather than text. */
const URL_FIELD = /^(url|[a-z_]*_url|[a-z_]*_link)$/;
function templateVariables(event) {
    const raw = {
        status: event.status,
        emoji: event.emoji,
        title: event.title,
        environment: event.environment,
        url: event.url ?? '',
        repository: event.repository,
        ref: event.ref,
        sha: event.sha,
        short_sha: event.shortSha,
        commit_subject: event.commitSubject,
        commit_url: event.commitUrl,
        actor: event.actor,
        run_url: event.runUrl,
        duration: formatDuration(event.durationMs),
        mention: formatMentions(event.mentions),
    };
    const entries = Object.entries(raw);
    return {
        // Mentions are Slack syntax built from validated IDs: escaping them would stop them pinging.
        text: Object.fromEntries(entries.map(([name, value]) => [name, name === 'mention' ? value : escapeMrkdwn(value)])),
        url: Object.fromEntries(entries.map(([name, value]) => [name, URL_VARIABLES.has(name) ? value : encodeURIComponent(value)])),
    };
}
const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g;
/**
 * Fills {{ variables }} into the string values of a user payload. Substitution happens inside parsed JSON
 * strings, so a value can never break the JSON or add fields; an unknown variable is an error, not a blank.
 */
function renderPayload(payload, variables, source) {
    const unknown = new Set();
    const walk = (value, key) => {
        if (typeof value === 'string') {
            const set = URL_FIELD.test(key) ? variables.url : variables.text;
            return value.replace(VARIABLE, (whole, name) => {
                if (name in set)
                    return set[name];
                unknown.add(name);
                return whole;
            });
        }
        if (Array.isArray(value))
            return value.map((v) => walk(v, key));
        if (value && typeof value === 'object')
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
        return value;
    };
    const rendered = walk(payload, '');
    if (unknown.size > 0) {
        throw new errors/* ShiplineError */.J0(`${source} uses unknown template variable${unknown.size > 1 ? 's' : ''} ${[...unknown].map((n) => `{{ ${n} }}`).join(', ')}`, {
            hint: `Available: ${Object.keys(variables.text)
                .map((n) => `{{ ${n} }}`)
                .join(', ')}`,
        });
    }
    return rendered;
}

;// CONCATENATED MODULE: ./shared/deadline.ts
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

// EXTERNAL MODULE: ./shared/proxy.ts + 1 modules
var shared_proxy = __webpack_require__(6329);
// EXTERNAL MODULE: ./shared/sanitise.ts + 1 modules
var sanitise = __webpack_require__(1193);
;// CONCATENATED MODULE: ./shared/http.ts




const DEFAULT_RETRY = { retries: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(value.trim()))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function backoffDelay(attempt, policy, random = Math.random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
/**
 * The kind of a network failure from its error code (Node's socket codes, undici's UND_ERR_*, the proxy tunnel's):
 * the one table both HTTP stacks use, fetch here and node:http in the smoke-test prober.
 */
/**
 * OpenSSL's answer when the server at an https:// URL speaks plain HTTP: its "HTTP/1.1 400" read as a TLS record
 * ("wrong version number", or "packet length too long"); node:https reports it as EPROTO with that text, undici
 * with the ERR_SSL_* code.
 */
function plainHttpOnTlsPort(code, message = '') {
    return (code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
        code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
        (code === 'EPROTO' && /wrong version number|packet length too long/i.test(message)));
}
/** Whether a failed request met plain HTTP on an https:// URL: its handshake failed, so no request went out. */
function metPlainHttp(error) {
    return classifyNetworkError(error).plainHttp === true;
}
/** The sentence for plainHttpOnTlsPort, naming the server when it is known. */
function plainHttpSentence(where) {
    return `the server${where ? ` at ${where}` : ''} answered plain HTTP to a TLS handshake: use http:// for this URL, or the port that serves HTTPS`;
}
function networkFailureKind(code, message = '') {
    if (plainHttpOnTlsPort(code, message))
        return 'tls';
    if (code === 'ECONNREFUSED')
        return 'connection-refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL')
        return 'dns';
    if (code === 'ECONNRESET' ||
        code === 'UND_ERR_SOCKET' ||
        code === 'EPIPE' ||
        code === 'UND_ERR_CLOSED' ||
        message === 'socket hang up' ||
        message === 'aborted')
        return 'connection-reset';
    if (code === 'UND_ERR_CONNECT_TIMEOUT' ||
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT' ||
        code === 'ETIMEDOUT')
        return 'timeout';
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
        return 'tls';
    if (code.startsWith('HPE_'))
        return 'protocol';
    // The proxy asked for credentials or refused them (407): fixed in the proxy URL, not by sending again.
    if (code === 'ERR_PROXY_AUTH' || PROXY_407.test(message))
        return 'proxy-auth';
    // The proxy refused the tunnel (ours: ERR_PROXY_TUNNEL; undici's ProxyAgent aborts with "Proxy response (403) !== 200").
    if (code === 'ERR_PROXY_TUNNEL' || /^Proxy response \(\d+\)/.test(message))
        return 'proxy';
    return 'other';
}
/**
 * The kind of a failed fetch, from undici's error codes. They sit on `cause`, one to three levels down (a refused
 * proxy tunnel: TypeError → DOMException → RequestAbortedError): the deepest error with a text code tells.
 */
function classifyNetworkError(error) {
    const e = error;
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
        return { kind: 'timeout', detail: e.message ?? 'timed out' };
    const chain = [];
    for (let c = error; c && typeof c === 'object' && chain.length < 5; c = c.cause)
        chain.push(c);
    const coded = [...chain].reverse().find((c) => typeof c.code === 'string' && c.code !== '');
    const code = coded?.code ?? '';
    const message = coded?.message ?? chain.at(-1)?.message ?? '';
    if (plainHttpOnTlsPort(code, message))
        return { kind: 'tls', detail: `${plainHttpSentence()} (${code})`, plainHttp: true };
    const detail = [code, chain.length > 1 ? message : ''].filter(Boolean).join(': ') || (e?.message ?? String(error));
    return { kind: networkFailureKind(code, message), detail };
}
/**
 * fetch refuses a URL with credentials in it (`https://user:pass@host/`), so such a URL could never succeed; they
 * travel as Basic authorization instead, as curl sends them, unless the caller set an Authorization header itself.
 */
function moveCredentials(url, headers) {
    let parsed;
    try {
        parsed = new URL(String(url));
    }
    catch {
        return { url, headers };
    }
    if (!parsed.username && !parsed.password)
        return { url, headers };
    const basic = Buffer.from(`${(0,sanitise/* safeDecode */.ex)(parsed.username)}:${(0,sanitise/* safeDecode */.ex)(parsed.password)}`).toString('base64');
    parsed.username = '';
    parsed.password = '';
    const merged = new Headers(headers);
    if (!merged.has('authorization'))
        merged.set('authorization', `Basic ${basic}`);
    return { url: parsed.href, headers: merged };
}
/** Failures where the server never saw the request, so even a POST is safe to send again. */
const NEVER_SENT = new Set(['connection-refused', 'dns', 'proxy', 'proxy-auth']);
/**
 * Whether a failed request may be sent once more: when it never reached the server, or when it went out on a
 * kept-alive connection the server had already closed while idle (the reset came before any answer).
 */
function safeToResend(kind, reusedIdleConnection = false) {
    return NEVER_SENT.has(kind) || (reusedIdleConnection && kind === 'connection-reset');
}
/** undici's ProxyAgent, loaded only when a request goes through a proxy (most runners have none); one per proxy. */
let undici;
const proxyAgents = new Map();
/**
 * The undici dispatcher that carries a request to this URL through the proxy the environment names for it, or
 * undefined to connect directly. CONNECT for https; absolute-URI requests for http (proxyTunnel false), as a plain
 * HTTP proxy expects. Pass it as `dispatcher` in fetch's options (clients that spread their fetch options, such as
 * @netlify/api, take it too).
 */
async function proxyDispatcher(url) {
    let proxy;
    try {
        proxy = (0,shared_proxy/* proxyFor */.iJ)(new URL(String(url)));
    }
    catch {
        return undefined;
    }
    if (!proxy)
        return undefined;
    // By file, not by bare name: the bundles route the bare name to the toolkit's undici (scripts/undici-on-demand).
    undici ??= __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19));
    const { ProxyAgent } = await undici;
    let agent = proxyAgents.get(proxy.href);
    if (!agent) {
        agent = new ProxyAgent({ uri: proxy.href, proxyTunnel: false });
        proxyAgents.set(proxy.href, agent);
    }
    return agent;
}
/**
 * How undici's ProxyAgent reports a proxy's 407: to a CONNECT ("Proxy response (407) !== 200 when HTTP Tunneling"),
 * or as the answer to a plain-http request sent to the proxy ("Proxy Authentication Required (407)").
 */
const PROXY_407 = /^Proxy response \(407\)|^Proxy Authentication Required \(407\)/;
/** Whether a failed fetch is undici's ProxyAgent reporting a proxy's 407. */
function connectAnswered407(error) {
    let e = error;
    for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++, e = e.cause) {
        if (typeof e.message === 'string' && PROXY_407.test(e.message))
            return true;
    }
    return false;
}
/**
 * fetch, through the proxy the environment names for the URL: for clients that take a fetch of their own. A proxy's
 * 407 (to a CONNECT for https, or as the answer to a plain-http request) fails the way fetch fails, a TypeError
 * whose cause is a ProxyAuthError: a sentence saying the proxy refused its credentials, for every client alike.
 */
const proxiedFetch = (async (input, init = {}) => {
    const dispatcher = await proxyDispatcher(input instanceof Request ? input.url : input);
    if (!dispatcher)
        return fetch(input, init);
    // proxyDispatcher found a proxy for it: the URL parses.
    const target = new URL(String(input instanceof Request ? input.url : input));
    const refused = () => new TypeError('fetch failed', { cause: new shared_proxy/* ProxyAuthError */.rJ((0,shared_proxy/* proxyFor */.iJ)(target), target.protocol) });
    let response;
    try {
        response = await fetch(input, { ...init, dispatcher });
    }
    catch (error) {
        throw connectAnswered407(error) ? refused() : error;
    }
    if (response.status === 407) {
        await response.body?.cancel().catch(() => undefined);
        throw refused();
    }
    return response;
});
function shouldRetryStatus(status, idempotent) {
    return status === 429 || (idempotent && (status >= 500 || status === 408));
}
/**
 * Sends a request with the retry policy. Resolves with the final response, whatever its status (callers turn a
 * provider's error body into its own reason); rejects with a NetworkError when no response could be had.
 */
async function request(url, options) {
    const method = (options.method ?? 'GET').toUpperCase();
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const policy = { ...DEFAULT_RETRY, ...options.retry };
    const wait = options.sleep ?? sleep;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const target = moveCredentials(url, options.headers);
    const doFetch = options.fetch ?? proxiedFetch;
    // On the monotonic clock (shared/deadline.ts): a wall clock that steps back during a hanging attempt must not
    // stretch the retries after it.
    const timeLeft = () => options.deadline?.left() ?? Number.POSITIVE_INFINITY;
    for (let attempt = 0;; attempt++) {
        const last = attempt >= policy.retries;
        const attemptMs = Math.min(timeoutMs, timeLeft());
        if (attemptMs <= 0)
            throw new errors/* NetworkError */.Dr(options.label, 'timeout', 'no time left before the deadline');
        const signal = options.signal
            ? AbortSignal.any([options.signal, AbortSignal.timeout(attemptMs)])
            : AbortSignal.timeout(attemptMs);
        let response;
        try {
            response = await doFetch(target.url, {
                method,
                headers: target.headers,
                body: options.body,
                signal,
                redirect: 'follow',
            });
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            const { kind, detail, plainHttp } = classifyNetworkError(error);
            const delay = backoffDelay(attempt, policy);
            // Credentials a proxy refused are refused again, and plain HTTP on the port is the same answer every time: no
            // retry changes either.
            if (plainHttp || last || kind === 'proxy-auth' || !(idempotent || safeToResend(kind)) || delay >= timeLeft())
                throw new errors/* NetworkError */.Dr(options.label, kind, detail, { cause: error });
            (0,runner/* info */.pq)(`${options.label}: ${kind} (${detail}); retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 2} of ${policy.retries + 1})`);
            await wait(delay);
            continue;
        }
        if (last || !shouldRetryStatus(response.status, idempotent))
            return response;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = retryAfter !== undefined ? Math.min(retryAfter, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
        if (delay >= timeLeft()) {
            (0,runner/* info */.pq)(`${options.label}: HTTP ${response.status}; a wait of ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} would end past the deadline, so no retry`);
            return response;
        }
        await response.body?.cancel().catch(() => undefined);
        (0,runner/* info */.pq)(`${options.label}: HTTP ${response.status}; retrying in ${(delay / 1000).toFixed(1)}s${retryAfter !== undefined ? ' (Retry-After)' : ''} (attempt ${attempt + 2} of ${policy.retries + 1})`);
        await wait(delay);
    }
}
/**
 * Reads a body as text without ever throwing (a provider's malformed or cut-off answer is still evidence). The
 * limit only guards memory: API answers can be large (Vercel lists every missing file's digest).
 */
async function readText(response, limit = 32 * 1024 * 1024) {
    try {
        const text = await response.text();
        return text.length > limit ? `${text.slice(0, limit)}…` : text;
    }
    catch (error) {
        return `(body could not be read: ${error.message})`;
    }
}
/**
 * The provider call every provider makes: send with the retry policy, read the text, parse the JSON, and turn an
 * error answer into a ProviderError with the provider's own reason. Resolves with the status and the parsed body.
 */
async function requestJson(url, options, call) {
    const response = await request(url, options);
    const text = await readText(response);
    let data;
    let parsed = true;
    try {
        data = text === '' && call.emptyIsObject !== false ? {} : JSON.parse(text);
    }
    catch {
        parsed = false;
        data = undefined;
    }
    const status = response.status;
    const failed = status >= 300 && !call.acceptStatus?.(status);
    if (!parsed && status >= 300 && !failed && call.errorPage)
        return { status, data: call.errorPage(text, status) };
    if (!parsed && !failed) {
        throw new ProviderError(call.provider, `malformed answer to ${call.action} (${excerpt(text, 200)})`, {
            status,
            action: call.action,
        });
    }
    const reason = parsed ? call.errorMessage(data, status, text) : excerpt(text, 200) || undefined;
    if (failed || reason !== undefined) {
        throw new ProviderError(call.provider, reason ?? `HTTP ${status}`, {
            status: status >= 300 ? status : undefined,
            action: call.action,
            hint: call.hint?.(status, data, text),
        });
    }
    return { status, data: data };
}

;// CONCATENATED MODULE: ./actions/notify/src/slack.ts
// Delivery to Slack: an incoming webhook through @slack/webhook, or the Web API with a bot token through the
// official @slack/web-api client (chat.postMessage, then chat.update of the same message at later stages).
//
// Input 'timeout' bounds the whole delivery — every attempt, retry and rate-limit wait — so a Slack that asks to
// wait minutes (Retry-After) fails the step with that reason within the bound instead of holding the job.
// @slack/webhook fails on 429 without waiting, so webhooks get our retrying fetch (with the deadline);
// @slack/web-api would sleep out any Retry-After, however long, so its rate-limited calls are handed back to us
// (rejectRateLimitedCalls) and waited only when the wait fits in the time left.





/** What to do about Slack's error codes (the documented ones for webhooks and chat.*). */
const HINTS = {
    invalid_payload: 'The message is not a valid Slack payload: check input payload / payload-file.',
    invalid_blocks: 'Slack refused the blocks: check the payload in Block Kit Builder (https://app.slack.com/block-kit-builder).',
    invalid_blocks_format: 'The blocks field must be an array of Block Kit blocks.',
    no_text: 'The message needs text or blocks.',
    channel_not_found: 'The channel does not exist or the app cannot see it: check input channel, or create a new webhook if its channel was deleted.',
    not_in_channel: 'Invite the bot to the channel (/invite @your-bot), or add the chat:write.public scope.',
    is_archived: 'The channel is archived.',
    channel_is_archived: 'The channel is archived: create a webhook for another channel.',
    invalid_token: 'The webhook or token is invalid or was revoked: create a new one and update the secret.',
    invalid_auth: 'The token is invalid: check the bot-token secret.',
    not_authed: 'No token reached Slack: check the bot-token secret.',
    token_revoked: 'The token was revoked: reinstall the Slack app and update the secret.',
    account_inactive: 'The token belongs to a deactivated user or app.',
    missing_scope: 'The bot token lacks the chat:write scope.',
    no_service: 'The webhook was disabled or removed: create a new one and update the secret.',
    action_prohibited: 'A workspace admin restricted posting to this channel.',
    rollup_error: 'Slack had an internal error; a later run may succeed.',
    msg_too_long: 'The message text is too long.',
    cant_update_message: 'Only messages posted by this bot can be updated.',
    edit_window_closed: "The workspace's message editing setting no longer lets this message be edited.",
};
/**
 * chat.update errors after which the message is posted anew rather than the step failing: the message is gone, is
 * not the bot's, or is past the workspace's edit window (https://api.slack.com/methods/chat.update, Errors:
 * edit_window_closed, "The message cannot be edited due to the team message edit settings").
 */
const POST_INSTEAD_OF_UPDATE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
function providerError(reason, status, action) {
    return new errors/* ProviderError */.mZ('Slack', reason, { status, action, hint: HINTS[reason] });
}
/** Slack asked for a pause longer than the step's bound allows: say so, instead of waiting it out. */
function rateLimited(action, retryAfterS, timeoutMs) {
    const asked = retryAfterS !== undefined ? `asked to wait ${retryAfterS} s (Retry-After)` : 'asked to wait (no Retry-After given)';
    return new errors/* ProviderError */.mZ('Slack', 'rate_limited', {
        status: 429,
        action,
        hint: `Slack ${asked}, longer than input 'timeout' (${Math.round(timeoutMs / 1000)} s for the whole delivery) leaves, so the message was not sent. Raise 'timeout' (at most 5m) or send fewer messages to this ${action === 'incoming webhook' ? 'webhook' : 'workspace'}.`,
    });
}
function retryAfterSeconds(value) {
    return value && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}
function boundFrom(timeoutMs) {
    return { timeoutMs, deadline: Deadline.in(timeoutMs) };
}
async function sendWebhook(webhookUrl, message, bound) {
    const { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } = await __webpack_require__.e(/* import() */ 443).then(__webpack_require__.t.bind(__webpack_require__, 4443, 23));
    const label = 'Slack webhook';
    const webhook = new IncomingWebhook(webhookUrl, {
        // A webhook POST is retried only where Slack cannot have posted it: 429 and connections never made; never past
        // the deadline. A 429 still there at the end is the rate limit winning: that is the reason given.
        fetch: (async (input, init = {}) => {
            const url = input instanceof Request ? input.url : input;
            const response = await request(url, {
                label,
                method: init.method,
                headers: init.headers,
                body: init.body,
                idempotent: false,
                timeoutMs: bound.timeoutMs,
                deadline: bound.deadline,
            });
            if (response.status === 429) {
                await response.body?.cancel().catch(() => undefined);
                throw rateLimited('incoming webhook', retryAfterSeconds(response.headers.get('retry-after')), bound.timeoutMs);
            }
            return response;
        }),
        timeout: 0,
        retryConfig: { retries: 0 },
    });
    try {
        await webhook.send(message);
    }
    catch (error) {
        if (error instanceof IncomingWebhookHTTPError)
            throw providerError(error.body.trim() || error.statusMessage || 'no reason given', error.statusCode, 'incoming webhook');
        if (error instanceof IncomingWebhookRequestError && error.original instanceof errors/* ShiplineError */.J0)
            throw error.original;
        throw error;
    }
    return { mode: 'webhook', action: 'posted' };
}
/** @slack/web-api's errors as ours: Slack's own reason, or the network failure, never the client's wrapper text. */
function fromWebApi(error, method) {
    const e = error;
    switch (e?.code) {
        case 'slack_webapi_platform_error': {
            const reason = String(e.data?.error ?? 'no reason given');
            // The client puts a body it could not parse as JSON in `error`: that is a malformed answer, not a code.
            return /^[a-z_]+$/.test(reason)
                ? providerError(reason, undefined, method)
                : providerError(`malformed answer (${(0,sanitise/* excerpt */.Kb)(reason, 200) || 'empty body'})`, undefined, method);
        }
        case 'slack_webapi_http_error':
            return providerError((0,sanitise/* excerpt */.Kb)(e.body ?? '', 200) || `HTTP ${e.statusCode}`, e.statusCode, method);
        case 'slack_webapi_request_error': {
            if (e.original instanceof errors/* ShiplineError */.J0)
                return e.original;
            const { kind, detail } = classifyNetworkError(e.original);
            return new errors/* NetworkError */.Dr(`Slack ${method}`, kind, detail, { cause: e.original });
        }
        default:
            return error instanceof Error ? error : new Error(String(error));
    }
}
/** Failures where Slack never saw the request (so even chat.postMessage may be sent again). */
function neverSent(error) {
    if (error?.code !== 'slack_webapi_request_error')
        return false;
    const { kind } = classifyNetworkError(error.original);
    return kind === 'connection-refused' || kind === 'dns';
}
const RETRIES = 3;
async function webClient(slack, target, method, bound, idempotent) {
    return new slack.WebClient(target.token, {
        slackApiUrl: target.apiUrl,
        // Each attempt gets at most the time left; the client's own timeout would restart it on every retry.
        fetch: ((input, init = {}) => {
            const left = bound.deadline.left();
            if (left <= 0)
                return Promise.reject(new errors/* NetworkError */.Dr(`Slack ${method}`, 'timeout', 'no time left before the deadline'));
            const signal = init.signal
                ? AbortSignal.any([init.signal, AbortSignal.timeout(left)])
                : AbortSignal.timeout(left);
            // Through the proxy the environment names (HTTPS_PROXY, NO_PROXY), as every other call.
            return proxiedFetch(input, { ...init, signal });
        }),
        rejectRateLimitedCalls: true,
        retryConfig: {
            retries: RETRIES,
            factor: 2,
            minTimeout: 500,
            maxTimeout: 4000,
            randomize: true,
            // p-retry: throwing here stops the retries. A post Slack may have made is not sent again (no duplicate
            // messages), and no retry starts once the bound has passed.
            onFailedAttempt: (error) => {
                if (error.retriesLeft === 0)
                    return;
                // The longest backoff p-retry may pick next (minTimeout × factor^n, randomized up to ×2, capped).
                const nextWait = Math.min(4000, 1000 * 2 ** (error.attemptNumber - 1));
                if ((!idempotent && !neverSent(error)) ||
                    error.original instanceof errors/* ShiplineError */.J0 ||
                    nextWait >= bound.deadline.left())
                    throw error;
                const what = error.code === 'slack_webapi_request_error'
                    ? `${classifyNetworkError(error.original).kind} (${classifyNetworkError(error.original).detail})`
                    : `HTTP ${error.statusCode ?? '?'}`;
                (0,runner/* info */.pq)(`Slack ${method}: ${what}; retrying (attempt ${error.attemptNumber + 1} of ${RETRIES + 1})`);
            },
        },
        logger: {
            debug: (...m) => (0,runner/* debug */.Yz)(`@slack/web-api: ${m.join(' ')}`),
            info: (...m) => (0,runner/* debug */.Yz)(`@slack/web-api: ${m.join(' ')}`),
            warn: (...m) => (0,runner/* debug */.Yz)(`@slack/web-api: ${m.join(' ')}`),
            error: (...m) => (0,runner/* debug */.Yz)(`@slack/web-api: ${m.join(' ')}`),
            setLevel: () => undefined,
            getLevel: () => slack.LogLevel.DEBUG,
            setName: () => undefined,
        },
    });
}
/**
 * One Web API call through the official client. A rate limit (429) is waited out only when its Retry-After fits
 * in the time left; otherwise the step fails at once with that reason.
 */
async function callWebApi(target, method, args, bound, idempotent) {
    const slack = await __webpack_require__.e(/* import() */ 105).then(__webpack_require__.t.bind(__webpack_require__, 5105, 23));
    const client = await webClient(slack, target, method, bound, idempotent);
    for (;;) {
        try {
            const answer = (await client.apiCall(method, args));
            for (const w of [answer.warning, ...(answer.response_metadata?.warnings ?? [])].filter(Boolean))
                (0,runner/* warning */.$e)(`Slack ${method}: ${w}`);
            return answer;
        }
        catch (error) {
            const e = error;
            if (e?.code !== 'slack_webapi_rate_limited_error')
                throw fromWebApi(error, method);
            const waitMs = (e.retryAfter ?? 1) * 1000;
            if (waitMs >= bound.deadline.left())
                throw rateLimited(method, e.retryAfter, bound.timeoutMs);
            (0,runner/* info */.pq)(`Slack ${method}: HTTP 429; retrying in ${(waitMs / 1000).toFixed(1)}s (Retry-After)`);
            await sleep(waitMs);
        }
    }
}
async function sendBot(target, message, bound) {
    const { channel, ts } = target;
    if (ts) {
        try {
            // chat.update takes the channel ID only (never a #name): inputs require the ID whenever 'ts' is set.
            // Updating with the same content twice gives the same message, so it may be retried on 5xx.
            const answer = await callWebApi(target, 'chat.update', { ...message, channel, ts }, bound, true);
            return { mode: 'bot-token', action: 'updated', channel: answer.channel ?? channel, ts: answer.ts ?? ts };
        }
        catch (error) {
            if (!(error instanceof errors/* ProviderError */.mZ && POST_INSTEAD_OF_UPDATE.has(error.reason)))
                throw error;
            (0,runner/* warning */.$e)(`Slack could not update message ${ts} (${error.reason}); posting a new message instead.`);
        }
    }
    const answer = await callWebApi(target, 'chat.postMessage', { ...message, channel }, bound, false);
    // The channel output is the ID Slack answers with (not the #name given), the one a later chat.update needs.
    return { mode: 'bot-token', action: 'posted', channel: answer.channel ?? channel, ts: answer.ts };
}

;// CONCATENATED MODULE: ./actions/notify/src/run.ts
// notify: build the message for a pipeline event, deliver it, and report what happened in outputs and the summary.











function defaultDeps() {
    return { context: readRunContext(), now: () => new Date(), deliver };
}
function deliver(inputs, message) {
    // Input 'timeout' bounds the whole delivery, retries and rate-limit waits included.
    const bound = boundFrom(inputs.timeout);
    const token = inputs['bot-token'];
    if (token)
        return sendBot({
            apiUrl: inputs['slack-api-url'] ?? 'https://slack.com/api',
            token,
            channel: inputs.channel,
            ts: inputs.ts || undefined,
        }, message, bound);
    return sendWebhook(inputs['webhook-url'], message, bound);
}
function readPayloadFile(path, workspace) {
    const full = (0,external_node_path_.resolve)(workspace, path);
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(full, 'utf8');
    }
    catch (error) {
        throw new errors/* ShiplineError */.J0(`Input 'payload-file': cannot read ${path} (${error.code ?? error.message})`);
    }
    try {
        const value = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
            if ((0,inputs/* payloadTooDeep */.tH)(value))
                throw new errors/* ShiplineError */.J0(`Input 'payload-file': ${path} is nested more than ${inputs/* MAX_PAYLOAD_DEPTH */.GL} levels deep (a Slack message nests under 10)`);
            return value;
        }
    }
    catch (error) {
        throw new errors/* ShiplineError */.J0(`Input 'payload-file': ${path} is not valid JSON (${error.message})`);
    }
    throw new errors/* ShiplineError */.J0(`Input 'payload-file': ${path} must hold a JSON object (a Slack message with text and/or blocks)`);
}
function composeMessage(inputs, event, workspace) {
    if (inputs.payload)
        return renderPayload(inputs.payload, templateVariables(event), "Input 'payload'");
    if (inputs['payload-file'])
        return renderPayload(readPayloadFile(inputs['payload-file'], workspace), templateVariables(event), `Input 'payload-file' (${inputs['payload-file']})`);
    return buildMessage(event);
}
function summarize(event, outcome, cuts) {
    const lines = [
        `### ${event.summaryTitle}`,
        (0,summary/* facts */.Ix)([
            ['Status', event.status],
            ['Environment', event.environment],
            ['URL', event.url],
            ['Commit', event.shortSha && `${event.shortSha} ${event.commitSubject}`.trim()],
            ['Ref', event.ref],
            ['Actor', event.actor],
            ['Duration', formatDuration(event.durationMs)],
            ['Slack', outcome],
        ]),
    ];
    if (cuts.length > 0)
        lines.push(`Cut to Slack's Block Kit limits: ${cuts.join('; ')}.`);
    return lines.join('\n\n');
}
function describeDelivery(d) {
    if (d.mode === 'webhook')
        return 'posted through the incoming webhook';
    return `${d.action} message ${d.ts} in ${d.channel}`;
}
async function run(inputs, deps = defaultDeps()) {
    const event = buildEvent(inputs, deps.context, deps.now());
    (0,runner/* setOutput */.uH)('status', event.status);
    const { message, cuts } = fitToLimits(composeMessage(inputs, event, deps.context.workspace));
    for (const cut of cuts)
        (0,runner/* warning */.$e)(`Slack message ${cut} to fit Block Kit limits.`);
    let delivery;
    try {
        delivery = await deps.deliver(inputs, message);
    }
    catch (error) {
        (0,runner/* setOutput */.uH)('delivered', 'false');
        (0,summary/* appendSummary */.fe)(summarize(event, `not delivered: ${(0,errors/* failureMessage */.oh)(error).split('\n')[0]}`, cuts));
        if (inputs['fail-on-error'])
            throw error;
        (0,runner/* warning */.$e)(`Slack notification not delivered (fail-on-error is false): ${(0,errors/* failureMessage */.oh)(error)}`);
        return;
    }
    (0,runner/* setOutput */.uH)('delivered', 'true');
    if (delivery.ts)
        (0,runner/* setOutput */.uH)('ts', delivery.ts);
    if (delivery.channel)
        (0,runner/* setOutput */.uH)('channel', delivery.channel);
    (0,runner/* info */.pq)(`Slack: ${describeDelivery(delivery)}.`);
    (0,summary/* appendSummary */.fe)(summarize(event, describeDelivery(delivery), cuts));
}


/***/ })

};
