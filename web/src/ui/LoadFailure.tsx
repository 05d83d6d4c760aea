/** A page-sized "could not load X" with the reason and a way to try again. */
export function LoadFailure({ what, message, onRetry }: { what: string; message: string; onRetry: () => void }) {
  return (
    <div className="page-message" role="alert">
      <h1>Could not load {what}</h1>
      <p>{message.charAt(0).toUpperCase() + message.slice(1)}.</p>
      <button type="button" className="button button-primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
