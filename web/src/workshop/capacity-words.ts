import type { Dashboard } from '@jaillab/protocol';
import { plural } from '../text/plural.js';

/**
 * The dashboard's capacity line as a sentence that adds up. Runs and VMs are two counts: the slots bound how
 * many runs go at once (the rest wait), while ready VMs are booted ahead for the next runs and may outnumber
 * the slots ("0 busy of 2 slots, 4 ready" read as if 4 of 2 were free).
 */
export function capacityWords(c: Dashboard['capacity']): string {
  const waiting = c.queued === 0 ? 'none waiting' : `${c.queued} waiting`;
  const ready = `${plural(c.ready, 'fresh VM')} booted for the next runs${c.starting ? `, ${c.starting} more starting` : ''}`;
  return `Running ${c.inUse} of ${plural(c.slots, 'run')} at a time, ${waiting} · ${ready} (${c.accelerator ?? 'accelerator not known yet'})`;
}
