import { execFileSync } from 'node:child_process';

let ticks: number | null = null;

/** USER_HZ, the unit of the CPU times in /proc/PID/stat (100 on every Linux we know, but asked, not assumed). */
export function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticks;
}
