import { type ErrorCode, type ExtraProbe, OutputFrameKind, type RunEvent } from '@jaillab/protocol';
import type { SocketClient } from './socket-client.js';

/** Why a run request came to nothing: the server's error code, or one of the browser's own. */
export interface RunRequestError {
  code: ErrorCode | 'not-connected' | 'connection-lost' | 'too-large';
  message: string;
}

/**
 * Where a run's stream goes. The lesson page implements this: it feeds the
 * verdict panel's state and the terminal.
 */
export interface RunSink {
  /**
   * The server is about to send this run again from its first event (we
   * reconnected and re-watched it): forget what was shown, it all comes again.
   */
  restart(): void;
  accepted(runId: string): void;
  event(event: RunEvent, seq: number): void;
  /** Program output. Call `ack` on the socket with `generation` once the bytes are on screen. */
  output(checkIndex: number, data: Uint8Array, generation: number): void;
  /** The request was refused, or could not be made. Nothing more will arrive. */
  failed(error: RunRequestError): void;
}

export interface RunHandle {
  /** Asks the server to stop the run (it answers with a `finished` event, outcome cancelled). */
  cancel(): void;
  /** Stop listening (the page is going away); the run itself goes on. */
  detach(): void;
}

interface Subscription {
  sink: RunSink;
  /** Set once the server accepted the run; what we re-watch after a reconnect. */
  runId: string | null;
  requestId: string | null;
  /** The server's channel number on the current socket, null until `run-accepted`. */
  channel: number | null;
  finished: boolean;
  /** The sink has been sent some of this run already (so a re-watch is a replay it must be told about). */
  streamed: boolean;
  /** Cancel was pressed before the server accepted the run (or while offline): cancel as soon as we can. */
  cancelWanted: boolean;
}

let requestCounter = 0;
function newRequestId(): string {
  return `r${Date.now().toString(36)}-${(++requestCounter).toString(36)}`;
}

/**
 * Runs over the socket: start one, watch one, route each run's events and
 * output to its sink by channel, and keep watching across reconnects — a run in
 * progress is re-watched on the new socket, and the server replays it from the
 * start (so the sink is told to `restart` first).
 */
/** How a run is asked for: `trace: false` runs it without the escape replay (the workspace's Replay toggle). */
export interface RunOptions {
  trace?: boolean;
  /** Instructors trying a probe (the probe editor): run it against the program, alone unless `extraProbesOnly` is false. */
  extraProbes?: ExtraProbe[];
  extraProbesOnly?: boolean;
}

export class RunStreams {
  private readonly subs = new Set<Subscription>();
  private readonly byRequest = new Map<string, Subscription>();
  private readonly byChannel = new Map<number, Subscription>();

  constructor(private readonly socket: SocketClient) {
    socket.message.on((msg) => {
      switch (msg.type) {
        case 'run-accepted': {
          const sub = this.byRequest.get(msg.requestId);
          if (!sub) return;
          this.byRequest.delete(msg.requestId);
          sub.requestId = null;
          sub.channel = msg.channel;
          sub.runId = msg.runId;
          sub.streamed = true;
          this.byChannel.set(msg.channel, sub);
          sub.sink.accepted(msg.runId);
          if (sub.cancelWanted) this.socket.send({ type: 'cancel', runId: msg.runId });
          return;
        }
        case 'run-event': {
          const sub = this.byChannel.get(msg.channel);
          if (!sub) return;
          if (msg.event.type === 'finished') this.forget(sub, true);
          sub.sink.event(msg.event, msg.seq);
          return;
        }
        case 'error': {
          const sub = msg.requestId === undefined ? undefined : this.byRequest.get(msg.requestId);
          if (!sub) return;
          this.forget(sub, true);
          sub.sink.failed({ code: msg.code, message: msg.message });
          return;
        }
      }
    });
    socket.output.on(({ frame, generation }) => {
      if (frame.kind === OutputFrameKind.shellOutput) return; // the shell's (shell-streams.ts)
      const sub = this.byChannel.get(frame.channel);
      if (sub) sub.sink.output(frame.checkIndex, frame.data, generation);
      // Nobody shows these bytes (a run we stopped watching): acknowledge at once so they never hold the socket back.
      else socket.ack(frame.data.byteLength, generation);
    });
    socket.disconnected.on(() => {
      // Channel numbers and request ids belong to the socket that just died.
      this.byChannel.clear();
      this.byRequest.clear();
      for (const sub of this.subs) {
        sub.channel = null;
        if (sub.runId === null) {
          this.forget(sub, true);
          sub.sink.failed({ code: 'connection-lost', message: 'The connection dropped before the server took your run. Press Run again.' });
        }
      }
    });
    socket.welcomed.on(() => {
      for (const sub of this.subs) {
        if (sub.runId === null || sub.finished) continue;
        this.sendWatch(sub, sub.streamed);
        if (sub.cancelWanted) this.socket.send({ type: 'cancel', runId: sub.runId });
      }
    });
  }

  /** Starts a run of `source` against lesson `lessonId`; `trace: false` runs it without the escape replay. */
  start(lessonId: string, source: string, sink: RunSink, options: RunOptions = {}): RunHandle {
    const sub: Subscription = { sink, runId: null, requestId: newRequestId(), channel: null, finished: false, streamed: false, cancelWanted: false };
    this.subs.add(sub);
    this.byRequest.set(sub.requestId!, sub);
    const extras = options.extraProbes?.length ? { extraProbes: options.extraProbes, extraProbesOnly: options.extraProbesOnly ?? true } : {};
    if (!this.socket.send({ type: 'run', requestId: sub.requestId!, lessonId, source, ...(options.trace === false ? { trace: false } : {}), ...extras })) {
      this.forget(sub, true);
      // Told asynchronously, like every other outcome, so callers handle one order of events.
      queueMicrotask(() => sink.failed({ code: 'not-connected', message: 'Not connected to the JailLab server yet; your run was not sent. Try again once the connection is back.' }));
    }
    return this.handle(sub);
  }

  /** Watches an existing run from its first event (after a page reload). Waits for the connection if need be. */
  watch(runId: string, sink: RunSink): RunHandle {
    const sub: Subscription = { sink, runId, requestId: null, channel: null, finished: false, streamed: false, cancelWanted: false };
    this.subs.add(sub);
    if (this.socket.state.status === 'connected') this.sendWatch(sub, false);
    return this.handle(sub);
  }

  private sendWatch(sub: Subscription, replay: boolean): void {
    sub.requestId = newRequestId();
    this.byRequest.set(sub.requestId, sub);
    if (replay) sub.sink.restart();
    this.socket.send({ type: 'watch', requestId: sub.requestId, runId: sub.runId! });
  }

  private handle(sub: Subscription): RunHandle {
    return {
      cancel: () => {
        if (sub.finished) return;
        // Not accepted yet, or offline: remember, and cancel as soon as we can.
        if (sub.runId === null || !this.socket.send({ type: 'cancel', runId: sub.runId })) sub.cancelWanted = true;
      },
      detach: () => this.forget(sub, false),
    };
  }

  private forget(sub: Subscription, finished: boolean): void {
    sub.finished = sub.finished || finished;
    this.subs.delete(sub);
    if (sub.requestId !== null) this.byRequest.delete(sub.requestId);
    // The server sends all of a run's output before its `finished` event, so nothing
    // routed to this channel is lost; whatever still comes is acknowledged unseen.
    if (sub.channel !== null) this.byChannel.delete(sub.channel);
  }
}
