import { useCallback, useState } from 'react';

/** A yes/no setting kept in this browser (localStorage), the same on every page; `fallback` until the learner chooses. */
export function useStoredFlag(key: string, fallback: boolean): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : v === 'on';
    } catch {
      return fallback;
    }
  });
  const set = useCallback(
    (next: boolean) => {
      setOn(next);
      try {
        localStorage.setItem(key, next ? 'on' : 'off');
      } catch {
        // Storage refused: the choice holds for this page only.
      }
    },
    [key],
  );
  return [on, set];
}
