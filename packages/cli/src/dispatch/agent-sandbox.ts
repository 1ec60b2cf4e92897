import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SixtyError } from '@sixty/core';

/** What the agent may and may not write when it runs in a sandbox. */
export interface SandboxPaths {
  /** Made read-only: the user's checkout. */
  readOnly: string[];
  /** Left writable inside the read-only ones: the git database (the agent commits on its branch), the shared Nx cache. */
  writable: string[];
  /** Read-only again inside the writable ones: the checkout's own HEAD and index in the git database. */
  pinned: string[];
}

/**
 * The bubblewrap command line that runs `command` through the shell with the whole file system
 * as it is, except `readOnly` paths, in its own PID namespace: when its first process ends or
 * is killed, every process inside ends with it (setsid and daemons included).
 */
export function bwrapCommand(command: string, paths: SandboxPaths): { file: string; args: string[] } {
  const args = ['--dev-bind', '/', '/'];
  for (const path of paths.readOnly) args.push('--ro-bind', path, path);
  for (const path of paths.writable) if (existsSync(path)) args.push('--bind', path, path);
  for (const path of paths.pinned) if (existsSync(path)) args.push('--ro-bind', path, path);
  args.push('--unshare-pid', '--die-with-parent', '--', '/bin/sh', '-c', command);
  return { file: 'bwrap', args };
}

/** Refuses `--sandbox bwrap` up front when bubblewrap is missing or cannot make a namespace here. */
export function assertSandboxAvailable(): void {
  const probe = spawnSync('bwrap', ['--dev-bind', '/', '/', '--unshare-pid', '--die-with-parent', '--', '/bin/true'], { encoding: 'utf8' });
  if (probe.error) {
    throw new SixtyError('SANDBOX_UNAVAILABLE', '--sandbox bwrap needs bubblewrap (`bwrap`), which is not installed', 'install it (Debian/Ubuntu: `apt-get install bubblewrap`), or dispatch without --sandbox');
  }
  if (probe.status !== 0) {
    const reason = probe.stderr.trim().split('\n')[0] ?? `exit ${probe.status}`;
    throw new SixtyError('SANDBOX_UNAVAILABLE', `bubblewrap cannot create a sandbox here: ${reason}`, 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run without --sandbox');
  }
}
