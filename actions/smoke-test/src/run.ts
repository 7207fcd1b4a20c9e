// smoke-test: build the checks, run them until ready and through their latency samples, then report — outputs
// (set whether or not the step fails), job summary, annotations — and fail the step when anything failed.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ShiplineError } from '../../../shared/errors.js';
import { sleep } from '../../../shared/http.js';
import { error as annotateError, info, setOutput, setSecret, warning } from '../../../shared/runner.js';
import { scrub } from '../../../shared/sanitise.js';
import { appendSummary } from '../../../shared/summary.js';
import { type CheckPlan, type CheckSpec, checksFromInputs } from './checks.js';
import { type CheckResult, runChecks, type Schedule } from './execute.js';
import type { SmokeTestInputs } from './inputs.js';
import { Connections, type TlsSettings } from './probe.js';
import { buildReport, type Report, summaryMarkdown } from './report.js';
import { evaluateThresholds, formatMeasured, latencyStats } from './thresholds.js';

function workspacePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.GITHUB_WORKSPACE || process.cwd(), path);
}

function readFileFor(what: string, path: string): string {
  try {
    return readFileSync(workspacePath(path), 'utf8');
  } catch (error) {
    throw new ShiplineError(`${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

async function planChecks(inputs: SmokeTestInputs): Promise<CheckPlan> {
  const file = inputs['checks-file'];
  if (!inputs.checks && !file) return checksFromInputs(inputs);
  const { checksFromDocument, ChecksProblems } = await import('./document.js');
  const source = file ? { text: readFileFor("Input 'checks-file'", file), label: file, file } : { text: inputs.checks, label: "input 'checks'" };
  try {
    return checksFromDocument(source, inputs);
  } catch (error) {
    if (!(error instanceof ChecksProblems)) throw error;
    const count = error.problems.length;
    throw new ShiplineError(`The checks in ${source.label} have ${count} problem${count === 1 ? '' : 's'}:\n- ${error.problems.join('\n- ')}`);
  }
}

/** `*.vercel.app` matches any host under vercel.app; anything else matches exactly. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p;
}

/** TLS per request: the CA files a check names, and verification off only where the user asked for it. */
function tlsResolver(insecureHosts: readonly string[]): (check: CheckSpec, url: URL) => TlsSettings {
  const caFiles = new Map<string, string>();
  const warned = new Set<string>();
  return (check, url) => {
    const caFile = check.tls.caFile;
    if (caFile && !caFiles.has(caFile)) caFiles.set(caFile, readFileFor(`CA file of check '${check.name}'`, caFile));
    const insecure = url.protocol === 'https:' && (check.tls.insecure || insecureHosts.some((p) => hostMatches(url.hostname, p)));
    if (insecure && !warned.has(url.hostname)) {
      warned.add(url.hostname);
      warning(`TLS certificate verification is off for ${url.hostname}, as asked (insecure-hosts or tls.insecure). Use it for preview deployments only.`);
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
    const where = check.source ? { file: check.source.file, startLine: check.source.line, startColumn: check.source.column } : {};
    if (!check.passed) annotateError(`${check.method} ${check.url}: ${check.reasons.join('; ')}`, { title: `smoke-test: ${check.name} failed`, ...where });
    else if (check.warnings.length > 0) warning(`${check.method} ${check.url}: ${check.warnings.join('; ')}`, { title: `smoke-test: ${check.name} degraded`, ...where });
  }
  for (const t of report.overall.thresholds.filter((x) => !x.passed))
    annotateError(`Overall threshold ${t.threshold} not met: measured ${formatMeasured(t)}`, { title: 'smoke-test: overall latency' });
}

/**
 * Outputs carry the server's text (reasons quote bodies), and a server may echo a credential back; the runner
 * would drop such an output whole ("may contain secret"), so every registered secret is starred out first.
 */
function publish(report: Report): void {
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
  setOutput('report', JSON.stringify(report, (_key, value: unknown) => (typeof value === 'string' ? scrub(value) : value)));
  appendSummary(summaryMarkdown(report));
  annotate(report);
}

export async function run(inputs: SmokeTestInputs): Promise<void> {
  const plan = await planChecks(inputs);
  for (const secret of plan.secrets) setSecret(secret);
  // Deadlines are measured on the monotonic clock: the wall clock can step (NTP) while a run waits.
  const started = performance.now();
  const schedule: Schedule = {
    deadlineAt: started + inputs.deadline,
    intervalMs: inputs.interval,
    maxIntervalMs: inputs['max-interval'],
    // A scheduled health check asks "is it up now?": a few tries ride out a blip, waiting minutes would not.
    maxAttempts: inputs['max-attempts'] || (inputs.mode === 'monitor' ? 3 : 0),
    concurrency: inputs.concurrency,
    sampleAll: plan.overallThresholds.length > 0,
  };
  info(
    `Running ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'} (${inputs.mode} mode, up to ${schedule.concurrency} at a time, deadline ${Math.round(inputs.deadline / 1000)}s${schedule.maxAttempts ? `, at most ${schedule.maxAttempts} attempt${schedule.maxAttempts === 1 ? '' : 's'} each` : ''}).`,
  );
  const connections = new Connections();
  let results: CheckResult[];
  try {
    results = await runChecks(plan.checks, schedule, { connections, tlsFor: tlsResolver(inputs['insecure-hosts']), now: () => performance.now(), sleep });
  } finally {
    connections.close();
  }
  const report = buildReport(results, overallOf(results, plan), inputs.mode, performance.now() - started);
  publish(report);
  if (!report.passed) throw new ShiplineError(report.summary);
  info(report.summary);
}
