import { useEffect, useState } from 'react';
import type { ConnectionState } from '../api/connection-state.js';

/** A drop that is mended faster than this (a server restart, a blip) never shows the banner; the badge still shows it. */
const SHOW_AFTER_MS = 800;

/**
 * Shown while the socket is down: says so plainly, counts down to the next
 * try, and offers to try now. Runs keep going on the server while we are
 * away; the page re-watches them when the connection is back.
 */
export function ConnectionBanner({ state, everConnected, onRetry }: { state: ConnectionState; everConnected: boolean; onRetry: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const [shown, setShown] = useState(false);
  const connected = state.status === 'connected';
  const down = state.status === 'disconnected';

  useEffect(() => {
    if (connected) {
      setShown(false);
      return;
    }
    const timer = window.setTimeout(() => setShown(true), SHOW_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [connected]);

  useEffect(() => {
    if (!down) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [down]);

  if (connected || !shown) return null;

  const wait = down ? Math.max(0, Math.ceil((state.retryAt - now) / 1000)) : 0;
  const lead = everConnected ? 'Lost the connection to the JailLab server.' : 'Cannot reach the JailLab server.';
  const reason = state.lastError ? ` (${state.lastError})` : '';
  return (
    <div className="banner banner-warning" role="alert" data-testid="connection-banner">
      <span className="banner-text">
        <strong>{lead}</strong>
        {reason} {down && wait > 0 ? `Trying again in ${wait} s.` : 'Reconnecting…'}
        {everConnected && ' Your code is saved in this browser, and a run in progress keeps going on the server: it is shown again once the connection is back.'}
      </span>
      {down && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Reconnect now
        </button>
      )}
    </div>
  );
}
