import { type RefObject, useEffect, useRef } from 'react';
import { usePrefersDark } from '../ui/use-color-scheme.js';
import { TerminalView } from './terminal-view.js';
import './terminal.css';

interface Props {
  /** Filled with the terminal once it exists; the run controller writes to it. */
  viewRef: RefObject<TerminalView | null>;
  label?: string;
  /** The interactive shell's terminal takes keystrokes. */
  interactive?: boolean;
  testId?: string;
}

/** The terminal pane: an xterm.js terminal that fills this element and follows its size. */
export function TerminalPane({ viewRef, label = 'Run output', interactive = false, testId = 'terminal' }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const dark = usePrefersDark();
  const darkRef = useRef(dark);
  darkRef.current = dark;

  useEffect(() => {
    const view = new TerminalView(hostRef.current!, darkRef.current, interactive);
    viewRef.current = view;
    return () => {
      viewRef.current = null;
      view.dispose();
    };
  }, [viewRef, interactive]);

  useEffect(() => viewRef.current?.setDark(dark), [dark, viewRef]);

  return (
    <section className="terminal-pane" aria-label={label}>
      <div className="terminal-host" ref={hostRef} data-testid={testId} />
    </section>
  );
}
