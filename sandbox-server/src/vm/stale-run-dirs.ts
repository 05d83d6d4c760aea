import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { jailsUnder, killJail } from './jail/host-processes.js';

/**
 * Removes the run directories (VM sockets, `jaillab-<pid>` beside ours) of
 * servers that died without cleaning up. Only directories whose process is
 * gone are touched: other servers on the same host keep theirs. Their VMs died
 * with them (bwrap's --die-with-parent); one that did not is killed first.
 */
export async function removeStaleRunDirs(ownRunDir: string): Promise<string[]> {
  const parent = dirname(ownRunDir);
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const m = /^jaillab-(\d+)$/.exec(name);
    if (!m || join(parent, name) === ownRunDir || isAlive(Number(m[1]))) continue;
    // A VM of it that outlived it (see killJail): stopped before its directory goes.
    for (const jail of jailsUnder(join(parent, name))) killJail(jail, []);
    // Another user's (a server that ran as root, seen by one that does not): not ours to remove.
    const gone = await rm(join(parent, name), { recursive: true, force: true }).then(() => true, () => false);
    if (gone) removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
