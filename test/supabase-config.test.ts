// supabase/config.toml read by a TOML parser: every form TOML allows reads as the Supabase CLI reads it.
import { describe, expect, test } from '@jest/globals';
import { readFunctionSettings } from '../shared/providers/supabase-functions.js';

describe('supabase/config.toml', () => {
  test('single-quoted (literal) strings keep #, backslashes and quotes as written', () => {
    const settings = readFunctionSettings(
      [
        '[functions.reports]',
        "entrypoint = './functions/reports/index.ts' # the entrypoint",
        "import_map = './functions/reports/deno #2.json'",
        'static_files = [\'./templates/C:\\raw\\*.html\', "./with \\"quotes\\".txt"]',
      ].join('\n'),
    );
    expect(settings.get('reports')).toEqual({
      enabled: true,
      entrypoint: './functions/reports/index.ts',
      importMap: './functions/reports/deno #2.json',
      staticFiles: ['./templates/C:\\raw\\*.html', './with "quotes".txt'],
    });
  });

  test('quoted table names, dotted and single-quoted, and tables with spaces or comments', () => {
    const settings = readFunctionSettings(
      [
        '[functions."my.fn"]',
        'verify_jwt = false',
        "[ functions . 'quoted-fn' ] # comment",
        'enabled = false',
        '[functions."plain"]',
        'verify_jwt=true',
      ].join('\n'),
    );
    expect([...settings.keys()]).toEqual(['my.fn', 'quoted-fn', 'plain']);
    expect(settings.get('my.fn')?.verifyJwt).toBe(false);
    expect(settings.get('quoted-fn')?.enabled).toBe(false);
    expect(settings.get('plain')?.verifyJwt).toBe(true);
  });

  test('inline tables, multi-line arrays and comments everywhere', () => {
    const settings = readFunctionSettings(
      [
        '# project settings',
        '[api]',
        'port = 54321',
        '[functions]',
        'hello = { verify_jwt = false, static_files = ["./a.html"] }  # inline',
        '[functions.stripe-webhook]',
        'verify_jwt = false#no space before the comment',
        'static_files = [',
        '  "./functions/stripe-webhook/templates/*.html", # first',
        "  '''./literal.txt''',",
        ']',
        '[auth]',
        'enabled = false',
      ].join('\n'),
    );
    expect(settings.get('hello')).toEqual({ enabled: true, verifyJwt: false, staticFiles: ['./a.html'] });
    expect(settings.get('stripe-webhook')).toEqual({
      enabled: true,
      verifyJwt: false,
      staticFiles: ['./functions/stripe-webhook/templates/*.html', './literal.txt'],
    });
    expect(settings.size).toBe(2);
  });

  test('a file that is not TOML is an error naming the file, line and column', () => {
    expect(() => readFunctionSettings('[functions.a]\nverify_jwt = nope\n', 'app/supabase/config.toml')).toThrow(
      /app\/supabase\/config\.toml:2:\d+ is not valid TOML/,
    );
  });
});
