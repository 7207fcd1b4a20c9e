// notify with a bot token updates the pipeline's message (chat.update of input 'ts'). Past the workspace's edit
// window Slack answers edit_window_closed (https://api.slack.com/methods/chat.update, Errors: "The message cannot be
// edited due to the team message edit settings"): the step posts a new message instead, with a warning naming the
// reason, and carries the new message's ts (and channel) as its outputs, so the next stage updates that one.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runBundle, type RunOptions } from '../cli/local-runner.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { errors, exampleEvent, warnings } from './support.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

const push = exampleEvent('push', (p) => Boolean(p.head_commit));
const notify = (inputs: RunOptions['inputs']) =>
  runBundle({
    action: 'notify',
    inputs: { 'bot-token': slack.token, 'slack-api-url': slack.apiUrl, channel: 'C0DEPLOYS', ...inputs },
    event: push,
    timeoutMs: 30_000,
  });

describe('Slack edit window closed', () => {
  test('chat.update answering edit_window_closed posts a new message and carries its ts as the output', async () => {
    slack.editWindowMs = undefined;
    const started = await notify({ status: 'started' });
    expect(started.exitCode).toBe(0);
    const firstTs = started.outputs.ts as string;
    expect(slack.messages.get(firstTs)).toBeDefined();

    // The workspace lets messages be edited never (0 ms after posting): the update is refused.
    slack.editWindowMs = 0;
    const finished = await notify({ status: 'succeeded', ts: firstTs });
    expect({ code: finished.exitCode, errors: errors(finished) }).toEqual({ code: 0, errors: [] });
    expect(warnings(finished).join('\n')).toContain(`Slack could not update message ${firstTs} (edit_window_closed)`);
    expect(finished.outputs.delivered).toBe('true');
    const newTs = finished.outputs.ts as string;
    expect(newTs).toMatch(/^\d+\.\d{6}$/);
    expect(newTs).not.toBe(firstTs);
    expect(finished.outputs.channel).toBe('C0DEPLOYS');
    // The old message stays as it was; the new one holds the finished status.
    expect(slack.messages.get(firstTs)?.updates).toBe(0);
    expect(slack.messages.get(newTs)).toMatchObject({ channel: 'C0DEPLOYS', updates: 0 });
    const calls = slack.server.requests.map((r) => r.path).slice(-2);
    expect(calls).toEqual(['/api/chat.update', '/api/chat.postMessage']);
  });

  test('inside the edit window the same message is updated in place (no second message)', async () => {
    slack.editWindowMs = undefined;
    const started = await notify({ status: 'started' });
    slack.editWindowMs = 60 * 60_000;
    const finished = await notify({ status: 'succeeded', ts: started.outputs.ts as string });
    expect(finished.exitCode).toBe(0);
    expect(finished.outputs.ts).toBe(started.outputs.ts);
    expect(slack.messages.get(started.outputs.ts as string)?.updates).toBe(1);
  });
});
