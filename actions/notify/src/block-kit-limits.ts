// Slack rejects a message that breaks a Block Kit limit (invalid_blocks) and the notification is lost. So every
// message is cut to the limits first, with a visible marker, and the cuts are reported.
import type { Block, SlackMessage } from './message.js';

const LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  blockId: 255,
  text: 4000,
} as const;

const MARKER = '…';

/**
 * Cuts text to at most `max` characters ending in a marker, without leaving half of a mrkdwn link (`<url|x`),
 * half of an entity (`&am`) or half of a surrogate pair behind.
 */
export function truncate(text: string, max: number, marker = MARKER): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - marker.length));
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  cut = cut.replace(/&[a-z#0-9]{0,6}$/i, '');
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + marker;
}

type TextObject = { type?: string; text?: string; [key: string]: unknown };

function fitText(obj: TextObject | undefined, max: number, where: string, notes: string[]): TextObject | undefined {
  if (!obj || typeof obj.text !== 'string' || obj.text.length <= max) return obj;
  notes.push(`${where} cut from ${obj.text.length} to ${max} characters`);
  return { ...obj, text: truncate(obj.text, max) };
}

function fitBlock(block: Block, index: number, notes: string[]): Block {
  const where = `block ${index + 1} (${block.type})`;
  const out: Block = { ...block };
  if (typeof out.block_id === 'string' && out.block_id.length > LIMITS.blockId)
    out.block_id = out.block_id.slice(0, LIMITS.blockId);
  if (block.type === 'header') out.text = fitText(block.text as TextObject, LIMITS.headerText, `${where} text`, notes);
  if (block.type === 'section') {
    if (block.text) out.text = fitText(block.text as TextObject, LIMITS.sectionText, `${where} text`, notes);
    if (Array.isArray(block.fields)) {
      let fields = block.fields as TextObject[];
      if (fields.length > LIMITS.fields) {
        notes.push(`${where} kept ${LIMITS.fields} of ${fields.length} fields`);
        fields = fields.slice(0, LIMITS.fields);
      }
      out.fields = fields.map((f, i) => fitText(f, LIMITS.fieldText, `${where} field ${i + 1}`, notes));
    }
  }
  if (block.type === 'context' && Array.isArray(block.elements) && block.elements.length > LIMITS.contextElements) {
    notes.push(`${where} kept ${LIMITS.contextElements} of ${block.elements.length} elements`);
    out.elements = block.elements.slice(0, LIMITS.contextElements);
  }
  return out;
}

/** The message within every Block Kit limit, and what had to be cut (empty when nothing was). */
export function fitToLimits(message: SlackMessage): { message: SlackMessage; cuts: string[] } {
  const cuts: string[] = [];
  const out: SlackMessage = { ...message };
  if (typeof message.text === 'string' && message.text.length > LIMITS.text) {
    cuts.push(`text cut from ${message.text.length} to ${LIMITS.text} characters`);
    out.text = truncate(message.text, LIMITS.text);
  }
  if (Array.isArray(message.blocks)) {
    let blocks = message.blocks;
    if (blocks.length > LIMITS.blocks) {
      const dropped = blocks.length - (LIMITS.blocks - 1);
      cuts.push(`kept ${LIMITS.blocks - 1} of ${blocks.length} blocks`);
      blocks = [
        ...blocks.slice(0, LIMITS.blocks - 1),
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: `${MARKER} ${dropped} more blocks not shown (Slack allows ${LIMITS.blocks})` },
          ],
        },
      ];
    }
    out.blocks = blocks.map((b, i) => fitBlock(b, i, cuts));
  }
  return { message: out, cuts };
}
