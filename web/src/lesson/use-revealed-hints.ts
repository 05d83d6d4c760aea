import { useCallback, useEffect, useState } from 'react';
import { useConnection } from '../app/connection.js';

/** The hints this learner revealed in a lesson (from the server), and revealing one more (recorded there). */
export function useRevealedHints(lessonId: string): { revealed: ReadonlySet<number>; reveal(index: number): void } {
  const { workspace } = useConnection();
  const [revealed, setRevealed] = useState<ReadonlySet<number>>(() => new Set());
  useEffect(() => {
    let live = true;
    void workspace.lessonState(lessonId).then((s) => {
      if (live) setRevealed((now) => new Set([...now, ...s.hintsRevealed]));
    });
    return () => {
      live = false;
    };
  }, [lessonId, workspace]);
  const reveal = useCallback(
    (index: number) => {
      setRevealed((now) => new Set([...now, index]));
      workspace.revealHint(lessonId, index);
    },
    [lessonId, workspace],
  );
  return { revealed, reveal };
}
