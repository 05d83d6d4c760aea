import { useSyncExternalStore } from 'react';

/**
 * The OS/browser's light or dark preference, live. CSS follows it on its own
 * (prefers-color-scheme); Monaco and xterm.js take colours in JavaScript, so
 * they read it from here.
 */
const query = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');

function subscribe(onChange: () => void): () => void {
  const mq = query();
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function usePrefersDark(): boolean {
  return useSyncExternalStore(subscribe, () => query().matches);
}
