import { useCallback, useState } from 'react';

const KEY = 'jaillab:trace-runs';

/** Whether runs from this browser are traced (the escape replay): on unless the learner turned it off, remembered across lessons. */
export function useTracing(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => {
    try {
      return localStorage.getItem(KEY) !== 'off';
    } catch {
      return true;
    }
  });
  const set = useCallback((next: boolean) => {
    setOn(next);
    try {
      localStorage.setItem(KEY, next ? 'on' : 'off');
    } catch {
      // Storage refused: the choice holds for this page only.
    }
  }, []);
  return [on, set];
}
