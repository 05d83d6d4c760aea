import { useCallback, useState } from 'react';
import { clampSize, type PaneBounds, parseStoredSize } from './pane-size.js';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** A pane's size (a percentage), remembered in localStorage under `key` so a reload keeps the layout. */
export function useStoredSize(key: string, fallback: number, bounds: PaneBounds): [number, (size: number) => void] {
  const [size, setSize] = useState(() => parseStoredSize(read(key), fallback, bounds));
  const { min, max } = bounds;
  const update = useCallback(
    (next: number) => {
      const clamped = Math.round(clampSize(next, { min, max }) * 10) / 10;
      setSize(clamped);
      try {
        localStorage.setItem(key, String(clamped));
      } catch {
        // Storage full or disabled: the size holds until the page is reloaded.
      }
    },
    [key, min, max],
  );
  return [size, update];
}
