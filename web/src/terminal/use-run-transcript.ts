import { type RefObject, useCallback, useRef } from 'react';
import { useConnection } from '../app/connection.js';
import { RunTranscript } from './run-transcript.js';
import type { TerminalView } from './terminal-view.js';

/**
 * The transcript for the terminal now on screen (null before it mounts): a
 * new terminal (the pane remounted) gets a transcript of its own, whose
 * acknowledgements go back through the page's one AckBatcher.
 */
export function useRunTranscript(terminalRef: RefObject<TerminalView | null>): () => RunTranscript | null {
  const { acks } = useConnection();
  const transcriptRef = useRef<{ view: TerminalView; transcript: RunTranscript } | null>(null);
  return useCallback((): RunTranscript | null => {
    const view = terminalRef.current;
    if (!view) return null;
    if (transcriptRef.current?.view !== view) transcriptRef.current = { view, transcript: new RunTranscript(view, acks) };
    return transcriptRef.current.transcript;
  }, [terminalRef, acks]);
}
