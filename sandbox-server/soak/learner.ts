import { JailLabClient, type RunResult, ServerError } from '../src/client/jaillab-client.js';
import { firstSolution, firstStarter, programThat } from '../test/lesson-sources.js';

/**
 * One simulated learner: presses Run with good code, with bad programs, and
 * now and then drops the connection mid-run and comes back to watch the run
 * finish, until the soak's deadline. Everything it sees is counted.
 */
export const LESSON = 'first-jail/a-jail-that-leaks';

export interface Tally {
  runs: number;
  outcomes: Map<string, number>;
  errors: Map<string, number>;
  /** Run pressed → finished, ms. */
  latencies: number[];
  /** Run pressed → compile started (the time spent in the run queue), ms. */
  queueWaits: number[];
  reconnects: number;
}

export const newTally = (): Tally => ({ runs: 0, outcomes: new Map(), errors: new Map(), latencies: [], queueWaits: [], reconnects: 0 });
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

const BAD_PROGRAMS: Array<[string, () => string]> = [
  ['loops forever', () => programThat('for (;;) {}')],
  ['fork bomb', () => programThat('for (;;) fork();')],
  ['floods output', () => programThat('for (;;) puts("spam spam spam spam spam spam spam spam");')],
  ['eats memory', () => programThat('for (;;) { char *p = malloc(1 << 20); if (p) memset(p, 1, 1 << 20); }')],
  ['does not compile', () => 'int main(void) { return missing; }'],
  ['leaky jail', () => firstStarter()],
];

/** A student of a workshop: joins with the code under this name first, and comes back with the door pass. */
export interface Seat {
  code: string;
  name: string;
}

export async function simulateLearner(url: string, deadline: number, rand: () => number, tally: Tally, seat?: Seat): Promise<void> {
  let client = await JailLabClient.connect(url);
  const token = client.welcome.learnerToken!;
  let doorPass: string | undefined;
  if (seat) doorPass = (await client.request({ type: 'workshop-join', code: seat.code, name: seat.name }, 'workshop-joined')).doorPass;
  const again = (): Promise<JailLabClient> => JailLabClient.connect(url, { learnerToken: token, ...(doorPass ? { doorPass } : {}) });
  const timeoutMs = Number(process.env.SOAK_RUN_TIMEOUT_MS ?? 180_000);
  while (Date.now() < deadline) {
    const roll = rand();
    const [kind, source] = roll < 0.5 ? ['good', firstSolution()] : roll < 0.85 ? (() => { const [k, s] = BAD_PROGRAMS[Math.floor(rand() * BAD_PROGRAMS.length)]!; return [k, s()]; })() : ['reconnect mid-run', firstSolution()];
    const pressed = Date.now();
    let queueWait: number | null = null;
    let runId = '';
    try {
      let reconnect: Promise<RunResult> | null = null;
      const run = client.run(LESSON, source, {
        onEvent: (e) => {
          if (e.type === 'created') runId = e.runId;
          if (e.type === 'compile-started' && queueWait === null) queueWait = Date.now() - pressed;
          // Drop the connection once the first check is under way, come back, and watch the run to its end.
          if (kind === 'reconnect mid-run' && e.type === 'check-started' && !reconnect) {
            client.close();
            tally.reconnects++;
            reconnect = again().then((c) => {
              client = c;
              return c.watch(runId);
            });
          }
        },
      });
      // The first socket's run ends either way (closed under it, or finished just before the close took
      // effect); after a reconnect, the verdicts that count are the ones the new socket watched arrive.
      const first = await withTimeout(run.then((r) => r, (e: Error) => (reconnect ? null : Promise.reject(e))), timeoutMs);
      const result = reconnect ? await withTimeout<RunResult>(reconnect, timeoutMs) : first!;
      tally.runs++;
      bump(tally.outcomes, `${kind}: ${result.finished.outcome}`);
      if (result.finished.outcome === 'error') bump(tally.errors, `run error: ${result.finished.message.slice(0, 80)}`);
      tally.latencies.push(Date.now() - pressed);
      if (queueWait !== null) tally.queueWaits.push(queueWait);
    } catch (e) {
      bump(tally.errors, e instanceof ServerError ? `server said ${e.code}` : `client: ${(e as Error).message.slice(0, 60)}`);
      client.close();
      client = await again();
    }
    // A learner reads the verdicts before pressing Run again.
    await new Promise((r) => setTimeout(r, 1000 + rand() * 3000));
  }
  client.close();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('no verdict within the timeout')), ms).unref())]);
}
