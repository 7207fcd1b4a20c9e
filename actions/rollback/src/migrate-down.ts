// migrate-down: a rollback past contract migrations reverts them with their down scripts before the app switches.
//
// Which migrations: the ledger says which contract migrations were applied after the target release (deploy records
// migrate's contract-migrations with each release), and only the ledger links a migration to a release. What is
// applied, and in which order, is the tool's tracking table's word: it is written in the same transaction as each
// migration, so it cannot disagree with the schema, where the ledger records only the contract migrations (up to
// 20 a release) of deploys that reached the ledger. So every applied file from the oldest contract migration after
// the target to the newest applied one is reverted, newest first: expand migrations applied after the target but
// before that one stay (the target runs with them), and nothing older than it is touched.
//
// Before anything changes: each of those files must have a down script and be unchanged since it was applied, and
// the downs are proved on a throw-away database (actions/migrate/src/down.ts). Then they run on the target in one
// transaction under the migration lock, and only then does the provider switch.
import { basename } from 'node:path';
import { ShiplineError } from '../../../shared/errors.js';
import type { Release } from '../../../shared/providers/provider.js';
import type { SchemaChange } from '../../../shared/schema-changes.js';
import type { StepIO } from '../../../shared/step-io.js';
import { connect, describeServer, hangUp } from '../../migrate/src/db.js';
import { type DownFolder, type DownStep, downsFrom, proveDowns, runDownsLocked } from '../../migrate/src/down.js';
import { detectFormat, FORMATS, readFolder, resolveDir } from '../../migrate/src/formats.js';
import { expectedChecksum, trackerFor } from '../../migrate/src/tracking.js';
import type { RollbackInputs } from './inputs.js';

const CONNECT_TIMEOUT_MS = 15_000;

export interface Downs {
  /** The files reverted, newest first (empty: nothing left to revert). */
  files: string[];
  /** For the summary, the ledger and Slack. */
  note: string;
  /** Runs them on the target database. */
  run(): Promise<void>;
}

const list = (names: string[]) =>
  names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');

/**
 * Works out, checks and proves the downs for a rollback to `target`, past the contract migrations `ahead` (the
 * ledger's, newest release first). Throws, before anything changes, when any of that fails.
 */
export async function prepareDowns(
  inputs: RollbackInputs,
  workspace: string,
  target: Release,
  ahead: { release: Release; changes: SchemaChange[] }[],
  io: StepIO,
): Promise<Downs> {
  const url = inputs['database-url'] as string;
  const dir = resolveDir(workspace, inputs['migrations-dir']);
  const name = inputs['migrations-format'] === 'auto' ? detectFormat(dir) : inputs['migrations-format'];
  const format = FORMATS[name];
  const tracker = trackerFor(name);
  if (!format.down || !tracker.unrecord)
    throw new ShiplineError(
      `migrate-down: ${name} migrations have no down scripts, so the contract migrations after ${target.id} cannot be reverted`,
      { hint: "Roll forward with a fix, or set 'allow-schema-ahead' if the old release runs against the new schema." },
    );
  const { files } = readFolder(dir, workspace, format);
  const folder: DownFolder = { dir, format, tracker, files };

  // The contract migrations the ledger names, found in the folder by file name (the folder may sit elsewhere in
  // this checkout than in the deploy's).
  const byName = new Map(files.map((f) => [f.fileName, f]));
  const named = ahead.flatMap((a) => a.changes.map((c) => ({ change: c, release: a.release })));
  const absent = named.filter((n) => !byName.has(basename(n.change.file)));
  if (absent.length > 0)
    throw new ShiplineError(
      `migrate-down: the ledger names contract migrations applied after ${target.id} that are not in ${dir.slice(workspace.length + 1) || dir}: ${list(absent.map((a) => `${a.change.file} (with ${a.release.id})`))}`,
      {
        hint: "Check out the commit of the live release (it has every migration applied so far), or set 'migrations-dir'.",
      },
    );
  const from = named
    .map((n) => (byName.get(basename(n.change.file)) as (typeof files)[number]).version)
    .sort(format.compare)[0] as string;

  const db = await connect(url, { timeoutMs: CONNECT_TIMEOUT_MS, label: 'rollback' });
  let history;
  try {
    history = await tracker.read(db, files, dir);
  } finally {
    hangUp(db);
  }
  const applied = new Set(history.rows.map((r) => r.version));
  const { steps, missing } = downsFrom(folder, applied, from);
  const changed = steps.filter((s) => {
    const row = history.rows.find((r) => r.version === s.file.version);
    return row?.checksum !== undefined && row.checksum !== expectedChecksum(name, s.file);
  });
  const fromFile = files.find((f) => f.version === from)?.file ?? `version ${from}`;
  if (missing.length > 0)
    throw new ShiplineError(
      `Rollback refused: migrate-down needs a down script for every migration applied from ${fromFile} (the oldest contract migration after ${target.id}) on, and ${list(missing.map((f) => f.file))} ${missing.length === 1 ? 'has' : 'have'} none. Nothing was changed`,
      {
        hint: `Write the missing down script(s) (${downForm(name)}), or roll forward with a fix.`,
      },
    );
  if (changed.length > 0)
    throw new ShiplineError(
      `Rollback refused: ${list(changed.map((s) => s.file.file))} changed since ${changed.length === 1 ? 'it was' : 'they were'} applied (${tracker.table}), so ${changed.length === 1 ? 'its' : 'their'} down script may not undo what ran. Nothing was changed`,
    );
  if (steps.length === 0) {
    io.info(
      `migrate-down: none of the migrations from version ${from} on is applied (${tracker.table}): nothing to revert.`,
    );
    return { files: [], note: `nothing to revert: ${tracker.table} records none of them`, run: async () => undefined };
  }

  const names = steps.map((s) => s.file.fileName);
  const proofUrl = inputs['migrate-proof-url'] ?? url;
  io.info(
    `migrate-down: reverting ${names.join(', ')} (newest first); proving the down scripts on a throw-away database on ${describeServer(proofUrl)}…`,
  );
  const appliedFiles = files.filter((f) => applied.has(f.version));
  const proof = await proveDowns(proofUrl, CONNECT_TIMEOUT_MS, folder, appliedFiles, steps);
  io.info(
    `migrate-down: proved in ${(proof.ms / 1000).toFixed(1)}s: replaying ${appliedFiles.length} migration(s) and the ${steps.length} down(s) restores the schema before ${names[names.length - 1]}.`,
  );
  const expected = history.rows.map((r) => r.version);
  return {
    files: steps.map((s) => s.file.file),
    note: `reverted ${list(names)} with their down scripts (proved on a throw-away database, then run in one transaction)`,
    run: () => runOnTarget(url, folder, steps, expected, inputs['migrate-lock-timeout'], io),
  };
}

async function runOnTarget(
  url: string,
  folder: DownFolder,
  steps: DownStep[],
  expected: string[],
  lockTimeoutMs: number,
  io: StepIO,
): Promise<void> {
  const db = await connect(url, { timeoutMs: CONNECT_TIMEOUT_MS, label: 'rollback' });
  await runDownsLocked(db, folder, steps, expected, lockTimeoutMs);
  io.info(
    `migrate-down: reverted ${steps.map((s) => s.file.fileName).join(', ')} on ${describeServer(url)}; ${folder.tracker.table} records it.`,
  );
}

function downForm(format: string): string {
  return (
    {
      dbmate: "a '-- migrate:down' section",
      goose: "a '-- +goose Down' section",
      'golang-migrate': 'a <version>_<name>.down.sql file beside the .up.sql',
      flyway: 'a U<version>__<description>.sql undo file',
    }[format] ?? 'a down script'
  );
}
