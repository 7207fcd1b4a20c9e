// Slack mrkdwn for untrusted text. Commit subjects, PR titles and branch names come from whoever opened the PR:
// escaped, they can neither ping (<!channel>, <@U…>) nor smuggle in a link (<https://evil|looks fine>).
import type { Mention } from './inputs.js';

export function escapeMrkdwn(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Plain "@channel" pings only where the app enables link_names, but a zero-width joiner makes sure of it.
      .replace(/@(channel|here|everyone)\b/gi, '@\u2060$1')
  );
}

/** A link, only for http(s) URLs; anything else is shown as escaped text. */
export function link(url: string | undefined, label: string): string {
  if (!url || !/^https?:\/\//i.test(url)) return escapeMrkdwn(label || url || '');
  const target = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return `<${target}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** Inline code for a ref name: backticks removed so it cannot close the span early. */
export function code(text: string): string {
  return text ? `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\`` : '';
}

export function formatMentions(mentions: Mention[]): string {
  return mentions
    .map((m) => {
      switch (m.kind) {
        case 'user':
          return `<@${m.id}>`;
        case 'group':
          return `<!subteam^${m.id}>`;
        default:
          return `<!${m.kind}>`;
      }
    })
    .join(' ');
}
