/**
 * Generated client messages for the protocol fuzz test: mostly near-misses of
 * valid messages (right type, wrong fields), some valid, some garbage. Seeded,
 * so a failure can be replayed with the same seed.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['hello', 'run', 'cancel', 'watch', 'ack', 'welcome', 'error', '', 'HELLO', '__proto__', 'constructor'];
const KEYS = ['type', 'requestId', 'lessonId', 'source', 'runId', 'bytes', 'learnerToken', 'instructorToken', 'extraProbes', 'name', '__proto__', 'constructor'];

export function generateMessage(rand: () => number, realLesson: string): string | Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number): number => Math.floor(rand() * n);
  const str = (): string => {
    switch (int(8)) {
      case 0:
        return '';
      case 1:
        return 'x'.repeat(int(300));
      case 2:
        return String.fromCharCode(...Array.from({ length: int(40) }, () => int(0x10000))); // lone surrogates included
      case 3:
        return `r_${'A'.repeat(int(20))}`;
      case 4:
        return '../../etc/passwd';
      case 5:
        return realLesson;
      case 6:
        return 'A'.repeat(32 + int(40));
      default:
        return Math.random().toString(36);
    }
  };
  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 5 : 8)) {
      case 0:
        return str();
      case 1:
        return pick([0, -1, 1e308, -1e308, 2 ** 53, 1 << 30, 0.5, Number.MAX_SAFE_INTEGER]);
      case 2:
        return pick([true, false, null]);
      case 3:
        return pick(TYPES);
      case 4:
        return int(100_000);
      case 5:
        return Array.from({ length: int(12) }, () => value(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: int(6) }, () => [pick(KEYS), value(depth + 1)]));
    }
  };
  const kind = int(20);
  if (kind === 0) return Buffer.from(Array.from({ length: int(64) }, () => int(256)));
  if (kind === 1) return JSON.stringify(value(0)).slice(0, int(50)); // cut short
  if (kind === 2) return JSON.stringify(value(0));
  const msg: Record<string, unknown> = { type: pick(TYPES) };
  for (let i = int(5); i > 0; i--) msg[pick(KEYS)] = value(1);
  if (kind === 3) msg['type'] = 'hello';
  if (kind === 4) Object.assign(msg, { type: 'ack', bytes: pick([0, 1, 1 << 30, -5, 1.5, 1e12]) });
  // A run of a real lesson now and then: the server really starts, compiles and supersedes runs under fire
  // (code that does not compile, so the queue is not filled with VM work the fuzzer never waits for).
  if (kind === 5 && int(10) === 0) Object.assign(msg, { type: 'run', requestId: 'fz', lessonId: realLesson, source: `int main(void) { return missing${int(1000)}; }` });
  return JSON.stringify(msg);
}
