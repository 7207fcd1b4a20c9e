// Delivery to Slack: an incoming webhook through @slack/webhook, or the Web API with a bot token through the
// official @slack/web-api client (chat.postMessage, then chat.update of the same message at later stages).
//
// Input 'timeout' bounds the whole delivery — every attempt, retry and rate-limit wait — so a Slack that asks to
// wait minutes (Retry-After) fails the step with that reason within the bound instead of holding the job.
// @slack/webhook fails on 429 without waiting, so webhooks get our retrying fetch (with the deadline);
// @slack/web-api would sleep out any Retry-After, however long, so its rate-limited calls are handed back to us
// (rejectRateLimitedCalls) and waited only when the wait fits in the time left.
import { Deadline } from '../../../shared/deadline.js';
import { NetworkError, ProviderError, ShiplineError } from '../../../shared/errors.js';
import { classifyNetworkError, proxiedFetch, request, sleep } from '../../../shared/http.js';
import { debug, info, warning } from '../../../shared/runner.js';
import { excerpt } from '../../../shared/sanitise.js';
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
  invalid_blocks:
    'Slack refused the blocks: check the payload in Block Kit Builder (https://app.slack.com/block-kit-builder).',
  invalid_blocks_format: 'The blocks field must be an array of Block Kit blocks.',
  no_text: 'The message needs text or blocks.',
  channel_not_found:
    'The channel does not exist or the app cannot see it: check input channel, or create a new webhook if its channel was deleted.',
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
  edit_window_closed: "The workspace's message editing setting no longer lets this message be edited.",
};

/**
 * chat.update errors after which the message is posted anew rather than the step failing: the message is gone, is
 * not the bot's, or is past the workspace's edit window (https://api.slack.com/methods/chat.update, Errors:
 * edit_window_closed, "The message cannot be edited due to the team message edit settings").
 */
const POST_INSTEAD_OF_UPDATE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

function providerError(reason: string, status: number | undefined, action: string): ProviderError {
  return new ProviderError('Slack', reason, { status, action, hint: HINTS[reason] });
}

/** Slack asked for a pause longer than the step's bound allows: say so, instead of waiting it out. */
function rateLimited(action: string, retryAfterS: number | undefined, timeoutMs: number): ProviderError {
  const asked =
    retryAfterS !== undefined ? `asked to wait ${retryAfterS} s (Retry-After)` : 'asked to wait (no Retry-After given)';
  return new ProviderError('Slack', 'rate_limited', {
    status: 429,
    action,
    hint: `Slack ${asked}, longer than input 'timeout' (${Math.round(timeoutMs / 1000)} s for the whole delivery) leaves, so the message was not sent. Raise 'timeout' (at most 5m) or send fewer messages to this ${action === 'incoming webhook' ? 'webhook' : 'workspace'}.`,
  });
}

function retryAfterSeconds(value: string | null): number | undefined {
  return value && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** The delivery's time bound: input 'timeout' from the moment delivery starts. */
export interface Bound {
  timeoutMs: number;
  deadline: Deadline;
}

export function boundFrom(timeoutMs: number): Bound {
  return { timeoutMs, deadline: Deadline.in(timeoutMs) };
}

export async function sendWebhook(webhookUrl: string, message: SlackMessage, bound: Bound): Promise<Delivery> {
  const { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError } = await import('@slack/webhook');
  const label = 'Slack webhook';
  const webhook = new IncomingWebhook(webhookUrl, {
    // A webhook POST is retried only where Slack cannot have posted it: 429 and connections never made; never past
    // the deadline. A 429 still there at the end is the rate limit winning: that is the reason given.
    fetch: (async (input: string | URL | Request, init: RequestInit = {}) => {
      const url = input instanceof Request ? input.url : input;
      const response = await request(url, {
        label,
        method: init.method,
        headers: init.headers as Record<string, string> | undefined,
        body: init.body as string,
        idempotent: false,
        timeoutMs: bound.timeoutMs,
        deadline: bound.deadline,
      });
      if (response.status === 429) {
        await response.body?.cancel().catch(() => undefined);
        throw rateLimited('incoming webhook', retryAfterSeconds(response.headers.get('retry-after')), bound.timeoutMs);
      }
      return response;
    }) as typeof fetch,
    timeout: 0,
    retryConfig: { retries: 0 },
  });
  try {
    await webhook.send(message as Parameters<typeof webhook.send>[0]);
  } catch (error) {
    if (error instanceof IncomingWebhookHTTPError)
      throw providerError(
        error.body.trim() || error.statusMessage || 'no reason given',
        error.statusCode,
        'incoming webhook',
      );
    if (error instanceof IncomingWebhookRequestError && error.original instanceof ShiplineError) throw error.original;
    throw error;
  }
  return { mode: 'webhook', action: 'posted' };
}

export interface BotTarget {
  apiUrl: string;
  token: string;
  channel: string;
  ts?: string;
}

type WebClientModule = typeof import('@slack/web-api');

interface SlackErrorLike {
  code?: string;
  data?: { error?: unknown };
  statusCode?: number;
  body?: unknown;
  original?: unknown;
  retryAfter?: number;
}

/** @slack/web-api's errors as ours: Slack's own reason, or the network failure, never the client's wrapper text. */
function fromWebApi(error: unknown, method: string): Error {
  const e = error as SlackErrorLike;
  switch (e?.code) {
    case 'slack_webapi_platform_error': {
      const reason = String(e.data?.error ?? 'no reason given');
      // The client puts a body it could not parse as JSON in `error`: that is a malformed answer, not a code.
      return /^[a-z_]+$/.test(reason)
        ? providerError(reason, undefined, method)
        : providerError(`malformed answer (${excerpt(reason, 200) || 'empty body'})`, undefined, method);
    }
    case 'slack_webapi_http_error':
      return providerError(excerpt(e.body ?? '', 200) || `HTTP ${e.statusCode}`, e.statusCode, method);
    case 'slack_webapi_request_error': {
      if (e.original instanceof ShiplineError) return e.original;
      const { kind, detail } = classifyNetworkError(e.original);
      return new NetworkError(`Slack ${method}`, kind, detail, { cause: e.original });
    }
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** Failures where Slack never saw the request (so even chat.postMessage may be sent again). */
function neverSent(error: SlackErrorLike): boolean {
  if (error?.code !== 'slack_webapi_request_error') return false;
  const { kind } = classifyNetworkError(error.original);
  return kind === 'connection-refused' || kind === 'dns';
}

const RETRIES = 3;

async function webClient(slack: WebClientModule, target: BotTarget, method: string, bound: Bound, idempotent: boolean) {
  return new slack.WebClient(target.token, {
    slackApiUrl: target.apiUrl,
    // Each attempt gets at most the time left; the client's own timeout would restart it on every retry.
    fetch: ((input: string | URL | Request, init: RequestInit = {}) => {
      const left = bound.deadline.left();
      if (left <= 0)
        return Promise.reject(new NetworkError(`Slack ${method}`, 'timeout', 'no time left before the deadline'));
      const signal = init.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(left)])
        : AbortSignal.timeout(left);
      // Through the proxy the environment names (HTTPS_PROXY, NO_PROXY), as every other call.
      return proxiedFetch(input, { ...init, signal });
    }) as typeof fetch,
    rejectRateLimitedCalls: true,
    retryConfig: {
      retries: RETRIES,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 4000,
      randomize: true,
      // p-retry: throwing here stops the retries. A post Slack may have made is not sent again (no duplicate
      // messages), and no retry starts once the bound has passed.
      onFailedAttempt: (error: SlackErrorLike & { attemptNumber: number; retriesLeft: number }) => {
        if (error.retriesLeft === 0) return;
        // The longest backoff p-retry may pick next (minTimeout × factor^n, randomized up to ×2, capped).
        const nextWait = Math.min(4000, 1000 * 2 ** (error.attemptNumber - 1));
        if (
          (!idempotent && !neverSent(error)) ||
          error.original instanceof ShiplineError ||
          nextWait >= bound.deadline.left()
        )
          throw error;
        const what =
          error.code === 'slack_webapi_request_error'
            ? `${classifyNetworkError(error.original).kind} (${classifyNetworkError(error.original).detail})`
            : `HTTP ${error.statusCode ?? '?'}`;
        info(`Slack ${method}: ${what}; retrying (attempt ${error.attemptNumber + 1} of ${RETRIES + 1})`);
      },
    } as never,
    logger: {
      debug: (...m: unknown[]) => debug(`@slack/web-api: ${m.join(' ')}`),
      info: (...m: unknown[]) => debug(`@slack/web-api: ${m.join(' ')}`),
      warn: (...m: unknown[]) => debug(`@slack/web-api: ${m.join(' ')}`),
      error: (...m: unknown[]) => debug(`@slack/web-api: ${m.join(' ')}`),
      setLevel: () => undefined,
      getLevel: () => slack.LogLevel.DEBUG,
      setName: () => undefined,
    },
  });
}

interface ChatAnswer {
  channel?: string;
  ts?: string;
  warning?: string;
}

/**
 * One Web API call through the official client. A rate limit (429) is waited out only when its Retry-After fits
 * in the time left; otherwise the step fails at once with that reason.
 */
async function callWebApi(
  target: BotTarget,
  method: 'chat.postMessage' | 'chat.update',
  args: Record<string, unknown>,
  bound: Bound,
  idempotent: boolean,
): Promise<ChatAnswer> {
  const slack = await import('@slack/web-api');
  const client = await webClient(slack, target, method, bound, idempotent);
  for (;;) {
    try {
      const answer = (await client.apiCall(method, args)) as ChatAnswer & {
        response_metadata?: { warnings?: string[] };
      };
      for (const w of [answer.warning, ...(answer.response_metadata?.warnings ?? [])].filter(Boolean))
        warning(`Slack ${method}: ${w}`);
      return answer;
    } catch (error) {
      const e = error as SlackErrorLike;
      if (e?.code !== 'slack_webapi_rate_limited_error') throw fromWebApi(error, method);
      const waitMs = (e.retryAfter ?? 1) * 1000;
      if (waitMs >= bound.deadline.left()) throw rateLimited(method, e.retryAfter, bound.timeoutMs);
      info(`Slack ${method}: HTTP 429; retrying in ${(waitMs / 1000).toFixed(1)}s (Retry-After)`);
      await sleep(waitMs);
    }
  }
}

export async function sendBot(target: BotTarget, message: SlackMessage, bound: Bound): Promise<Delivery> {
  const { channel, ts } = target;
  if (ts) {
    try {
      // chat.update takes the channel ID only (never a #name): inputs require the ID whenever 'ts' is set.
      // Updating with the same content twice gives the same message, so it may be retried on 5xx.
      const answer = await callWebApi(target, 'chat.update', { ...message, channel, ts }, bound, true);
      return { mode: 'bot-token', action: 'updated', channel: answer.channel ?? channel, ts: answer.ts ?? ts };
    } catch (error) {
      if (!(error instanceof ProviderError && POST_INSTEAD_OF_UPDATE.has(error.reason))) throw error;
      warning(`Slack could not update message ${ts} (${error.reason}); posting a new message instead.`);
    }
  }
  const answer = await callWebApi(target, 'chat.postMessage', { ...message, channel }, bound, false);
  // The channel output is the ID Slack answers with (not the #name given), the one a later chat.update needs.
  return { mode: 'bot-token', action: 'posted', channel: answer.channel ?? channel, ts: answer.ts };
}
