// A loopback Slack: incoming webhooks (plain-text answers) and the Web API's chat.postMessage / chat.update
// (JSON answers, HTTP 200 with ok:false on errors), checking every message against the documented Block Kit
// limits the way Slack does, so a message that would be rejected in production is rejected here. The Web API
// takes JSON or application/x-www-form-urlencoded (what @slack/web-api sends: objects as JSON strings), and the
// token in the Authorization header or the body. chat.postMessage accepts a channel name or ID and answers with
// the ID; chat.update takes the ID only, as Slack does (test/conformance-slack.test.ts runs the official client).
import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from './server.js';

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  updates: number;
}

export interface FakeSlack {
  server: FakeServer;
  webhookUrl: string;
  apiUrl: string;
  token: string;
  webhookMessages: Record<string, unknown>[];
  messages: Map<string, StoredMessage>;
  /**
   * The workspace's "allow people to edit their messages" setting, in ms after posting: undefined is any time, 0
   * is never. chat.update past it answers edit_window_closed.
   */
  editWindowMs: number | undefined;
  close(): Promise<void>;
}

const CHANNELS: Record<string, string> = { C0DEPLOYS: 'C0DEPLOYS', '#deploys': 'C0DEPLOYS', deploys: 'C0DEPLOYS' };
const CHANNEL_IDS = new Set(Object.values(CHANNELS));

/** A Web API body: JSON, or a form whose object-valued arguments (blocks, attachments, metadata) are JSON strings. */
function webApiArguments(req: RecordedRequest): Record<string, any> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const args: Record<string, any> = Object.fromEntries(new URLSearchParams(req.body));
    for (const key of ['blocks', 'attachments', 'metadata']) {
      if (typeof args[key] !== 'string') continue;
      try {
        args[key] = JSON.parse(args[key]);
      } catch {
        return { ...args, [key]: undefined, invalidJson: key };
      }
    }
    return args;
  }
  try {
    return JSON.parse(req.body);
  } catch {
    return undefined;
  }
}
const BLOCK_TYPES = new Set([
  'header',
  'section',
  'context',
  'divider',
  'actions',
  'image',
  'rich_text',
  'input',
  'file',
  'video',
]);

/** Slack's validation of a message, written from its documentation (not from shipline's own limit code). */
export function slackRejection(payload: Record<string, unknown>): string | undefined {
  const { text, blocks } = payload;
  if ((typeof text !== 'string' || text === '') && blocks === undefined) return 'no_text';
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks as Record<string, any>[]) {
    if (!block || !BLOCK_TYPES.has(block.type)) return 'invalid_blocks';
    if (typeof block.block_id === 'string' && block.block_id.length > 255) return 'invalid_blocks';
    if (
      block.type === 'header' &&
      (block.text?.type !== 'plain_text' || typeof block.text.text !== 'string' || block.text.text.length > 150)
    )
      return 'invalid_blocks';
    if (block.type === 'section') {
      if (!block.text && !block.fields) return 'invalid_blocks';
      if (
        block.text &&
        (typeof block.text.text !== 'string' || block.text.text.length > 3000 || block.text.text.length === 0)
      )
        return 'invalid_blocks';
      if (
        block.fields &&
        (!Array.isArray(block.fields) ||
          block.fields.length > 10 ||
          block.fields.some((f: any) => typeof f?.text !== 'string' || f.text.length > 2000))
      )
        return 'invalid_blocks';
    }
    if (
      block.type === 'context' &&
      (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10)
    )
      return 'invalid_blocks';
  }
  return undefined;
}

export async function startFakeSlack(
  options: { token?: string; webhookPath?: string; editWindowMs?: number } = {},
): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-1234-5678-fakeslacktoken';
  const webhookPath = options.webhookPath ?? '/services/T0FAKE/B0FAKE/s3cr3tW3bh00kPath';
  const webhookMessages: Record<string, unknown>[] = [];
  const messages = new Map<string, StoredMessage>();
  // A message's ts is when Slack stored it (Unix seconds and microseconds), unique in the channel: a notify that
  // derives the pipeline's duration from the thread's first message must see the real posting time.
  let lastMicros = 0;

  const server = await startFakeServer((req, res) => {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: 'method_not_allowed' });

    if (req.path.startsWith('/services/')) {
      let payload: Record<string, any>;
      try {
        payload = JSON.parse(req.body);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return void res.end('invalid_payload');
      }
      const reply = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(body);
      };
      if (req.path !== webhookPath) return reply(404, 'no_service');
      const rejection = slackRejection(payload);
      if (rejection) return reply(400, rejection);
      webhookMessages.push(payload);
      return reply(200, 'ok');
    }

    const api = /^\/api\/(chat\.postMessage|chat\.update)$/.exec(req.path)?.[1];
    if (!api) return sendJson(res, 404, { ok: false, error: 'unknown_method' });
    const payload = webApiArguments(req);
    if (!payload) return sendJson(res, 200, { ok: false, error: 'invalid_json' });
    if (payload.invalidJson) return sendJson(res, 200, { ok: false, error: `invalid_${payload.invalidJson}` });
    const auth = req.headers.authorization ?? (payload.token ? `Bearer ${payload.token}` : undefined);
    if (!auth) return sendJson(res, 200, { ok: false, error: 'not_authed' });
    if (auth !== `Bearer ${token}`) return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
    const given = String(payload.channel ?? '');
    // chat.update finds a message by channel ID and ts; a #name there is a channel Slack cannot find.
    const channel = api === 'chat.update' ? (CHANNEL_IDS.has(given) ? given : undefined) : CHANNELS[given];
    if (!channel) return sendJson(res, 200, { ok: false, error: 'channel_not_found' });
    const rejection = slackRejection(payload);
    if (rejection) return sendJson(res, 200, { ok: false, error: rejection });

    if (api === 'chat.postMessage') {
      lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
      const ts = `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
      messages.set(ts, { channel, ts, text: payload.text, blocks: payload.blocks, updates: 0 });
      return sendJson(res, 200, { ok: true, channel, ts, message: { text: payload.text, ts } });
    }
    const existing = messages.get(String(payload.ts));
    if (!existing || existing.channel !== channel) return sendJson(res, 200, { ok: false, error: 'message_not_found' });
    // The ts is the posting time in Unix seconds.
    if (fake.editWindowMs !== undefined && Date.now() - Number(existing.ts) * 1000 >= fake.editWindowMs)
      return sendJson(res, 200, { ok: false, error: 'edit_window_closed' });
    Object.assign(existing, { text: payload.text, blocks: payload.blocks, updates: existing.updates + 1 });
    return sendJson(res, 200, { ok: true, channel, ts: existing.ts, text: payload.text });
  });

  const fake: FakeSlack = {
    server,
    webhookUrl: `${server.url}${webhookPath}`,
    apiUrl: `${server.url}/api`,
    token,
    webhookMessages,
    messages,
    editWindowMs: options.editWindowMs,
    close: () => server.close(),
  };
  return fake;
}
