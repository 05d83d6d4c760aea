import { useState } from 'react';

/**
 * Above the checks when they come from the server's record of an earlier run: when it ran, and whether the code
 * moved on. The learner can put it away once read (it comes back with the next restored run, not with a live one).
 */
export function RestoredRunNote({ createdAt, changed }: { createdAt: string; changed: boolean }) {
  const [dismissed, setDismissed] = useState(false);
  if (dismissed) return null;
  const when = new Date(createdAt);
  const sameDay = when.toDateString() === new Date().toDateString();
  const at = sameDay ? when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : when.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <p className="restored-run-note" data-testid="restored-run" data-changed={changed}>
      <span className="restored-run-text">
        Your last run, at {at}. {changed ? 'Your code has changed since: press Run to check it as it is now.' : 'Your code is the code it ran.'}
      </span>
      <button type="button" className="button button-quiet button-small" data-testid="restored-run-dismiss" onClick={() => {
          setDismissed(true);
          // The button goes away with the note: keep keyboard focus in the same place, the checks below it.
          document.getElementById('verdict-heading')?.focus();
        }} aria-label="Dismiss the note about your last run">
        Dismiss
      </button>
    </p>
  );
}
