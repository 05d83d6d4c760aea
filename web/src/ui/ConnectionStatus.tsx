import type { ConnectionState } from '../api/connection-state.js';

const LABEL: Record<ConnectionState['status'], string> = {
  connecting: 'connecting…',
  connected: 'connected',
  disconnected: 'offline',
};

/** The small badge in the top bar: is the socket up? data-state is the socket state, for tests. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <span className={`connection-status connection-${state.status}`} data-testid="connection-status" data-state={state.status} role="status" title={state.status === 'connected' ? 'Connected to the JailLab server' : (state.lastError ?? 'Connecting to the JailLab server')}>
      <span className="connection-dot" aria-hidden="true" />
      {LABEL[state.status]}
    </span>
  );
}
