import type { ServerMessage } from '@jaillab/protocol';

export type Welcome = Extract<ServerMessage, { type: 'welcome' }>;

/**
 * What the connection badge and banner show. `connected` means the server has
 * answered `hello` with `welcome` (an open socket alone cannot run anything yet).
 */
export type ConnectionState =
  | { status: 'connecting'; attempt: number; lastError: string | null }
  | { status: 'connected'; welcome: Welcome }
  | { status: 'disconnected'; attempt: number; retryAt: number; lastError: string | null };

export const initialConnectionState: ConnectionState = { status: 'connecting', attempt: 0, lastError: null };
