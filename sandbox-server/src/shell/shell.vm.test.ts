import { decodeOutputFrame, OutputFrameKind, type ServerMessage } from '@jaillab/protocol';
import { describe, expect, inject, it } from 'vitest';
import { FIRST_LESSON, firstSolution } from '../../test/lesson-sources.js';
import { RawSocket } from '../../test/raw-socket.js';

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
const is =
  <T extends ServerMessage['type']>(type: T) =>
  (m: ServerMessage): m is Msg<T> =>
    m.type === type;

/** Collects a shell channel's output as text, acknowledging it like the browser does (batched: the socket is rate-limited). */
function shellOutput(s: RawSocket): { text: () => string; waitFor: (re: RegExp, timeoutMs?: number) => Promise<string> } {
  let text = '';
  let unacked = 0;
  let timer: NodeJS.Timeout | null = null;
  s.ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return;
    const f = decodeOutputFrame(new Uint8Array(data));
    if (f?.kind !== OutputFrameKind.shellOutput) return;
    text += Buffer.from(f.data).toString('utf8');
    unacked += f.data.byteLength;
    timer ??= setTimeout(() => {
      timer = null;
      s.send({ type: 'ack', bytes: unacked });
      unacked = 0;
    }, 100);
  });
  return {
    text: () => text,
    waitFor: async (re, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`shell output never matched ${re}; got:\n${text.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return text;
    },
  };
}

describe('the interactive shell (real VM)', () => {
  it('gives a shell outside the jail, runs the learner\'s jail by hand, resizes, and closes', async () => {
    const s = await RawSocket.open(inject('serverUrl'));
    const out = shellOutput(s);
    s.send({ type: 'hello' });
    await s.next(is('welcome'));
    s.send({ type: 'shell-open', requestId: 'sh1', lessonId: FIRST_LESSON, source: firstSolution(), cols: 100, rows: 30 });
    const opened = await s.next(is('shell-opened'), 60_000);
    expect(opened.accelerator).toMatch(/kvm|tcg/);
    const input = (data: string) => s.send({ type: 'shell-input', channel: opened.channel, data });

    input('ls /; cat /outside/secret; stty size\n');
    await out.waitFor(/SECRET-[0-9a-f]{24}/);
    await out.waitFor(/\b30 100\b/);
    expect(out.text()).toMatch(/\bjail\b[\s\S]*\boutside\b/);

    s.send({ type: 'shell-resize', channel: opened.channel, cols: 90, rows: 20 });
    input('stty size\n');
    await out.waitFor(/\b20 90\b/);

    // Inside the jail (the learner's program, by hand): its / is the jail's tree, and the secret is not there.
    input('jailer /jail /bin/sh\n');
    // '' splits the markers in the echoed command line, so only the output lines match them.
    input("echo IN''-JAIL; ls /; cat /outside/secret 2>&1 | head -c 80; echo; echo END''-LS\n");
    const text = await out.waitFor(/\nEND-LS\r?\n/);
    const jailView = text.slice(text.lastIndexOf('IN-JAIL'));
    expect(jailView).toMatch(/\bdata\b/);
    expect(jailView).toMatch(/\bbin\b/);
    expect(jailView).not.toMatch(/SECRET-/);
    expect(jailView).toMatch(/No such file/);

    s.send({ type: 'shell-close', channel: opened.channel });
    const closed = await s.next(is('shell-closed'));
    expect(closed.reason).toBe('closed');
    s.send({ type: 'shell-input', channel: opened.channel, data: 'ls\n' });
    expect((await s.error()).code).toBe('unknown-shell');
    s.close();
  });

  it('refuses a program that does not compile, with gcc\'s message', async () => {
    const s = await RawSocket.open(inject('serverUrl'));
    s.send({ type: 'hello' });
    await s.next(is('welcome'));
    s.send({ type: 'shell-open', requestId: 'sh2', lessonId: FIRST_LESSON, source: 'int main( {', cols: 80, rows: 24 });
    const err = await s.error();
    expect(err).toMatchObject({ code: 'compile-error', requestId: 'sh2' });
    expect(err.message).toMatch(/error/);
    s.close();
  });

  it('keeps a VM slot for runs: with every shell slot taken, another learner is told to wait', async () => {
    const first = await RawSocket.open(inject('serverUrl'));
    first.send({ type: 'hello' });
    await first.next(is('welcome'));
    first.send({ type: 'shell-open', requestId: 'a', lessonId: FIRST_LESSON, source: firstSolution(), cols: 80, rows: 24 });
    const opened = await first.next(is('shell-opened'), 60_000);
    // The test server runs 2 VMs at once, so it allows 1 shell.
    const second = await RawSocket.open(inject('serverUrl'));
    second.send({ type: 'hello' });
    await second.next(is('welcome'));
    second.send({ type: 'shell-open', requestId: 'b', lessonId: FIRST_LESSON, source: firstSolution(), cols: 80, rows: 24 });
    const err = await second.error();
    expect(err).toMatchObject({ code: 'busy', requestId: 'b' });
    expect(err.message).toMatch(/in use/);
    // Closing the socket closes its shell, and the slot is free again.
    first.close();
    await expect
      .poll(
        async () => {
          second.send({ type: 'shell-open', requestId: 'c', lessonId: FIRST_LESSON, source: firstSolution(), cols: 80, rows: 24 });
          const m = await second.next((x): x is Msg<'shell-opened'> | Msg<'error'> => (x.type === 'shell-opened' || x.type === 'error') && x.requestId === 'c', 60_000);
          return m.type;
        },
        { timeout: 30_000 },
      )
      .toBe('shell-opened');
    expect(opened.channel).toBeGreaterThan(0);
    second.close();
  });
});

