import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statfsSync } from 'node:fs';
import { lstat, mkdir, open, stat } from 'node:fs/promises';
import { dirname, parse, resolve, sep } from 'node:path';

/**
 * File steps of the history store that can never block the process that calls them: nx's hook
 * runs them before nx exits, and `sixty report` reads what they wrote. A path on a pseudo
 * filesystem (/proc, /sys, /dev) is refused before anything touches it (a recursive mkdir under
 * /proc never returns on Node 20), and only regular files are opened, never with a blocking open
 * (a FIFO named like a day file would wait for a writer forever).
 */

/** A history path sixty will not touch, with the reason; the caller turns it into one warning. */
export class RefusedHistoryPath extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedHistoryPath';
  }
}

const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
/** statfs f_type of proc, sysfs, devpts, debugfs, tracefs, cgroup, cgroup2, securityfs: mounted anywhere, never a history dir. */
const PSEUDO_FILESYSTEM_TYPES = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x64626720, 0x74726163, 0x27e0eb, 0x63677270, 0x73636673]);

/** The nearest existing ancestor of a path (the path itself when it exists), symbolic links resolved. */
function nearestExistingReal(path: string): string {
  let current = resolve(path);
  for (;;) {
    try {
      return realpathSync(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/** Why a path must not be used for history (a pseudo filesystem), or null when it may. */
export function pseudoFilesystemReason(path: string): string | null {
  const real = nearestExistingReal(path);
  for (const root of PSEUDO_ROOTS) {
    if (real === root || real.startsWith(root + sep)) return `${path} is on the ${root} pseudo-filesystem`;
  }
  try {
    if (PSEUDO_FILESYSTEM_TYPES.has(Number(statfsSync(real).type))) return `${path} is on a kernel pseudo-filesystem`;
  } catch {
    // statfs unsupported here: the path check above is what remains
  }
  return null;
}

/** Throws RefusedHistoryPath when the path is on a pseudo filesystem. */
export function refusePseudoFilesystem(path: string): void {
  const reason = pseudoFilesystemReason(path);
  if (reason) throw new RefusedHistoryPath(`${reason}; sixty keeps its history only on a regular disk`);
}

/**
 * mkdir -p, one component at a time: each existing component must be a directory (a file in the
 * way is named), each missing one is made without recursion (Node's recursive mkdir loops on
 * filesystems that answer ENOENT for every new name).
 */
export async function ensureDirectory(dir: string): Promise<void> {
  refusePseudoFilesystem(dir);
  const absolute = resolve(dir);
  try {
    if ((await stat(absolute)).isDirectory()) return; // the usual case: one step
  } catch {
    // missing, or a component in the way: walked below, which names it
  }
  const { root } = parse(absolute);
  let current = root;
  for (const name of absolute.slice(root.length).split(sep).filter(Boolean)) {
    current = current === root ? root + name : current + sep + name;
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      try {
        await mkdir(current);
        continue;
      } catch (mkdirError) {
        if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw mkdirError;
        stats = await lstat(current); // made by a concurrent writer
      }
    }
    if (stats.isSymbolicLink()) continue; // followed by the next step; a link to a non-directory fails there with ENOTDIR
    if (!stats.isDirectory()) throw new RefusedHistoryPath(`${current} is in the way: it is not a directory`);
  }
}

/** O_NONBLOCK: opening a FIFO returns at once (ENXIO without a reader) instead of waiting. */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Appends text to a regular file (created if missing) in one write on an O_APPEND descriptor.
 * When the file ends mid-line (a writer killed mid-write), a newline goes first so this text
 * starts a line of its own. Anything other than a regular file is refused.
 */
export async function appendToRegularFile(file: string, text: string): Promise<void> {
  refusePseudoFilesystem(file);
  const handle = await open(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | NONBLOCK, 0o666);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new RefusedHistoryPath(`${file} is not a regular file`);
    let separator = '';
    if (stats.size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, stats.size - 1);
      if (last[0] !== 0x0a) separator = '\n';
    }
    await handle.write(separator + text);
  } finally {
    await handle.close();
  }
}

/** Writes (replaces) a regular file; anything other than a regular file is refused. */
export async function writeRegularFile(file: string, text: string): Promise<void> {
  refusePseudoFilesystem(file);
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | NONBLOCK, 0o666);
  try {
    if (!(await handle.stat()).isFile()) throw new RefusedHistoryPath(`${file} is not a regular file`);
    await handle.truncate(0);
    await handle.write(text, 0);
  } finally {
    await handle.close();
  }
}

/**
 * The text of a regular file, or null when it is missing or anything else (a FIFO, a device, a
 * directory): readers of the history never wait on a file that is not a file.
 */
export function readRegularFile(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | NONBLOCK);
    if (!fstatSync(fd).isFile()) return null;
    return readFileSync(fd, 'utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
