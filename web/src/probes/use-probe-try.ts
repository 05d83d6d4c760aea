import type { ExtraProbe } from '@jaillab/protocol';
import { type RefObject, useCallback, useReducer, useRef } from 'react';
import type { RunHandle, RunSink } from '../api/run-streams.js';
import { useConnection } from '../app/connection.js';
import { initialRunState, runReducer, type RunState } from '../run/run-state.js';
import { useRunTranscript } from '../terminal/use-run-transcript.js';
import type { TerminalView } from '../terminal/terminal-view.js';

/**
 * Trying a probe from the probe editor: the program (a lesson's starter or
 * solution, or a jail pasted in) runs with only this probe, and the run's
 * stream feeds the same verdict panel state and terminal a learner's run
 * does. Not the instructor's "last run" of the lesson: nothing is restored.
 */
export function useProbeTry(terminalRef: RefObject<TerminalView | null>): { state: RunState; start(lessonId: string, program: string, probe: ExtraProbe): void; cancel(): void } {
  const { runs, acks } = useConnection();
  const [state, dispatch] = useReducer(runReducer, [], initialRunState);
  const handleRef = useRef<RunHandle | null>(null);
  const transcript = useRunTranscript(terminalRef);

  const start = useCallback(
    (lessonId: string, program: string, probe: ExtraProbe) => {
      handleRef.current?.detach();
      dispatch({ type: 'lesson', checks: [] });
      dispatch({ type: 'requested' });
      transcript()?.begin();
      const sink: RunSink = {
        restart: () => {
          dispatch({ type: 'restart' });
          transcript()?.begin('Reconnected: the server is replaying this run from its start.');
        },
        accepted: (runId) => dispatch({ type: 'accepted', runId }),
        event: (event) => {
          dispatch({ type: 'event', event });
          transcript()?.event(event);
        },
        output: (_index, data, generation) => {
          const t = transcript();
          if (t) t.output(data, generation);
          else acks.written(data.byteLength, generation);
        },
        failed: (error) => {
          dispatch({ type: 'refused', error });
          transcript()?.note(`\x1b[1;31m✗ ${error.message}\x1b[0m`);
        },
      };
      handleRef.current = runs.start(lessonId, program, sink, { extraProbes: [probe], extraProbesOnly: true });
    },
    [runs, acks, transcript],
  );
  const cancel = useCallback(() => handleRef.current?.cancel(), []);
  return { state, start, cancel };
}
