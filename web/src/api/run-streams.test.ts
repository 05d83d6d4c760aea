import type { ClientMessage, OutputFrame, RunEvent } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import type { ConnectionState, Welcome } from './connection-state.js';
import { Emitter } from './emitter.js';
import { type RunRequestError, type RunSink, RunStreams } from './run-streams.js';
import type { SocketClient } from './socket-client.js';

/** Just enough of SocketClient for RunStreams, driven by the test. */
function fakeSocket() {
  const welcome: Welcome = { type: 'welcome', learnerId: 'l', instructor: false, accelerator: 'kvm', limits: { maxSourceBytes: 1, wallTimeMsPerCheck: 1, memoryBytes: 1, processes: 1, outputBytesPerCheck: 1 } };
  const sent: ClientMessage[] = [];
  const acks: Array<[number, number]> = [];
  let state: ConnectionState = { status: 'connected', welcome };
  let generation = 1;
  const socket = {
    welcomed: new Emitter<{ welcome: Welcome; generation: number }>(),
    disconnected: new Emitter<{ generation: number }>(),
    message: new Emitter<import('@jaillab/protocol').ServerMessage>(),
    output: new Emitter<{ frame: OutputFrame; generation: number }>(),
    get state() {
      return state;
    },
    send(msg: ClientMessage) {
      if (state.status !== 'connected') return false;
      sent.push(msg);
      return true;
    },
    ack(bytes: number, gen: number) {
      acks.push([bytes, gen]);
    },
  };
  return {
    socket: socket as unknown as SocketClient,
    sent,
    acks,
    drop() {
      state = { status: 'disconnected', attempt: 1, retryAt: 0, lastError: 'x' };
      socket.disconnected.emit({ generation });
    },
    reconnect() {
      generation++;
      state = { status: 'connected', welcome };
      socket.welcomed.emit({ welcome, generation });
    },
    server: socket,
  };
}

function recordingSink() {
  const log: string[] = [];
  const sink: RunSink = {
    restart: () => log.push('restart'),
    accepted: (id) => log.push(`accepted ${id}`),
    event: (e: RunEvent) => log.push(`event ${e.type}`),
    output: (i, data) => log.push(`output ${i} ${data.byteLength}`),
    failed: (e: RunRequestError) => log.push(`failed ${e.code}`),
  };
  return { sink, log };
}

describe('RunStreams', () => {
  it('routes a run by channel and re-watches it after a reconnect', () => {
    const f = fakeSocket();
    const runs = new RunStreams(f.socket);
    const { sink, log } = recordingSink();
    runs.start('a/b', 'int main(){}', sink);
    const run = f.sent[0] as Extract<ClientMessage, { type: 'run' }>;
    expect(run.type).toBe('run');

    f.server.message.emit({ type: 'run-accepted', requestId: run.requestId, runId: 'r_12345678', channel: 3 });
    f.server.message.emit({ type: 'run-event', channel: 3, seq: 0, event: { type: 'compile-started' } });
    f.server.output.emit({ frame: { channel: 3, checkIndex: 0, data: new Uint8Array(5) }, generation: 1 });
    // Output for a channel nobody watches is acknowledged at once.
    f.server.output.emit({ frame: { channel: 9, checkIndex: 0, data: new Uint8Array(7) }, generation: 1 });
    expect(f.acks).toEqual([[7, 1]]);

    f.drop();
    f.reconnect();
    const watch = f.sent[1] as Extract<ClientMessage, { type: 'watch' }>;
    expect(watch).toMatchObject({ type: 'watch', runId: 'r_12345678' });
    f.server.message.emit({ type: 'run-accepted', requestId: watch.requestId, runId: 'r_12345678', channel: 1 });
    f.server.message.emit({ type: 'run-event', channel: 1, seq: 0, event: { type: 'finished', outcome: 'cancelled', message: 'm', accelerator: null, durationMs: 1 } });
    expect(log).toEqual(['accepted r_12345678', 'event compile-started', 'output 0 5', 'restart', 'accepted r_12345678', 'event finished']);

    // Finished: not re-watched after another reconnect.
    f.drop();
    f.reconnect();
    expect(f.sent).toHaveLength(2);
  });

  it('fails a run the server never accepted when the connection drops', () => {
    const f = fakeSocket();
    const runs = new RunStreams(f.socket);
    const { sink, log } = recordingSink();
    runs.start('a/b', 'x', sink);
    f.drop();
    expect(log).toEqual(['failed connection-lost']);
  });

  it('passes a request error to the run it belongs to', () => {
    const f = fakeSocket();
    const runs = new RunStreams(f.socket);
    const { sink, log } = recordingSink();
    runs.start('nope', 'x', sink);
    const run = f.sent[0] as Extract<ClientMessage, { type: 'run' }>;
    f.server.message.emit({ type: 'error', requestId: run.requestId, code: 'unknown-lesson', message: 'no' });
    expect(log).toEqual(['failed unknown-lesson']);
  });

  it('cancels as soon as the run id is known', () => {
    const f = fakeSocket();
    const runs = new RunStreams(f.socket);
    const handle = runs.start('a/b', 'x', recordingSink().sink);
    handle.cancel();
    const run = f.sent[0] as Extract<ClientMessage, { type: 'run' }>;
    f.server.message.emit({ type: 'run-accepted', requestId: run.requestId, runId: 'r_12345678', channel: 1 });
    expect(f.sent[1]).toEqual({ type: 'cancel', runId: 'r_12345678' });
  });
});
