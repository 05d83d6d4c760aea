import type { TraceWhere } from '@jaillab/protocol';
import { PLACE_WORD as WORD } from './step-words.js';
import { placeOf } from './trace-view.js';

interface Props {
  root: TraceWhere | null;
  cwd: TraceWhere | null;
}


/**
 * Where a process's root (R) and cwd (C) point after a step, as a box for the
 * jail with each letter in it or outside it. The full paths are in the title
 * and in text for screen readers.
 */
export function WherePicture({ root, cwd }: Props) {
  if (!root && !cwd) return <span className="where-picture where-unknown" aria-hidden="true" />;
  const marker = (letter: 'R' | 'C', w: TraceWhere | null) => (w ? <span key={letter} className={`where-marker where-${placeOf(w)}`} data-testid={`where-${letter === 'R' ? 'root' : 'cwd'}`} data-place={placeOf(w)}>{letter}</span> : null);
  const inJail = (w: TraceWhere | null): boolean => w !== null && (placeOf(w) === 'inside' || placeOf(w) === 'above-root');
  const label = [root && `root ${WORD[placeOf(root)]} (${root.path})`, cwd && `cwd ${WORD[placeOf(cwd)]} (${cwd.path})`].filter(Boolean).join(', ');
  return (
    <span className="where-picture" title={label} role="img" aria-label={label}>
      <span className="where-jail">
        {inJail(root) && marker('R', root)}
        {inJail(cwd) && marker('C', cwd)}
      </span>
      <span className="where-out">
        {root && !inJail(root) && marker('R', root)}
        {cwd && !inJail(cwd) && marker('C', cwd)}
      </span>
    </span>
  );
}
