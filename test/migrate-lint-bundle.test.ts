// Lint through the migrate bundle: findings inside DO blocks annotated at their own line, knowledge carried from
// one file to the next, and the file's transaction mode honoured.
import { afterAll, describe, expect, test } from '@jest/globals';
import { warnings } from './support.js';
import { migrate, removeWorkspaces, workspace } from './fakes/migrate-workspace.js';

afterAll(removeWorkspaces);

describe('migrate plan lints what PostgreSQL will lock', () => {
  test('a DO block is linted at its statements; a NOT NULL check validated in an earlier file spares SET NOT NULL', async () => {
    const ws = workspace({
      'migrations/001_checks.sql': [
        "set lock_timeout = '2s';",
        'alter table users add constraint users_email_nn check (email is not null) not valid;',
        '',
      ].join('\n'),
      'migrations/002_validate.sql': [
        "set lock_timeout = '2s';",
        'alter table users validate constraint users_email_nn;',
        '',
      ].join('\n'),
      'migrations/003_not_null.sql': [
        "set lock_timeout = '2s';",
        'alter table users alter column email set not null;',
        'do $$',
        'begin',
        '  create index users_team_idx on users (team_id);',
        "  execute format('drop table %I', 'legacy');",
        'end $$;',
        '',
      ].join('\n'),
    });
    const result = await migrate(ws, { command: 'plan' });
    expect(result.exitCode).toBe(0);
    const lint = result.annotations.filter((a) => a.title?.startsWith('Lint: '));
    expect(lint.map((a) => [a.title, a.file, a.line])).toEqual([
      ['Lint: require-concurrent-index-creation', 'migrations/003_not_null.sql', 5],
      ['Lint: unlinted-dynamic-sql', 'migrations/003_not_null.sql', 6],
    ]);
    expect(warnings(result).join('\n')).not.toContain('adding-not-nullable-field');
  });

  test('VALIDATE in the transaction that added the constraint is reported; in a file run without one it is not', async () => {
    const body = [
      "set lock_timeout = '2s';",
      'alter table users add constraint users_team_fk foreign key (team_id) references teams (id) not valid;',
      'alter table users validate constraint users_team_fk;',
      '',
    ];
    const ws = workspace({
      'migrations/20260101000000_in_one_transaction.sql': body.join('\n'),
    });
    const inOne = await migrate(ws, { command: 'plan', format: 'supabase' });
    expect(
      inOne.annotations.filter((a) => a.title === 'Lint: constraint-missing-not-valid').map((a) => a.line),
    ).toEqual([3]);

    const goose = workspace({
      'migrations/00001_validate.sql': ['-- +goose NO TRANSACTION', '-- +goose Up', ...body].join('\n'),
    });
    const separate = await migrate(goose, { command: 'plan', format: 'goose' });
    expect(separate.exitCode).toBe(0);
    expect(separate.annotations.filter((a) => a.title === 'Lint: constraint-missing-not-valid')).toEqual([]);
  });
});
