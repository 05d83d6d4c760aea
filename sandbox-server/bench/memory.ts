import { readFileSync } from 'node:fs';

/** Private memory of a process (what it costs beyond pages shared with others), in MiB. */
export function privateMiB(pid: number): number {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  let kib = 0;
  for (const line of text.split('\n')) if (line.startsWith('Private_')) kib += Number(line.split(/\s+/)[1]);
  return kib / 1024;
}

/** Proportional set size: shared pages split between the processes that map them, in MiB. */
export function pssMiB(pid: number): number {
  const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
