import { JailLabClient } from '../src/client/jaillab-client.js';
import { fmtMs, median } from './stats.js';

export interface TraceBenchLesson {
  id: string;
  label: string;
  expected: string;
  runs: number;
}

/**
 * Run latency with the escape replay on and off, side by side: runs of the
 * same lesson alternate off/on (so a drift of the machine falls on both), each
 * from a fresh learner with a source the compile cache has never seen.
 */
/** Per lesson id: the p50 latency with the replay off and on. */
export async function traceBench(opts: { url: string; lessons: TraceBenchLesson[]; fresh: (lessonId: string, i: number) => string; report: (name: string, value: string) => void; tag: string }): Promise<Map<string, { off: number; on: number }>> {
  const out = new Map<string, { off: number; on: number }>();
  console.log(`\nescape replay: run latency with tracing off and on, alternating ${opts.tag}`);
  for (const lesson of opts.lessons) {
    const ms = { off: [] as number[], on: [] as number[] };
    let steps = 0;
    // Two warm-up runs (one each way), then `runs` of each.
    for (let i = 0; i < 2 * (lesson.runs + 1); i++) {
      const trace = i % 2 === 1;
      const client = await JailLabClient.connect(opts.url);
      const s = performance.now();
      const r = await client.run(lesson.id, opts.fresh(lesson.id, 9000 + i), { trace });
      const wall = performance.now() - s;
      client.close();
      if (r.finished.outcome !== lesson.expected) throw new Error(`${lesson.label}: unexpected outcome ${r.finished.outcome}: ${r.finished.message}`);
      const traces = r.events.filter((e) => e.type === 'check-trace');
      if (trace !== traces.length > 0) throw new Error(`${lesson.label}: a run with trace=${trace} sent ${traces.length} traces`);
      if (i < 2) continue;
      ms[trace ? 'on' : 'off'].push(wall);
      for (const t of traces) if (t.type === 'check-trace') steps += t.trace.steps.length;
    }
    const off = median(ms.off);
    const on = median(ms.on);
    opts.report(`${lesson.label}: Run → verdicts p50, tracing off / on`, `${fmtMs(off)} / ${fmtMs(on)}  (${(on / off).toFixed(2)}×) ${opts.tag}`);
    opts.report(`  steps recorded per traced run`, String(Math.round(steps / lesson.runs)));
    out.set(lesson.id, { off, on });
  }
  return out;
}
