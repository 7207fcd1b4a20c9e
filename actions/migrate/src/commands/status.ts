// status: every file as applied, pending, changed, missing or out of order; never fails on drift.
import { info } from '../../../../shared/runner.js';
import { appendSummary, MARK, table } from '../../../../shared/summary.js';
import { close } from '../db.js';
import type { Comparison } from '../migrator.js';
import { open, type RunContext } from './context.js';
import { compare, type Folder, loadFolder, readHistory, reportComparison } from './folder.js';
import { foreignSection, header, type Outcome, writeOutputs } from './report.js';

const STATUS_LABEL: Record<string, string> = {
  applied: `${MARK.passed} applied`,
  pending: '… pending',
  changed: `${MARK.warning} changed since applied`,
  missing: `${MARK.failed} applied, file missing`,
  'out-of-order': `${MARK.warning} pending, out of order`,
};

export async function status(context: RunContext): Promise<void> {
  const { inputs, workspace } = context;
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  try {
    folder = loadFolder(inputs, workspace);
    await statusOf(context, folder, outcome);
  } finally {
    writeOutputs(outcome, folder?.format);
  }
}

async function statusOf(context: RunContext, folder: Folder, outcome: Outcome): Promise<void> {
  const { inputs } = context;
  const db = await open(context, inputs['database-url'] as string, {
    timeoutMs: inputs['connect-timeout'],
    label: 'status',
  });
  let comparison: Comparison;
  try {
    comparison = compare(inputs, folder, await readHistory(db, folder), outcome);
  } finally {
    await close(db);
  }
  reportComparison(comparison, false);
  const counts = new Map<string, number>();
  for (const s of comparison.states) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  info([...counts].map(([k, v]) => `${v} ${k}`).join(', ') || 'No migrations.');
  const rows = comparison.states.map((s) => [s.file?.file ?? '(no file)', s.version, STATUS_LABEL[s.status]]);
  // The job summary holds 1 MiB: a long history is summarised, every file that needs attention is still listed.
  const shown = rows.length > 500 ? rows.filter((_, i) => comparison.states[i]?.status !== 'applied') : rows;
  const note = shown.length < rows.length ? `\n\n${rows.length - shown.length} applied migrations not listed.` : '';
  appendSummary(
    `${header('Migration status', inputs, folder, [...counts])}\n\n${table(['File', 'Version', 'Status'], shown)}${note}${foreignSection(outcome.foreign)}`,
  );
}
