// The notify bundle, run as the runner runs it, against a loopback Slack.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type RunOptions, runBundle } from '../cli/local-runner.js';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';
import { closedPort, errors, exampleEvent, expectNoSecrets, runCli, warnings } from './support.js';

let slack: FakeSlack;
let secrets: string[];

beforeAll(async () => {
  slack = await startFakeSlack();
  secrets = [slack.webhookUrl, new URL(slack.webhookUrl).pathname, 's3cr3tW3bh00kPath', slack.token];
});
afterAll(() => slack.close());
beforeEach(() => {
  slack.server.requests.length = 0;
  slack.webhookMessages.length = 0;
});

const push = exampleEvent('push', (p) => Boolean(p.head_commit));

function notify(inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) {
  return runBundle({ action: 'notify', inputs, event: push, timeoutMs: 30_000, ...extra });
}

function sectionTexts(message: Record<string, any>): string {
  return JSON.stringify(message.blocks);
}

describe('incoming webhook', () => {
  test('posts a Block Kit message about the event and sets outputs', async () => {
    const result = await notify({
      status: 'success',
      environment: 'production',
      url: 'https://app.example.com',
      'webhook-url': slack.webhookUrl,
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', delivered: 'true' });
    expect(slack.webhookMessages).toHaveLength(1);
    const message = slack.webhookMessages[0] as Record<string, any>;
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '✅ Deployed to production', emoji: true },
    });
    const body = sectionTexts(message);
    const subject = String(push.payload.head_commit.message).split('\n')[0] as string;
    expect(body).toContain('shipline/example-app');
    expect(body).toContain('<https://app.example.com|https://app.example.com>');
    expect(body).toContain('0123456');
    expect(body).toContain(subject.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(body).toContain('https://github.com/shipline/example-app/actions/runs/1000');
    expect(body).not.toContain('<!here>');
    expect(result.summary).toContain('✓ Deployed to production');
    expect(result.summary).toContain('posted through the incoming webhook');
    expectNoSecrets(result, secrets);
  });

  test('mentions only on the statuses that should ping', async () => {
    const failed = await notify({
      status: 'failure',
      environment: 'production',
      mention: 'here,S0ONCALL',
      'webhook-url': slack.webhookUrl,
    });
    expect(failed.exitCode).toBe(0);
    const message = slack.webhookMessages[0] as Record<string, any>;
    expect(message.text).toContain('<!here> <!subteam^S0ONCALL>');
    expect(sectionTexts(message)).toContain('<!here> <!subteam^S0ONCALL>');
    await notify({ status: 'started', environment: 'production', mention: 'here', 'webhook-url': slack.webhookUrl });
    expect(JSON.stringify(slack.webhookMessages[1])).not.toContain('<!here>');
  });

  test('untrusted commit text cannot ping or inject links', async () => {
    const event = exampleEvent('push', (p) => Boolean(p.head_commit));
    event.payload.head_commit.message = 'Fix <!channel> see <https://evil.example|the docs> & ping @everyone <@U123>';
    const result = await notify({ status: 'failed', 'webhook-url': slack.webhookUrl }, { event });
    expect(result.exitCode).toBe(0);
    const sent = JSON.stringify(slack.webhookMessages[0]);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<https://evil.example');
    expect(sent).not.toContain('<@U123>');
    expect(sent).not.toMatch(/@everyone/);
    expect(sent).toContain('&lt;!channel&gt;');
    expect(sent).toContain('&amp;');
  });

  test('a 429 is retried after Retry-After, once, and the message is delivered once', async () => {
    slack.server.inject(/^\/services\//, {
      kind: 'status',
      status: 429,
      body: 'rate_limited',
      headers: { 'retry-after': '1' },
    });
    const result = await notify({ status: 'succeeded', 'webhook-url': slack.webhookUrl });
    expect(result.exitCode).toBe(0);
    const hits = slack.server.requests.filter((r) => r.path.startsWith('/services/'));
    expect(hits).toHaveLength(2);
    // Retry-After is honoured: the second attempt did not come before the second the server asked for.
    expect((hits[1]?.at ?? 0) - (hits[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(slack.webhookMessages).toHaveLength(1);
    expect(result.visibleStdout).toContain('Slack webhook: HTTP 429; retrying in 1.0s (Retry-After)');
  });

  test('a Retry-After longer than the step’s timeout fails at once with that reason, not after waiting it out', async () => {
    slack.server.inject(/^\/services\//, {
      kind: 'status',
      status: 429,
      body: 'rate_limited',
      headers: { 'retry-after': '240' },
    });
    const result = await notify({ status: 'succeeded', timeout: '3s', 'webhook-url': slack.webhookUrl });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.delivered).toBe('false');
    const message = errors(result).join('\n');
    expect(message).toContain('Slack incoming webhook failed: rate_limited (HTTP 429)');
    expect(message).toContain(
      "asked to wait 240 s (Retry-After), longer than input 'timeout' (3 s for the whole delivery) leaves",
    );
    // Not retried early against Slack's wish either: one request, and no message.
    expect(slack.server.requests.filter((r) => r.path.startsWith('/services/'))).toHaveLength(1);
    expect(slack.webhookMessages).toHaveLength(0);
    expectNoSecrets(result, secrets);
  });

  test("invalid_blocks fails the step with Slack's reason", async () => {
    const payload = JSON.stringify({ text: 'x', blocks: [{ type: 'carousel', text: 'nope' }] });
    const result = await notify({ status: 'succeeded', payload, 'webhook-url': slack.webhookUrl });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.delivered).toBe('false');
    expect(errors(result).join('\n')).toMatch(/Slack incoming webhook failed: invalid_blocks \(HTTP 400\)/);
    expect(errors(result).join('\n')).toContain('Block Kit Builder');
    expect(result.summary).toContain('not delivered');
    expectNoSecrets(result, secrets);
  });

  test('fail-on-error: false turns a rejected message into a warning', async () => {
    const result = await notify({
      status: 'succeeded',
      payload: '{"blocks": {"not": "an array"}}',
      'fail-on-error': 'false',
      'webhook-url': slack.webhookUrl,
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.delivered).toBe('false');
    expect(warnings(result).join('\n')).toContain('invalid_blocks_format');
  });

  test('a 500 from the webhook is not retried (Slack may have posted) and fails with its reason', async () => {
    slack.server.inject(/^\/services\//, { kind: 'status', status: 500, body: 'rollup_error' });
    const result = await notify({ status: 'succeeded', 'webhook-url': slack.webhookUrl });
    expect(result.exitCode).toBe(1);
    expect(slack.server.requests.filter((r) => r.path.startsWith('/services/'))).toHaveLength(1);
    expect(errors(result).join('\n')).toContain('rollup_error (HTTP 500)');
  });

  test('a revoked webhook (no_service) fails with what to do', async () => {
    const result = await notify({
      status: 'succeeded',
      'webhook-url': `${slack.server.url}/services/T0FAKE/B0FAKE/revokedHook`,
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toMatch(/no_service \(HTTP 404\)\s+The webhook was disabled or removed/);
    expectNoSecrets(result, ['revokedHook']);
  });

  test('a Slack that never answers fails at the timeout, with the kind of failure', async () => {
    slack.server.inject(/^\/services\//, { kind: 'hang' });
    const result = await notify({ status: 'succeeded', timeout: '1s', 'webhook-url': slack.webhookUrl });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Slack webhook: no response before the timeout');
    expectNoSecrets(result, secrets);
  });

  test('an unreachable Slack fails as connection refused after retries', async () => {
    const port = await closedPort();
    const result = await notify({
      status: 'succeeded',
      'webhook-url': `http://127.0.0.1:${port}/services/T/B/unreachableSecret`,
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Slack webhook: connection refused');
    // Refused means Slack never saw it, so even this POST was retried.
    expect(result.visibleStdout).toContain('retrying in');
    expectNoSecrets(result, ['unreachableSecret']);
  });

  test('messages too large for Block Kit are cut with a marker, never rejected', async () => {
    const event = exampleEvent('push', (p) => Boolean(p.head_commit));
    event.payload.head_commit.message = `${'long subject & more '.repeat(400)}\nbody`;
    const blocks = Array.from({ length: 60 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `${i} {{ commit_subject }}` },
    }));
    const result = await notify(
      { status: 'failed', payload: JSON.stringify({ text: '{{ title }}', blocks }), 'webhook-url': slack.webhookUrl },
      { event },
    );
    expect(result.exitCode).toBe(0);
    const sent = slack.webhookMessages[0] as Record<string, any>;
    expect(sent.blocks).toHaveLength(50);
    expect(JSON.stringify(sent.blocks[49])).toContain('11 more blocks not shown');
    expect(sent.blocks[0].text.text.length).toBeLessThanOrEqual(3000);
    expect(sent.blocks[0].text.text.endsWith('…')).toBe(true);
    expect(sent.blocks[0].text.text).not.toMatch(/&[a-z]*…$/);
    expect(warnings(result).join('\n')).toContain('kept 49 of 60 blocks');
  });

  test('a user payload gets the event fields as template variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notify-payload-'));
    writeFileSync(
      join(dir, 'slack.json'),
      JSON.stringify({ text: '{{ emoji }} {{ environment }} {{ short_sha }} by {{ actor }}: {{ url }}' }),
    );
    const result = await notify(
      {
        status: 'succeeded',
        environment: 'staging',
        url: 'https://stg.example.com/?a=1&b=2',
        'payload-file': 'slack.json',
        'webhook-url': slack.webhookUrl,
      },
      { workspace: dir },
    );
    expect(result.exitCode).toBe(0);
    expect(slack.webhookMessages[0]).toEqual({
      text: '✅ staging 0123456 by octocat: https://stg.example.com/?a=1&amp;b=2',
    });
  });

  test('a button URL from a template keeps its & (URL fields are not mrkdwn); text around it is escaped', async () => {
    const url = 'https://stg.example.com/?a=1&b=2';
    const payload = {
      text: '{{ environment }} at {{ url }}',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Open {{ url }}' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: '{{ url }}' },
            { type: 'button', text: { type: 'plain_text', text: 'Run' }, url: '{{ run_url }}?env={{ environment }}' },
          ],
        },
        { type: 'image', image_url: '{{ url }}', alt_text: 'preview' },
      ],
    };
    const result = await notify({
      status: 'succeeded',
      environment: 'a&b',
      url,
      payload: JSON.stringify(payload),
      'webhook-url': slack.webhookUrl,
    });
    expect(result.exitCode).toBe(0);
    const sent = slack.webhookMessages[0] as Record<string, any>;
    expect(sent.blocks[1].elements[0].url).toBe(url);
    expect(sent.blocks[1].elements[1].url).toBe('https://github.com/shipline/example-app/actions/runs/1000?env=a%26b');
    expect(sent.blocks[2].image_url).toBe(url);
    expect(sent.blocks[0].text.text).toBe('Open https://stg.example.com/?a=1&amp;b=2');
    expect(sent.text).toBe('a&amp;b at https://stg.example.com/?a=1&amp;b=2');
  });

  test('an unknown template variable is an error naming it', async () => {
    const result = await notify({
      status: 'succeeded',
      payload: '{"text": "{{ stauts }}"}',
      'webhook-url': slack.webhookUrl,
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain("Input 'payload' uses unknown template variable {{ stauts }}");
    expect(slack.server.requests).toHaveLength(0);
  });

  test('a pull_request event names the PR title and head commit', async () => {
    const event = exampleEvent('pull_request', (p) => p.action === 'opened');
    const result = await notify(
      { status: 'started', environment: 'preview', 'webhook-url': slack.webhookUrl },
      { event },
    );
    expect(result.exitCode).toBe(0);
    const sent = JSON.stringify(slack.webhookMessages[0]);
    expect(sent).toContain(String(event.payload.pull_request.head.sha).slice(0, 7));
    expect(sent).toContain(String(event.payload.pull_request.title).replace(/&/g, '&amp;'));
  });
});

describe('bot token', () => {
  const bot = () => ({ 'bot-token': slack.token, channel: '#deploys', 'slack-api-url': slack.apiUrl });

  test('posts once, then updates the same message in place at the next stage', async () => {
    const started = await notify({ status: 'started', environment: 'production', ...bot() });
    expect(started.exitCode).toBe(0);
    const { ts, channel } = started.outputs;
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(channel).toBe('C0DEPLOYS');

    const done = await notify({
      status: 'succeeded',
      environment: 'production',
      ...bot(),
      channel: channel as string,
      ts: ts as string,
    });
    expect(done.exitCode).toBe(0);
    expect(done.outputs).toMatchObject({ ts, channel, delivered: 'true' });
    const stored = slack.messages.get(ts as string);
    expect(stored?.updates).toBe(1);
    expect(JSON.stringify(stored?.blocks)).toContain('✅ Deployed to production');
    expect(JSON.stringify(stored?.blocks)).toContain('*Duration*');
    expect(done.summary).toContain(`updated message ${ts} in C0DEPLOYS`);
    expectNoSecrets(started, secrets);
    expectNoSecrets(done, secrets);
  });

  test('an update whose message is gone posts a new one, with a warning', async () => {
    const result = await notify({ status: 'failed', ...bot(), channel: 'C0DEPLOYS', ts: '1600000000.000001' });
    expect(result.exitCode).toBe(0);
    expect(warnings(result).join('\n')).toContain('message_not_found');
    expect(result.outputs.ts).not.toBe('1600000000.000001');
  });

  test('chat.update is retried over a connection reset; 429 on postMessage waits for Retry-After', async () => {
    slack.server.inject(/chat\.postMessage/, {
      kind: 'status',
      status: 429,
      body: '{"ok":false,"error":"ratelimited"}',
      headers: { 'retry-after': '1' },
    });
    const first = await notify({ status: 'started', ...bot() });
    expect(first.exitCode).toBe(0);
    slack.server.inject(/chat\.update/, { kind: 'reset' });
    const second = await notify({
      status: 'succeeded',
      ...bot(),
      channel: first.outputs.channel as string,
      ts: first.outputs.ts as string,
    });
    expect(second.exitCode).toBe(0);
    expect(slack.messages.get(first.outputs.ts as string)?.updates).toBe(1);
    expect(second.visibleStdout).toContain('Slack chat.update: connection-reset');
  });

  test('a 429 with a Retry-After past the timeout fails at once with that reason; nothing is posted', async () => {
    slack.server.inject(/chat\.postMessage/, {
      kind: 'status',
      status: 429,
      body: '{"ok":false,"error":"ratelimited"}',
      headers: { 'retry-after': '240', 'content-type': 'application/json' },
    });
    const result = await notify({ status: 'started', ...bot(), timeout: '3s' });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain('Slack chat.postMessage failed: rate_limited (HTTP 429)');
    expect(message).toContain('asked to wait 240 s (Retry-After)');
    expect(slack.server.requests.filter((r) => r.path.endsWith('chat.postMessage'))).toHaveLength(1);
    expectNoSecrets(result, secrets);
  });

  test('updating needs the channel ID that chat.postMessage answered with, not the #name', async () => {
    const started = await notify({ status: 'started', ...bot() });
    expect(started.outputs.channel).toBe('C0DEPLOYS');
    const byName = await notify({
      status: 'succeeded',
      ...bot(),
      channel: '#deploys',
      ts: started.outputs.ts as string,
    });
    expect(byName.exitCode).toBe(1);
    expect(errors(byName).join('\n')).toContain(
      "Input 'channel' must be a channel ID (like C0123456789) when 'ts' is set",
    );
    expect(slack.server.requests.filter((r) => r.path.endsWith('chat.update'))).toHaveLength(0);
    const byId = await notify({
      status: 'succeeded',
      ...bot(),
      channel: started.outputs.channel as string,
      ts: started.outputs.ts as string,
    });
    expect(byId.exitCode).toBe(0);
    expect(slack.messages.get(started.outputs.ts as string)?.updates).toBe(1);
  });

  test("Slack's error codes fail the step with the reason and a hint", async () => {
    const notFound = await notify({ status: 'succeeded', ...bot(), channel: '#nowhere' });
    expect(notFound.exitCode).toBe(1);
    expect(errors(notFound).join('\n')).toMatch(
      /Slack chat.postMessage failed: channel_not_found\s+The channel does not exist/,
    );
    const badAuth = await notify({ status: 'succeeded', ...bot(), 'bot-token': 'xoxb-revoked-token' });
    expect(errors(badAuth).join('\n')).toContain('invalid_auth');
    expectNoSecrets(badAuth, ['xoxb-revoked-token']);
  });

  test('a malformed answer is reported, not swallowed', async () => {
    slack.server.inject(/chat\.postMessage/, { kind: 'malformed' });
    const result = await notify({ status: 'succeeded', ...bot() });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain('Slack chat.postMessage failed: malformed answer ({"ok": tru)');
  });
});

describe('inputs', () => {
  test('every problem is reported at once, naming the input and the expected form', async () => {
    const result = await notify({
      status: 'exploded',
      'webhook-url': 'ftp://hooks.example.com/services/secretpart',
      mention: 'bob',
      timeout: 'soon',
      'fail-on-error': 'maybe',
    });
    expect(result.exitCode).toBe(1);
    const message = errors(result).join('\n');
    expect(message).toContain(
      "Input 'status' must be one of started, succeeded, failed, rolled-back, cancelled, awaiting-approval, got 'exploded'",
    );
    expect(message).toContain("Input 'webhook-url' must be an https URL, got 'ftp://…'");
    expect(message).toContain("Input 'mention' must be a comma-separated list");
    expect(message).toContain("Input 'timeout' must be a duration like 30s, 5m or 1h");
    expect(message).toContain("Input 'fail-on-error' must be true or false, got 'maybe'");
    expect(slack.server.requests).toHaveLength(0);
    expectNoSecrets(result, ['secretpart']);
  });

  test('slack-api-url must be https; plain http only to a loopback address', async () => {
    const result = await notify({
      status: 'succeeded',
      'bot-token': slack.token,
      channel: 'C0DEPLOYS',
      'slack-api-url': 'http://slack-gateway.example.com/api',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "Input 'slack-api-url' must be an https URL (plain http only to a loopback address such as 127.0.0.1)",
    );
    expect(slack.server.requests).toHaveLength(0);
  });

  test('credentials written into a Slack URL are refused and never printed', async () => {
    const result = await notify({
      status: 'succeeded',
      'bot-token': slack.token,
      channel: 'C0DEPLOYS',
      'slack-api-url': 'http://gateway:Pr0xyPassw0rd@slack-gateway.example.com/api',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain("Input 'slack-api-url' must not contain a user name or password");
    expectNoSecrets(result, ['Pr0xyPassw0rd', 'gateway:Pr0xyPassw0rd']);
    const hook = await notify({
      status: 'succeeded',
      'webhook-url': 'https://hookuser:W3bh00kPassw0rd@hooks.slack.example.com/services/T/B/pathSecret',
    });
    expect(hook.exitCode).toBe(1);
    expect(errors(hook).join('\n')).toContain("Input 'webhook-url' must not contain a user name or password");
    expectNoSecrets(hook, ['W3bh00kPassw0rd', 'pathSecret']);
    expect(slack.server.requests).toHaveLength(0);
  });

  test('no Slack destination is an error naming the inputs', async () => {
    const result = await notify({ status: 'succeeded' });
    expect(result.exitCode).toBe(1);
    expect(errors(result).join('\n')).toContain(
      "No Slack destination: set input 'webhook-url' (an incoming webhook) or input 'bot-token' (with 'channel')",
    );
  });

  test('inputs that contradict each other are reported together', async () => {
    const result = await notify({
      status: 'succeeded',
      'webhook-url': slack.webhookUrl,
      'bot-token': slack.token,
      ts: 'yesterday',
    });
    const message = errors(result).join('\n');
    expect(message).toContain("Inputs 'webhook-url' and 'bot-token' are both set");
    expect(message).toContain("Input 'channel' is required with 'bot-token'");
    expect(message).toContain("Input 'ts' must be a Slack message timestamp");
    expectNoSecrets(result, secrets);
  });
});

describe('npx shipline notify', () => {
  test('runs the same bundle from a terminal and prints outputs and the summary', async () => {
    // The secret comes from the environment, spelled with an underscore as a shell can export it.
    const { code, stdout } = await runCli(['notify', '--status', 'succeeded', '--environment', 'staging'], {
      INPUT_WEBHOOK_URL: slack.webhookUrl,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Outputs:\n');
    expect(stdout).toContain('delivered: true');
    expect(stdout).toContain('Job summary:\n### ✓ Deployed to staging');
    expect(stdout).toContain('Step succeeded');
    expect(stdout).not.toContain('s3cr3tW3bh00kPath');
    expect(slack.webhookMessages).toHaveLength(1);
  });
});
