import type { AgentChannel } from './agent-channel.js';
import { encodeFrame, type Field, Msg, Tag } from './agent-wire.js';
import type { OutputSink } from './guest-job.js';

/** How the shell's world is set up: like a check's, with every probe of the lesson in the jail's /bin. */
export interface ShellWorld {
  /** Staged paths and names in /jail/bin, in lesson order (at least one). */
  probes: Array<{ path: string; name: string }>;
  secret: string;
  nonce: string;
  token: string;
  plants: string[];
  memoryBytes: number;
  processes: number;
  /** The supplementary groups the shell starts with: those of the lesson's jail program. */
  groups: number[];
  cols: number;
  rows: number;
}

export interface ShellExit {
  code: number | null;
  signal: number | null;
  /** Set when the agent could not prepare the shell, or the VM went away. */
  detail: string | null;
}

/**
 * The host's end of one interactive shell in a guest (the agent's shell.c):
 * starts it, forwards keystrokes and window sizes, and streams what the pty
 * prints until the shell exits or the VM goes away. Sent after a GuestJob has
 * begun (its key signs the agent's frames) and staged the files.
 */
export class GuestShell {
  private ended = false;

  constructor(private readonly channel: AgentChannel) {}

  /** Sends the request and reads the shell's output until it ends; resolves with how it ended. */
  async run(world: ShellWorld, onOutput: OutputSink): Promise<ShellExit> {
    const fields: Field[] = [
      [Tag.INDEX, 0],
      ...world.probes.flatMap((p): Field[] => [
        [Tag.PROBE, p.path],
        [Tag.PROBE_NAME, p.name],
      ]),
      [Tag.SECRET, world.secret],
      [Tag.NONCE, world.nonce],
      [Tag.TOKEN, world.token],
      ...world.plants.map((p): Field => [Tag.PLANT, p]),
      [Tag.MEM_BYTES, world.memoryBytes],
      [Tag.PIDS, world.processes],
      ...world.groups.map((g): Field => [Tag.GROUP, g]),
      [Tag.COLS, world.cols],
      [Tag.ROWS, world.rows],
    ];
    this.channel.send(encodeFrame(Msg.SHELL, fields));
    try {
      for (;;) {
        // No deadline of our own: whoever holds the shell ends an idle one by destroying the VM.
        const f = await this.channel.receive(Date.now() + 24 * 3600_000);
        if (f.type === Msg.SHELL_OUTPUT) {
          const slowDown = onOutput(Buffer.from(f.bytes(Tag.DATA) ?? Buffer.alloc(0)));
          // The reader is behind: the guest's writes wait in the VM, not here.
          if (slowDown) await this.channel.pausedUntil(slowDown);
        } else if (f.type === Msg.SHELL_EXIT) {
          const code = f.i32(Tag.EXIT_CODE) ?? -1;
          const signal = f.u32(Tag.SIGNAL) ?? 0;
          return { code: code >= 0 ? code : null, signal: signal > 0 ? signal : null, detail: f.str(Tag.DETAIL) ?? null };
        } else if (f.type === Msg.ERROR) return { code: null, signal: null, detail: f.str(Tag.MESSAGE) ?? 'the agent reported an error' };
      }
    } catch (e) {
      return { code: null, signal: null, detail: (e as Error).message };
    } finally {
      this.ended = true;
    }
  }

  input(data: Buffer): void {
    if (!this.ended) this.channel.send(encodeFrame(Msg.SHELL_INPUT, [[Tag.DATA, data]]));
  }

  resize(cols: number, rows: number): void {
    if (!this.ended)
      this.channel.send(
        encodeFrame(Msg.SHELL_RESIZE, [
          [Tag.COLS, cols],
          [Tag.ROWS, rows],
        ]),
      );
  }
}
