import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { WorkshopView } from '@jaillab/protocol';
import type { ConnectionState, Welcome } from '../api/connection-state.js';
import { RunStreams } from '../api/run-streams.js';
import { ShellStreams } from '../api/shell-streams.js';
import { SocketClient } from '../api/socket-client.js';
import { WorkshopClient } from '../api/workshop-client.js';
import { AttackClient } from '../api/attack-client.js';
import { RoundClient } from '../api/round-client.js';
import { WorkspaceClient } from '../api/workspace-client.js';
import { AckBatcher } from '../terminal/ack-batcher.js';

/**
 * The page's one connection to the server, shared by everything: the socket,
 * the runs on it, and the output acknowledgements (flow control is per socket,
 * so there is one batcher per socket, not per terminal).
 */
export interface Connection {
  socket: SocketClient;
  runs: RunStreams;
  acks: AckBatcher;
  workspace: WorkspaceClient;
  shells: ShellStreams;
  workshops: WorkshopClient;
  /** The probe editor and room attacks. */
  attacks: AttackClient;
  /** Break-it rounds. */
  rounds: RoundClient;
}

/** Made once per page load (main.tsx); lives as long as the page. */
export function createConnection(): Connection {
  const socket = new SocketClient();
  const runs = new RunStreams(socket);
  const acks = new AckBatcher((bytes, generation) => socket.ack(bytes, generation));
  const workspace = new WorkspaceClient(socket);
  const shells = new ShellStreams(socket);
  const workshops = new WorkshopClient(socket);
  const attacks = new AttackClient(socket);
  const rounds = new RoundClient(socket);
  socket.start();
  return { socket, runs, acks, workspace, shells, workshops, attacks, rounds };
}

const ConnectionContext = createContext<Connection | null>(null);

export function ConnectionProvider({ connection, children }: { connection: Connection; children: ReactNode }) {
  return <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>;
}

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useConnection outside ConnectionProvider');
  return connection;
}

/** The socket's state, re-rendering on every change. */
export function useConnectionState(): ConnectionState {
  const { socket } = useConnection();
  return useSyncExternalStore(
    (onChange) => socket.stateChanged.on(onChange),
    () => socket.state,
  );
}

/** The server's last welcome (limits, accelerator), kept through a reconnect; null before the first. */
export function useLastWelcome(): Welcome | null {
  const { socket } = useConnection();
  return useSyncExternalStore(
    (onChange) => socket.stateChanged.on(onChange),
    () => socket.lastWelcome,
  );
}

/** The workshop this learner is a student of (null: none), as the server last said. */
export function useWorkshopView(): WorkshopView | null {
  const { workshops } = useConnection();
  return useSyncExternalStore(
    (onChange) => workshops.viewChanged.on(onChange),
    () => workshops.view,
  );
}
