import type { SavedCode } from '@jaillab/protocol';

/**
 * The browser's copy of a lesson's code against the server's: the newest edit
 * wins. When the server's wins, the editor takes it and the local text is kept
 * restorable; when the local one wins, it is sent to the server. Nothing is
 * dropped without a way back.
 */
export type Reconciliation =
  | { action: 'nothing' }
  | { action: 'push'; code: SavedCode }
  | { action: 'take-server'; code: SavedCode; keep: string | null };

export function reconcileCode(local: SavedCode | null, server: SavedCode | null, starter: string): Reconciliation {
  if (!server) return local ? { action: 'push', code: local } : { action: 'nothing' };
  if (!local) return server.source === starter ? { action: 'nothing' } : { action: 'take-server', code: server, keep: null };
  if (local.source === server.source) return local.editedAt > server.editedAt ? { action: 'push', code: local } : { action: 'nothing' };
  if (server.editedAt > local.editedAt) return { action: 'take-server', code: server, keep: local.source === starter ? null : local.source };
  return { action: 'push', code: local };
}
