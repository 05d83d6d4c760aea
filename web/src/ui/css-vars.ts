import type { CSSProperties } from 'react';

/** Inline CSS custom properties (React's CSSProperties has no type for `--name` keys; this is the one cast). */
export function cssVars(vars: Record<`--${string}`, string>): CSSProperties {
  return vars as CSSProperties;
}
