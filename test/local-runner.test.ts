// The runner contract itself: how inputs, files and workflow commands travel between runner and step.
import { describe, expect, jest, test } from '@jest/globals';
import { parseCommands, parseFileCommands, readActionMetadata, runBundle } from '../cli/local-runner.js';
import { error, inputVariable } from '../shared/runner.js';

describe('runner contract', () => {
  test('input variables are upper-cased with spaces to _ and hyphens kept', () => {
    expect(inputVariable('webhook-url')).toBe('INPUT_WEBHOOK-URL');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });

  test('file commands: heredoc values with new lines, and key=value lines', () => {
    const text = 'a<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nb=plain\nc<<EOF\n\nEOF\n';
    expect(parseFileCommands(text)).toEqual({ a: 'line 1\nline 2', b: 'plain', c: '' });
  });

  test('workflow commands round-trip through the escaping rules', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      error('50% done\nnext line', { file: 'db/001_init.sql', startLine: 3, startColumn: 7, title: 'a, b: c' });
    } finally {
      spy.mockRestore();
    }
    const line = written.join('').trimEnd();
    expect(line).toBe('::error title=a%2C b%3A c,file=db/001_init.sql,line=3,col=7::50%25 done%0Anext line');
    expect(parseCommands(line).annotations).toEqual([
      {
        level: 'error',
        message: '50% done\nnext line',
        title: 'a, b: c',
        file: 'db/001_init.sql',
        line: 3,
        col: 7,
        endLine: undefined,
        endColumn: undefined,
      },
    ]);
    expect(parseCommands('::add-mask::s3cret%0Aline').masks).toEqual(['s3cret\nline']);
  });

  test("action.yml defaults are applied as the runner applies them, and the step sees the runner's variables", async () => {
    const meta = readActionMetadata('notify');
    expect(meta.runs).toEqual({ using: 'node24', main: '../../dist/notify/index.js' });
    // No destination: the step fails at validation, after having read the defaults it was given.
    const result = await runBundle({ action: 'notify', inputs: { status: 'started' } });
    expect(result.exitCode).toBe(1);
    expect(result.annotations[0]?.message).toContain('No Slack destination');
    expect(result.annotations[0]?.message).not.toContain('mention-on');
  });
});
