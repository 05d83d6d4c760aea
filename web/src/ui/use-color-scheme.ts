import { useMediaQuery } from './use-media-query.js';

/**
 * The OS/browser's light or dark preference, live. CSS follows it on its own
 * (prefers-color-scheme); Monaco and xterm.js take colours in JavaScript, so
 * they read it from here.
 */
export function usePrefersDark(): boolean {
  return useMediaQuery('(prefers-color-scheme: dark)');
}
