// The files of a deployed folder, never leaving it (a link is followed only while its target stays inside), and
// their SHA1 digests: what Vercel and Netlify deploy by, so only files the provider does not already have are
// uploaded.
import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { ShiplineError } from './errors.js';

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
 * Every file under `dir` with its SHA1, never reading outside `dir` (filesUnderRoot: links leaving it are refused,
 * or skipped and returned in `skipped`). Synchronous on purpose: build outputs are thousands of small files, where
 * the cost is per-call overhead, and Node's async fs (a 4-thread pool, a promise per call) was 5× slower than
 * `sha1sum` on 5,000 files; nothing else runs while a deploy hashes.
 */
export function digestFolder(
  dir: string,
  options: { ignore?: (path: string) => boolean; outsideLinks?: 'refuse' | 'skip' } = {},
): { files: DigestedFile[]; skipped: OutsideLink[] } {
  const found = filesUnderRoot(dir, { ignore: options.ignore, outsideLinks: options.outsideLinks });
  const files = found.files.map(({ path, absolutePath }) => {
    const info = statSync(absolutePath);
    return { path, absolutePath, sha1: sha1File(absolutePath, info.size), size: info.size, mode: info.mode };
  });
  return { files, skipped: found.skipped };
}

/** A link under a deployed folder whose target is outside it. */
export interface OutsideLink {
  /** The link, relative to the root, with forward slashes. */
  path: string;
  /** Where it points (its link text). */
  target: string;
}

/** The refusal for a link that leaves the deployed folder: names the link, where it points, and the folder. */
export function outsideLinkError(root: string, link: OutsideLink, what = ''): ShiplineError {
  return new ShiplineError(`${what}${link.path} is a link to a path outside ${root} (${link.target}): refused`, {
    hint: 'Only files inside the deployed folder are uploaded. Copy what the link points to into the folder, or remove the link.',
  });
}

const insideOf = (realRoot: string, realPath: string) => {
  const rel = relative(realRoot, realPath);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

const realpathOrUndefined = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

/** A path relative to a root (with / or the platform's separator), made posix; `..` or absolute means it leaves. */
function normalInside(relPath: string): string | undefined {
  if (isAbsolute(relPath)) return undefined;
  const clean = posix.normalize(relPath.split(sep).join('/'));
  if (clean === '..' || clean.startsWith('../')) return undefined;
  return clean === '.' || clean === './' ? '' : clean.replace(/\/$/, '');
}

/**
 * Where a path under `root` really is, never leaving it: `..` that climbs out is `leaves`; a link on the way
 * (any component, the last one included unless `keepLastLink`) whose target is outside is `link`; a path that
 * does not exist (a dangling link included) is `missing`. `realPath` is what to read.
 */
export type Resolved =
  | { kind: 'inside'; path: string; realPath: string; isDirectory: boolean; isLink: boolean }
  | { kind: 'missing'; path: string }
  | { kind: 'leaves'; path: string }
  | { kind: 'link'; path: string; link: OutsideLink };

export function resolveUnderRoot(root: string, relPath: string, options: { keepLastLink?: boolean } = {}): Resolved {
  const clean = normalInside(relPath);
  if (clean === undefined) return { kind: 'leaves', path: relPath };
  const realRoot = realpathSync(root);
  const parts = clean === '' ? [] : clean.split('/');
  let real = realRoot;
  for (let i = 0; i < parts.length; i++) {
    const next = join(real, parts[i] as string);
    let info;
    try {
      info = lstatSync(next);
    } catch {
      return { kind: 'missing', path: clean };
    }
    const last = i === parts.length - 1;
    if (info.isSymbolicLink() && !(last && options.keepLastLink)) {
      const target = realpathOrUndefined(next);
      if (target === undefined) return { kind: 'missing', path: clean };
      if (!insideOf(realRoot, target))
        return {
          kind: 'link',
          path: clean,
          link: { path: parts.slice(0, i + 1).join('/'), target: readlinkSync(next) },
        };
      real = target;
    } else real = next;
  }
  const info = lstatSync(real);
  return {
    kind: 'inside',
    path: clean,
    realPath: real,
    isDirectory: info.isDirectory(),
    isLink: info.isSymbolicLink(),
  };
}

/** A file found under a root: its path as seen from the root, and the real file to read (inside the root). */
export interface FileUnderRoot {
  path: string;
  absolutePath: string;
}

/**
 * Every file under `root` (or under its subfolder `from`), never reading anything outside `root`. Entries are
 * lstat-ed, so a link is seen as a link: one whose real target is inside the root is walked as its target (a
 * folder link into its own ancestors is skipped, it would never end); one whose target is outside is refused
 * (an error naming it), or, with `outsideLinks: 'skip'`, left out and reported in `skipped`. A dangling link
 * has nothing to upload and is left out. Node's recursive readdir cannot be used: it descends into linked
 * folders wherever they point (nodejs/node#51858).
 */
export function filesUnderRoot(
  root: string,
  options: { from?: string; ignore?: (path: string) => boolean; outsideLinks?: 'refuse' | 'skip' } = {},
): { files: FileUnderRoot[]; skipped: OutsideLink[] } {
  const realRoot = realpathSync(root);
  const files: FileUnderRoot[] = [];
  const skipped: OutsideLink[] = [];
  const start = resolveUnderRoot(root, options.from ?? '');
  if (start.kind === 'leaves') throw new ShiplineError(`${options.from} is outside ${root}: refused`);
  if (start.kind === 'link') throw outsideLinkError(root, start.link);
  if (start.kind === 'missing' || !start.isDirectory) return { files, skipped };
  const walk = (realFolder: string, path: string, ancestors: Set<string>): void => {
    for (const name of readdirSync(realFolder).sort()) {
      const childPath = path ? `${path}/${name}` : name;
      if (options.ignore?.(childPath)) continue;
      let real = join(realFolder, name);
      let info = lstatSync(real);
      if (info.isSymbolicLink()) {
        const target = realpathOrUndefined(real);
        if (target === undefined) continue;
        if (!insideOf(realRoot, target)) {
          const link = { path: childPath, target: readlinkSync(real) };
          if (options.outsideLinks === 'skip') {
            skipped.push(link);
            continue;
          }
          throw outsideLinkError(root, link);
        }
        real = target;
        info = statSync(real);
      }
      if (info.isDirectory()) {
        if (ancestors.has(real)) continue;
        walk(real, childPath, new Set([...ancestors, real]));
      } else if (info.isFile()) files.push({ path: childPath, absolutePath: real });
    }
  };
  walk(start.realPath, start.path, new Set([realRoot, start.realPath]));
  return { files: files.sort(byPath), skipped };
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
