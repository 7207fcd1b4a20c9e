// Contract migrations a release's pipeline applied (migrate's `contract-migrations` output), as deploy records them
// in the ledger and rollback reads them: a release older than one of them would meet a schema it does not know.

export interface SchemaChange {
  file: string;
  line: number;
  reason: string;
}

/** At most this many are recorded per release: the ledger's payload stays small, and one is enough to refuse. */
const RECORDED = 20;

/** migrate's `contract-migrations` output, read: an empty input is none; anything but its JSON form is a problem. */
export function parseContractMigrations(raw: string): { changes: SchemaChange[] } | { problem: string } {
  const expected =
    "Input 'contract-migrations' must be migrate's contract-migrations output: a JSON array of {file, line, reason}";
  if (raw.trim() === '') return { changes: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { problem: `${expected} (it is not JSON)` };
  }
  if (!Array.isArray(parsed)) return { problem: `${expected} (it is not an array)` };
  const changes: SchemaChange[] = [];
  for (const item of parsed) {
    const { file, line, reason } = (item ?? {}) as Record<string, unknown>;
    if (typeof file !== 'string' || typeof reason !== 'string' || !Number.isInteger(line))
      return { problem: `${expected} (an item lacks a file, line or reason)` };
    changes.push({ file: file.slice(0, 300), line: line as number, reason: reason.slice(0, 300) });
  }
  return { changes: changes.slice(0, RECORDED) };
}

export const describeChange = (c: SchemaChange) => `${c.file}:${c.line} (${c.reason})`;
