import { decodeOutputFrame, OUTPUT_HIGH_WATER_BYTES, type ServerMessage } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import type { LessonCatalog } from '../lessons/lesson-catalog.js';
import type { OpenShell, ShellListener, ShellService } from '../shell/shell-service.js';
import { FlowControl } from './flow-control.js';
import { OutputPump } from './output-pump.js';
import { ShellChannels } from './shell-channels.js';

/**
 * The socket side of a shell: output goes out under the socket's flow control,
 * and a browser that does not acknowledge makes the executor stop reading the
 * guest (the output call hands it a promise) instead of the server buffering
 * without end. The shell service here is a stand-in that records when it was
 * asked to slow down and when it may read on: the VM path is covered by
 * shell.vm.test.ts.
 */
/** The pump sends on the next turn of the event loop (passes are coalesced): let it. */
const pumped = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup() {
  const events: string[] = [];
  let listener: ShellListener | null = null;
  const shell = {
    accelerator: 'tcg',
    idleTimeoutMs: 60_000,
    input: (d: string) => events.push(`input:${d}`),
    resize: () => {},
    close: (reason: string, message: string) => listener?.closed(reason as never, message),
  } as unknown as OpenShell;
  const service = {
    open: async (_l: string, _lesson: unknown, _s: string, _size: unknown, l: ShellListener) => {
      listener = l;
      return shell;
    },
  } as unknown as ShellService;
  const catalog = { get: () => ({ id: 'a/b' }) } as unknown as LessonCatalog;
  const sent: ServerMessage[] = [];
  const frames: Uint8Array[] = [];
  const flow = new FlowControl();
  let channel = 1;
  const pump = new OutputPump({ send: (m) => sent.push(m), sendFrame: (b) => frames.push(b), bufferedAmount: () => 0 }, flow);
  const channels = new ShellChannels({ service, catalog, send: (m) => sent.push(m), pump, allocateChannel: () => channel++ });
  // What the executor does with a "slow down": stops reading (pause) until the promise settles (resume).
  let waiting: Promise<void> | null = null;
  const output = (n: number): void => {
    const slowDown = listener!.output(Buffer.alloc(n, 0x41));
    if (!slowDown || slowDown === waiting) return;
    waiting = slowDown;
    events.push('pause');
    void slowDown.then(() => events.push('resume'));
  };
  return { channels, pump, events, sent, frames, flow, output, close: () => listener!.closed('exited', 'bye') };
}

describe('shell channels', () => {
  it('stop at the high-water mark, pause the guest, and resume it once the browser catches up', async () => {
    const t = setup();
    t.channels.open('l1', { type: 'shell-open', requestId: 'r', lessonId: 'a/b', source: 'x', cols: 80, rows: 24 }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    expect(t.sent[0]).toMatchObject({ type: 'shell-opened', channel: 1 });
    for (let i = 0; i < 40; i++) {
      t.output(16 << 10); // 640 KiB in all, nothing acknowledged
      await pumped();
    }
    const sentBytes = t.frames.reduce((n, f) => n + decodeOutputFrame(f)!.data.byteLength, 0);
    expect(sentBytes).toBeGreaterThanOrEqual(OUTPUT_HIGH_WATER_BYTES);
    expect(sentBytes).toBeLessThan(OUTPUT_HIGH_WATER_BYTES + (64 << 10) + 1);
    expect(t.events).toContain('pause');
    expect(t.events).not.toContain('resume');

    // The browser writes everything it got and says so: the rest flows, and the guest may go on.
    for (let round = 0; round < 10; round++) {
      t.pump.acked(t.flow.pending);
      await pumped();
    }
    expect(t.frames.reduce((n, f) => n + decodeOutputFrame(f)!.data.byteLength, 0)).toBe(40 * (16 << 10));
    expect(t.events.at(-1)).toBe('resume');
  });

  it('sends shell-closed after the last output, and refuses input to a closed shell', async () => {
    const t = setup();
    const errors: string[] = [];
    t.channels.open('l1', { type: 'shell-open', requestId: 'r', lessonId: 'a/b', source: 'x', cols: 80, rows: 24 }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    t.output(10);
    t.close();
    await pumped();
    expect(t.frames).toHaveLength(1);
    expect(t.sent.at(-1)).toMatchObject({ type: 'shell-closed', channel: 1, reason: 'exited' });
    t.channels.control({ type: 'shell-input', channel: 1, data: 'ls\n' }, (code) => errors.push(code));
    expect(errors).toEqual(['unknown-shell']);
  });
});
