export const id = 556;
export const ids = [556];
export const modules = {

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

/***/ 68556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RailwayProvider: () => (/* binding */ RailwayProvider)
/* harmony export */ });
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(21064);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9096);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(52798);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(71193);
/* harmony import */ var _collections_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(99243);
// Railway through its public GraphQL API (backboard.railway.com/graphql/v2), without the CLI. One release is
// one deployment per service of one environment (seed 002: backend and frontend deployed together): each is
// started with serviceInstanceDeployV2 at the commit being shipped, then followed to SUCCESS, FAILED or CRASHED.
// Rollback re-activates each service's previous successful deployment with deploymentRollback, for every service
// or none (rollback(): a service that cannot switch puts the ones switched before it back).
//
// Release.id is a composite of `serviceId=deploymentId` pairs in the order of input 'services', so the id of a
// release is the same whether it comes from deploy, current() or the ledger, and describe()/rollback() can take
// it apart again.






/** Railway's end states of a deployment. SUCCESS is the only good one; SLEEPING is a successful one asleep. */
const FAILED_STATES = new Set(['FAILED', 'CRASHED', 'REMOVED', 'SKIPPED']);
const DONE_STATES = new Set(['SUCCESS', 'SLEEPING', ...FAILED_STATES]);
/** A deployment that is (SUCCESS, SLEEPING) or was (REMOVED once replaced) live: rollback candidates. */
const SERVED_STATES = ['SUCCESS', 'SLEEPING', 'REMOVED'];
const LIVE_STATES = ['SUCCESS', 'SLEEPING'];
/** Status polling: builds take from seconds to many minutes; start quick, then back off to keep calls low. */
const POLL_MS = [1000, 2000, 3000, 5000, 8000, 10_000, 15_000, 20_000, 30_000];
const HISTORY = 50;
/**
 * States in which Railway holds a deployment for something only a person can do: waiting them out would only end
 * at the deadline, with no word of why. Each names what the user must do; the deployment is cancelled, so it
 * cannot go live later without this workflow's checks (or beside the other services of the release).
 */
const HELD_STATES = {
    NEEDS_APPROVAL: 'Railway holds this deployment until a member of the project approves it (deploys from a source Railway does not trust need approval). Approve deploys from this token, or deploy from the Railway dashboard, then run the deploy again.',
    WAITING: "Railway holds this deployment until the commit's GitHub checks finish (the service's 'Wait for CI' setting), and this workflow is one of those checks, so it would never start. Turn off 'Wait for CI' in the service's settings (this workflow already decides when to deploy), then run the deploy again.",
};
/** Marks the state of a deployment that was still running at the deadline. */
const TIMED_OUT = 'not done before the deadline';
const DEPLOYMENT_FIELDS = 'id status createdAt url staticUrl canRollback meta serviceId service { id name }';
const Q_DEPLOYMENT = `query deployment($id: String!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`;
const Q_DEPLOYMENTS = `query deployments($input: DeploymentListInput!, $first: Int) {
  deployments(input: $input, first: $first) { edges { node { ${DEPLOYMENT_FIELDS} } } }
}`;
const M_DEPLOY = `mutation serviceInstanceDeployV2($environmentId: String!, $serviceId: String!, $commitSha: String) {
  serviceInstanceDeployV2(environmentId: $environmentId, serviceId: $serviceId, commitSha: $commitSha)
}`;
// As Railway's CLI sends it (railwayapp/cli src/gql/mutations/strings/DeploymentRollback.graphql).
const M_ROLLBACK = `mutation DeploymentRollback($id: String!) {
  deploymentRollback(id: $id)
}
`;
const M_CANCEL = `mutation deploymentCancel($id: String!) { deploymentCancel(id: $id) }`;
/**
 * A service's source in one environment and its deployment triggers there: a trigger deploys every push to its
 * branch of its repository (after the commit's checks when checkSuites is set). The fields the Terraform provider
 * for Railway reads (listDeploymentTriggers).
 */
const Q_GIT_TRIGGERS = `query serviceGitTriggers($projectId: String!, $environmentId: String!, $serviceId: String!) {
  serviceInstance(environmentId: $environmentId, serviceId: $serviceId) { serviceName source { repo image } }
  deploymentTriggers(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    edges { node { id provider repository branch checkSuites } }
  }
}`;
/** `svc=dpl,svc=dpl` → pairs; a bare deployment id (no `=`) is one pair whose service is looked up. */
function parseReleaseId(id) {
    return id
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
        const eq = part.indexOf('=');
        return eq > 0 ? { service: part.slice(0, eq), deployment: part.slice(eq + 1) } : { deployment: part };
    });
}
function releaseId(services) {
    return services.map((s) => `${s.service}=${s.id}`).join(',');
}
function https(url) {
    if (!url)
        return undefined;
    return /^https?:\/\//.test(url) ? url : `https://${url}`;
}
function commitOf(d) {
    const hash = d.meta?.commitHash;
    return typeof hash === 'string' ? hash : undefined;
}
/** A deployment that serves: SUCCESS, or SLEEPING (a successful one asleep). */
function isLive(state) {
    return state === 'SUCCESS' || state === 'SLEEPING';
}
/** The release's state word: SUCCESS only when every service succeeded, else the first service's bad state. */
function combinedState(services) {
    const bad = services.find((s) => !isLive(s.state));
    return bad?.state ?? 'SUCCESS';
}
class RailwayProvider {
    config;
    name = 'railway';
    apiUrl;
    railway;
    constructor(config) {
        this.config = config;
        this.apiUrl = (config.apiUrl ?? 'https://backboard.railway.com').replace(/\/$/, '');
        this.railway = config.railway ?? { environmentId: '', services: [], tokenType: 'project' };
    }
    authHeaders() {
        // A project token is scoped to one environment of one project and goes in its own header; an account or
        // workspace token is a Bearer token. Sending one the wrong way answers "Not Authorized".
        return this.railway.tokenType === 'account'
            ? { authorization: `Bearer ${this.config.token}` }
            : { 'project-access-token': this.config.token };
    }
    /**
     * One GraphQL operation. Queries are retried on 5xx and broken connections; mutations only where Railway cannot
     * have acted (429, connection refused), since a retried deploy would start a second build.
     */
    async gql(query, variables, options) {
        // GraphQL errors come with 200 as well as with 4xx: Railway's messages are the reason either way. A proxy's or
        // load balancer's error page (502, 503) is not JSON: its text is then the reason.
        const messagesOf = (body) => (body?.errors ?? []).map((e) => e.message).filter((m) => Boolean(m));
        const { data: answer } = await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .requestJson */ .SS)(`${this.apiUrl}/graphql/v2`, {
            label: `Railway ${options.label}`,
            method: 'POST',
            idempotent: !options.mutation,
            headers: { 'content-type': 'application/json', accept: 'application/json', ...this.authHeaders() },
            body: JSON.stringify({ query, variables }),
        }, {
            provider: 'Railway',
            action: options.label,
            errorMessage: (body, status, text) => {
                const messages = messagesOf(body);
                if (messages.length > 0)
                    return messages.join('; ');
                return status >= 300 || !body?.data
                    ? (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .excerpt */ .Kb)(text, 200) || `HTTP ${status}`
                    : undefined;
            },
            hint: (status, body, text) => hintFor(messagesOf(body).join(' ') || text, status),
        });
        return answer.data;
    }
    async deployment(id) {
        return (await this.gql(Q_DEPLOYMENT, { id }, { label: 'get deployment' }))
            .deployment;
    }
    /** A service's deployments in this environment, newest first (sorted here too: the order is not documented). */
    async history(serviceId, statuses, first = HISTORY) {
        const input = {
            projectId: this.config.project,
            environmentId: this.railway.environmentId,
            serviceId,
            ...(statuses ? { status: { in: statuses } } : {}),
        };
        const data = await this.gql(Q_DEPLOYMENTS, { input, first }, { label: 'list deployments' });
        return data.deployments.edges
            .map((e) => e.node)
            .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));
    }
    inspectorUrl(serviceId, deploymentId) {
        return `https://railway.com/project/${encodeURIComponent(this.config.project)}/service/${encodeURIComponent(serviceId)}?environmentId=${encodeURIComponent(this.railway.environmentId)}&id=${encodeURIComponent(deploymentId)}`;
    }
    serviceRelease(serviceId, d) {
        return {
            service: serviceId,
            name: d.service?.name ?? undefined,
            id: d.id,
            url: https(d.staticUrl ?? d.url),
            state: d.status,
        };
    }
    toRelease(pairs) {
        const services = pairs.map((p) => this.serviceRelease(p.serviceId, p.deployment));
        const first = pairs[0];
        const shas = [...new Set(pairs.map((p) => commitOf(p.deployment)).filter(Boolean))];
        const created = pairs.map((p) => Date.parse(p.deployment.createdAt ?? '')).filter((n) => !Number.isNaN(n));
        return {
            provider: 'railway',
            id: releaseId(services),
            // The release URL is the first listed service's (the one people open); every service's is in `services`.
            url: services.find((s) => s.url)?.url,
            inspectorUrl: first?.deployment.id ? this.inspectorUrl(first.serviceId, first.deployment.id) : undefined,
            target: 'production',
            state: combinedState(services),
            createdAt: created.length ? (0,_collections_js__WEBPACK_IMPORTED_MODULE_4__/* .largest */ .nQ)(created) : undefined,
            sha: shas.length === 1 ? shas[0] : undefined,
            services,
        };
    }
    label(s) {
        return s.name ? `${s.name} (${s.service})` : s.service;
    }
    /** What each service serves now: its newest SUCCESS (or SLEEPING) deployment in this environment. */
    async serving(serviceId) {
        return (await this.history(serviceId, LIVE_STATES, 1))[0];
    }
    /**
     * Starts a deployment of one service. The mutation is not idempotent; if its answer is lost, the deployment it
     * may have started is looked for (newest of the service at this commit, not seen before) instead of deploying
     * twice.
     */
    async startDeployment(serviceId, sha, known) {
        try {
            const data = await this.gql(M_DEPLOY, { environmentId: this.railway.environmentId, serviceId, commitSha: sha }, { label: `deploy service ${serviceId}`, mutation: true });
            return data.serviceInstanceDeployV2;
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr))
                throw error;
            const started = (await this.history(serviceId, undefined, 5)).find((d) => !known.has(d.id) && commitOf(d) === sha);
            if (started) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: the answer to deploy service ${serviceId} was lost; found the deployment it started (${started.id})`);
                return started.id;
            }
            throw error;
        }
    }
    async deploy(spec, deadline) {
        const services = this.railway.services;
        // What each service serves before this deploy: restored if another service of the release fails.
        const before = await Promise.all(services.map((s) => this.serving(s)));
        const known = await Promise.all(services.map(async (s) => new Set((await this.history(s, undefined, 5)).map((d) => d.id))));
        const started = [];
        for (const [i, serviceId] of services.entries()) {
            let id;
            try {
                id = await this.startDeployment(serviceId, spec.git.sha, known[i]);
            }
            catch (error) {
                // This service gets no new deployment, so the ones already started must not go live beside it.
                const reason = `NOT_STARTED: the deploy call failed (${error.message})`;
                const rest = services.slice(i).map((s, j) => ({
                    serviceId: s,
                    deployment: {
                        id: '',
                        status: j === 0 ? reason : 'NOT_STARTED',
                        service: { id: s, name: before[i + j]?.service?.name },
                    },
                }));
                return this.abandon(spec, [...started, ...rest], before, [{ serviceId, state: reason }], deadline);
            }
            started.push({ serviceId, deployment: { id, status: 'QUEUED' } });
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId}: deployment ${id} started at ${spec.git.sha.slice(0, 7)}`);
        }
        spec.onCreated?.(this.toRelease(started));
        // Every service is followed to its end even when another fails, so the outcome of each is known (and a
        // service that went live can be put back); a service whose status could not be read counts as failed.
        const settled = await Promise.allSettled(started.map((s) => this.waitForDeployment(s.serviceId, s.deployment.id, deadline)));
        const pairs = settled.map((r, i) => ({
            serviceId: services[i],
            deployment: r.status === 'fulfilled'
                ? r.value
                : { id: started[i]?.deployment.id, status: `UNKNOWN (${r.reason.message})` },
        }));
        const release = this.toRelease(pairs);
        const failed = release.services?.filter((s) => !isLive(s.state)) ?? [];
        if (failed.length === 0)
            return { release };
        return this.abandon(spec, pairs, before, failed.map((s) => ({ serviceId: s.service, state: s.state ?? '' })), deadline);
    }
    /**
     * A release that failed in one service is taken back in all: every deployment of it that may still go live or
     * went live is cancelled or rolled back to what its service served before, so the environment never runs a new
     * backend beside an old frontend (or the reverse). Throws the failure, naming what was put back and what not.
     */
    async abandon(spec, pairs, before, failed, deadline) {
        // A service whose status could not be read counts as failed, but may have gone live: it is put back too.
        const failedIds = new Set(failed.filter((f) => !f.state.startsWith('UNKNOWN')).map((f) => f.serviceId));
        const restored = [];
        const notRestored = [];
        // Restoring is bounded on its own: a release that timed out still gets its services put back.
        const restoreBy = _deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .Deadline */ .B.in(Math.max(deadline.left(), 5 * 60_000));
        for (const [i, p] of pairs.entries()) {
            if (failedIds.has(p.serviceId) || !p.deployment.id)
                continue;
            const label = this.label({
                service: p.serviceId,
                name: p.deployment.service?.name ?? before[i]?.service?.name ?? undefined,
            });
            const outcome = await this.putBack(p.serviceId, p.deployment, before[i], restoreBy).catch((error) => ({
                state: 'NOT_RESTORED',
                note: `${error.message}`,
            }));
            pairs[i] = {
                serviceId: p.serviceId,
                deployment: { ...p.deployment, service: p.deployment.service ?? before[i]?.service, status: outcome.state },
            };
            if (outcome.state === 'NOT_RESTORED')
                notRestored.push(`${label} still serves ${p.deployment.id} (${outcome.note})`);
            else if (outcome.note)
                restored.push(`${label} ${outcome.note}`);
        }
        const release = this.toRelease(pairs);
        // The outputs (and the ledger) then describe how each service ended, not the QUEUED state they were created in.
        spec.onCreated?.(release);
        const byService = new Map(release.services?.map((s) => [s.service, s]));
        const reasons = failed.map((f) => {
            const s = byService.get(f.serviceId);
            const logs = s?.id ? ` (deployment ${s.id}; logs ${this.inspectorUrl(f.serviceId, s.id)})` : '';
            return `${this.label({ service: f.serviceId, name: s?.name })}: ${f.state}${logs}`;
        });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `${failed.length} of ${pairs.length} services failed: ${reasons.join('; ')}`, {
            action: 'deploy',
            hint: [
                restored.length ? `Put back so the environment stays consistent: ${restored.join('; ')}.` : '',
                notRestored.length
                    ? `Could not be put back: ${notRestored.join('; ')}. The environment now mixes releases: run the rollback action (target: previous) or roll these services back in Railway's dashboard.`
                    : '',
                'The failed services keep serving their previous deployment.',
                failed.some((f) => f.state.includes(TIMED_OUT)) ? "Raise input 'wait-timeout' if builds take longer." : '',
            ]
                .filter(Boolean)
                .join(' '),
        });
    }
    /**
     * Takes one service's deployment of a failed release out: cancelled while it has not gone live (Railway keeps
     * the previous deployment serving), rolled back to `previous` once it has. Its state afterwards, and a note
     * for the failure message when something was done.
     */
    async putBack(serviceId, deployment, previous, deadline) {
        let d = await this.deployment(deployment.id);
        if (!DONE_STATES.has(d.status)) {
            const cancelled = await this.cancel(deployment.id);
            if (cancelled === 'cancelled')
                return { state: 'CANCELLED', note: `cancelled before going live (serves ${previous?.id ?? 'nothing'})` };
            // It ended between the two calls: look again.
            d = await this.deployment(deployment.id);
            if (!DONE_STATES.has(d.status))
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`deployment ${deployment.id} ${cancelled}`);
        }
        if (!isLive(d.status))
            return { state: d.status };
        if (!previous)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0('it served nothing before this release, so there is nothing to restore');
        if (previous.id === d.id)
            return { state: d.status };
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${this.label({ service: serviceId, name: d.service?.name ?? undefined })} went live, but the release failed elsewhere; restoring ${previous.id}`);
        const back = await this.rollbackService(serviceId, previous, deadline);
        return { state: 'ROLLED_BACK', note: `restored to ${previous.id} (now ${back.id})` };
    }
    /** Follows one deployment until it succeeds, fails or the deadline; at the deadline it is cancelled. */
    async waitForDeployment(serviceId, deploymentId, deadline) {
        let last = 'QUEUED';
        for (let attempt = 0;; attempt++) {
            const d = await this.deployment(deploymentId);
            const name = d.service?.name ? `${d.service.name}` : serviceId;
            if (d.status !== last)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${name}: ${deploymentId} ${last} → ${d.status}`);
            last = d.status;
            if (DONE_STATES.has(d.status))
                return d;
            const held = HELD_STATES[d.status];
            if (held) {
                const cancelled = await this.cancel(deploymentId);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${name}: ${deploymentId} is ${d.status}; ${cancelled}`);
                return { ...d, status: `${d.status}; ${cancelled}. ${held}` };
            }
            const wait = POLL_MS[Math.min(attempt, POLL_MS.length - 1)];
            if (wait > deadline.left()) {
                // A build that finished after we gave up would go live unchecked: cancel it (Railway keeps the previous
                // deployment serving).
                const cancelled = await this.cancel(deploymentId);
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: ${name}: ${deploymentId} was not done before the deadline (last status ${last}); ${cancelled}`);
                return { ...d, status: `${last}, ${TIMED_OUT}; ${cancelled}` };
            }
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(wait);
        }
    }
    /** deploymentCancel, reported as a phrase for the log and the failure ("cancelled" or why it could not be). */
    cancel(deploymentId) {
        return this.gql(M_CANCEL, { id: deploymentId }, { label: 'cancel deployment', mutation: true }).then(() => 'cancelled', (error) => `could not be cancelled: ${error.message}`);
    }
    promote() {
        return Promise.reject(new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', 'staged production deploys are not supported, so there is nothing to promote', {
            action: 'promote',
        }));
    }
    /** The services and deployments a release names (its own `services`, else its id). */
    async resolve(release) {
        if (release.services?.length)
            return release.services.map((s) => ({ serviceId: s.service, deploymentId: s.id }));
        return Promise.all(parseReleaseId(release.id).map(async (p) => {
            if (p.service)
                return { serviceId: p.service, deploymentId: p.deployment };
            const d = await this.deployment(p.deployment);
            if (!d.serviceId)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway deployment ${p.deployment} belongs to no service`);
            return { serviceId: d.serviceId, deploymentId: d.id };
        }));
    }
    /**
     * deploymentRollback, then waits for the service to serve that release again. Railway may re-activate the
     * deployment itself or start a new one from its image and variables; both are recognised (the newest deployment
     * of the service is one we had not seen before the mutation, or the target itself is SUCCESS again).
     */
    async rollbackService(serviceId, target, deadline, known) {
        const seen = known ?? (await this.recentIds(serviceId));
        await this.gql(M_ROLLBACK, { id: target.id }, { label: `rollback to ${target.id}`, mutation: true });
        for (let attempt = 0;; attempt++) {
            const newest = (await this.history(serviceId, undefined, 5))[0];
            if (newest && !seen.has(newest.id)) {
                if (newest.status === 'SUCCESS' || newest.status === 'SLEEPING')
                    return newest;
                if (FAILED_STATES.has(newest.status))
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `the rollback deployment ${newest.id} of service ${serviceId} ended ${newest.status}`, { action: 'rollback', hint: `Logs: ${this.inspectorUrl(serviceId, newest.id)}` });
            }
            else {
                const again = await this.deployment(target.id);
                if (again.status === 'SUCCESS' && (await this.serving(serviceId))?.id === target.id)
                    return again;
            }
            const wait = POLL_MS[Math.min(attempt, POLL_MS.length - 1)];
            if (wait > deadline.left())
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway rollback of service ${serviceId} to ${target.id} did not finish before the deadline`, { hint: `Logs: ${this.inspectorUrl(serviceId, target.id)}` });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(wait);
        }
    }
    /**
     * Every service of the release moves, or none does. The services switch one after the other; when one cannot
     * (its rollback refused, its rollback deployment failed, the deadline), the services already switched are put
     * back on what they served before (and the failing one too, had its switch begun), and the step fails saying
     * where each service is. A run killed part-way leaves a mixed state, which current() reports and previous()
     * settles: the next run completes it.
     */
    async rollback(to, deadline) {
        const wanted = await this.resolve(to);
        const before = await Promise.all(wanted.map((w) => this.serving(w.serviceId)));
        const pairs = [];
        const switched = [];
        for (const [i, { serviceId, deploymentId }] of wanted.entries()) {
            const live = before[i];
            let seen;
            try {
                const target = await this.deployment(deploymentId);
                if (live?.id === target.id) {
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} already serves ${target.id}`);
                    pairs.push({ serviceId, deployment: live });
                    continue;
                }
                if (target.canRollback === false)
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `deployment ${target.id} of service ${serviceId} cannot be rolled back to (canRollback is false: older than the plan's retention, or never successful)`, { action: 'rollback' });
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId}: ${live?.id ?? 'nothing'} → ${target.id}`);
                seen = await this.recentIds(serviceId);
                const now = await this.rollbackService(serviceId, target, deadline, seen);
                switched.push({ serviceId, before: live });
                pairs.push({ serviceId, deployment: now });
            }
            catch (error) {
                const failing = { serviceId, before: live, seen, target: deploymentId };
                return this.undoRollback(failing, switched, wanted.slice(i + 1).map((w, j) => ({ serviceId: w.serviceId, serves: before[i + 1 + j] })), error, deadline);
            }
        }
        const release = this.toRelease(pairs);
        // The restored deployments carry the commit they were built from; keep the target's when Railway does not.
        return { ...release, sha: release.sha ?? to.sha };
    }
    /** The ids of a service's newest deployments: what a switch that starts now is told apart from. */
    async recentIds(serviceId) {
        return new Set((await this.history(serviceId, undefined, 10)).map((d) => d.id));
    }
    /**
     * A multi-service rollback that failed at one service: the services switched before it go back to what they
     * served, and so does the failing one if its switch had begun (a rollback deployment still starting is
     * cancelled; one that went live is rolled back). Throws the failure, saying where every service is.
     */
    async undoRollback(failing, switched, untouched, error, deadline) {
        // Putting back is bounded on its own: a rollback that ran out of time still gets its services put back.
        const restoreBy = _deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .Deadline */ .B.in(Math.max(deadline.left(), 5 * 60_000));
        const where = [];
        const stuck = [];
        const serves = (d) => d ? `${d.id}${commitOf(d) ? ` (commit ${commitOf(d)?.slice(0, 7)})` : ''}` : 'nothing';
        const putBack = async (serviceId, previous, seen) => {
            const label = this.label({ service: serviceId, name: previous?.service?.name ?? undefined });
            try {
                const outcome = await this.restoreService(serviceId, previous, seen, restoreBy);
                where.push(`${label} ${outcome}`);
            }
            catch (putBackError) {
                const now = await this.serving(serviceId).catch(() => undefined);
                stuck.push(`${label} serves ${serves(now)}, not ${serves(previous)} (${putBackError.message})`);
            }
        };
        // The failing service first (a rollback deployment of it may still be starting), then the switched ones.
        await putBack(failing.serviceId, failing.before, failing.seen);
        for (const s of [...switched].reverse())
            await putBack(s.serviceId, s.before, undefined);
        for (const u of untouched)
            where.push(`${this.label({ service: u.serviceId, name: u.serves?.service?.name ?? undefined })} was not switched (serves ${serves(u.serves)})`);
        const reason = error.message;
        const failingLabel = this.label({ service: failing.serviceId, name: failing.before?.service?.name ?? undefined });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ProviderError */ .mZ('Railway', `${failingLabel} could not be switched to ${failing.target}: ${reason}`, {
            action: 'rollback',
            hint: [
                stuck.length === 0
                    ? `A rollback moves every service or none: each is back where it was. ${where.join('; ')}.`
                    : `Could not be put back: ${stuck.join('; ')}. The environment now mixes releases: run this rollback again (it finds the mix from Railway and completes it), or roll these services back in Railway's dashboard. ${where.join('; ')}.`,
                error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0 && error.hint ? error.hint : '',
            ]
                .filter(Boolean)
                .join(' '),
        });
    }
    /**
     * Puts one service back on `previous` after a failed switch: a deployment of the switch still starting (not
     * among `seen`) is cancelled, and if the service then serves anything else, `previous` is rolled back to.
     * Returns what was done, for the failure message.
     */
    async restoreService(serviceId, previous, seen, deadline) {
        let cancelled = '';
        if (seen) {
            const started = (await this.history(serviceId, undefined, 5)).find((d) => !seen.has(d.id) && !DONE_STATES.has(d.status));
            if (started)
                cancelled = `${await this.cancel(started.id)} its rollback deployment ${started.id}; `;
        }
        const now = await this.serving(serviceId);
        if (now?.id === previous?.id)
            return `${cancelled}serves ${previous?.id ?? 'nothing'} as before`;
        if (!previous)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0('it served nothing before this rollback, so there is nothing to put back');
        const back = await this.rollbackService(serviceId, previous, deadline);
        return `${cancelled}was put back on ${previous.id} (now ${back.id})`;
    }
    /**
     * What each service serves now. When the services serve deployments of different commits (a switch of several
     * services that stopped part-way: a killed run, a service that could not be put back), the release is marked
     * `mixed`: it is not a release anyone deployed, so it is never recorded or restored as one.
     */
    async current() {
        const live = await Promise.all(this.railway.services.map((s) => this.serving(s)));
        if (live.some((d) => !d))
            return undefined;
        const pairs = live.map((d, i) => ({
            serviceId: this.railway.services[i],
            deployment: d,
        }));
        const release = this.toRelease(pairs);
        const commits = new Set(pairs.map((p) => commitOf(p.deployment)));
        // A deployment without a commit (an image) cannot be told apart by commit: then there is no telling.
        if (commits.size > 1 && !commits.has(undefined)) {
            release.mixed = pairs
                .map((p) => `${this.label({ service: p.serviceId, name: p.deployment.service?.name ?? undefined })} serves ${p.deployment.id} (commit ${commitOf(p.deployment)?.slice(0, 7)})`)
                .join(', ');
        }
        return release;
    }
    /**
     * The release before the live one, per service: a service the live release moved goes back to the deployment
     * it served before; a service it did not move (a partial release whose other services failed, or a release of
     * fewer services) stays where it is, so one rollback undoes one release, never more. The live release moved
     * the services whose live deployment is of the same commit as the newest live deployment.
     *
     * A mixed state (see current()) is settled instead: every service goes to the oldest release among those the
     * services serve. A deploy or a rollback to an older release that stopped part-way left some services on the
     * release it started from (a deploy) or on its target (a rollback), and the others on the newer one: settling
     * puts the deploy's services back, and completes the rollback.
     */
    async previous(current) {
        const liveIds = new Map((current?.services ?? []).map((s) => [s.service, s.id]));
        const services = this.railway.services;
        const histories = await Promise.all(services.map((s) => this.history(s, SERVED_STATES)));
        const live = histories.map((history, i) => history.find((d) => d.id === (liveIds.get(services[i]) ?? history[0]?.id)));
        if (current?.mixed)
            return this.settle(histories, live);
        const newest = [...live].sort((a, b) => Date.parse(b?.createdAt ?? '') - Date.parse(a?.createdAt ?? ''))[0];
        const pairs = [];
        for (const [i, serviceId] of services.entries()) {
            const history = histories[i];
            const serving = live[i];
            if (serving && newest && serving !== newest && commitOf(serving) !== commitOf(newest)) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} was not moved by the live release (it serves ${serving.id}, of another commit); it stays`);
                pairs.push({ serviceId, deployment: serving });
                continue;
            }
            const start = serving ? history.indexOf(serving) + 1 : 0;
            const candidate = history.slice(start).find((d) => d.canRollback !== false);
            if (!candidate) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} has no earlier successful deployment that can be rolled back to`);
                return undefined;
            }
            pairs.push({ serviceId, deployment: candidate });
        }
        return this.toRelease(pairs);
    }
    /**
     * The release a mixed state settles on: the commit first built longest ago among those the services serve (a
     * rollback deployment carries the commit of the deployment it restores), each service on its newest deployment
     * of that commit (the live one where it already serves it).
     */
    settle(histories, live) {
        const services = this.railway.services;
        const firstBuilt = new Map();
        for (const history of histories) {
            for (const d of history) {
                const commit = commitOf(d);
                const at = Date.parse(d.createdAt ?? '');
                if (commit && !Number.isNaN(at) && at < (firstBuilt.get(commit) ?? Infinity))
                    firstBuilt.set(commit, at);
            }
        }
        const liveCommits = [
            ...new Set(live.map((d) => (d ? commitOf(d) : undefined)).filter((c) => Boolean(c))),
        ];
        const oldest = liveCommits.sort((a, b) => (firstBuilt.get(a) ?? Infinity) - (firstBuilt.get(b) ?? Infinity))[0];
        if (!oldest)
            return undefined;
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: the services serve different releases; settling on commit ${oldest.slice(0, 7)}, the oldest of them`);
        const pairs = [];
        for (const [i, serviceId] of services.entries()) {
            const serving = live[i];
            const candidate = serving && commitOf(serving) === oldest
                ? serving
                : histories[i]?.find((d) => commitOf(d) === oldest && d.canRollback !== false);
            if (!candidate) {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`Railway: service ${serviceId} has no deployment of commit ${oldest.slice(0, 7)} that can be rolled back to`);
                return undefined;
            }
            pairs.push({ serviceId, deployment: candidate });
        }
        return this.toRelease(pairs);
    }
    async describe(id) {
        const parts = parseReleaseId(id);
        if (parts.length === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`'${id}' is not a Railway release id (serviceId=deploymentId pairs, comma separated, or one deployment id)`);
        const pairs = await Promise.all(parts.map(async (p) => {
            const deployment = await this.deployment(p.deployment);
            const serviceId = p.service ?? deployment.serviceId ?? deployment.service?.id;
            if (!serviceId)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway deployment ${p.deployment} belongs to no service`);
            if (p.service && deployment.serviceId && deployment.serviceId !== p.service)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`Railway deployment ${p.deployment} belongs to service ${deployment.serviceId}, not ${p.service}`);
            return { serviceId, deployment };
        }));
        return this.toRelease(pairs);
    }
    async findBySha(sha) {
        const pairs = [];
        for (const serviceId of this.railway.services) {
            const match = (await this.history(serviceId, SERVED_STATES)).find((d) => commitOf(d)?.startsWith(sha.toLowerCase()) && d.canRollback !== false);
            if (!match)
                return undefined;
            pairs.push({ serviceId, deployment: match });
        }
        return this.toRelease(pairs);
    }
    /**
     * A service connected to a repository has a deployment trigger per environment for one branch: Railway deploys
     * every push to it. Any service of the release with a trigger on `branch` in this environment deploys it by itself.
     */
    async gitDeploys(branch) {
        const howToTurnOff = 'Railway service Settings → Source → Disconnect the repository, or remove its branch trigger for this environment (Settings → Source → Branch connected to the environment)';
        const found = await Promise.all(this.railway.services.map(async (serviceId) => {
            const data = await this.gql(Q_GIT_TRIGGERS, { projectId: this.config.project, environmentId: this.railway.environmentId, serviceId }, { label: `read the source of service ${serviceId}` });
            const name = `${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(data.serviceInstance.serviceName)} (${serviceId})`;
            const triggers = data.deploymentTriggers.edges.map((e) => e.node);
            const onBranch = triggers.filter((t) => t.branch === branch);
            if (onBranch.length > 0) {
                const what = onBranch
                    .map((t) => `${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(t.repository)}@${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(t.branch)}${t.checkSuites ? ' once its checks pass' : ''}`)
                    .join(', ');
                return { on: true, text: `${name} deploys every push to ${what}` };
            }
            const repo = data.serviceInstance.source?.repo;
            if (triggers.length > 0)
                return {
                    on: false,
                    text: `${name} deploys pushes to ${triggers.map((t) => (0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(t.branch)).join(', ')}, not ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(branch)}`,
                };
            return {
                on: false,
                text: repo
                    ? `${name}: ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(repo)} has no branch trigger in this environment`
                    : `${name} has no repository connected`,
            };
        }));
        const on = found.filter((f) => f.on);
        return { on: on.length > 0, detail: (on.length > 0 ? on : found).map((f) => f.text).join('; '), howToTurnOff };
    }
}
function hintFor(message, status) {
    if (status === 401 || status === 403 || /not authori[sz]ed|unauthori[sz]ed|invalid token/i.test(message))
        return "Check input 'token' and 'railway-token-type': a project token (Project-Access-Token) works only for its own project and environment; an account or workspace token is sent as a Bearer token.";
    if (/not found/i.test(message))
        return "Check inputs 'project', 'railway-environment' and 'services' (Railway IDs, not names).";
    if (status === 429)
        return 'Railway rate limit; try again later.';
    return undefined;
}


/***/ })

};
