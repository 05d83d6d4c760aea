import { useEffect, useRef, useState } from 'react';
import type { RunState } from '../run/run-state.js';
import { type Announcement, AnnouncementLog } from './run-announcements.js';

/** The latest sentences kept in the region: enough to read back, few enough that the region stays small. */
const KEPT = 8;

/**
 * The one live region of a run (polite: it waits for the reader to finish).
 * Each moment of the run — queued, compiling, a check starting, each verdict
 * with its reason, the ending — is added once as a line of a log, so a
 * screen reader hears the run as it goes without anyone looking at the panel.
 * The visible summary and progress line are not live regions themselves:
 * they would say the same things twice.
 */
export function RunAnnouncer({ state }: { state: RunState }) {
  const [lines, setLines] = useState<Array<Announcement & { n: number }>>([]);
  const log = useRef(new AnnouncementLog());
  const count = useRef(0);

  useEffect(() => {
    const fresh = log.current.next(state);
    if (fresh.length > 0) setLines((old) => [...old, ...fresh.map((a) => ({ ...a, n: ++count.current }))].slice(-KEPT));
  }, [state]);

  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-label="Run progress" data-testid="run-announcer">
      {lines.map((l) => (
        <p key={l.n}>{l.text}</p>
      ))}
    </div>
  );
}
