// The pure parts of notify's message: escaping and Block Kit limits.
import { describe, expect, test } from '@jest/globals';
import { fitToLimits, truncate } from '../actions/notify/src/block-kit-limits.js';
import { escapeMrkdwn, link } from '../actions/notify/src/mrkdwn.js';
import { slackRejection } from '../cli/sandbox/slack.js';

describe('escaping', () => {
  test('pings and links in untrusted text are neutralised', () => {
    expect(escapeMrkdwn('<!here> & <@U1>')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt;');
    expect(escapeMrkdwn('@channel')).not.toBe('@channel');
    expect(link('javascript:alert(1)', 'x')).toBe('x');
    expect(link('https://a.example/?q=1&r=<2>|x', 'a|b')).toBe('<https://a.example/?q=1&amp;r=%3C2%3E%7Cx|a¦b>');
  });
});

describe('truncate', () => {
  test('never leaves half a link, half an entity or half a surrogate pair', () => {
    expect(truncate('abc <https://example.com|label>', 20)).toBe('abc …');
    expect(truncate('abcdefgh &amp; rest', 13)).toBe('abcdefgh …');
    expect(truncate('abcdefg😀xyz', 9)).toBe('abcdefg…');
    expect(truncate('short', 10)).toBe('short');
  });

  test('every message that comes out is one Slack accepts', () => {
    const huge = {
      text: 'x'.repeat(5000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(400) } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 's'.repeat(4000) },
          fields: Array.from({ length: 12 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2500) })),
        },
        { type: 'context', elements: Array.from({ length: 12 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        ...Array.from({ length: 60 }, () => ({ type: 'divider' })),
      ],
    };
    expect(slackRejection(huge)).toBe('invalid_blocks');
    const { message, cuts } = fitToLimits(huge);
    expect(slackRejection(message)).toBeUndefined();
    expect(cuts.length).toBeGreaterThanOrEqual(6);
    expect((message.text as string).length).toBeLessThanOrEqual(4000);
  });
});
