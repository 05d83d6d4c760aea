import type { Accelerator } from '@jaillab/protocol';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import type { ShellHandle } from '../api/shell-streams.js';
import { useConnection } from '../app/connection.js';
import type { TerminalView } from '../terminal/terminal-view.js';

export type ShellPhase = 'closed' | 'opening' | 'open';

export interface ShellState {
  phase: ShellPhase;
  /** What is happening, or why the last shell ended. */
  message: string | null;
  accelerator: Accelerator | null;
}

export interface LessonShell {
  state: ShellState;
  open(source: string): void;
  close(): void;
}

// The theme's grey (bright black), not SGR 2 (half opacity, below AA contrast): terminal/run-transcript.ts.
const dim = (s: string): string => `\x1b[90m${s}\x1b[0m\r\n`;
const minutes = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/**
 * The interactive shell of a lesson page: opens one in a fresh VM with the
 * learner's current program, wires the terminal's keystrokes and size to it,
 * writes its output (acknowledged once on screen, like run output), and says
 * plainly why it ended.
 */
export function useLessonShell(lessonId: string, viewRef: RefObject<TerminalView | null>): LessonShell {
  const { shells, acks } = useConnection();
  const [state, setState] = useState<ShellState>({ phase: 'closed', message: null, accelerator: null });
  const handleRef = useRef<ShellHandle | null>(null);

  // Keystrokes and size changes go to whichever shell is open.
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const offData = view.onData((d) => handleRef.current?.input(d));
    const offResize = view.onResize(({ cols, rows }) => handleRef.current?.resize(cols, rows));
    return () => {
      offData();
      offResize();
    };
  }, [viewRef]);

  const open = useCallback(
    (source: string) => {
      const view = viewRef.current;
      if (!view) return;
      handleRef.current?.close();
      view.clear();
      view.write(dim('Starting an interactive shell in a fresh VM: your program is /usr/local/sbin/jailer, the jail is /jail, the secret is /outside/secret.'));
      view.write(dim('Try:  ls /   then   jailer /jail /bin/sh   and look around inside your jail (exit to leave).'));
      setState({ phase: 'opening', message: 'Starting…', accelerator: null });
      let handle: ShellHandle | null = null;
      handle = shells.open(lessonId, source, { cols: view.columns, rows: view.rows }, {
        status: (message) => {
          view.write(dim(message));
          setState((s) => ({ ...s, message }));
        },
        opened: ({ accelerator, idleTimeoutMs }) => {
          setState({ phase: 'open', message: `VM on ${accelerator === 'kvm' ? 'KVM' : 'TCG (software emulation)'} · closes after ${minutes(idleTimeoutMs)} without input.`, accelerator });
          view.showCursor();
          view.focus();
          // The terminal may have been resized while the VM started.
          handle?.resize(view.columns, view.rows);
        },
        output: (data, generation) => view.write(data, () => acks.written(data.byteLength, generation)),
        closed: (_reason, message) => {
          if (handleRef.current === handle) handleRef.current = null;
          view.write(`\r\n\x1b[1;33m■ ${message}\x1b[0m\r\n`);
          setState({ phase: 'closed', message, accelerator: null });
        },
        failed: (message) => {
          if (handleRef.current === handle) handleRef.current = null;
          view.write(`\r\n\x1b[1;31m✗ ${message.replace(/\n/g, '\r\n')}\x1b[0m\r\n`);
          setState({ phase: 'closed', message: message.split('\n')[0] ?? message, accelerator: null });
        },
      });
      handleRef.current = handle;
    },
    [lessonId, shells, acks, viewRef],
  );

  const close = useCallback(() => handleRef.current?.close(), []);

  // Leaving the lesson closes its shell (and frees the VM).
  useEffect(() => () => handleRef.current?.close(), []);

  return { state, open, close };
}
