// verify: replays every file on a throw-away database (of the database-url server, or an embedded PostgreSQL)
// and drops it; the target database is never written.
import { ShiplineError } from '../../../../shared/errors.js';
import { error, info, warning } from '../../../../shared/runner.js';
import { appendSummary, MARK } from '../../../../shared/summary.js';
import { close, describeServer } from '../db.js';
import type { MigrateInputs } from '../inputs.js';
import type { Prepared } from '../migrator.js';
import { positionAt } from '../sql.js';
import { applyPending } from './apply.js';
import { doing, open, type RunContext } from './context.js';
import { type Folder, loadFolder, parseToRun } from './folder.js';
import { failed, header, type Outcome, type Row, summaryTable, writeOutputs } from './report.js';

export async function verify(context: RunContext): Promise<void> {
  const { inputs, workspace } = context;
  const outcome: Outcome = { applied: [], foreign: [] };
  let folder: Folder | undefined;
  try {
    folder = loadFolder(inputs, workspace);
    const all = await parseToRun(folder.files);
    if (inputs['database-url']) return await replay(context, folder, all, inputs['database-url'], outcome);
    info('No database-url: starting an embedded PostgreSQL for the replay…');
    const { startEmbedded } = await import('../embedded.js');
    const server = await startEmbedded(workspace);
    try {
      await replay(context, folder, all, server.url, outcome);
    } finally {
      await server.stop();
    }
  } finally {
    // verify applies nothing to the target: its outputs say so (the replayed files are in the summary).
    writeOutputs({ applied: [], foreign: [] }, undefined);
  }
}

/** Which platform stand-ins verify creates: input 'stand-ins', where auto means supabase for the supabase format. */
function standInsFor(inputs: MigrateInputs, folder: Folder): 'supabase' | undefined {
  const choice = inputs['stand-ins'];
  if (choice === 'none') return undefined;
  return choice === 'supabase' || folder.format.name === 'supabase' ? 'supabase' : undefined;
}

/** Replays every file on a new database of the server at `url`, then drops it. */
async function replay(
  context: RunContext,
  folder: Folder,
  all: Prepared[],
  url: string,
  outcome: Outcome,
): Promise<void> {
  const { inputs } = context;
  const name = `shipline_verify_${process.pid}_${Date.now().toString(36)}`;
  const admin = await open(context, url, { timeoutMs: inputs['connect-timeout'], label: 'verify' });
  const rows: Row[] = [];
  const standIns = standInsFor(inputs, folder);
  let result = '';
  let created: string[] = [];
  try {
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (e) {
      throw new ShiplineError(
        `verify needs to create a throw-away database on ${describeServer(url)}: ${(e as Error).message}`,
        {
          hint: 'Use a user with CREATEDB (a CI service container or a local server), not production.',
        },
      );
    }
    const platform = standIns ? await import('../standins.js') : undefined;
    // Before the replay connects: ALTER DATABASE settings apply to new sessions only.
    if (platform) await admin.query(platform.supabaseDatabaseSettings(name));
    const db = await open(context, url, { timeoutMs: inputs['connect-timeout'], label: 'verify', database: name });
    try {
      if (platform) {
        doing(context, 'creating the Supabase stand-ins');
        const report = await platform.createSupabaseStandIns(db, all);
        created = report.created;
        info(`Supabase stand-ins created first: ${created.join('; ')}.`);
        for (const m of report.missing) {
          const { line, column } = positionAt(m.file.content, m.offset);
          error(
            `This server has no extension "${m.name}" (the Supabase platform provides it): ${m.file.file} cannot be replayed here`,
            {
              file: m.file.file,
              startLine: line,
              startColumn: column,
              title: 'Extension not available for verify',
            },
          );
        }
        if (report.missing.length > 0)
          warning(
            `verify's server lacks extension(s) ${report.missing.map((m) => m.name).join(', ')} that the folder creates; the replay stops at the first file that needs one.`,
          );
      }
      // A database created just now: no tracking table yet.
      await applyPending(context, db, folder, all, rows, outcome.applied, false);
      result = `${MARK.passed} all ${all.length} migration(s) apply cleanly from scratch`;
      info(result);
    } catch (e) {
      result = failed(context, e, outcome.applied.length).replace(/ — .*$/, '');
      throw e;
    } finally {
      await close(db);
    }
  } finally {
    await admin
      .query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      .catch((e) => warning(`Could not drop the throw-away database ${name}: ${(e as Error).message}`));
    await close(admin);
    const server = inputs['database-url'] ? undefined : 'embedded PostgreSQL, started for this replay';
    const facts: [string, unknown][] = [
      ['Result', result],
      ['Platform stand-ins', created.length > 0 ? `Supabase: ${created.join('; ')}` : undefined],
    ];
    appendSummary(
      `${header('Migration verify (throw-away database)', inputs, folder, facts, server)}${rows.length > 0 ? `\n\n${summaryTable(rows)}` : ''}`,
    );
  }
}
