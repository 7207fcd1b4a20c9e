// How the migrate action's run is laid out, read from its sources: one module per command, the run's state handed
// down in a context rather than held by a module, and one name per concept across the product (a second Deadline
// or runAction meaning something else is what these tests catch).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { COMMANDS } from '../actions/migrate/src/inputs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const migrate = join(root, 'actions', 'migrate', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Lines of `files` (as `file:line: text`) that match `pattern`. */
function where(pattern: RegExp, files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${relative(root, file)}:${i + 1}` }))
      .filter(({ line }) => pattern.test(line))
      .map(({ line, at }) => `${at}: ${line.trim()}`),
  );
}

describe('migrate: one module per command', () => {
  test.each([...COMMANDS, 'exec'])('commands/%s.ts exports the command, and run.ts dispatches to it', (name) => {
    const file = join(migrate, 'commands', `${name}.ts`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(
      new RegExp(`^export async function ${name}\\(context: RunContext\\): Promise<void>`, 'm'),
    );
    expect(readFileSync(join(migrate, 'run.ts'), 'utf8')).toContain(`import { ${name} } from './commands/${name}.js';`);
  });

  test("no module of the run holds the run's state: no module-level let or var in run.ts, commands/ or step-timeout.ts", () => {
    const files = [join(migrate, 'run.ts'), join(migrate, 'step-timeout.ts'), ...sources(join(migrate, 'commands'))];
    expect(where(/^(export\s+)?(let|var)\s/, files)).toEqual([]);
  });
});

describe('one name per concept', () => {
  const product = [...sources(join(root, 'shared')), ...sources(join(root, 'actions')), ...sources(join(root, 'cli'))];

  test('one class is called Deadline: shared/deadline.ts, a point in time (migrate enforces its step bound with StepTimeout)', () => {
    expect(where(/\bclass Deadline\b/, product).map((hit) => hit.slice(0, hit.indexOf(':')))).toEqual([
      'shared/deadline.ts',
    ]);
  });

  test("one function is called runAction: shared/action.ts, the wrapper inside a bundle (the local runner's is runBundle)", () => {
    expect(where(/\bfunction runAction\b/, product).map((hit) => hit.slice(0, hit.indexOf(':')))).toEqual([
      'shared/action.ts',
    ]);
    expect(where(/\bexport async function runBundle\b/, product).map((hit) => hit.slice(0, hit.indexOf(':')))).toEqual([
      'cli/local-runner.ts',
    ]);
  });
});
