// The official Slack client is the judge of the Slack fake: @slack/web-api, pointed at the fake with its
// slackApiUrl option, posts a message and updates it the way it would on Slack (form-encoded body, objects as JSON
// strings, the token in the Authorization header), and the fake answers as Slack does: the channel ID back from
// chat.postMessage, and chat.update only by that ID.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { WebClient } from '@slack/web-api';
import { type FakeSlack, startFakeSlack } from '../cli/sandbox/slack.js';

let slack: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  slack = await startFakeSlack();
  // No retries: a conformance failure should show at once, not after the client's backoff.
  client = new WebClient(slack.token, { slackApiUrl: `${slack.apiUrl}/`, retryConfig: { retries: 0 } });
});
afterAll(() => slack.close());

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: '🚀 Deploying to production', emoji: true } },
  { type: 'section', text: { type: 'mrkdwn', text: '*shipline/example-app* · `main` · a&amp;b' } },
];

describe('@slack/web-api against the Slack fake', () => {
  test('chat.postMessage by #name answers the channel ID and a ts; chat.update by that ID changes the message', async () => {
    const posted = await client.chat.postMessage({ channel: '#deploys', text: 'Deploying to production', blocks });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe('C0DEPLOYS');
    expect(posted.ts).toMatch(/^\d+\.\d+$/);
    // What the client really sent: a form, not JSON, with the blocks as a JSON string.
    const sent = slack.server.requests.at(-1);
    expect(sent?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(sent?.headers.authorization).toBe(`Bearer ${slack.token}`);
    expect(slack.messages.get(posted.ts as string)?.blocks).toEqual(blocks);

    const updated = await client.chat.update({
      channel: posted.channel as string,
      ts: posted.ts as string,
      text: 'Deployed',
      blocks: [blocks[0] as (typeof blocks)[0]],
    });
    expect(updated.ok).toBe(true);
    expect(updated.ts).toBe(posted.ts);
    expect(slack.messages.get(posted.ts as string)).toMatchObject({
      channel: 'C0DEPLOYS',
      text: 'Deployed',
      updates: 1,
    });
  });

  test('chat.update by #name fails as on Slack (channel_not_found): the ID is required', async () => {
    const posted = await client.chat.postMessage({ channel: '#deploys', text: 'x' });
    await expect(client.chat.update({ channel: '#deploys', ts: posted.ts as string, text: 'y' })).rejects.toMatchObject(
      { code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } },
    );
    expect(slack.messages.get(posted.ts as string)?.updates).toBe(0);
  });

  test('Slack’s errors reach the client as platform errors with Slack’s code', async () => {
    await expect(client.chat.postMessage({ channel: '#nowhere', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'channel_not_found' },
    });
    await expect(
      new WebClient('xoxb-wrong', { slackApiUrl: `${slack.apiUrl}/`, retryConfig: { retries: 0 } }).chat.postMessage({
        channel: '#deploys',
        text: 'x',
      }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    await expect(
      client.chat.postMessage({ channel: '#deploys', text: 'x', blocks: [{ type: 'carousel' }] as never }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
  });

  test('a 429 reaches the client with its Retry-After', async () => {
    slack.server.inject(/chat\.postMessage/, {
      kind: 'status',
      status: 429,
      body: '{"ok":false,"error":"ratelimited"}',
      headers: { 'retry-after': '30', 'content-type': 'application/json' },
    });
    const limited = new WebClient(slack.token, {
      slackApiUrl: `${slack.apiUrl}/`,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    await expect(limited.chat.postMessage({ channel: '#deploys', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 30,
    });
  });
});
