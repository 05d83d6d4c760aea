/** Above the checks when they come from the server's record of an earlier run: when it ran, and whether the code moved on. */
export function RestoredRunNote({ createdAt, changed }: { createdAt: string; changed: boolean }) {
  const when = new Date(createdAt);
  const sameDay = when.toDateString() === new Date().toDateString();
  const at = sameDay ? when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : when.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <p className="restored-run-note" data-testid="restored-run" data-changed={changed}>
      Your last run, at {at}. {changed ? 'Your code has changed since: press Run to check it as it is now.' : 'Your code is the code it ran.'}
    </p>
  );
}
