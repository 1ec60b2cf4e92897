import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

/**
 * Where the nx process that owns a run prints, and the environment it was started with.
 * With the daemon off, the hook runs in that process or in a plugin worker whose stderr nx
 * pipes into its own: process.stderr reaches the run's terminal. With the daemon on, the
 * hook runs in the daemon (or the daemon's worker), whose stderr is
 * .nx/workspace-data/d/daemon.log; nx offers no channel back to the client for this hook, so
 * on Linux the client's own stderr is reopened through /proc/<pid>/fd/2 (docs/NX-NOTES.md).
 */
export interface RunTerminal {
  /** 'own': this process's stderr is the run's; 'client': the nx client's stderr, reopened; 'none': not found (daemon.log). */
  via: 'own' | 'client' | 'none';
  /** The owner's environment: SIXTY_QUIET and GITHUB_STEP_SUMMARY are read from it, not from the daemon's. */
  env: Record<string, string | undefined>;
  write(text: string): Promise<void>;
}

const writeOwnStderr = async (text: string): Promise<void> => {
  process.stderr.write(text);
};

function readNulList(path: string): string[] | null {
  try {
    const raw = readFileSync(path, 'utf8');
    return raw.split('\0').filter((part, index, parts) => index < parts.length - 1 || part !== '');
  } catch {
    return null;
  }
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * Whether process `pid` is the nx process whose process.argv is `argv`: it runs argv[0] (node's
 * execPath), and its command line ends with argv's arguments preceded by nx's script as node
 * resolved it against that process's cwd (node options before the script may differ;
 * process.argv leaves them out). Wrappers such as `timeout node nx.js …` end the same way but
 * run another executable.
 */
function isRunOwner(pid: string, argv: readonly string[], workspaceRoot: string): boolean {
  const cmdline = readNulList(`/proc/${pid}/cmdline`);
  const args = argv.slice(2);
  if (!cmdline || cmdline.length < args.length + 2 || argv.length < 2) return false;
  if (!sameArgs(cmdline.slice(cmdline.length - args.length), args)) return false;
  let cwd: string;
  try {
    if (readlinkSync(`/proc/${pid}/exe`) !== realpathSync(argv[0]!)) return false;
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return false;
  }
  const inside = relative(workspaceRoot, cwd);
  if (inside.startsWith('..')) return false;
  return resolve(cwd, cmdline[cmdline.length - args.length - 1]!) === argv[1];
}

function readEnviron(pid: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of readNulList(`/proc/${pid}/environ`) ?? []) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/** The run's terminal for a hook called with context.argv, found cheaply in the usual cases. */
export function findRunTerminal(argv: readonly string[], workspaceRoot: string): RunTerminal {
  const own: RunTerminal = { via: 'own', env: process.env, write: writeOwnStderr };
  if (argv.length < 2 || sameArgs(process.argv, argv)) return own; // unknown, or the hook runs inside nx (no isolation, no daemon)
  if (process.platform !== 'linux') return own; // no /proc: with the daemon on, the line stays in daemon.log
  // nx's plugin worker: its stderr is piped into nx's. Not so in the daemon, whose parent may
  // be the client that started it but whose stderr is daemon.log.
  const onDaemon = (globalThis as { NX_DAEMON?: unknown }).NX_DAEMON === true;
  if (!onDaemon && isRunOwner(String(process.ppid), argv, workspaceRoot)) return own;
  let owners: string[];
  try {
    owners = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && pid !== String(process.pid) && isRunOwner(pid, argv, workspaceRoot));
  } catch {
    owners = [];
  }
  // Two identical nx commands at once in one workspace: which one this run is cannot be told apart.
  if (owners.length !== 1) return { ...own, via: 'none' };
  const pid = owners[0]!;
  return {
    via: 'client',
    env: readEnviron(pid),
    // 'a': a client whose stderr is a file must not have it truncated.
    write: (text) => appendFile(`/proc/${pid}/fd/2`, text),
  };
}
