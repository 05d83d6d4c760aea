import { useSyncExternalStore } from 'react';

/**
 * A phone-sized screen. There the workspace is read-only: the lesson, the
 * checks and the learner's code can be read, but editing C and driving a
 * shell want a keyboard and a bigger screen.
 */
const query = (): MediaQueryList => window.matchMedia('(max-width: 600px)');

function subscribe(onChange: () => void): () => void {
  const mq = query();
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, () => query().matches);
}
