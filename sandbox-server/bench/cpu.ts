import { readFileSync } from 'node:fs';
import { clockTicks } from '../src/vm/clock-ticks.js';
import { destroyedQemuCpuSeconds } from '../src/vm/qemu-cpu.js';

/**
 * CPU seconds this process and its reaped children have used: the server,
 * gcc (bubblewrap, prlimit) and QEMU are all children of the benchmark, and a
 * child's CPU is counted once it has exited and been waited for. A jailed
 * QEMU's is read as it is destroyed (vm/qemu-cpu.ts): its jailer is not
 * waited for the way that would carry it here.
 */
export function cpuSeconds(): number {
  const c = cpuSplit();
  return c.self + c.children;
}

/** The same, split: this process (the server: sockets, runs, the pool) and its reaped children (gcc, QEMU). */
export function cpuSplit(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": field 3 is state; utime, stime, cutime, cstime are fields 14-17 (1-based in proc(5)).
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return { self: (utime! + stime!) / clockTicks(), children: (cutime! + cstime!) / clockTicks() + destroyedQemuCpuSeconds() };
}
