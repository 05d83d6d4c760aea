import { useState } from 'react';
import type { WorkshopView } from '@jaillab/protocol';
import { memberKeyFor } from '../api/workshop-client.js';
import { useConnection } from '../app/connection.js';
import { MegaphoneIcon } from '../ui/icons.js';
import './workshop.css';

const time = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * Under the top bar for a workshop's students: which workshop, who they are
 * in it (and the key to be them again on another device), the instructor's
 * latest message, and — once it ended — that their work is kept, read-only.
 */
export function WorkshopBanner({ view }: { view: WorkshopView }) {
  const { workshops } = useConnection();
  const [showKey, setShowKey] = useState(false);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const latest = view.broadcasts.at(-1) ?? null;
  const key = memberKeyFor(view.id);
  return (
    <div className={`workshop-banner${view.endedAt ? ' workshop-ended' : ''}`} data-testid="workshop-banner" role="region" aria-label="Workshop">
      <span className="workshop-banner-title">
        <strong>{view.title}</strong> · you are <strong data-testid="workshop-name">{view.name}</strong>
      </span>
      {key && (
        <button type="button" className="button button-quiet button-small" onClick={() => setShowKey((s) => !s)} aria-expanded={showKey} title="To rejoin as yourself from another browser or device">
          {showKey ? (
            <>
              Rejoin key <code data-testid="member-key">{key}</code>
            </>
          ) : (
            'Rejoin key'
          )}
        </button>
      )}
      {view.endsAt && !view.endedAt && <span className="workshop-ends">until {time(view.endsAt)}</span>}
      {latest && dismissed !== latest.sentAt && (
        <span className="workshop-broadcast" data-testid="workshop-broadcast" role="status">
          <MegaphoneIcon /> <span className="workshop-broadcast-from">Your instructor:</span> {latest.message} <span className="workshop-broadcast-time">{time(latest.sentAt)}</span>
          <button type="button" className="button button-quiet button-small" onClick={() => setDismissed(latest.sentAt)} aria-label="Dismiss the message">
            ✕
          </button>
        </span>
      )}
      {view.endedAt && (
        <span className="workshop-ended-text" data-testid="workshop-ended">
          This workshop has ended: your work is kept, read-only.{' '}
          <button type="button" className="button button-small" onClick={() => void workshops.leave()}>
            Leave the workshop and go on by myself
          </button>
        </span>
      )}
    </div>
  );
}
