import { describe, expect, it } from 'vitest';
import { runsLeakingSecret } from '../../test/host-canary.js';
import type { Lesson } from '../lessons/lesson.js';
import { Run } from './run.js';

/** The net under every VM test: the scan the test server runs over all runs when the tests are done. */
describe('the host canary scan', () => {
  const run = (id: string): Run => new Run(id, 'l_test', { id: 'x' } as Lesson, '');
  const secret = 'HOST-CANARY-0123456789abcdef';

  it('finds the canary in output, even split across chunks, and in events; not elsewhere', () => {
    const clean = run('r_clean');
    clean.log.appendOutput(0, Buffer.from('nothing to see HOST-CANARY-'));
    const split = run('r_split');
    split.log.appendOutput(1, Buffer.from('x HOST-CANARY-0123'));
    split.log.appendOutput(1, Buffer.from('456789abcdef y'));
    const inEvent = run('r_event');
    inEvent.log.append({ type: 'vm-fault', message: `console said ${secret}`, retrying: false });
    expect(runsLeakingSecret([clean, split, inEvent], secret)).toEqual(['r_split', 'r_event']);
  });
});
