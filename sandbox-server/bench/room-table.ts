import { fmtMs } from './stats.js';

/**
 * The summary of `npm run bench` for a room: the rows the capstone's goals are
 * set in (a 2-core TCG host), each with its goal, from the sections above.
 */
interface Alone {
  p50: number;
  cpuPerRun: number;
  floor: number;
}
interface Burst {
  p50: number;
  last: number;
  cpuPerRun: number;
  othersLast?: number;
  hangingMs?: number[];
}

export function roomTable(m: {
  accelerator: string;
  burst: number;
  alone: Map<string, Alone>;
  replay: Map<string, { off: number; on: number }>;
  bursts: Map<string, Burst>;
  capstone: string;
  lesson: string;
}): string {
  const cap = m.alone.get(m.capstone);
  const one = m.alone.get(m.lesson);
  const capBurst = m.bursts.get(m.capstone);
  const oneBurst = m.bursts.get(m.lesson);
  const hang = m.bursts.get('hang');
  const replay = m.replay.get(m.capstone);
  const na = 'not measured';
  const rows: Array<[string, string, string]> = [
    [`${m.burst} students press Run on the capstone together (own code each): last verdict`, capBurst ? `${fmtMs(capBurst.last)}, p50 ${fmtMs(capBurst.p50)}` : na, '≤ 25 s'],
    ['capstone, CPU seconds per run (server, gcc, QEMU): alone / in the burst', cap && capBurst ? `${cap.cpuPerRun.toFixed(2)} s / ${capBurst.cpuPerRun.toFixed(2)} s` : na, '≤ 1.2 s'],
    ['capstone, one learner alone: Run → all verdicts p50', cap ? `${fmtMs(cap.p50)}, ${(cap.p50 / cap.floor).toFixed(2)}× the native floor of ${fmtMs(cap.floor)}` : na, '≤ 1.5 s'],
    ["escape replay's cost on the capstone (tracing on / off)", replay ? `${fmtMs(replay.on)} / ${fmtMs(replay.off)} = ${(replay.on / replay.off).toFixed(2)}×` : na, '≤ 1.15×'],
    [`${m.burst} students on lesson 1: last verdict`, oneBurst ? `${fmtMs(oneBurst.last)}, ${oneBurst.cpuPerRun.toFixed(2)} CPU-s a run` : na, '≤ 6 s'],
    ['lesson 1 alone, Run in a VM / native floor', one ? `${(one.p50 / one.floor).toFixed(2)}× (${fmtMs(one.p50)} / ${fmtMs(one.floor)})` : na, '≤ 2×'],
    [
      `the capstone burst with ${hang?.hangingMs?.length ?? 0} programs that hang: the others' last verdict; slot held per hanging run`,
      hang?.othersLast !== undefined ? `${fmtMs(hang.othersLast)}; ${(hang.hangingMs ?? []).map(fmtMs).join(', ')}` : na,
      'bounded',
    ],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  const v = Math.max(...rows.map((r) => r[1].length));
  return [`the capstone for a room [${m.accelerator}]`, ...rows.map(([name, value, goal]) => `  ${name.padEnd(w)}  ${value.padEnd(v)}  goal ${goal}`)].join('\n');
}
