export const id = 146;
export const ids = [146];
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

/***/ 60146:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EcsProvider: () => (/* binding */ EcsProvider)
/* harmony export */ });
/* unused harmony exports progressiveConfiguration, rolloutVerdict */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(80212);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(32635);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9096);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(51787);
/* harmony import */ var _sanitise_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(71193);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(52798);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(21064);
/* harmony import */ var _provider_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(22862);
// AWS ECS Fargate through @aws-sdk/client-ecs (what `aws ecs update-service` does, plus what users of the
// popular deploy action ask for): register a task definition revision (from a file, or the service's current one
// with new images), UpdateService, then wait until the service is stable — or fail loudly when the deployment
// circuit breaker rolls it back, when the rollout FAILED, or at the deadline — with the service's recent events
// and the stopped tasks' reasons. A release is one task definition revision: Release.id is its ARN.
//
// This module is only imported when provider is ecs (load.ts), so the SDK never weighs on another provider's cold
// start. Credentials come from the SDK's standard chain (environment, OIDC web identity from
// aws-actions/configure-aws-credentials, profiles, instance roles); AWS_ENDPOINT_URL_ECS is honoured by the SDK.
//
// The commit a revision was built from is recorded as the docker label `shipline.sha` on each container of the
// revisions shipline registers: labels need no extra IAM permission (tags on RegisterTaskDefinition need
// ecs:TagResource) and change nothing at run time. findBySha() reads it back.











/** The label holding the commit a revision was built from. */
const SHA_LABEL = 'shipline.sha';
/**
 * Service polling while a rollout runs. ECS rollouts take minutes to hours (draining, health checks); AWS's own
 * services-stable waiter polls every 15 s. Quick at first to catch a fast failure, then every 30 s: about 2
 * DescribeServices calls a minute for a long wait, far below ECS's API rate limits shared with other tools.
 */
/** How long the last look at the deadline may take. */
const LAST_LOOK_MS = 3_000;
/** How long each call after a failed rollout may take (the explanation, the restore): the step ends in bounded time. */
const AFTERMATH_MS = 6_000;
const AFTERMATH = 'the 6 s each call after a failed rollout may take';
/**
 * How long one attempt of an ECS request may wait for its answer to start, or sit silent mid-answer, before the SDK
 * sends it again (its retries stay within the call's deadline: the abort signal ends them too).
 */
const REQUEST_MS = 30_000;
/** What is left of `until` plus the few seconds the last look at it may take (see LAST_LOOK_MS). */
const lastLook = (until) => _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(Math.min(REQUEST_MS, Math.max(until.left(), 0) + LAST_LOOK_MS), until.name);
const seconds = (ms) => `${ms < 10_000 ? (ms / 1000).toFixed(1).replace(/\.0$/, '') : Math.round(ms / 1000)} s`;
const POLL_MS = [2000, 3000, 5000, 5000, 10_000, 10_000, 15_000, 15_000, 20_000, 30_000];
/**
 * Service deployment polling: a pause must be seen soon after it begins (its verdict window and timeout run from
 * then), so quick again after each answer, then slowing to 15 s through long bake times.
 */
const PROGRESSIVE_POLL_MS = [500, 1000, 1000, 2000, 3000, 5000, 5000, 10_000, 15_000];
/** Service deployment statuses of a rollout not yet over (ListServiceDeployments' status filter). */
const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];
/** A service deployment's ARN: what a staged deploy outputs as deployment-id and promote continues. */
const SERVICE_DEPLOYMENT_ARN = /^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:service-deployment\/[\w-]+\/[\w-]+\/[\w-]+$/;
/**
 * The lifecycle stage a staged release waits at: the new revision serves all of the test listener's traffic and none
 * of production's ("Amazon ECS shifts test traffic to the green service revision"; POST_TEST_TRAFFIC_SHIFT comes
 * after it, before any production traffic moves: developer guide, blue/green deployment workflow).
 */
const STAGING_STAGE = 'POST_TEST_TRAFFIC_SHIFT';
/** Service deployment statuses of a rollout that ended without going live. */
const ENDED_UNFINISHED = ['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'];
/**
 * For an update nobody judges (a rollback, a rolling deploy) of a service a progressive deploy left with PAUSE hooks:
 * its deploymentConfiguration without them. Kept, every pause of that rollout would wait for a verdict no one
 * gives and then roll back at its timeout: a rollback would undo itself. Nothing is sent for a service without one.
 */
function withoutPauses(current) {
    const hooks = current?.lifecycleHooks ?? [];
    if (!hooks.some((h) => h.targetType === 'PAUSE'))
        return {};
    return { deploymentConfiguration: { ...current, lifecycleHooks: hooks.filter((h) => h.targetType !== 'PAUSE') } };
}
/**
 * The service's deploymentConfiguration with the strategy, bake times and shipline's PAUSE hook: what the user set
 * otherwise (circuit breaker, alarms, Lambda hooks) stays as it is. Any earlier PAUSE hook is replaced, so a
 * stage shipline no longer pauses at does not keep pausing a rollout nobody answers.
 */
function progressiveConfiguration(current, rollout) {
    const hooks = (current?.lifecycleHooks ?? []).filter((h) => h.targetType !== 'PAUSE');
    hooks.push({
        targetType: 'PAUSE',
        lifecycleStages: rollout.pauseStages,
        timeoutConfiguration: { timeoutInMinutes: rollout.pauseTimeoutMinutes, action: 'ROLLBACK' },
    });
    return {
        ...current,
        strategy: rollout.strategy,
        bakeTimeInMinutes: rollout.bakeMinutes,
        lifecycleHooks: hooks,
        ...(rollout.strategy === 'CANARY'
            ? {
                canaryConfiguration: {
                    canaryPercent: rollout.canaryPercent,
                    canaryBakeTimeInMinutes: rollout.stepBakeMinutes,
                },
            }
            : {}),
        ...(rollout.strategy === 'LINEAR'
            ? {
                linearConfiguration: {
                    stepPercent: rollout.linearStepPercent,
                    stepBakeTimeInMinutes: rollout.stepBakeMinutes,
                },
            }
            : {}),
    };
}
/** What DescribeTaskDefinition returns but RegisterTaskDefinition refuses: set by ECS, never by the caller. */
const READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
/** The input RegisterTaskDefinition takes, from what DescribeTaskDefinition (or a file of it) holds. */
function registrable(td) {
    const copy = { ...td };
    for (const field of READ_ONLY_FIELDS)
        delete copy[field];
    // Empty lists and nulls that describe returns are refused by register in some fields (e.g. an empty
    // placementConstraints with a null expression); they mean "unset" either way.
    for (const [key, value] of Object.entries(copy))
        if (value === null || (Array.isArray(value) && value.length === 0))
            delete copy[key];
    return copy;
}
/** New images by container name; every name must exist, so a typo fails instead of deploying the old image. */
function withImages(input, images) {
    const containers = input.containerDefinitions ?? [];
    const names = new Set(containers.map((c) => c.name));
    const unknown = Object.keys(images).filter((name) => !names.has(name));
    if (unknown.length > 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Input 'images' names ${unknown.map((n) => `'${n}'`).join(', ')}, but the task definition has containers ${[...names].map((n) => `'${n}'`).join(', ')}`);
    return {
        ...input,
        containerDefinitions: containers.map((c) => (c.name && images[c.name] ? { ...c, image: images[c.name] } : c)),
    };
}
function withShaLabel(input, sha) {
    return {
        ...input,
        containerDefinitions: (input.containerDefinitions ?? []).map((c) => ({
            ...c,
            dockerLabels: { ...c.dockerLabels, [SHA_LABEL]: sha },
        })),
    };
}
/**
 * Where a rollout stands, from one DescribeServices answer. Stable means exactly one deployment — ours — whose
 * rollout COMPLETED (or has no rolloutState, for services that do not report one) with running == desired.
 * The circuit breaker shows as our deployment's rolloutState FAILED, or as a PRIMARY deployment that is not ours.
 */
function rolloutVerdict(service, ours) {
    if (service.status && service.status !== 'ACTIVE')
        return { kind: 'failed', reason: `the service is ${service.status}` };
    const deployments = service.deployments ?? [];
    const mine = deployments.find((d) => ours.deploymentId ? d.id === ours.deploymentId : d.taskDefinition === ours.taskDefinition);
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (mine?.rolloutState === 'FAILED') {
        const rolledBackTo = primary && primary.id !== mine.id ? primary.taskDefinition : undefined;
        return {
            kind: 'failed',
            reason: `deployment ${mine.id} FAILED: ${mine.rolloutStateReason ?? 'no reason given'}`,
            rolledBackTo,
        };
    }
    if (!primary || (mine && primary.id !== mine.id) || (!mine && primary.taskDefinition !== ours.taskDefinition)) {
        const rolledBackTo = primary?.taskDefinition;
        return {
            kind: 'failed',
            reason: `the service's PRIMARY deployment is no longer ours (${primary?.id ?? 'none'} runs ${rolledBackTo ?? 'nothing'}): rolled back or replaced`,
            rolledBackTo,
        };
    }
    const target = mine ?? primary;
    const settled = deployments.length === 1 &&
        (target.rolloutState === undefined || target.rolloutState === 'COMPLETED') &&
        target.runningCount === target.desiredCount;
    if (settled)
        return { kind: 'stable', deployment: target };
    return {
        kind: 'progress',
        summary: `${target.rolloutState ?? 'IN_PROGRESS'}: ${target.runningCount ?? 0}/${target.desiredCount ?? 0} running, ${target.pendingCount ?? 0} pending, ${target.failedTasks ?? 0} failed; ${deployments.length} deployments`,
    };
}
/** ECS's own word on a deployment: the newest service event naming it ("… deployment failed: tasks failed to start."). */
function eventAbout(service, deploymentId) {
    if (!deploymentId)
        return undefined;
    return service.events?.find((e) => e.message?.includes(deploymentId))?.message;
}
function parseTaskDefinitionArn(arn) {
    const name = arn.includes('task-definition/') ? arn.split('task-definition/')[1] : arn;
    const [family, revision] = name.split(':');
    return { family: family, revision: revision ? Number(revision) : undefined };
}
function describeError(error) {
    const e = error;
    return { name: e?.name ?? 'Error', message: e?.message ?? String(error), status: e?.$metadata?.httpStatusCode };
}
/**
 * An answer that is not AWS's: a status the SDK could not read an AWS error from (an HTML page from a load balancer
 * or proxy, an empty body, text), as a sentence with the status and what the body held. The SDK reports these as a
 * SyntaxError with "Deserialization error" appended, or as `Unknown: UnknownError`; undefined for AWS's own errors.
 */
function unreadableAnswer(error, action) {
    const e = error;
    const status = e?.$metadata?.httpStatusCode;
    if (status === undefined || status < 400)
        return undefined;
    const deserialization = e.name === 'SyntaxError' || /Deserialization error/.test(e.message ?? '');
    const unknown = (e.name === 'Unknown' || e.name === 'UnknownError') && /^UnknownError$|^Unknown$/.test(e.message ?? '');
    if (!deserialization && !unknown)
        return undefined;
    // The JSON protocol keeps no copy of the body; V8's parse error quotes its first characters.
    const raw = typeof e.$responseBodyText === 'string'
        ? e.$responseBodyText
        : typeof e.$response?.body === 'string'
            ? e.$response.body
            : (/"(.{1,40})"(?:\.\.\.)? is not valid JSON/.exec(e.message ?? '')?.[1] ?? '');
    const body = raw.trim()
        ? `with a body that is not AWS's JSON (a load balancer's or proxy's page?), starting ${(0,_sanitise_js__WEBPACK_IMPORTED_MODULE_6__/* .inline */ .mG)(raw, 200)}`
        : unknown
            ? 'with no AWS error in its body (empty, or not from AWS)'
            : "with a body that is not AWS's JSON";
    return `AWS ECS answered ${status} ${node_http__WEBPACK_IMPORTED_MODULE_0__.STATUS_CODES[status] ?? ''} to ${action}, ${body}`.replace(/ {2,}/g, ' ');
}
function hintFor(name) {
    if (name === 'CredentialsProviderError' ||
        name === 'ExpiredTokenException' ||
        name === 'UnrecognizedClientException' ||
        name === 'InvalidSignatureException')
        return 'AWS credentials come from the environment: add aws-actions/configure-aws-credentials (OIDC: role-to-assume) before this step.';
    if (name === 'AccessDeniedException')
        return 'The role needs ecs:DescribeServices, ecs:DescribeTaskDefinition, ecs:RegisterTaskDefinition, ecs:UpdateService, ecs:ListTasks, ecs:DescribeTasks, ecs:ListTaskDefinitions and iam:PassRole for the task and execution roles.';
    if (name === 'ClusterNotFoundException')
        return "Check input 'cluster' (name or ARN) and 'aws-region'.";
    if (name === 'ServiceNotFoundException' || name === 'ServiceNotActiveException')
        return "Check input 'service' and that it is in input 'cluster'.";
    return undefined;
}
class EcsProvider {
    config;
    name = 'ecs';
    ecs;
    client;
    region;
    constructor(config) {
        this.config = config;
        this.ecs = config.ecs ?? { cluster: '', service: '', images: {} };
        this.region = (0,_aws_js__WEBPACK_IMPORTED_MODULE_5__/* .awsRegion */ .U)(this.ecs.region);
        this.client = new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ECSClient */ .Zgc({
            region: this.region,
            // The SDK retries throttling (ThrottlingException, 429) and 5xx with backoff; a few more attempts than its
            // default 3, since a deploy that gives up on a throttled poll leaves a rollout unwatched. Every call here is
            // safe to repeat: UpdateService to the task definition the service already has starts no new deployment,
            // and a repeated RegisterTaskDefinition at worst leaves an unused revision.
            maxAttempts: 6,
            requestHandler: (0,_aws_js__WEBPACK_IMPORTED_MODULE_5__/* .awsRequestHandler */ .l)(REQUEST_MS),
        });
    }
    /**
     * One SDK call, ended by `within` (else by the step's deadline, config.deadline): every attempt's timeout is cut
     * to the time left and an abort signal ends the call, the SDK's retries and backoff included, when it runs out.
     * An AWS error becomes a ProviderError with AWS's own error name and message.
     */
    async send(action, within, call) {
        const deadline = within ?? this.config.deadline;
        const givenMs = deadline?.left();
        const bound = deadline?.name ? ` (${deadline.name})` : '';
        if (givenMs !== undefined && givenMs <= 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`AWS ECS ${action} was not sent: no time was left before the deadline${bound}`);
        const abortSignal = givenMs === undefined ? undefined : AbortSignal.timeout(givenMs);
        const requestTimeout = Math.min(REQUEST_MS, givenMs ?? REQUEST_MS);
        try {
            return await call({ abortSignal, requestTimeout });
        }
        catch (error) {
            const hint = 'The ECS API did not answer: check the AWS Health Dashboard for ECS in this region, and the network path to it (HTTPS_PROXY, VPC endpoints).';
            // Ended by our abort (the SDK's AbortError, or the reset of an answer cut mid-body), not by the last
            // attempt's own timeout: the bound that ended the call is the deadline.
            if (abortSignal?.aborted && error?.name !== 'TimeoutError')
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`AWS ECS ${action} did not answer within ${seconds(givenMs)}${bound}`, {
                    hint,
                    cause: error,
                });
            const { name, message, status } = describeError(error);
            if (name === 'TimeoutError') {
                const attempts = error.$metadata?.attempts;
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`AWS ECS ${action} did not answer within ${seconds(requestTimeout)}${attempts && attempts > 1 ? `, ${attempts} times` : ''} (${message})`, { hint, cause: error });
            }
            const unreadable = unreadableAnswer(error, action);
            if (unreadable) {
                const attempts = error.$metadata?.attempts;
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`${unreadable}${attempts && attempts > 1 ? ` (after ${attempts} attempts)` : ''}`, {
                    hint: (status ?? 0) >= 500
                        ? hint.replace('The ECS API did not answer', 'The ECS API (or something in front of it) was unavailable')
                        : undefined,
                    cause: error,
                });
            }
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `${name}: ${message}`, { action, status, hint: hintFor(name), cause: error });
        }
    }
    /** The service, read by `within` (else by the step's deadline). */
    async service(within) {
        const answer = await this.send('DescribeServices', within, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeServicesCommand */ .H7c({ cluster: this.ecs.cluster, services: [this.ecs.service] }), options));
        const failure = answer.failures?.[0];
        if (failure)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `${failure.reason ?? 'failure'}${failure.detail ? `: ${failure.detail}` : ''} (${failure.arn ?? this.ecs.service})`, { action: 'DescribeServices', hint: hintFor(failure.reason === 'MISSING' ? 'ServiceNotFoundException' : '') });
        const service = answer.services?.[0];
        if (!service)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service ${this.ecs.service} not found in cluster ${this.ecs.cluster}`, {
                action: 'DescribeServices',
                hint: hintFor('ServiceNotFoundException'),
            });
        return service;
    }
    async taskDefinition(id, within) {
        const answer = await this.send('DescribeTaskDefinition', within, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeTaskDefinitionCommand */ .Zy$({ taskDefinition: id }), options));
        if (!answer.taskDefinition)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `task definition ${id} not found`, { action: 'DescribeTaskDefinition' });
        return answer.taskDefinition;
    }
    inspectorUrl() {
        const region = this.region ?? 'us-east-1';
        const cluster = this.ecs.cluster.split('/').pop();
        const service = this.ecs.service.split('/').pop();
        return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/deployments?region=${region}`;
    }
    toRelease(td, state) {
        const sha = td.containerDefinitions?.map((c) => c.dockerLabels?.[SHA_LABEL]).find(Boolean);
        return {
            provider: 'ecs',
            id: td.taskDefinitionArn,
            inspectorUrl: this.inspectorUrl(),
            target: 'production',
            state,
            createdAt: td.registeredAt ? new Date(td.registeredAt).getTime() : undefined,
            sha,
        };
    }
    /** The revision to register: the file of input 'task-definition', else the service's current one; then images. */
    async nextRevision(current, spec, deadline) {
        let base;
        if (this.ecs.taskDefinition) {
            const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(this.config.workspace, this.ecs.taskDefinition);
            let parsed;
            try {
                parsed = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(path, 'utf8'));
            }
            catch (error) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Input 'task-definition': cannot read ${path} as JSON (${error.message})`);
            }
            // Both the register input and `aws ecs describe-task-definition` output (wrapped in taskDefinition) work.
            base = registrable(parsed.taskDefinition ?? parsed);
            if (!base.family || !base.containerDefinitions?.length)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Input 'task-definition': ${path} has no family or no containerDefinitions`);
        }
        else {
            if (Object.keys(this.ecs.images).length === 0)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0("Provider ecs needs input 'images' (container=image) or input 'task-definition' (a task definition JSON file) to deploy");
            base = registrable(await this.taskDefinition(current, deadline));
        }
        return withShaLabel(withImages(base, this.ecs.images), spec.git.sha);
    }
    async deploy(spec, deadline) {
        const service = await this.service(deadline);
        const controller = service.deploymentController?.type ?? 'ECS';
        if (controller !== 'ECS')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `the service uses the ${controller} deployment controller; only rolling updates (ECS) are supported`, { action: 'deploy' });
        if (this.ecs.progressive)
            return this.deployProgressively(spec, deadline, this.ecs.progressive, service);
        if (spec.staged)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', 'a staged deploy needs ecs-strategy blue-green, canary or linear (a rolling update has no test listener to stage on)', { action: 'deploy' });
        const previous = (service.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ??
            service.taskDefinition);
        const input = await this.nextRevision(previous, spec, deadline);
        const registered = await this.send('RegisterTaskDefinition', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .RegisterTaskDefinitionCommand */ .$Hl(input), options));
        const td = registered.taskDefinition;
        const release = this.toRelease(td, 'REGISTERED');
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: registered ${release.id} (${(td.containerDefinitions ?? []).map((c) => `${c.name}=${c.image}`).join(', ')})`);
        spec.onCreated?.(release);
        const state = await this.update(release.id, previous, deadline, {
            rollBackOnFailure: true,
            action: 'deploy',
            before: service,
        });
        return { release: { ...release, state } };
    }
    /**
     * A deploy with ECS's native blue/green, canary or linear strategy: ECS moves traffic through its lifecycle stages
     * and pauses where shipline asked (PAUSE lifecycle hooks); shipline judges each pause (spec.atPause) and answers
     * ContinueServiceDeployment with CONTINUE or ROLLBACK. A rollout that fails any pause is rolled back by ECS itself,
     * before its next traffic shift. Pause hooks "wait for you to call ContinueServiceDeployment … or until the
     * configured timeout is reached" (developer guide, pause-lifecycle-hooks): shipline sets the timeout's action to
     * ROLLBACK, so a run that dies while paused never leaves the rollout waiting.
     */
    async deployProgressively(spec, deadline, rollout, before) {
        // A staged release waits on the test listener: refused before anything changes when the service has none.
        if (spec.staged)
            this.checkStageable(before, rollout);
        // Never two rollouts: one an earlier run left (killed mid-rollout, or staged and not promoted) is rolled back
        // before this one starts.
        await this.reconcileLeftRollouts(spec, deadline);
        const service = await this.service(deadline);
        const previous = (service.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ??
            service.taskDefinition);
        const input = await this.nextRevision(previous, spec, deadline);
        const registered = await this.send('RegisterTaskDefinition', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .RegisterTaskDefinitionCommand */ .$Hl(input), options));
        const td = registered.taskDefinition;
        const release = this.toRelease(td, 'REGISTERED');
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: registered ${release.id} (${(td.containerDefinitions ?? []).map((c) => `${c.name}=${c.image}`).join(', ')})`);
        spec.onCreated?.(release);
        await spec.beforeRollout?.(release);
        const configuration = progressiveConfiguration(service.deploymentConfiguration, rollout);
        const startedAt = new Date(Date.now() - 1000);
        await this.send('UpdateService', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .UpdateServiceCommand */ .kZr({
            cluster: this.ecs.cluster,
            service: this.ecs.service,
            taskDefinition: release.id,
            deploymentConfiguration: configuration,
        }), options));
        const arn = await this.ourServiceDeployment(release.id, startedAt, deadline);
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ${rollout.strategy} service deployment ${arn.split('/').pop()} started; pausing at ${rollout.pauseStages.join(', ')} for shipline's verdict`);
        const followed = await this.followServiceDeployment(arn, release.id, previous, spec.atPause, deadline, {
            stage: spec.staged,
        });
        if (followed.staged) {
            const until = followed.staged.expiresAt;
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: staged: ${release.id} serves the test listener, production still serves ${previous}. Promote it (command: promote, deployment-id: ${arn})${until ? ` before ${new Date(until).toISOString()}: at that moment ECS rolls it back by itself (ecs-pause-timeout)` : ''}`);
            return { release: { ...release, state: 'STAGED', staging: { handle: arn, expiresAt: until } } };
        }
        return { release: { ...release, state: followed.state } };
    }
    /**
     * A staged release needs what ECS's blue/green needs to give it a test listener: the service's load balancer with
     * an alternate target group and a test listener rule (loadBalancers[].advancedConfiguration, "required for
     * blue/green deployments"), and a pause at the test traffic shift as the first pause of the rollout.
     */
    checkStageable(service, rollout) {
        const advanced = (service.loadBalancers ?? []).map((lb) => lb.advancedConfiguration).find(Boolean);
        if (!advanced?.testListenerRule)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service ${this.ecs.service} has no load balancer test listener (loadBalancers[].advancedConfiguration.testListenerRule${advanced ? '' : ' and alternateTargetGroupArn'}): a staged release waits on the test listener, so target staged needs one`, {
                action: 'deploy',
                hint: 'Give the service an alternate target group and production and test listener rules (ECS blue/green), or deploy with target production.',
            });
        if (rollout.pauseStages[0] !== STAGING_STAGE)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `a staged rollout must pause first at ${STAGING_STAGE}`, {
                action: 'deploy',
            });
    }
    /**
     * How an in-flight service deployment is refused: ROLLBACK at its PAUSE hook awaiting an answer, else
     * StopServiceDeployment ROLLBACK (a deployment between pauses has no hook to answer).
     */
    refusal(arn, sd) {
        const hookId = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION')?.hookId;
        if (hookId)
            return {
                how: `ContinueServiceDeployment ROLLBACK at its pause (hook ${hookId})`,
                send: (deadline) => this.send('ContinueServiceDeployment', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ContinueServiceDeploymentCommand */ .LrH({ serviceDeploymentArn: arn, hookId, action: 'ROLLBACK' }), options)),
            };
        return {
            how: 'StopServiceDeployment ROLLBACK',
            send: (deadline) => this.send('StopServiceDeployment', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .StopServiceDeploymentCommand */ .a8L({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }), options)),
        };
    }
    /** Follows a service deployment until it is no longer in flight; `late(status)` is thrown when the deadline passes. */
    async untilEnded(arn, sd, deadline, late) {
        for (let attempt = 0; IN_FLIGHT.includes(sd.status); attempt++) {
            if (deadline.left() <= 0)
                throw late(sd.status);
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(PROGRESSIVE_POLL_MS[Math.min(attempt, PROGRESSIVE_POLL_MS.length - 1)]);
            sd = await this.describeServiceDeployment(arn, deadline);
        }
        return sd;
    }
    async describeServiceDeployment(arn, within) {
        const answer = await this.send('DescribeServiceDeployments', within, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeServiceDeploymentsCommand */ .A6p({ serviceDeploymentArns: [arn] }), options));
        const found = answer.serviceDeployments?.[0];
        if (!found)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service deployment ${arn} not found`, {
                action: 'DescribeServiceDeployments',
            });
        return found;
    }
    async serviceDeploymentsIn(statuses, within, maxResults) {
        const answer = await this.send('ListServiceDeployments', within, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ListServiceDeploymentsCommand */ .jz8({
            cluster: this.ecs.cluster,
            service: this.ecs.service,
            status: [...statuses],
            ...(maxResults ? { maxResults } : {}),
        }), options));
        return answer.serviceDeployments ?? [];
    }
    /** The task definition a service revision runs. */
    async revisionTaskDefinition(revisionArn, within) {
        if (!revisionArn)
            return undefined;
        const answer = await this.send('DescribeServiceRevisions', within, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeServiceRevisionsCommand */ .oF5({ serviceRevisionArns: [revisionArn] }), options));
        return answer.serviceRevisions?.[0]?.taskDefinition;
    }
    /** The service deployment UpdateService started for `taskDefinition` (UpdateService does not return it). */
    async ourServiceDeployment(taskDefinition, after, deadline) {
        for (let attempt = 0;; attempt++) {
            const answer = await this.send('ListServiceDeployments', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ListServiceDeploymentsCommand */ .jz8({
                cluster: this.ecs.cluster,
                service: this.ecs.service,
                createdAt: { after },
            }), options));
            for (const brief of answer.serviceDeployments ?? [])
                if ((await this.revisionTaskDefinition(brief.targetServiceRevisionArn, deadline)) === taskDefinition)
                    return brief.serviceDeploymentArn;
            if (deadline.left() <= 0 || attempt >= 10)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `UpdateService started no service deployment of ${taskDefinition}`, {
                    action: 'deploy',
                    hint: `Events and logs: ${this.inspectorUrl()}`,
                });
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(PROGRESSIVE_POLL_MS[Math.min(attempt, PROGRESSIVE_POLL_MS.length - 1)]);
        }
    }
    /**
     * Rolls back every service deployment still in flight (left by a run that was killed mid-rollout: nobody judges
     * it any more) and waits until ECS has put the service back, so this deploy never runs beside it.
     */
    async reconcileLeftRollouts(spec, deadline) {
        // Rollouts that ended without their run (a pause that timed out and rolled back): told, so their record ends
        // too. Three calls however many: one list, one describe and one revision lookup of up to 10 each.
        const ended = await this.serviceDeploymentsIn(ENDED_UNFINISHED, deadline, 10);
        if (ended.length > 0) {
            const described = await this.send('DescribeServiceDeployments', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeServiceDeploymentsCommand */ .A6p({
                serviceDeploymentArns: ended.map((b) => b.serviceDeploymentArn),
            }), options));
            const deployments = described.serviceDeployments ?? [];
            const revisions = deployments.flatMap((sd) => sd.targetServiceRevision?.arn ? [sd.targetServiceRevision.arn] : []);
            const runs = revisions.length > 0
                ? await this.send('DescribeServiceRevisions', deadline, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeServiceRevisionsCommand */ .oF5({ serviceRevisionArns: revisions }), options))
                : undefined;
            for (const sd of deployments) {
                const releaseId = runs?.serviceRevisions?.find((r) => r.serviceRevisionArn === sd.targetServiceRevision?.arn)?.taskDefinition;
                if (releaseId)
                    spec.onReconciled?.({
                        releaseId,
                        reason: `ECS ${sd.status}: ${sd.rollback?.reason ?? sd.statusReason ?? 'no reason given'}`,
                    });
            }
        }
        for (const brief of await this.serviceDeploymentsIn(IN_FLIGHT, deadline)) {
            const arn = brief.serviceDeploymentArn;
            let sd = await this.describeServiceDeployment(arn, deadline);
            const stoppedAt = sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
            const releaseId = await this.revisionTaskDefinition(sd.targetServiceRevision?.arn, deadline);
            const reason = 'an earlier run ended while it was rolling out, before any verdict on it';
            if (sd.status === 'IN_PROGRESS' || sd.status === 'PENDING') {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${arn.split('/').pop()} of ${releaseId ?? '?'} is still ${sd.status} at ${stoppedAt}% (${reason}); rolling it back before deploying`);
                await this.refusal(arn, sd).send(deadline);
            }
            sd = await this.untilEnded(arn, sd, deadline, (status) => new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service deployment ${arn} left by an earlier run did not finish rolling back before the deadline (${status})`, { action: 'deploy', hint: `Events and logs: ${this.inspectorUrl()}` }));
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${arn.split('/').pop()} is ${sd.status}`);
            if (releaseId)
                spec.onReconciled?.({ releaseId, stoppedAt, reason: sd.rollback?.reason ?? reason });
        }
    }
    /**
     * Follows a service deployment to its end, answering each PAUSE hook with the verdict spec.atPause gives; returns
     * when ECS reports it SUCCESSFUL and throws, with the share it was stopped at, when it was rolled back or stopped.
     */
    async followServiceDeployment(arn, taskDefinition, previous, atPause, deadline, options = {}) {
        const action = options.action ?? 'deploy';
        const answered = new Set(options.answered ?? []);
        let stoppedAt = 0;
        let verdictReason;
        let lastStage = '';
        let pauses = answered.size;
        for (let attempt = 0;; attempt++) {
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(PROGRESSIVE_POLL_MS[Math.min(attempt, PROGRESSIVE_POLL_MS.length - 1)]);
            let sd;
            try {
                sd = await this.describeServiceDeployment(arn, lastLook(deadline));
            }
            catch (error) {
                if (deadline.left() > 0) {
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: could not read the service deployment (${error.message}); looking again`);
                    continue;
                }
                return this.stopUnjudged(arn, taskDefinition, previous, stoppedAt, `it could not be followed (${error.message})`, action);
            }
            const share = sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
            const testShare = sd.targetServiceRevision?.requestedTestTrafficWeight ?? 0;
            if (sd.status === 'IN_PROGRESS')
                stoppedAt = Math.max(stoppedAt, share);
            const stage = `${sd.status} ${sd.lifecycleStage ?? ''} (production ${share}%, test ${testShare}%)`;
            if (stage !== lastStage)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ${stage}`);
            lastStage = stage;
            if (sd.status === 'SUCCESSFUL') {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${arn.split('/').pop()} SUCCESSFUL: ${taskDefinition} serves all traffic`);
                return { state: 'SUCCESSFUL' };
            }
            if (!IN_FLIGHT.includes(sd.status)) {
                const why = verdictReason ?? sd.rollback?.reason ?? sd.statusReason ?? 'no reason given';
                const outcome = sd.status === 'ROLLBACK_SUCCESSFUL'
                    ? `ECS rolled the service back to ${previous}`
                    : `ECS reports ${sd.status}`;
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ${outcome}`);
                throw new _provider_js__WEBPACK_IMPORTED_MODULE_8__/* .ReleaseNotLive */ .$('AWS ECS', `stopped at ${stoppedAt}% of production traffic: ${why}; ${outcome}`, {
                    action,
                    hint: `Events and logs: ${this.inspectorUrl()}`,
                    outcome: `stopped at ${stoppedAt}%: ${why}`,
                });
            }
            const hook = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION' && h.hookId && !answered.has(h.hookId));
            if (sd.status === 'IN_PROGRESS' && hook?.hookId) {
                answered.add(hook.hookId);
                pauses++;
                const pause = {
                    number: pauses,
                    stage: sd.lifecycleStage ?? 'unknown',
                    productionShare: share,
                    testShare,
                    expiresAt: hook.expiresAt ? new Date(hook.expiresAt).getTime() : undefined,
                };
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: paused (${pause.stage}, production ${share}%, test ${testShare}%); hook ${hook.hookId} waits until ${hook.expiresAt ? new Date(hook.expiresAt).toISOString() : '?'} then ${hook.timeoutAction ?? 'ROLLBACK'}s`);
                const verdict = deadline.left() <= 0
                    ? { ok: false, summary: `no time was left to judge it (${deadline.name ?? 'deadline'})` }
                    : atPause
                        ? await atPause(pause)
                        : { ok: true, summary: 'no checks configured' };
                // Staged: the release stays at its test traffic shift, the pause unanswered, until promote continues it.
                if (options.stage && pauses === 1 && pause.stage === STAGING_STAGE && share === 0 && verdict.ok) {
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: verdict pass (${verdict.summary}); leaving the pause for promote to answer`);
                    return { state: 'STAGED', staged: pause };
                }
                const action = verdict.ok ? 'CONTINUE' : 'ROLLBACK';
                if (!verdict.ok)
                    verdictReason = `shipline's verdict at ${share}%: ${verdict.summary}`;
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: verdict ${verdict.ok ? 'pass' : 'fail'} (${verdict.summary}); answering ${action}`);
                try {
                    await this.send('ContinueServiceDeployment', _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(AFTERMATH_MS, AFTERMATH), (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ContinueServiceDeploymentCommand */ .LrH({ serviceDeploymentArn: arn, hookId: hook.hookId, action }), options));
                }
                catch (error) {
                    // The hook may have timed out meanwhile: ECS then took its timeout action (ROLLBACK) by itself.
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ContinueServiceDeployment ${action} was refused (${error.message}); following what ECS does`);
                }
                attempt = -1;
                continue;
            }
            if (sd.status === 'IN_PROGRESS' && deadline.left() <= 0)
                return this.stopUnjudged(arn, taskDefinition, previous, stoppedAt, `it did not finish before the deadline (${lastStage})`, action);
        }
    }
    /** A rollout shipline can no longer judge is not left running: ECS is asked to roll it back. */
    async stopUnjudged(arn, taskDefinition, previous, stoppedAt, why, action = 'deploy') {
        let outcome;
        try {
            await this.send('StopServiceDeployment', _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(AFTERMATH_MS, AFTERMATH), (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .StopServiceDeploymentCommand */ .a8L({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }), options));
            outcome = `shipline asked ECS to roll the service back to ${previous}`;
        }
        catch (error) {
            outcome = `shipline could not ask ECS to roll back (${error.message}): the service may still be rolling out ${taskDefinition}; the next deploy rolls it back, or run the rollback step`;
        }
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ${outcome}`);
        throw new _provider_js__WEBPACK_IMPORTED_MODULE_8__/* .ReleaseNotLive */ .$('AWS ECS', `stopped at ${stoppedAt}% of production traffic: ${why}; ${outcome}`, {
            action,
            hint: `Events and logs: ${this.inspectorUrl()}`,
            outcome: `stopped at ${stoppedAt}%: ${why}`,
        });
    }
    /**
     * UpdateService to a task definition, then waits for the rollout; a failed one is explained and, where ECS did
     * not already roll back, put back on `previous`. Returns the final rollout state.
     */
    async update(taskDefinition, previous, until, options) {
        const seen = new Set((options.before.events ?? []).map((e) => e.id));
        const unjudged = withoutPauses(options.before.deploymentConfiguration);
        const started = Date.now();
        const updated = await this.send('UpdateService', until, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .UpdateServiceCommand */ .kZr({
            cluster: this.ecs.cluster,
            service: this.ecs.service,
            taskDefinition,
            ...unjudged,
        }), options));
        const deploymentId = updated.service?.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinition)?.id;
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service ${this.ecs.service} updated (deployment ${deploymentId ?? '?'}); waiting until it is stable`);
        let last = '';
        // Read on the monotonic clock: a wall clock that jumps neither cuts the wait short nor stretches it.
        for (let attempt = 0;; attempt++) {
            // Nothing can be stable the instant UpdateService returns: wait first, then look. At the deadline, one last
            // look, so a rollout that finished meanwhile is not reported as a timeout.
            const wait = POLL_MS[Math.min(attempt, POLL_MS.length - 1)];
            const finalLook = until.left() < wait;
            await (0,_http_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy)(finalLook ? Math.max(0, until.left()) : wait);
            let service;
            try {
                // Each look ends by the deadline (the last one gets a few seconds): a hanging API cannot stretch the wait.
                service = await this.service(lastLook(until));
            }
            catch (error) {
                const why = error instanceof Error ? error.message : String(error);
                if (!finalLook && until.left() > 0) {
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: could not read the service (${why}); looking again`);
                    continue;
                }
                // The rollout can no longer be watched: it is not left running unchecked.
                return this.fail(options.before, taskDefinition, `its rollout could not be followed before the deadline (${why})`, undefined, options.rollBackOnFailure ? previous : undefined, options.action, false);
            }
            for (const event of [...(service.events ?? [])].reverse()) {
                if (event.id && !seen.has(event.id)) {
                    seen.add(event.id);
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS event: ${event.message}`);
                }
            }
            const verdict = rolloutVerdict(service, { deploymentId, taskDefinition });
            if (verdict.kind === 'stable') {
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: stable after ${Math.round((Date.now() - started) / 1000)} s (${verdict.deployment.runningCount}/${verdict.deployment.desiredCount} running)`);
                return verdict.deployment.rolloutState ?? 'COMPLETED';
            }
            if (verdict.kind === 'progress') {
                if (verdict.summary !== last)
                    (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ${verdict.summary}`);
                last = verdict.summary;
                if (!finalLook)
                    continue;
            }
            const said = eventAbout(service, deploymentId);
            const reason = verdict.kind === 'failed'
                ? `${verdict.reason}${said && !verdict.reason.includes('FAILED') ? ` (ECS: ${said})` : ''}`
                : `not stable before the deadline (${last})`;
            const rolledBackTo = verdict.kind === 'failed' ? verdict.rolledBackTo : undefined;
            return this.fail(service, taskDefinition, reason, rolledBackTo, options.rollBackOnFailure ? previous : undefined, options.action);
        }
    }
    /**
     * A rollout that failed: the events and stopped tasks are printed, the service is put back on `restore` when ECS
     * did not already roll it back (our own detection: without a circuit breaker, or one without rollback, ECS would
     * keep trying the failing revision), and the step fails with ECS's reason.
     */
    async fail(service, taskDefinition, reason, rolledBackTo, restore, action, explain = true) {
        // When the API stopped answering, asking it why would only spend the time the restore needs.
        const stopped = explain ? await this.explain(service, taskDefinition) : undefined;
        let outcome;
        if (rolledBackTo)
            outcome = `ECS rolled the service back to ${rolledBackTo}`;
        else if (restore && restore !== taskDefinition) {
            try {
                await this.send('UpdateService', _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(AFTERMATH_MS, AFTERMATH), (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .UpdateServiceCommand */ .kZr({ cluster: this.ecs.cluster, service: this.ecs.service, taskDefinition: restore }), options));
                outcome = `shipline put the service back on ${restore}`;
            }
            catch (error) {
                outcome = `shipline could not put the service back on ${restore} (${error instanceof Error ? error.message : String(error)}): the service may still be rolling out ${taskDefinition}; run the rollback step, or update the service to ${restore} by hand`;
            }
        }
        else
            outcome = 'the service was left as it is';
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: ${outcome}`);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `${reason}; ${outcome}`, {
            action,
            hint: [stopped ? `Stopped tasks: ${stopped}` : '', `Events and logs: ${this.inspectorUrl()}`]
                .filter(Boolean)
                .join('\n'),
        });
    }
    /** Prints the recent service events and the stopped tasks' reasons; returns the first reason, for the error. */
    async explain(service, taskDefinition) {
        const events = (service.events ?? []).slice(0, 10).reverse();
        if (events.length)
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: recent service events:\n${events.map((e) => `  ${e.createdAt ? new Date(e.createdAt).toISOString() : ''} ${e.message}`).join('\n')}`);
        try {
            const listed = await this.send('ListTasks', _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(AFTERMATH_MS, AFTERMATH), (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ListTasksCommand */ .MYg({
                cluster: this.ecs.cluster,
                serviceName: this.ecs.service,
                desiredStatus: 'STOPPED',
                maxResults: 100,
            }), options));
            const arns = listed.taskArns ?? [];
            if (arns.length === 0)
                return undefined;
            const described = await this.send('DescribeTasks', _deadline_js__WEBPACK_IMPORTED_MODULE_9__/* .Deadline */ .B.in(AFTERMATH_MS, AFTERMATH), (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .DescribeTasksCommand */ .z8X({ cluster: this.ecs.cluster, tasks: arns.slice(0, 100) }), options));
            const ours = (described.tasks ?? [])
                .filter((t) => t.taskDefinitionArn === taskDefinition)
                .sort((a, b) => new Date(b.stoppedAt ?? 0).getTime() - new Date(a.stoppedAt ?? 0).getTime());
            const lines = ours.slice(0, 5).map((t) => {
                const containers = (t.containers ?? [])
                    .filter((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== 0))
                    .map((c) => `${c.name}: ${[c.reason, c.exitCode !== undefined ? `exit ${c.exitCode}` : ''].filter(Boolean).join(', ')}`);
                return `${t.taskArn?.split('/').pop()}: ${t.stoppedReason ?? t.stopCode ?? 'stopped'}${containers.length ? ` (${containers.join('; ')})` : ''}`;
            });
            if (lines.length)
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: stopped tasks of ${taskDefinition}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
            return lines[0];
        }
        catch (error) {
            // The explanation must never hide the failure it explains.
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: could not list the stopped tasks (${error.message})`);
            return undefined;
        }
    }
    /**
     * Promotes a staged release: its service deployment must still be the one paused at the test traffic shift, its
     * pause awaiting an answer. ContinueServiceDeployment CONTINUE lets ECS shift production traffic; the rest of the
     * rollout is followed as a progressive deploy follows it (further pauses judged by options.atPause) until ECS
     * reports it SUCCESSFUL. A service deployment that ended (its pause timed out, it was rolled back, stopped, or
     * replaced by a newer one) is refused with ECS's own reason; one an earlier promote already continued is followed
     * without being continued again, and one already SUCCESSFUL is reported live without a call that changes anything.
     */
    async promote(release, deadline, options = {}) {
        const arn = release.staging?.handle;
        if (!arn)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `${release.id} is a task definition, not a staged release: promote takes the service deployment ARN a staged deploy output as deployment-id`, { action: 'promote' });
        const short = arn.split('/').pop();
        let sd = await this.describeServiceDeployment(arn, deadline);
        const previous = (await this.revisionTaskDefinition(sd.sourceServiceRevisions?.[0]?.arn, deadline)) ?? 'the previous revision';
        if (sd.status === 'SUCCESSFUL') {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${short} is already SUCCESSFUL: ${release.id} serves all traffic`);
            return { ...release, state: 'SUCCESSFUL', staging: undefined };
        }
        /** `ended`: ECS ended the rollout (it can never go live); else it is not at its staging pause yet. */
        const refuse = (deployment, why, ended = true) => {
            const reason = deployment.rollback?.reason ?? deployment.statusReason;
            const message = `the staged service deployment ${short} of ${release.id} ${why}${reason ? ` (ECS: ${reason})` : ''}; nothing was promoted: production serves ${previous}`;
            const options = {
                action: 'promote',
                hint: `A staged release waits at most ecs-pause-timeout, then ECS rolls it back. Deploy again with target staged and promote its deployment-id. Events and logs: ${this.inspectorUrl()}`,
            };
            if (!ended)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', message, options);
            throw new _provider_js__WEBPACK_IMPORTED_MODULE_8__/* .ReleaseNotLive */ .$('AWS ECS', message, {
                ...options,
                outcome: `ECS ${deployment.status}${reason ? `: ${reason}` : ''}`,
            });
        };
        if (sd.status !== 'IN_PROGRESS')
            return refuse(sd, `is ${sd.status}`);
        const pauses = (sd.lifecycleHookDetails ?? []).filter((h) => (h.targetType ?? 'PAUSE') === 'PAUSE');
        // The staging pause is the rollout's first (a staged deploy pauses nowhere before the test traffic shift).
        const staging = pauses[0];
        if (!staging?.hookId)
            return refuse(sd, 'has not reached its staging pause (it is still rolling out)', false);
        if (staging.status === 'AWAITING_ACTION') {
            try {
                await this.send('ContinueServiceDeployment', deadline, (callOptions) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ContinueServiceDeploymentCommand */ .LrH({
                    serviceDeploymentArn: arn,
                    hookId: staging.hookId,
                    action: 'CONTINUE',
                }), callOptions));
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: promote: answered CONTINUE at the staging pause of ${short}; ECS shifts production traffic`);
            }
            catch (error) {
                // Refused: the pause may have timed out meanwhile, or another promote answered it first. ECS's state decides.
                sd = await this.describeServiceDeployment(arn, deadline);
                const now = sd.lifecycleHookDetails?.find((h) => h.hookId === staging.hookId);
                if (sd.status !== 'IN_PROGRESS')
                    return refuse(sd, `is ${sd.status}`);
                if (now?.status !== 'SUCCEEDED')
                    throw error;
                (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: the staging pause of ${short} was continued by another promote; following the rollout`);
            }
        }
        else if (staging.status === 'SUCCEEDED')
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: the staging pause of ${short} was continued by an earlier promote; following the rest of the rollout`);
        else
            return refuse(sd, `left its staging pause ${staging.status}`);
        const followed = await this.followServiceDeployment(arn, release.id, previous, options.atPause, deadline, {
            answered: pauses.slice(0, 1).map((h) => h.hookId),
            action: 'promote',
        });
        return { ...release, state: followed.state, staging: undefined };
    }
    /**
     * Ends a staged release that failed its checks, before production ever serves it: a service deployment still
     * paused at a PAUSE hook is refused there (ContinueServiceDeployment ROLLBACK: pause hooks wait "until you call
     * ContinueServiceDeployment", and ROLLBACK rolls the deployment back), one still rolling out without a pause is
     * stopped (StopServiceDeployment ROLLBACK), as deploy ends one an earlier run left. Either way ECS returns every
     * listener to the revision production serves; this follows it until ECS reports the rollback over. One that
     * already ended is reported and nothing is sent; one that went live (SUCCESSFUL) is left to the ordinary rollback.
     */
    async discardStaged(id, deadline, options) {
        if (!SERVICE_DEPLOYMENT_ARN.test(id))
            return undefined;
        const [cluster, service] = id.split('/').slice(1, 3);
        const own = (name) => name.split('/').pop();
        if (cluster !== own(this.ecs.cluster) || service !== own(this.ecs.service))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ShiplineError */ .J0(`Input 'failed-deployment-id' ${id} is a service deployment of ${cluster}/${service}, not of input 'service' ${own(this.ecs.cluster)}/${own(this.ecs.service)}: nothing was changed`);
        const short = id.split('/').pop();
        let sd = await this.describeServiceDeployment(id, deadline);
        const taskDefinition = await this.revisionTaskDefinition(sd.targetServiceRevision?.arn, deadline);
        if (!taskDefinition)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service deployment ${id} names no task definition it rolls out`, {
                action: 'rollback',
            });
        const release = this.toRelease(await this.taskDefinition(taskDefinition, deadline), sd.status);
        const ended = (status) => `ECS ${status}${sd.rollback?.reason ? `: ${sd.rollback.reason}` : ''}`;
        if (sd.status === 'SUCCESSFUL')
            return { release, live: true, sent: false, outcome: 'ECS SUCCESSFUL' };
        if (!IN_FLIGHT.includes(sd.status)) {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${short} of ${taskDefinition} already ended ${sd.status}; nothing to send`);
            return { release, live: false, sent: false, outcome: ended(sd.status) };
        }
        let sent = false;
        if (sd.status === 'IN_PROGRESS' || sd.status === 'PENDING') {
            const refusal = this.refusal(id, sd);
            if (options.dryRun)
                return { release, live: false, sent: false, outcome: `ECS ${sd.status}: would send ${refusal.how}` };
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${short} of ${taskDefinition} is ${sd.status}; rolling it back (${refusal.how})`);
            await refusal.send(deadline);
            sent = true;
        }
        else if (options.dryRun)
            return { release, live: false, sent: false, outcome: `ECS ${sd.status}` };
        sd = await this.untilEnded(id, sd, deadline, (status) => new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service deployment ${id} of ${taskDefinition} did not finish rolling back before the deadline (${status})`, { action: 'rollback', hint: `Production was not switched. Events and logs: ${this.inspectorUrl()}` }));
        (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: service deployment ${short} is ${sd.status}`);
        if (sd.status === 'SUCCESSFUL')
            return { release, live: true, sent, outcome: 'ECS SUCCESSFUL' };
        if (sd.status !== 'ROLLBACK_SUCCESSFUL')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service deployment ${id} of ${taskDefinition} ended ${ended(sd.status)}`, {
                action: 'rollback',
                hint: `Production was not switched; check the service. Events and logs: ${this.inspectorUrl()}`,
            });
        return { release, live: false, sent, outcome: ended(sd.status) };
    }
    async rollback(to, deadline) {
        const service = await this.service(deadline);
        const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
        if (primary?.taskDefinition === to.id &&
            rolloutVerdict(service, { deploymentId: primary.id, taskDefinition: to.id }).kind === 'stable') {
            (0,_runner_js__WEBPACK_IMPORTED_MODULE_7__/* .info */ .pq)(`AWS ECS: the service already runs ${to.id}`);
        }
        else {
            // A rollback that fails is not rolled back again: it is reported, and the service is left to ECS.
            await this.update(to.id, undefined, deadline, { rollBackOnFailure: false, action: 'rollback', before: service });
        }
        // The rollout may have been seen stable at the last look: reading what it restored gets that look's grace too.
        return this.toRelease(await this.taskDefinition(to.id, lastLook(deadline)), 'COMPLETED');
    }
    async current() {
        const service = await this.service();
        const primaryDeployment = service.deployments?.find((d) => d.status === 'PRIMARY');
        // During a blue/green, canary or linear rollout the new revision is PRIMARY from the start, but production is the
        // old one's until the rollout completes (it may still be rolled back): that is what is live.
        const progressive = (service.deploymentConfiguration?.strategy ?? 'ROLLING') !== 'ROLLING';
        const serving = progressive && primaryDeployment?.rolloutState === 'IN_PROGRESS'
            ? service.deployments?.find((d) => d.status === 'ACTIVE')
            : undefined;
        if (serving?.taskDefinition)
            return this.toRelease(await this.taskDefinition(serving.taskDefinition), serving.rolloutState);
        const primary = primaryDeployment?.taskDefinition ?? service.taskDefinition;
        return primary
            ? this.toRelease(await this.taskDefinition(primary), service.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState)
            : undefined;
    }
    /**
     * Without a ledger: the task definition of the service's other deployment while a rollout is under way, else
     * the newest ACTIVE revision of the family older than the current one. ECS keeps no record of which revisions
     * were once stable, so this can pick a revision whose deploy failed: the ledger (the default) is exact.
     */
    async previous(current) {
        const service = await this.service();
        const live = current?.id ?? service.taskDefinition;
        if (!live)
            return undefined;
        const other = service.deployments?.find((d) => d.status !== 'PRIMARY' && d.taskDefinition !== live)?.taskDefinition;
        if (other)
            return this.toRelease(await this.taskDefinition(other));
        const { family, revision } = parseTaskDefinitionArn(live);
        const older = (await this.revisions(family)).find((arn) => (parseTaskDefinitionArn(arn).revision ?? 0) < (revision ?? 0));
        return older ? this.toRelease(await this.taskDefinition(older)) : undefined;
    }
    /** A family's ACTIVE revisions, newest first (one page: 100 revisions reach far enough back). */
    async revisions(family) {
        const answer = await this.send('ListTaskDefinitions', undefined, (options) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_10__/* .ListTaskDefinitionsCommand */ .Pse({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: 100 }), options));
        return (answer.taskDefinitionArns ?? []).filter((arn) => parseTaskDefinitionArn(arn).family === family);
    }
    async describe(id) {
        if (SERVICE_DEPLOYMENT_ARN.test(id))
            return this.describeStaged(id);
        return this.toRelease(await this.taskDefinition(id));
    }
    /** A staged release by its service deployment: the revision it rolls out, and its handle for promote. */
    async describeStaged(arn) {
        // That it is a deployment of input 'service' was checked with the inputs (its ARN names cluster and service).
        const sd = await this.describeServiceDeployment(arn);
        const taskDefinition = await this.revisionTaskDefinition(sd.targetServiceRevision?.arn);
        if (!taskDefinition)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .mZ('AWS ECS', `service deployment ${arn} names no task definition it rolls out`, {
                action: 'promote',
            });
        const awaiting = sd.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION')?.expiresAt;
        return {
            ...this.toRelease(await this.taskDefinition(taskDefinition), sd.status),
            staging: { handle: arn, ...(awaiting ? { expiresAt: new Date(awaiting).getTime() } : {}) },
        };
    }
    /** The newest revision of the service's family labelled with the commit (see SHA_LABEL); 30 revisions back. */
    async findBySha(sha) {
        const service = await this.service();
        if (!service.taskDefinition)
            return undefined;
        for (const arn of (await this.revisions(parseTaskDefinitionArn(service.taskDefinition).family)).slice(0, 30)) {
            const td = await this.taskDefinition(arn);
            if (td.containerDefinitions?.some((c) => c.dockerLabels?.[SHA_LABEL]?.startsWith(sha.toLowerCase())))
                return this.toRelease(td);
        }
        return undefined;
    }
}


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


/***/ })

};
