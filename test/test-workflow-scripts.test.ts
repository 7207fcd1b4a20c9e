// test.yml's typecheck, lint, test and build steps run the app's own script under the usual names (type-check as
// well as typecheck), and say which one ran or that none exists: a check that silently never ran is a false green.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { loadWorkflow, runScript, stepOf } from './workflow-steps.js';

const workflow = loadWorkflow('.github/workflows/test.yml');
const job = Object.keys(workflow.jobs)[0] as string;
let app = '';
afterEach(() => rmSync(app, { recursive: true, force: true }));

function appWith(scripts: Record<string, string>): string {
  app = mkdtempSync(join(tmpdir(), 'shipline-app-'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', scripts }));
  return app;
}

async function runStep(name: RegExp, cwd: string, command = '') {
  const step = stepOf(workflow, job, name);
  return runScript(step.run, { ...step.env, COMMAND: command, PACKAGE_MANAGER: 'npm' }, cwd);
}

describe('test.yml: the app scripts each step runs', () => {
  test.each([
    [/^Typecheck$/, 'type-check'],
    [/^Typecheck$/, 'check-types'],
    [/^Lint$/, 'eslint'],
    [/^Test$/, 'test'],
  ])('%s finds the %s script, runs it and says so', async (name, script) => {
    const cwd = appWith({
      [script]: "node -e \"require('fs').writeFileSync('ran', process.env.npm_lifecycle_event)\"",
    });
    const result = await runStep(name, cwd);
    expect(result.status).toBe(0);
    expect(readFileSync(join(cwd, 'ran'), 'utf8')).toBe(script);
    expect(result.log).toContain(`running the '${script}' script of package.json`);
  });

  test('the first usual name wins when several exist (typecheck before tsc)', async () => {
    const cwd = appWith({
      tsc: "node -e \"require('fs').writeFileSync('ran', 'tsc')\"",
      typecheck: "node -e \"require('fs').writeFileSync('ran', 'typecheck')\"",
    });
    await runStep(/^Typecheck$/, cwd);
    expect(readFileSync(join(cwd, 'ran'), 'utf8')).toBe('typecheck');
  });

  test('no script under any usual name: the step says it skipped, naming the names it looked for', async () => {
    const cwd = appWith({ start: 'node server.js' });
    const result = await runStep(/^Typecheck$/, cwd);
    expect(result.status).toBe(0);
    expect(result.log).toContain(
      '::notice title=shipline test::typecheck: skipped, package.json has none of the scripts typecheck type-check',
    );
  });

  test("a failing script fails the step; the caller's own command replaces the script", async () => {
    const cwd = appWith({ lint: 'exit 3' });
    expect((await runStep(/^Lint$/, cwd)).status).not.toBe(0);
    const own = await runStep(/^Lint$/, cwd, 'echo own > ran');
    expect(own.status).toBe(0);
    expect(existsSync(join(cwd, 'ran'))).toBe(true);
  });
});
