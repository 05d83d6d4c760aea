import { useCallback, useEffect, useState } from 'react';
import type { Notice } from '../ui/ServerNotices.js';
import { useConnection } from './connection.js';

let nextId = 1;
/** Repeats of one message (a rate limit, say) show once, not as a pile of banners. */
const MAX_NOTICES = 3;

/**
 * Server `error` messages that are not about a run request (those go to the
 * run's summary), and messages this page could not read at all.
 */
export function useServerNotices(): { notices: Notice[]; dismiss: (id: number) => void } {
  const { socket } = useConnection();
  const [notices, setNotices] = useState<Notice[]>([]);

  useEffect(() => {
    const add = (text: string) =>
      setNotices((list) => (list.some((n) => n.text === text) ? list : [...list, { id: nextId++, text }].slice(-MAX_NOTICES)));
    const offMessage = socket.message.on((msg) => {
      if (msg.type === 'error' && msg.requestId === undefined) add(`The server said: ${msg.message} (${msg.code}).`);
    });
    const offProblem = socket.problem.on((p) => {
      console.warn('jaillab socket:', p.message);
      add(`Something went wrong talking to the server: ${p.message}.`);
    });
    return () => {
      offMessage();
      offProblem();
    };
  }, [socket]);

  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);
  return { notices, dismiss };
}
