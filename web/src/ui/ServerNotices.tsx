export interface Notice {
  id: number;
  text: string;
}

/** Errors from the server that belong to no run (rate limits, bad messages, protocol problems): dismissible banners. */
export function ServerNotices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className="banner banner-error" role="alert" data-testid="server-error">
          <span className="banner-text">{n.text}</span>
          <button type="button" className="button button-small button-quiet" onClick={() => onDismiss(n.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
