// The provider inputs deploy and rollback share are declared once (actions/provider-inputs.yml) and copied into both
// action.yml files by scripts/provider-inputs.mjs (npm run build): the copies must equal the source, and a copy
// edited by hand must be caught.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
type Inputs = Record<string, { description?: string; required?: boolean; default?: string }>;
const inputsOf = (dir: string, file: string) =>
  (parse(readFileSync(join(dir, file), 'utf8')) as { inputs: Inputs }).inputs;
const script = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'provider-inputs.mjs'), ...args], { encoding: 'utf8' });

describe('provider inputs', () => {
  test('deploy and rollback declare the 14 provider inputs exactly as their one source does', () => {
    const source = inputsOf(root, 'actions/provider-inputs.yml');
    expect(Object.keys(source)).toEqual([
      'provider',
      'token',
      'project',
      'team',
      'api-url',
      'railway-environment',
      'services',
      'railway-token-type',
      'cluster',
      'service',
      'task-definition',
      'images',
      'aws-region',
      'functions',
    ]);
    for (const action of ['deploy', 'rollback']) {
      const declared = inputsOf(root, `actions/${action}/action.yml`);
      for (const [name, spec] of Object.entries(source))
        expect({ name, action, ...declared[name] }).toEqual({ name, action, ...spec });
    }
    expect(script('--check').status).toBe(0);
  });

  test('a copy edited by hand is caught, and the script writes it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipline-inputs-'));
    try {
      cpSync(join(root, 'actions'), join(dir, 'actions'), { recursive: true, filter: (src) => !src.includes('/src') });
      const file = join(dir, 'actions', 'rollback', 'action.yml');
      const original = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        original.replace('description: Vercel team ID (team_…) for team projects.', 'description: Vercel team.'),
      );
      const check = script('--check', '--root', dir);
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('actions/rollback/action.yml');
      expect(check.stderr).not.toContain('actions/deploy/action.yml');
      expect(script('--root', dir).status).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(original);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
