// The files of a build output with their SHA1 digests: what Vercel and Netlify deploy by, so only files the
// provider does not already have are uploaded.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface DigestedFile {
  /** Path relative to the deployed folder, with forward slashes. */
  path: string;
  absolutePath: string;
  sha1: string;
  size: number;
  mode: number;
}

const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;

/** SHA1 of a file: read whole when small (most build output), in 1 MiB chunks when large. */
export function sha1File(path: string, size: number): string {
  const hash = createHash('sha1');
  if (size <= WHOLE_FILE_LIMIT) return hash.update(readFileSync(path)).digest('hex');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Every file under `dir` with its SHA1. Synchronous on purpose: build outputs are thousands of small files, where
 * the cost is per-call overhead, and Node's async fs (a 4-thread pool, a promise per call) was 5× slower than
 * `sha1sum` on 5,000 files; nothing else runs while a deploy hashes.
 */
export function digestFolder(dir: string, options: { prefix?: string; ignore?: (path: string) => boolean } = {}): DigestedFile[] {
  const files: DigestedFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const absolutePath = join(entry.parentPath, entry.name);
    const path = `${options.prefix ?? ''}${relative(dir, absolutePath).split(sep).join('/')}`;
    if (options.ignore?.(path)) continue;
    const info = statSync(absolutePath);
    files.push({ path, absolutePath, sha1: sha1File(absolutePath, info.size), size: info.size, mode: info.mode });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
