// Lint accuracy: shipline's `migrate` lint beside squawk (squawk-cli 2.66.0) on real public migration
// folders (bench/lint-corpus.json), per rule: findings of each tool, agreements, and the disagreements judged by
// hand in bench/lint-judgments.json; from those, confirmed false positives, misses, precision and recall.
//
//   node bench/lint-accuracy.mjs            extract the folders (once), run both tools, print the table
//   node bench/lint-accuracy.mjs --readme   also write the table into actions/migrate/README.md ("Lint accuracy")
//   node bench/lint-accuracy.mjs --unjudged print each unjudged disagreement with its statement, to judge
//   npm run bench lint                      the same as the first form
//
// squawk is not a dev dependency (the registry does not carry every one of its platform packages, and npm ci then
// refuses the lock file): install it beside the checkout with `npm install --no-save squawk-cli@2.66.0`, or set
// SQUAWK to its binary.
//
// shipline runs as the runner starts it: dist/migrate/index.js, command `plan` (lint without a database), one run
// per folder, findings read back from its annotations. Rebuild (npm run build) after changing the rules.
// squawk runs on the same "up" text: goose files with their Down section blanked out line for line (squawk reads a
// whole file and cannot tell goose's sections apart), golang-migrate's .up.sql files only, Prisma's migration.sql.
//
// A finding is (file, statement, rule), the statement named by the line it starts on; squawk's positions (inside
// the statement) are placed on their statement with shipline's own splitter. require-lock-timeout is a finding of
// the file (shipline reports the first statement that needs a lock_timeout, squawk every one), keyed with line `file`.
// Truth: a finding both tools report counts as true unless bench/lint-judgments.json says otherwise; a finding
// only one reports counts by its judgment; one without a judgment is listed as unjudged and left out of precision
// and recall. A judgment marked `"found": "by hand"` names a true finding neither tool reports (a miss of both).
// Recall is against the union of true findings.
//
// The folders are read from git copies of their repositories at the pinned commits: LINT_CORPUS_GIT names a folder
// holding them as <owner>+<name>/repo (how the fetch tool lays them out, the default /work/.mirror) or
// <owner>/<name> (plain `git clone`s); the files go to .bench/lint-corpus/<id>/ and are not committed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node, root } from './common.mjs';

const SQUAWK = process.env.SQUAWK ?? join(root, 'node_modules', '.bin', 'squawk');
const CORPUS = JSON.parse(readFileSync(join(root, 'bench', 'lint-corpus.json'), 'utf8'));
const JUDGMENTS_FILE = join(root, 'bench', 'lint-judgments.json');
const WORK = join(root, '.bench', 'lint-corpus');
// The PostgreSQL shipline's own replay (verify) and tests run; squawk's version-dependent rules then judge as for it.
const SQUAWK_PG_VERSION = '18.0';

/** squawk's rule → shipline's, for the rules about locks, rewrites and lost data; squawk's other rules are style. */
const SQUAWK_RULES = {
  'require-lock-timeout': 'require-lock-timeout',
  'require-concurrent-index-creation': 'require-concurrent-index-creation',
  'require-concurrent-index-deletion': 'require-concurrent-index-deletion',
  'constraint-missing-not-valid': 'constraint-missing-not-valid',
  'adding-foreign-key-constraint': 'constraint-missing-not-valid',
  'adding-field-with-default': 'adding-field-with-default',
  'adding-required-field': 'adding-required-field',
  'adding-not-nullable-field': 'adding-not-nullable-field',
  'changing-column-type': 'changing-column-type',
  'ban-drop-table': 'ban-drop-table',
  'ban-drop-column': 'ban-drop-column',
  'ban-drop-database': 'ban-drop-database',
  'renaming-column': 'renaming-column',
  'renaming-table': 'renaming-table',
  'ban-truncate-cascade': 'ban-truncate-cascade',
  'disallowed-unique-constraint': 'disallowed-unique-constraint',
  'adding-serial-primary-key-field': 'adding-serial-primary-key-field',
};
const FILE_LEVEL = new Set(['require-lock-timeout']);

// ---------------------------------------------------------------------------------------------------- corpus

function gitDirOf(repo) {
  const base = process.env.LINT_CORPUS_GIT ?? '/work/.mirror';
  const [owner, name] = repo.split('/');
  const candidates = [
    join(base, `${owner}+${name}`, 'repo'),
    join(base, `${owner}+${name}`),
    join(base, owner, name, '.git'),
    join(base, owner, name),
  ];
  return candidates.find(
    (dir) =>
      existsSync(dir) &&
      spawnSync('git', ['--git-dir', dir, 'rev-parse', '--git-dir'], { stdio: 'ignore' }).status === 0,
  );
}

/** .bench/lint-corpus/<id>/migrations: the folder's files as extracted (Prisma's flattened); each one's path in its repository. */
function extract(folder) {
  const dir = join(WORK, folder.id);
  const stamp = join(dir, 'commit');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === folder.commit)
    return JSON.parse(readFileSync(join(dir, 'sources.json'), 'utf8'));
  const gitDir = gitDirOf(folder.repo);
  if (!gitDir)
    throw new Error(
      `no git copy of ${folder.repo} under ${process.env.LINT_CORPUS_GIT ?? '/work/.mirror'} (set LINT_CORPUS_GIT to a folder holding ${folder.repo} cloned as <owner>/<name>)`,
    );
  rmSync(dir, { recursive: true, force: true });
  const raw = mkdtempSync(join(tmpdir(), 'lint-corpus-'));
  // git archive names objects outside the folder that a partial copy lacks on stderr; only the folder matters.
  execFileSync('sh', [
    '-c',
    'git --git-dir "$1" archive "$2" "$3" 2>/dev/null | tar -x -C "$4"',
    'sh',
    gitDir,
    folder.commit,
    folder.dir,
    raw,
  ]);
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  const sources = {};
  const from = join(raw, folder.dir);
  for (const entry of readdirSync(from, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    let name;
    let source;
    if (folder.tool === 'prisma') {
      if (!entry.isDirectory() || !existsSync(join(from, entry.name, 'migration.sql'))) continue;
      [name, source] = [`${entry.name}.sql`, `${entry.name}/migration.sql`];
    } else if (folder.tool === 'golang-migrate') {
      if (!entry.name.endsWith('.up.sql')) continue;
      [name, source] = [entry.name, entry.name];
    } else {
      if (!entry.isFile() || !entry.name.endsWith('.sql')) continue;
      [name, source] = [entry.name, entry.name];
    }
    cpSync(join(from, source), join(migrations, name));
    sources[name] = `${folder.dir}/${source}`;
  }
  rmSync(raw, { recursive: true, force: true });
  if (Object.keys(sources).length === 0)
    throw new Error(`no migration files in ${folder.repo} ${folder.dir} at ${folder.commit}`);
  writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources, null, 1));
  writeFileSync(stamp, folder.commit);
  return sources;
}

// ---------------------------------------------------------------------------------------------------- product code

export async function loadProductCode() {
  const out = join(root, '.bench', 'lint-accuracy');
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', 'bench/lint-accuracy-entry.ts', '-o', out, '-q'],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`building bench/lint-accuracy-entry.ts failed:\n${result.stderr}`);
  return import(join(out, 'index.js'));
}

/** Each file's up text, where it starts, the statements in it (start offsets and lines), and its run mode. */
export async function statementsOf(product, format, content) {
  const { up, offset, noTransaction, cuts = [] } = product.FORMATS[format].up(content);
  const parts = [];
  let from = 0;
  for (const cut of [...cuts, up.length]) {
    if (cut > from) parts.push([from, cut]);
    from = cut;
  }
  const statements = [];
  for (const [a, b] of parts) {
    const { statements: found } = await product.splitStatements(up.slice(a, b), offset + a);
    for (const s of found)
      statements.push({
        offset: s.offset,
        line: product.positionAt(content, s.offset).line,
        sql: s.sql,
        kind: s.kind,
        node: s.node,
      });
  }
  return { up, offset, noTransaction, statements };
}

// ---------------------------------------------------------------------------------------------------- the tools

function runShipline(product, folder, workspace) {
  const work = mkdtempSync(join(tmpdir(), 'lint-shipline-'));
  const files = {
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
    GITHUB_STATE: join(work, 'state'),
    GITHUB_ENV: join(work, 'env'),
    GITHUB_PATH: join(work, 'path'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const result = spawnSync(node, [join(root, 'dist', 'migrate', 'index.js')], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: work,
      ...files,
      INPUT_COMMAND: 'plan',
      INPUT_DIR: 'shipline',
      INPUT_FORMAT: folder.format,
    },
  });
  rmSync(work, { recursive: true, force: true });
  const commands = product.readCommands(result.stdout);
  const lint = [];
  const problems = [];
  for (const c of commands) {
    if (c.command !== 'warning' && c.command !== 'error') continue;
    const rule = /^Lint: (.+)$/.exec(c.properties.title ?? '')?.[1];
    if (rule) lint.push({ file: c.properties.file.replace(/^shipline\//, ''), line: Number(c.properties.line), rule });
    else if (c.command === 'error') problems.push(c.data);
  }
  if (result.status !== 0 && lint.length === 0)
    throw new Error(
      `shipline plan on ${folder.id} failed (${result.status}):\n${problems.join('\n')}\n${result.stderr}`,
    );
  return lint;
}

function runSquawk(files, inTransaction) {
  if (files.length === 0) return [];
  const args = [
    '--reporter',
    'json',
    '--pg-version',
    SQUAWK_PG_VERSION,
    inTransaction ? '--assume-in-transaction' : '--no-assume-in-transaction',
    ...files,
  ];
  const result = spawnSync(SQUAWK, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (!result.stdout.trim().startsWith('[')) throw new Error(`squawk failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

// ---------------------------------------------------------------------------------------------------- measuring

/** Every finding of both tools on every folder, keyed repo:path:line:rule. */
async function measure(product) {
  const findings = new Map(); // key → { shipline, squawk, statement, folder }
  const folders = [];
  const skipped = [];
  for (const folder of CORPUS.folders) {
    const sources = extract(folder);
    const workspace = join(WORK, folder.id);
    const migrations = join(workspace, 'migrations');
    const squawkDir = join(workspace, 'squawk');
    rmSync(squawkDir, { recursive: true, force: true });
    mkdirSync(squawkDir);
    const parsed = {};
    const byMode = { true: [], false: [] };
    for (const name of Object.keys(sources)) {
      // Files the format does not run (Supabase's local_… seeds, for one) are no migrations to either tool.
      if (!product.FORMATS[folder.format].match(name)) continue;
      const content = readFileSync(join(migrations, name), 'utf8');
      try {
        parsed[name] = await statementsOf(product, folder.format, content);
      } catch (error) {
        skipped.push(`${folder.repo}:${sources[name]} (${String(error.message).split('\n')[0]})`);
        continue;
      }
      // squawk sees the up part only, every other character blanked so its lines and columns stay the file's.
      const { up, offset } = parsed[name];
      const blank = (text) => text.replace(/[^\n]/g, ' ');
      writeFileSync(
        join(squawkDir, name),
        blank(content.slice(0, offset)) + up + blank(content.slice(offset + up.length)),
      );
      byMode[!parsed[name].noTransaction].push(join(squawkDir, name));
    }
    // shipline reads a copy holding the parsed files only: one it cannot parse stops its whole run, so such files
    // are left out for both tools (listed above the table).
    const shiplineDir = join(workspace, 'shipline');
    rmSync(shiplineDir, { recursive: true, force: true });
    mkdirSync(shiplineDir);
    for (const name of Object.keys(parsed)) cpSync(join(migrations, name), join(shiplineDir, name));
    const add = (tool, name, line, rule) => {
      const file = parsed[name];
      if (!file) return;
      const statement = FILE_LEVEL.has(rule) ? undefined : [...file.statements].reverse().find((s) => s.line <= line);
      const key = `${folder.repo}:${sources[name]}:${FILE_LEVEL.has(rule) ? 'file' : (statement?.line ?? line)}:${rule}`;
      const entry = findings.get(key) ?? { key, rule, folder: folder.id, file: sources[name], statements: [] };
      entry[tool] = true;
      const shown = FILE_LEVEL.has(rule)
        ? (file.statements.find((s) => s.line === line) ?? [...file.statements].reverse().find((s) => s.line <= line))
        : statement;
      if (shown && !entry.statements.some((s) => s.line === shown.line))
        entry.statements.push({ tool, line: shown.line, sql: shown.sql });
      findings.set(key, entry);
    };
    for (const f of runShipline(product, folder, workspace)) add('shipline', f.file, f.line, f.rule);
    for (const inTransaction of [true, false])
      for (const f of runSquawk(byMode[inTransaction], inTransaction)) {
        const rule = SQUAWK_RULES[f.rule_name];
        if (rule) add('squawk', f.file.split('/').pop(), f.line + 1, rule);
      }
    folders.push({ ...folder, files: Object.keys(parsed).length });
  }
  return { findings: [...findings.values()], folders, skipped };
}

function report(product, result, scored) {
  const lines = [];
  lines.push(
    `Measured on ${result.folders.reduce((n, f) => n + f.files, 0)} migration files (squawk ${squawkVersion()}, \`--pg-version ${SQUAWK_PG_VERSION}\`):\n`,
  );
  lines.push('| folder | tool | commit | files |', '| --- | --- | --- | --- |');
  for (const f of result.folders)
    lines.push(
      `| [${f.repo}](https://github.com/${f.repo}/tree/${f.commit}/${f.dir}) \`${f.dir}\` | ${f.tool} | \`${f.commit.slice(0, 12)}\` | ${f.files} |`,
    );
  if (result.skipped.length > 0)
    lines.push('', `Left out (shipline's parser rejects them, so both tools skip them): ${result.skipped.join('; ')}.`);
  lines.push('', product.accuracyTable(scored.rows));
  return lines.join('\n');
}

function squawkVersion() {
  return spawnSync(SQUAWK, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^squawk /, '');
}

function writeReadme(text) {
  const path = join(root, 'actions', 'migrate', 'README.md');
  const readme = readFileSync(path, 'utf8');
  const [start, end] = ['<!-- lint-accuracy:start -->', '<!-- lint-accuracy:end -->'];
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`actions/migrate/README.md has no ${start} … ${end} block for the table`);
  writeFileSync(path, `${readme.slice(0, a + start.length)}\n${text}\n${readme.slice(b)}`);
}

export async function main(argv = process.argv.slice(2)) {
  if (!existsSync(SQUAWK))
    throw new Error(
      `squawk is not installed (${SQUAWK}): npm install --no-save squawk-cli@2.66.0, or set SQUAWK to its binary`,
    );
  const product = await loadProductCode();
  const judgments = existsSync(JUDGMENTS_FILE) ? JSON.parse(readFileSync(JUDGMENTS_FILE, 'utf8')) : {};
  const result = await measure(product);
  const scored = product.score(result.findings, judgments, [...new Set(Object.values(SQUAWK_RULES))]);
  const text = report(product, result, scored);
  console.log(text);
  const stale = Object.keys(judgments).filter(
    (k) => judgments[k].found !== 'by hand' && !result.findings.some((f) => f.key === k),
  );
  if (stale.length > 0)
    console.log(`\n${stale.length} judgment(s) name findings neither tool reports any more (kept for the record).`);
  for (const tool of ['shipline', 'squawk']) {
    const c = scored.confirmed[tool];
    if (argv.includes('--confirmed') && tool === 'shipline') {
      console.log(`\n### shipline: confirmed false positives (${c.falsePositives.length})\n`);
      for (const f of c.falsePositives)
        console.log(
          `- ${f.key}: ${judgments[f.key]?.reason}\n    ${f.statements[0]?.sql.replace(/\s+/g, ' ').slice(0, 200)}`,
        );
      console.log(`\n### shipline: confirmed misses (${c.misses.length})\n`);
      for (const f of c.misses)
        console.log(
          `- ${f.key}: ${judgments[f.key]?.reason}\n    ${f.statements[0]?.sql.replace(/\s+/g, ' ').slice(0, 200)}`,
        );
    }
  }
  if (scored.unjudged.length > 0) {
    console.log(
      `\n${scored.unjudged.length} disagreement(s) are unjudged: run with --unjudged to list them, and judge them in bench/lint-judgments.json.`,
    );
    if (argv.includes('--unjudged')) {
      writeFileSync(join(root, '.bench', 'lint-unjudged.json'), JSON.stringify(scored.unjudged, null, 1));
      for (const f of scored.unjudged)
        console.log(
          `\n${f.key} (${f.shipline ? 'shipline' : 'squawk'} only)\n${f.statements.map((s) => `  [${s.line}] ${s.sql.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')}`,
        );
    }
  }
  if (argv.includes('--readme')) writeReadme(text);
  if (argv.includes('--all'))
    writeFileSync(join(root, '.bench', 'lint-findings.json'), JSON.stringify(result.findings, null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
