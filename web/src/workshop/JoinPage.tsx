import { PHONE_NOTE } from './JoinPanel.js';
import { type FormEvent, useEffect, useState } from 'react';
import { RequestError } from '../api/requests.js';
import { memberKeyFor } from '../api/workshop-client.js';
import { useConnection, useConnectionState, useWorkshopView } from '../app/connection.js';
import { Link } from '../app/Link.js';
import { lessonPath, navigate } from '../app/router.js';
import './workshop.css';

/**
 * /join and /join/<code>: a student joins a workshop with its code and a
 * display name — no account. Joining again from another browser with the same
 * name needs the rejoin key shown in the workshop banner.
 */
export function JoinPage({ code: codeFromLink }: { code: string | null }) {
  const { workshops } = useConnection();
  const connection = useConnectionState();
  const view = useWorkshopView();
  const [code, setCode] = useState(codeFromLink ?? '');
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [showKey, setShowKey] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = 'Join a workshop · JailLab';
  }, []);

  const firstOpen = view?.lessons.find((l) => l.open) ?? view?.lessons[0];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    workshops.join(code, name, key.trim() || undefined).then(
      (joined) => {
        const first = joined.lessons.find((l) => l.open) ?? joined.lessons[0];
        if (first) navigate(lessonPath(first.id));
      },
      (err: Error) => {
        setBusy(false);
        setError(err instanceof RequestError && err.code === 'name-taken' ? `${err.message}.` : err.message);
        if (err instanceof RequestError && err.code === 'name-taken') setShowKey(true);
      },
    );
  };

  return (
    <div className="workshop-page join-page">
      <h1>Join a workshop</h1>
      {/* Said before anyone types a name: the QR code invites phones, and a phone is read-only (see JoinPanel). */}
      <p className="join-phone-note" data-testid="join-page-phone-note">
        {PHONE_NOTE}
      </p>
      {view && (
        <p className="join-already" data-testid="join-already">
          You are in <strong>{view.title}</strong> as <strong>{view.name}</strong>.{' '}
          {firstOpen && <Link href={lessonPath(firstOpen.id)}>Go to {firstOpen.title}</Link>}
        </p>
      )}
      <form className="join-form" onSubmit={submit}>
        <label>
          Workshop code
          <input data-testid="join-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder="e.g. K7P4QX" required maxLength={12} />
        </label>
        <label>
          Your name, as the room will see it
          <input data-testid="join-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="nickname" required maxLength={40} />
        </label>
        {showKey ? (
          <label>
            Rejoin key (from the workshop banner in the browser you joined with)
            <input data-testid="join-key" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" spellCheck={false} maxLength={14} />
          </label>
        ) : (
          <button type="button" className="button button-quiet" onClick={() => setShowKey(true)}>
            Joined already, on another device?
          </button>
        )}
        <button type="submit" className="button button-primary" data-testid="join-button" disabled={busy || connection.status !== 'connected'}>
          {busy ? 'Joining…' : 'Join'}
        </button>
        {error && (
          <p className="form-error" role="alert" data-testid="join-error">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}

export { memberKeyFor };
