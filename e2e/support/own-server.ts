import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = new URL('../../', import.meta.url).pathname;

/**
 * A JailLab server a spec starts, stops and crashes itself (the shared one from
 * playwright.config.ts must stay up for the other specs). Its data directory
 * outlives restarts, like a real deployment's; the caches are the shared ones.
 */
export class OwnServer {
  private dir: string | null = null;
  private child: ChildProcess | null = null;
  private log = '';

  constructor(
    readonly port: number,
    /** Extra environment for the server (e.g. another web build for a benchmark). */
    private readonly env: Record<string, string> = {},
  ) {}

  /** Made on first start (not at construction: Playwright also loads spec files in its runner process). */
  get dataDir(): string {
    return (this.dir ??= mkdtempSync(join(tmpdir(), 'jaillab-e2e-own-')));
  }

  /** What the server printed (the end of it): attached to a failed test, so its log says what the server saw. */
  get output(): string {
    return this.log.slice(-20_000);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // Its own process group, so a crash can take QEMU down with it (kill(-pgid)).
    this.child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['sandbox-server/src/main.ts'], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JAILLAB_PORT: String(this.port), JAILLAB_HOST: '127.0.0.1', JAILLAB_DATA_DIR: this.dataDir, JAILLAB_POOL_SIZE: '1', ...this.env },
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not up yet
      }
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${this.log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** A clean stop (SIGTERM): runs are cancelled, VMs shut down. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  /** A crash: the whole process group gets SIGKILL, so nothing is recorded on the way out. */
  async crash(): Promise<void> {
    await this.end('SIGKILL');
  }

  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(signal === 'SIGKILL' ? -child.pid : child.pid, signal);
    await exited;
    // A crashed server's socket directory is removed by the next server that starts (vm/stale-run-dirs.ts).
    this.child = null;
    // Wait until the port is free again (QEMU children of a crashed group die with it).
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`${this.url}/api/health`);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
