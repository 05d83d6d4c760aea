import { readFileSync } from 'node:fs';
import { clockTicks } from './clock-ticks.js';

/**
 * CPU time of the QEMUs this process destroyed. A jailed QEMU is reaped by
 * bubblewrap's init in its PID namespace, which reports the exit over an
 * eventfd rather than being waited for, so its CPU time never reaches this
 * process's children's times: read it from /proc just before the kill.
 */
let total = 0;

/** Adds a QEMU's CPU time so far (user + system) to the total; call it just before killing it. */
export function recordQemuCpu(pid: number): void {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    // gone already: nothing to add
  }
}

/** Seconds of CPU the destroyed QEMUs used, since this process started. */
export function destroyedQemuCpuSeconds(): number {
  return total;
}
