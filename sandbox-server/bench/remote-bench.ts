import { JailLabClient } from '../src/client/jaillab-client.js';
import { startRemoteCluster } from '../test/remote-cluster.js';
import { machineBusySeconds } from './machine-cpu.js';
import { fmtMs, median, percentile } from './stats.js';

type Report = (name: string, value: string) => void;

/**
 * Local against remote, side by side: the same runs alternately on this
 * process's VMs and through Redis on a runner process on this machine (the
 * remote path's own cost: the job, the stream, the extra process), then a
 * classroom burst over two runner processes.
 */
export async function remoteBench(o: {
  localUrl: string;
  lessons: Array<{ id: string; label: string; expected: string; runs: number }>;
  fresh: (lessonId: string, i: number) => string;
  burst: { lessonId: string; learners: number };
  slots: number;
  report: Report;
}): Promise<void> {
  const { report } = o;
  const one = await startRemoteCluster({ runners: ['bench-runner'], slotsPerRunner: o.slots });
  try {
    for (const lesson of o.lessons) {
      console.log(`\n${lesson.label}: local vs remote (one runner on this machine), alternating`);
      const times = { local: [] as number[], remote: [] as number[] };
      for (let i = 0; i < lesson.runs + 1; i++)
        for (const [where, url] of [['local', o.localUrl], ['remote', one.server.url]] as const) {
          const c = await JailLabClient.connect(url);
          const s = performance.now();
          const r = await c.run(lesson.id, o.fresh(lesson.id, 20_000 + i * 2 + (where === 'remote' ? 1 : 0)));
          const ms = performance.now() - s;
          c.close();
          if (r.finished.outcome !== lesson.expected) throw new Error(`${where}: unexpected outcome ${r.finished.outcome}: ${r.finished.message}`);
          if (i > 0) times[where].push(ms); // the first of each warms the runner's TCG and caches
        }
      report('Run → verdicts p50, local / remote', `${fmtMs(median(times.local))} / ${fmtMs(median(times.remote))}`);
      report('  p95, local / remote', `${fmtMs(percentile(times.local, 95))} / ${fmtMs(percentile(times.remote, 95))}`);
      report('  remote / local (p50 ratio)', `${(median(times.remote) / median(times.local)).toFixed(2)}×`);
    }
  } finally {
    await one.stop();
  }

  const two = await startRemoteCluster({ runners: ['runner-a', 'runner-b'], slotsPerRunner: Math.max(1, Math.floor(o.slots / 2)) });
  try {
    const n = o.burst.learners;
    console.log(`\nclassroom burst over two runner processes (${Math.max(1, Math.floor(o.slots / 2))} slot(s) each), remote`);
    const clients = await Promise.all(Array.from({ length: n }, () => JailLabClient.connect(two.server.url)));
    const cpu0 = machineBusySeconds();
    const s = performance.now();
    const done = await Promise.all(
      clients.map(async (c, i) => {
        const started = performance.now();
        try {
          const r = await c.run(o.burst.lessonId, o.fresh(o.burst.lessonId, 30_000 + i));
          const runner = r.events.find((e) => e.type === 'vm-ready');
          return { ms: performance.now() - started, ok: r.finished.outcome === 'passed' || r.finished.outcome === 'failed', runner: runner?.type === 'vm-ready' ? runner.runner : undefined };
        } catch {
          return { ms: performance.now() - started, ok: false, runner: undefined };
        }
      }),
    );
    const totalS = (performance.now() - s) / 1000;
    for (const c of clients) c.close();
    const ms = done.map((d) => d.ms);
    report(`${n} learners press Run together: p50 / p95 / last`, `${fmtMs(median(ms))} / ${fmtMs(percentile(ms, 95))} / ${fmtMs(Math.max(...ms))}`);
    report('  runs per second; machine CPU seconds per run', `${(n / totalS).toFixed(2)}/s; ${((machineBusySeconds() - cpu0) / n).toFixed(2)} s`);
    const per = new Map<string, number>();
    for (const d of done) per.set(d.runner ?? '?', (per.get(d.runner ?? '?') ?? 0) + 1);
    report('  runs per runner', [...per].map(([k, v]) => `${k} ${v}`).join(', '));
    report('  errors', String(done.filter((d) => !d.ok).length));
  } finally {
    await two.stop();
  }
}
