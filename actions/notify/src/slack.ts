// Delivery to Slack: an incoming webhook through @slack/webhook (given our retrying fetch, since the package
// fails on 429 without waiting), or the Web API with a bot token: chat.postMessage, then chat.update of the same
// message at every later stage of the run.
import { NetworkError, ProviderError } from '../../../shared/errors.js';
import { readText, request, retryingFetch } from '../../../shared/http.js';
import { warning } from '../../../shared/runner.js';
import type { SlackMessage } from './message.js';

export interface Delivery {
  mode: 'webhook' | 'bot-token';
  action: 'posted' | 'updated';
  channel?: string;
  ts?: string;
}

/** What to do about Slack's error codes (the documented ones for webhooks and chat.*). */
const HINTS: Record<string, string> = {
  invalid_payload: 'The message is not a valid Slack payload: check input payload / payload-file.',
  invalid_blocks: 'Slack refused the blocks: check the payload in Block Kit Builder (https://app.slack.com/block-kit-builder).',
  invalid_blocks_format: 'The blocks field must be an array of Block Kit blocks.',
  no_text: 'The message needs text or blocks.',
  channel_not_found: 'The channel does not exist or the app cannot see it: check input channel, or create a new webhook if its channel was deleted.',
  not_in_channel: 'Invite the bot to the channel (/invite @your-bot), or add the chat:write.public scope.',
  is_archived: 'The channel is archived.',
  channel_is_archived: 'The channel is archived: create a webhook for another channel.',
  invalid_token: 'The webhook or token is invalid or was revoked: create a new one and update the secret.',
  invalid_auth: 'The token is invalid: check the bot-token secret.',
  not_authed: 'No token reached Slack: check the bot-token secret.',
  token_revoked: 'The token was revoked: reinstall the Slack app and update the secret.',
  account_inactive: 'The token belongs to a deactivated user or app.',
  missing_scope: 'The bot token lacks the chat:write scope.',
  no_service: 'The webhook was disabled or removed: create a new one and update the secret.',
  action_prohibited: 'A workspace admin restricted posting to this channel.',
  rollup_error: 'Slack had an internal error; a later run may succeed.',
  msg_too_long: 'The message text is too long.',
  cant_update_message: 'Only messages posted by this bot can be updated.',
};

function providerError(reason: string, status: number | undefined, action: string): ProviderError {
  return new ProviderError('Slack', reason, { status, action, hint: HINTS[reason] });
}

export async function sendWebhook(webhookUrl: string, message: SlackMessage, timeoutMs: number): Promise<Delivery> {
  const { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } = await import('@slack/webhook');
  const webhook = new IncomingWebhook(webhookUrl, {
    // A webhook POST is retried only where Slack cannot have posted it: 429 and connections never made.
    fetch: retryingFetch({ label: 'Slack webhook', timeoutMs, idempotent: false }),
    timeout: 0,
    retryConfig: { retries: 0 },
  });
  try {
    await webhook.send(message as Parameters<typeof webhook.send>[0]);
  } catch (error) {
    if (error instanceof IncomingWebhookHTTPError)
      throw providerError(error.body.trim() || error.statusMessage || 'no reason given', error.statusCode, 'incoming webhook');
    if (error instanceof IncomingWebhookRequestError && error.original instanceof NetworkError) throw error.original;
    throw error;
  }
  return { mode: 'webhook', action: 'posted' };
}

interface WebApiAnswer {
  ok: boolean;
  error?: string;
  channel?: string;
  ts?: string;
  warning?: string;
}

async function callWebApi(apiUrl: string, method: string, token: string, body: object, timeoutMs: number, idempotent: boolean): Promise<WebApiAnswer> {
  const response = await request(`${apiUrl.replace(/\/$/, '')}/${method}`, {
    label: `Slack ${method}`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    timeoutMs,
    idempotent,
  });
  const text = await readText(response);
  let answer: WebApiAnswer;
  try {
    answer = JSON.parse(text) as WebApiAnswer;
  } catch {
    throw providerError(`malformed answer (${text.slice(0, 200) || 'empty body'})`, response.status, method);
  }
  if (answer?.ok !== true) throw providerError(answer?.error ?? `HTTP ${response.status}`, response.ok ? undefined : response.status, method);
  if (answer.warning) warning(`Slack ${method}: ${answer.warning}`);
  return answer;
}

export interface BotTarget {
  apiUrl: string;
  token: string;
  channel: string;
  ts?: string;
}

export async function sendBot(target: BotTarget, message: SlackMessage, timeoutMs: number): Promise<Delivery> {
  const { apiUrl, token, channel, ts } = target;
  if (ts) {
    try {
      // Updating with the same content twice gives the same message, so chat.update may be retried on 5xx.
      const answer = await callWebApi(apiUrl, 'chat.update', token, { ...message, channel, ts }, timeoutMs, true);
      return { mode: 'bot-token', action: 'updated', channel: answer.channel ?? channel, ts: answer.ts ?? ts };
    } catch (error) {
      if (!(error instanceof ProviderError && (error.reason === 'message_not_found' || error.reason === 'cant_update_message'))) throw error;
      warning(`Slack could not update message ${ts} (${error.reason}); posting a new message instead.`);
    }
  }
  const answer = await callWebApi(apiUrl, 'chat.postMessage', token, { ...message, channel }, timeoutMs, false);
  return { mode: 'bot-token', action: 'posted', channel: answer.channel ?? channel, ts: answer.ts };
}
