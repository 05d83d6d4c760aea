import { readFileSync } from 'node:fs';
import { clockTicks } from '../src/vm/clock-ticks.js';

/**
 * CPU seconds the whole machine has been busy (all cores, /proc/stat): for
 * work spread over processes that are not the benchmark's reaped children
 * (a server, runners and their VMs in remote mode). Noisy: anything else
 * running counts too, so compare figures taken side by side.
 */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = cpu as [number, number, number, number, number, number, number, number];
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}
