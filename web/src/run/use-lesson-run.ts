import { type LessonView, MAX_SOURCE_BYTES, utf8Length } from '@jaillab/protocol';
import { type RefObject, useCallback, useEffect, useReducer, useRef } from 'react';
import type { RunHandle, RunOptions, RunSink } from '../api/run-streams.js';
import { useConnection } from '../app/connection.js';
import { loadLastRunId, saveLastRunId } from '../lesson/last-run.js';
import { useRunTranscript } from '../terminal/use-run-transcript.js';
import type { TerminalView } from '../terminal/terminal-view.js';
import { initialRunState, runReducer, type RunState } from './run-state.js';

export interface LessonRun {
  state: RunState;
  /** Sends `source` to be compiled and checked (a run already going is superseded by the server). */
  start(source: string, options?: RunOptions): void;
  cancel(): void;
}

const IDLE_TEXT = 'Output from your program and the probes appears here during a run.';

const kib = (bytes: number): string => `${Math.ceil(bytes / 1024)} KiB`;

/**
 * Runs for one lesson page: starts and cancels them, and sends each run's
 * stream to both the page state (verdicts, markers) and the terminal.
 * After a reload it watches the tab's last run again, so verdicts — or a run
 * still going — survive F5.
 */
export function useLessonRun(lesson: LessonView, terminalRef: RefObject<TerminalView | null>, maxSourceBytes = MAX_SOURCE_BYTES): LessonRun {
  const { runs, acks, workspace } = useConnection();
  /** Set once the learner starts a run here: a record of an older run arriving late must not replace it. */
  const startedHere = useRef(false);
  const [state, dispatch] = useReducer(runReducer, lesson.checks, initialRunState);
  const handleRef = useRef<RunHandle | null>(null);
  const transcript = useRunTranscript(terminalRef);

  const sinkFor = useCallback(
    (watching: boolean): RunSink => ({
      restart: () => {
        dispatch({ type: 'restart' });
        transcript()?.begin('Reconnected: the server is replaying this run from its start.');
      },
      accepted: (runId) => {
        dispatch({ type: 'accepted', runId });
        saveLastRunId(lesson.id, runId);
      },
      event: (event) => {
        dispatch({ type: 'event', event });
        transcript()?.event(event);
      },
      output: (_checkIndex, data, generation) => {
        const t = transcript();
        if (t) t.output(data, generation);
        else acks.written(data.byteLength, generation); // no terminal to write to: never hold the socket back
      },
      failed: (error) => {
        if (error.code === 'unknown-run') {
          saveLastRunId(lesson.id, null);
          if (watching) {
            // The run we meant to show again after a reload has left the server's memory: show its record.
            showRecord();
            return;
          }
          // Re-watching after a reconnect found nothing: the server restarted and forgot it.
          error = { ...error, message: 'The server no longer has this run (it may have restarted while we were disconnected). Press Run again.' };
        }
        dispatch({ type: 'refused', error });
        // An interrupted run has nothing left to replay: say only that.
        if (error.code === 'run-interrupted') transcript()?.begin();
        transcript()?.note(`\x1b[1;31m✗ ${error.message}\x1b[0m`);
      },
    }),
    [lesson, transcript, acks],
  );

  /**
   * The server's record of the learner's last run of this lesson (after a reload, on another device, after a
   * restart), replayed into the panel, the markers and the terminal; the idle page if there is none.
   */
  const showRecord = useCallback((): void => {
    dispatch({ type: 'requested' });
    transcript()?.begin('Loading your last run…');
    workspace.runRecord(lesson.id).then(
      (record) => {
        if (startedHere.current) return;
        if (!record) {
          dispatch({ type: 'lesson', checks: lesson.checks });
          transcript()?.begin(IDLE_TEXT);
          return;
        }
        dispatch({ type: 'restored', runId: record.runId, createdAt: record.createdAt, sourceSha256: record.sourceSha256 });
        const t = transcript();
        t?.begin(`Your last run of this lesson, ${new Date(record.createdAt).toLocaleString()}:`);
        const output = new Map(record.output.map((o) => [o.checkIndex, Uint8Array.from(atob(o.data), (c) => c.charCodeAt(0))]));
        for (const event of record.events) {
          // A check's output comes before its verdict, as it did live.
          if (event.type === 'check-finished') t?.replayOutput(output.get(event.index) ?? new Uint8Array());
          dispatch({ type: 'event', event });
          t?.event(event);
        }
      },
      () => {
        if (startedHere.current) return;
        dispatch({ type: 'lesson', checks: lesson.checks });
        transcript()?.begin(IDLE_TEXT);
      },
    );
  }, [lesson, transcript, workspace]);

  // A reload: show this tab's last run of this lesson again (live if it is still going), or the server's record.
  useEffect(() => {
    const runId = loadLastRunId(lesson.id);
    if (!runId) {
      showRecord();
      return;
    }
    dispatch({ type: 'requested' });
    transcript()?.begin('Loading your last run…');
    const handle = runs.watch(runId, sinkFor(true));
    handleRef.current = handle;
    return () => {
      handle.detach();
      if (handleRef.current === handle) handleRef.current = null;
    };
  }, [lesson.id, runs, sinkFor, transcript, showRecord]);

  // Leaving the page stops listening (the server finishes the run on its own).
  useEffect(() => () => handleRef.current?.detach(), []);

  const start = useCallback(
    (source: string, options: RunOptions = {}) => {
      const size = utf8Length(source);
      if (size > maxSourceBytes) {
        const error = { code: 'too-large' as const, message: `Your program is ${kib(size)}; the limit is ${kib(maxSourceBytes)}. Make it smaller to run it.` };
        dispatch({ type: 'refused', error });
        transcript()?.begin();
        transcript()?.note(`\x1b[1;31m✗ ${error.message}\x1b[0m`);
        return;
      }
      handleRef.current?.detach();
      startedHere.current = true;
      dispatch({ type: 'requested' });
      transcript()?.begin();
      handleRef.current = runs.start(lesson.id, source, sinkFor(false), options);
    },
    [lesson.id, runs, sinkFor, transcript, maxSourceBytes],
  );

  const cancel = useCallback(() => handleRef.current?.cancel(), []);

  return { state, start, cancel };
}
