// The files of a build output with their SHA1 digests: what Vercel and Netlify deploy by, so only files the
// provider does not already have are uploaded.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { mapLimit } from './concurrency.js';

export interface DigestedFile {
  /** Path relative to the deployed folder, with forward slashes. */
  path: string;
  absolutePath: string;
  sha1: string;
  size: number;
  mode: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export function sha1File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Every file under `dir` with its SHA1, hashed 16 at a time (the disk, not the CPU, is the limit). */
export async function digestFolder(dir: string, options: { prefix?: string; ignore?: (path: string) => boolean } = {}): Promise<DigestedFile[]> {
  const paths = await listFiles(dir);
  const files = await mapLimit(paths, 16, async (absolutePath) => {
    const path = `${options.prefix ?? ''}${relative(dir, absolutePath).split(sep).join('/')}`;
    if (options.ignore?.(path)) return undefined;
    const [info, sha1] = await Promise.all([stat(absolutePath), sha1File(absolutePath)]);
    return { path, absolutePath, sha1, size: info.size, mode: info.mode };
  });
  return files.filter((f): f is DigestedFile => f !== undefined);
}
