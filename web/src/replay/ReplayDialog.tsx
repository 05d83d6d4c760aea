import type { CheckTrace } from '@jaillab/protocol';
import { useEffect, useRef } from 'react';
import { TraceTimeline } from './TraceTimeline.js';
import './replay.css';

interface Props {
  title: string;
  trace: CheckTrace;
  focusStep: number | null;
  onClose(): void;
}

/** The replay of one check, over the page: a modal dialog (Escape closes it) holding the timeline. */
export function ReplayDialog({ title, trace, focusStep, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="replay-dialog" data-testid="replay-dialog" aria-labelledby="replay-title" onClose={onClose}>
      <header className="replay-header">
        <h2 id="replay-title">Replay: {title}</h2>
        <p className="replay-legend">
          <span className="where-marker where-inside">R</span> root, <span className="where-marker where-inside">C</span> cwd: in the box, inside the jail; right of it, outside.
        </p>
        <button type="button" className="button button-quiet" data-testid="replay-close" onClick={() => ref.current?.close()}>
          Close
        </button>
      </header>
      <TraceTimeline title={title} trace={trace} focusStep={focusStep} />
    </dialog>
  );
}
