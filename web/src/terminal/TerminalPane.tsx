import { type KeyboardEvent, type RefObject, useEffect, useRef } from 'react';
import { usePrefersDark } from '../ui/use-color-scheme.js';
import { TerminalView } from './terminal-view.js';
import './terminal.css';

interface Props {
  /** Filled with the terminal once it exists; the run controller writes to it. */
  viewRef: RefObject<TerminalView | null>;
  label?: string;
  /** The interactive shell's terminal takes keystrokes. */
  interactive?: boolean;
  /** Tab and Escape belong to the terminal (a shell runs in it); otherwise they move on. Defaults to `interactive`. */
  keepsKeys?: boolean;
  /** xterm.js's screen reader mode (a setting the learner turns on). */
  screenReader?: boolean;
  /** The element Escape moves focus to, from the output-only terminal (its tab). */
  escapeTo?: string;
  /** How to leave the terminal with the keyboard, said with its label. */
  keysHint?: string;
  testId?: string;
}

/** The terminal pane: an xterm.js terminal that fills this element and follows its size. */
export function TerminalPane({ viewRef, label = 'Run output', interactive = false, keepsKeys = interactive, screenReader = false, escapeTo, keysHint, testId = 'terminal' }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const dark = usePrefersDark();
  const darkRef = useRef(dark);
  darkRef.current = dark;
  const screenReaderRef = useRef(screenReader);
  screenReaderRef.current = screenReader;

  useEffect(() => {
    const view = new TerminalView(hostRef.current!, darkRef.current, interactive, screenReaderRef.current);
    viewRef.current = view;
    return () => {
      viewRef.current = null;
      view.dispose();
    };
  }, [viewRef, interactive]);

  useEffect(() => viewRef.current?.setDark(dark), [dark, viewRef]);
  useEffect(() => viewRef.current?.setScreenReaderMode(screenReader), [screenReader, viewRef]);
  useEffect(() => viewRef.current?.setKeepsKeys(keepsKeys), [keepsKeys, viewRef]);

  // The output takes no input, so Escape is free to mean "back out of here" (TerminalView lets it through).
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (keepsKeys || e.key !== 'Escape' || !escapeTo) return;
    document.getElementById(escapeTo)?.focus();
  };
  const hintId = `${testId}-keys`;
  return (
    <section className="terminal-pane" aria-label={label} aria-describedby={keysHint ? hintId : undefined} onKeyDown={onKeyDown}>
      {keysHint && (
        <p id={hintId} className="visually-hidden">
          {keysHint}
        </p>
      )}
      <div className="terminal-host" ref={hostRef} data-testid={testId} />
    </section>
  );
}
