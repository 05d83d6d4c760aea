import { describe, expect, it } from 'vitest';
import { reconcileCode } from './reconcile-code.js';

const STARTER = 'int main(void) { return 0; }';

describe('reconciling the browser\'s code with the server\'s', () => {
  it('takes the newer server copy and keeps the local text restorable', () => {
    const r = reconcileCode({ source: 'mine', editedAt: 1 }, { source: 'other tab', editedAt: 2 }, STARTER);
    expect(r).toEqual({ action: 'take-server', code: { source: 'other tab', editedAt: 2 }, keep: 'mine' });
  });

  it('pushes a newer local copy (edits made offline)', () => {
    expect(reconcileCode({ source: 'offline edit', editedAt: 5 }, { source: 'old', editedAt: 2 }, STARTER)).toEqual({ action: 'push', code: { source: 'offline edit', editedAt: 5 } });
  });

  it('brings the server\'s code to a new browser, and sends local code to an empty server', () => {
    expect(reconcileCode(null, { source: 'from my laptop', editedAt: 3 }, STARTER)).toMatchObject({ action: 'take-server', keep: null });
    expect(reconcileCode({ source: 'x', editedAt: 3 }, null, STARTER)).toMatchObject({ action: 'push' });
    expect(reconcileCode(null, null, STARTER)).toEqual({ action: 'nothing' });
  });

  it('does not keep the starter as a version worth restoring', () => {
    expect(reconcileCode({ source: STARTER, editedAt: 1 }, { source: 'work', editedAt: 2 }, STARTER)).toMatchObject({ action: 'take-server', keep: null });
  });
});
