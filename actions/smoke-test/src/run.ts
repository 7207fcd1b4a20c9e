// smoke-test: build the checks, run them until ready and through their latency samples, then report — outputs
// (set whether or not the step fails), job summary, annotations — and fail the step when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ShiplineError } from '../../../shared/errors.js';
import { sleep } from '../../../shared/http.js';
import { readRunContext } from '../../../shared/run-context.js';
import { error as annotateError, info, setOutput, setSecret, warning } from '../../../shared/runner.js';
import { inline, scrub } from '../../../shared/sanitise.js';
import { appendSummary } from '../../../shared/summary.js';
import { workspaceOf } from '../../../shared/workspace.js';
import { type CheckPlan, type CheckSpec, checksFromInputs } from './checks.js';
import { type CheckResult, runChecks, type Schedule } from './execute.js';
import type { SmokeTestInputs } from './inputs.js';
import { Connections, displayUrl, type TlsSettings } from './probe.js';
import type { BaselineStore, RestoreResult } from './baseline-cache.js';
import { buildReport, failedRegressions, type RegressionReport, type Report, summaryMarkdown } from './report.js';
import { baselineOf, compareWithBaseline, describeRegression, type RegressionOutcome } from './regression.js';
import { type Result, setResult, SettingsError } from './result.js';
import { evaluateThresholds, formatMeasured, latencyStats } from './thresholds.js';
import { metricGatesFromInputs, type WindowGate, windowGatesFromInputs } from './window-gates.js';
import type { Verdict } from './window-verdict.js';

function workspacePath(path: string): string {
  return isAbsolute(path) ? path : resolve(workspaceOf(), path);
}

function readFileFor(what: string, path: string): string {
  try {
    return readFileSync(workspacePath(path), 'utf8');
  } catch (error) {
    throw new SettingsError(
      `${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

async function planChecks(inputs: SmokeTestInputs): Promise<CheckPlan> {
  const file = inputs['checks-file'];
  if (!inputs.checks && !file) return checksFromInputs(inputs);
  const { checksFromDocument, ChecksProblems } = await import('./document.js');
  const source = file
    ? { text: readFileFor("Input 'checks-file'", file), label: file, file }
    : { text: inputs.checks, label: "input 'checks'" };
  try {
    return checksFromDocument(source, inputs);
  } catch (error) {
    if (!(error instanceof ChecksProblems)) throw error;
    const count = error.problems.length;
    throw new SettingsError(
      `The checks in ${source.label} have ${count} problem${count === 1 ? '' : 's'}:\n- ${error.problems.join('\n- ')}`,
    );
  }
}

/** `*.vercel.app` matches any host under vercel.app; anything else matches exactly. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p;
}

/**
 * The CA files the checks name, read before any request: a file that cannot be read is a problem with the settings,
 * reported as one, not a failed request on every tick (a bake window would fail and roll a good release back).
 */
function readCaFiles(checks: readonly CheckSpec[]): Map<string, string> {
  const caFiles = new Map<string, string>();
  for (const check of checks) {
    const caFile = check.tls.caFile;
    if (caFile && !caFiles.has(caFile)) caFiles.set(caFile, readFileFor(`CA file of check '${check.name}'`, caFile));
  }
  return caFiles;
}

/** TLS per request: the CA files a check names (read by readCaFiles), and verification off only where the user asked for it. */
function tlsResolver(
  insecureHosts: readonly string[],
  caFiles: ReadonlyMap<string, string>,
): (check: CheckSpec, url: URL) => TlsSettings {
  const warned = new Set<string>();
  return (check, url) => {
    const caFile = check.tls.caFile;
    const insecure =
      url.protocol === 'https:' && (check.tls.insecure || insecureHosts.some((p) => hostMatches(url.hostname, p)));
    if (insecure && !warned.has(url.hostname)) {
      warned.add(url.hostname);
      warning(
        `TLS certificate verification is off for ${url.hostname}, as asked (insecure-hosts or tls.insecure). Use it for preview deployments only.`,
      );
    }
    return { insecure, ...(caFile ? { ca: caFiles.get(caFile) as string } : {}) };
  };
}

function overallOf(results: CheckResult[], plan: CheckPlan): Report['overall'] {
  const measured = {
    durationsMs: results.flatMap((r) => r.durationsMs),
    failed: results.reduce((sum, r) => sum + (r.samples?.failed ?? 0), 0),
    total: results.reduce((sum, r) => sum + (r.samples?.taken ?? 0), 0),
  };
  return {
    samples: measured.total,
    ...(measured.total > 0 ? { latency: latencyStats(measured) } : {}),
    thresholds: evaluateThresholds(plan.overallThresholds, measured),
  };
}

function annotate(report: Report): void {
  for (const check of report.checks) {
    const where = check.source
      ? { file: check.source.file, startLine: check.source.line, startColumn: check.source.column }
      : {};
    if (!check.passed)
      annotateError(`${check.method} ${check.url}: ${check.reasons.join('; ')}`, {
        title: `smoke-test: ${check.name} failed`,
        ...where,
      });
    else if (check.warnings.length > 0)
      warning(`${check.method} ${check.url}: ${check.warnings.join('; ')}`, {
        title: `smoke-test: ${check.name} degraded`,
        ...where,
      });
  }
  for (const t of report.overall.thresholds.filter((x) => !x.passed))
    annotateError(`Overall threshold ${t.threshold} not met: measured ${formatMeasured(t)}`, {
      title: 'smoke-test: overall latency',
    });
  for (const r of failedRegressions(report.regression))
    annotateError(`${r.check}: ${describeRegression(r)}`, { title: `smoke-test: ${r.check} latency regression` });
}

/**
 * Outputs carry the server's text (reasons quote bodies), and a server may echo a credential back; the runner
 * would drop such an output whole ("may contain secret"), so every registered secret is starred out first.
 */
function publish(report: Report): void {
  const overallLatency = report.overall.latency;
  publishCommon({
    result: report.passed ? 'passed' : report.inconclusive ? 'inconclusive' : 'failed',
    failureReason: report.passed ? '' : report.summary,
    errorRate: overallLatency ? String(overallLatency.errorRate) : '',
    ticks: '',
    p95: overallLatency && !Number.isNaN(overallLatency.p95) ? String(overallLatency.p95) : '',
  });
  setOutput('passed', String(report.passed));
  setOutput(
    'failed-checks',
    scrub(
      report.checks
        .filter((c) => !c.passed)
        .map((c) => c.name)
        .join(','),
    ),
  );
  setOutput('status', report.status);
  if (report.regression)
    setOutput(
      'regression',
      report.regression.status === 'compared'
        ? report.regression.passed
          ? 'passed'
          : 'failed'
        : report.regression.status.replace(' ', '-'),
    );
  setOutput('summary', scrub(report.summary));
  setOutput(
    'report',
    JSON.stringify(report, (_key, value: unknown) => (typeof value === 'string' ? scrub(value) : value)),
  );
  appendSummary(summaryMarkdown(report));
  annotate(report);
}

/** The outputs every mode writes, passed or failed (server text in them scrubbed and on one line). */
function publishCommon(o: {
  result: Result;
  failureReason: string;
  errorRate: string;
  ticks: string;
  p95: string;
}): void {
  setResult(o.result);
  setOutput('failure-reason', inline(o.failureReason, 4000));
  setOutput('error-rate', o.errorRate);
  setOutput('ticks', o.ticks);
  setOutput('p95-ms', o.p95);
}

/** mode: watch — the bake window over the checks, then the same outputs, summary and annotations as a check run. */
async function watch(inputs: SmokeTestInputs, gates: readonly WindowGate[]): Promise<void> {
  const plan = await planChecks(inputs);
  for (const secret of plan.secrets) setSecret(secret);
  const caFiles = readCaFiles(plan.checks);
  const started = performance.now();
  const settings = {
    windowMs: inputs['watch-window'],
    intervalMs: inputs['watch-interval'],
    failAfter: inputs['watch-fail-after'],
    maxErrorRate: inputs['max-error-rate'],
  };
  const { watchWindow } = await import('./watch.js');
  const { buildWatchReport, watchSummaryMarkdown } = await import('./watch-report.js');
  info(
    `Watching ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'}${gates.length > 0 ? ` and ${gates.map((g) => g.name).join(', ')}` : ''} every ${Math.round(settings.intervalMs / 100) / 10}s for ${Math.round(settings.windowMs / 100) / 10}s (fail after ${settings.failAfter} consecutive failures of a check, or an error rate over ${Math.round(settings.maxErrorRate * 10_000) / 100}%).`,
  );
  const connections = new Connections();
  let result;
  try {
    result = await watchWindow(
      plan.checks,
      plan.overallThresholds,
      gates,
      {
        ...settings,
        // The hard bound: the window plus one request timeout, never past the deadline.
        hardEndAt: started + Math.min(settings.windowMs + inputs.timeout, inputs.deadline),
        concurrency: inputs.concurrency,
        gateTimeoutMs: inputs.timeout,
      },
      { connections, tlsFor: tlsResolver(inputs['insecure-hosts'], caFiles), now: () => performance.now(), sleep },
    );
  } finally {
    connections.close();
  }
  const report = buildWatchReport(
    result,
    plan.checks.map((c) => ({ name: c.name, url: displayUrl(c.url) })),
    plan.overallThresholds,
    settings,
  );
  const overall = report.overall.latency;
  publishCommon({
    result: watchResult(result.verdict),
    failureReason: report.failureReason,
    errorRate: String(report.window.errorRate),
    ticks: String(report.window.ticks),
    p95: overall && !Number.isNaN(overall.p95) ? String(overall.p95) : '',
  });
  setOutput('passed', String(report.passed));
  setOutput(
    'failed-checks',
    scrub(
      report.checks
        .filter((c) => !c.passed)
        .map((c) => c.name)
        .join(','),
    ),
  );
  setOutput('status', report.status);
  setOutput('summary', scrub(report.summary));
  setOutput(
    'report',
    JSON.stringify(report, (_key, value: unknown) => (typeof value === 'string' ? scrub(value) : value)),
  );
  appendSummary(watchSummaryMarkdown(report, result.checks, plan.overallThresholds));
  const { metricGatesMarkdown } = await import('./metric-gates-report.js');
  const gateReadings = metricGatesMarkdown(result.gates, report.failures);
  if (gateReadings) appendSummary(gateReadings);
  for (const failure of report.failures) annotateError(failure, { title: 'smoke-test: bake window failed' });
  if (!report.passed) throw new ShiplineError(report.summary);
  info(report.summary);
}

/**
 * `failed` when the window measured a failure; `inconclusive` when all it has against the release is that it could
 * not judge it (see window-verdict.ts's `unjudged`), so that no workflow rolls a release back for that.
 */
function watchResult(verdict: Verdict): Result {
  if (verdict.failures.length === 0) return 'passed';
  return verdict.failures.some((f) => !verdict.unjudged.includes(f)) ? 'failed' : 'inconclusive';
}

/**
 * mode: validate — the inputs were read as for 'validate-as' (inputs.ts); here the checks are built from them as
 * that mode builds them, the checks document included, and nothing is sent anywhere.
 */
async function validate(inputs: SmokeTestInputs): Promise<void> {
  // A preflight may run before the repository is checked out: a file not there yet is read when the step runs.
  const notHere = (path: string) => !existsSync(workspacePath(path));
  const file = inputs['checks-file'];
  if (file && notHere(file))
    info(
      `Input 'checks-file' (${inline(file, 200)}) is not in the workspace here: its checks are validated when the step runs.`,
    );
  else {
    const plan = await planChecks(inputs);
    for (const secret of plan.secrets) setSecret(secret);
    const missing = new Set(plan.checks.flatMap((c) => (c.tls.caFile && notHere(c.tls.caFile) ? [c.tls.caFile] : [])));
    for (const caFile of missing)
      info(`CA file ${inline(caFile, 200)} is not in the workspace here: it is read when the step runs.`);
    readCaFiles(plan.checks.filter((c) => !c.tls.caFile || !missing.has(c.tls.caFile)));
    info(
      `The inputs are valid for mode ${inputs['validate-as']} (${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'}). No request was sent.`,
    );
  }
  setResult('valid');
}

/** What the restored baseline (or its absence) means for the gate. */
function outcomeOf(restored: RestoreResult, inputs: SmokeTestInputs, results: CheckResult[]): RegressionOutcome {
  const key = inputs['regression-key'];
  switch (restored.kind) {
    case 'restored':
      return compareWithBaseline(inputs.regression, results, restored.baseline);
    case 'miss':
      return {
        status: 'no baseline',
        passed: true,
        note: `no baseline under key '${key}' on this branch or the one it reads from (the first run with the gate, or the last baseline went unused for 7 days and was evicted). Nothing compared; this run's figures become the baseline if it passes.`,
      };
    case 'refused':
      return {
        status: 'no baseline',
        passed: true,
        note: `the cached baseline was refused (${restored.matchedKey}: ${restored.reason}). Nothing compared, as on the gate's first run; this run's figures become the baseline if it passes.`,
      };
    case 'unavailable':
      return { status: 'skipped', passed: true, note: restored.reason };
  }
}

/** Restores the baseline before any request is sent: unpacking it (tar, a child process) must not share the CPU with latency samples. */
async function restoreBaseline(inputs: SmokeTestInputs, store: BaselineStore): Promise<RestoreResult> {
  const restored = await store.restore();
  if (restored.kind === 'unavailable')
    warning(`Latency regression gate skipped: ${restored.reason}.`, { title: 'smoke-test: regression gate skipped' });
  else if (restored.kind === 'restored')
    info(
      `Latency baseline restored from ${restored.matchedKey} (${Object.keys(restored.baseline.checks).length} checks).`,
    );
  else if (restored.kind === 'refused')
    warning(
      `Latency regression gate: the cached baseline was refused: ${restored.reason} (entry ${restored.matchedKey}). Nothing is compared with it.`,
      { title: 'smoke-test: baseline refused' },
    );
  else if (restored.kind === 'miss')
    info(`No latency baseline under key '${inputs['regression-key']}' yet: nothing to compare with.`);
  return restored;
}

/** A passing run's figures become the next run's baseline; a failing run leaves the last good one in place. */
async function saveBaseline(
  report: Report,
  results: CheckResult[],
  inputs: SmokeTestInputs,
  store: BaselineStore,
  restored: RestoreResult,
): Promise<RegressionReport['saved']> {
  if (!report.passed) return { saved: false, note: 'this run failed; the last good release stays the baseline.' };
  if (restored.kind === 'unavailable')
    return { saved: false, note: 'the cache service is not available (see the warning above).' };
  const context = readRunContext();
  const run = {
    key: inputs['regression-key'],
    sha: context.sha,
    ref: context.ref,
    runId: context.runId,
    runAttempt: context.runAttempt,
    savedAt: new Date().toISOString(),
  };
  const saved = await store.save(
    baselineOf(
      results.map((r) => ({ name: r.name, ...(r.latency ? { latency: r.latency } : {}) })),
      run,
    ),
  );
  if (saved.kind === 'saved') {
    info(`Latency baseline saved as ${saved.key}.`);
    return { saved: true, cacheKey: saved.key };
  }
  warning(`The latency baseline was not saved: ${saved.reason}.`, { title: 'smoke-test: baseline not saved' });
  return { saved: false, note: saved.reason, ...(saved.kind === 'not saved' ? { cacheKey: saved.key } : {}) };
}

/** What the caller needs after the step reported: whether a cache call was abandoned (and holds a socket open). */
export interface RunEnd {
  requestsLeftBehind: boolean;
}

/**
 * Runs the smoke test the inputs describe. `gates` are the bake window's extra gates (mode: watch), built from the
 * inputs in window-gates.ts unless the caller (a test) hands its own.
 */
export async function run(
  inputs: SmokeTestInputs,
  end: RunEnd = { requestsLeftBehind: false },
  gates?: readonly WindowGate[],
): Promise<void> {
  if (inputs.mode === 'validate') return validate(inputs);
  if (inputs.mode === 'watch') return watch(inputs, gates ?? windowGatesFromInputs(inputs));
  // The checks and their CA files first: a settings problem is reported before any request, the cache's included.
  const plan = await planChecks(inputs);
  for (const secret of plan.secrets) setSecret(secret);
  const caFiles = readCaFiles(plan.checks);
  const gate = inputs.regression.length > 0;
  let store: BaselineStore | undefined;
  let restored: RestoreResult | undefined;
  if (gate) {
    const { actionsCacheStore } = await import('./baseline-cache.js');
    const context = readRunContext();
    store = actionsCacheStore({
      key: inputs['regression-key'],
      runId: context.runId,
      runAttempt: context.runAttempt,
      timeoutMs: inputs['cache-timeout'],
    });
    restored = await restoreBaseline(inputs, store);
    end.requestsLeftBehind = store.abandoned;
  }
  // Deadlines are measured on the monotonic clock: the wall clock can step (NTP) while a run waits.
  const started = performance.now();
  const schedule: Schedule = {
    deadlineAt: started + inputs.deadline,
    intervalMs: inputs.interval,
    maxIntervalMs: inputs['max-interval'],
    // A scheduled health check asks "is it up now?": a few tries ride out a blip, waiting minutes would not.
    maxAttempts: inputs['max-attempts'] || (inputs.mode === 'monitor' ? 3 : 0),
    concurrency: inputs.concurrency,
    // Overall thresholds need every check's samples, and so does the regression gate (every check's percentiles).
    sampleAll: plan.overallThresholds.length > 0 || gate,
  };
  info(
    `Running ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'} (${inputs.mode} mode, up to ${schedule.concurrency} at a time, deadline ${Math.round(inputs.deadline / 1000)}s${schedule.maxAttempts ? `, at most ${schedule.maxAttempts} attempt${schedule.maxAttempts === 1 ? '' : 's'} each` : ''}).`,
  );
  const connections = new Connections();
  let results: CheckResult[];
  try {
    results = await runChecks(plan.checks, schedule, {
      connections,
      tlsFor: tlsResolver(inputs['insecure-hosts'], caFiles),
      now: () => performance.now(),
      sleep,
    });
  } finally {
    connections.close();
  }
  const regression =
    store && restored ? { key: inputs['regression-key'], ...outcomeOf(restored, inputs, results) } : undefined;
  let report = buildReport(results, overallOf(results, plan), inputs.mode, performance.now() - started, regression);
  // The metric gates read once, after the checks, within the deadline.
  const metricGates = gates ?? metricGatesFromInputs(inputs);
  let gateSection: { markdown: string; failures: string[] } | undefined;
  if (metricGates.length > 0) {
    const { oneShotGatesMarkdown, readGatesOnce, withGateReadings } = await import('./metric-gates-report.js');
    const readings = await readGatesOnce(
      metricGates,
      Math.max(1, Math.min(inputs.timeout, started + inputs.deadline - performance.now())),
    );
    const judged = withGateReadings(report, readings, inputs['gates-no-data']);
    report = judged.report;
    gateSection = { markdown: oneShotGatesMarkdown(readings, inputs['gates-no-data']), failures: judged.failures };
  }
  if (store && restored && report.regression) {
    report.regression.saved = await saveBaseline(report, results, inputs, store, restored);
    end.requestsLeftBehind = store.abandoned;
  }
  publish(report);
  if (gateSection) {
    appendSummary(gateSection.markdown);
    for (const failure of gateSection.failures) annotateError(failure, { title: 'smoke-test: metric gate failed' });
  }
  if (!report.passed) throw new ShiplineError(report.summary);
  info(report.summary);
}
