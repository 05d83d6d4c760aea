import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileC, type CompileRequest, type CompileResult, compileKey } from './compile-c.js';

/**
 * Compiles by content hash. Probes and accomplices (`persist`) are kept on disk
 * and compiled once per toolchain; learners' programs are kept in a small
 * in-memory LRU, so pressing Run twice on the same code does not compile twice.
 * Identical compiles in flight at the same moment share one gcc.
 */
export class CompileCache {
  private readonly memory = new Map<string, CompileResult>();
  private readonly inFlight = new Map<string, Promise<CompileResult>>();

  constructor(
    private readonly diskDir: string,
    private readonly memoryEntries = 32,
    private readonly compile: (req: CompileRequest) => Promise<CompileResult> = compileC,
  ) {}

  /** The result if this exact compile is already in memory (no gcc, no wait), else null. */
  async peek(req: CompileRequest): Promise<CompileResult | null> {
    const hit = this.memory.get(await compileKey(req));
    return hit ? { ...hit, cached: true, durationMs: 0 } : null;
  }

  async get(req: CompileRequest, opts: { persist: boolean }): Promise<CompileResult> {
    const key = await compileKey(req);
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      return { ...hit, cached: true, durationMs: 0 };
    }
    const running = this.inFlight.get(key);
    if (running) return { ...(await running), cached: true };
    const work = (async () => {
      const fromDisk = opts.persist ? await this.readDisk(key) : null;
      if (fromDisk) return fromDisk;
      const result = await this.compile(req);
      if (opts.persist && result.ok) await this.writeDisk(key, result);
      return result;
    })();
    this.inFlight.set(key, work);
    try {
      const result = await work;
      this.remember(key, result);
      return result;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, result: CompileResult): void {
    this.memory.set(key, result);
    while (this.memory.size > this.memoryEntries) this.memory.delete(this.memory.keys().next().value!);
  }

  private async readDisk(key: string): Promise<CompileResult | null> {
    try {
      const meta = JSON.parse(await readFile(join(this.diskDir, `${key}.json`), 'utf8')) as Omit<CompileResult, 'binary'>;
      const binary = await readFile(join(this.diskDir, `${key}.bin`));
      return { ...meta, binary, cached: true, durationMs: 0 };
    } catch {
      return null;
    }
  }

  private async writeDisk(key: string, result: CompileResult): Promise<void> {
    await mkdir(this.diskDir, { recursive: true });
    const { binary, ...meta } = result;
    // Write then rename, so a concurrent reader never sees half a binary.
    const tmp = `.${key}.${process.pid}.tmp`;
    await writeFile(join(this.diskDir, tmp + '.bin'), binary!);
    await rename(join(this.diskDir, tmp + '.bin'), join(this.diskDir, `${key}.bin`));
    await writeFile(join(this.diskDir, tmp + '.json'), JSON.stringify(meta));
    await rename(join(this.diskDir, tmp + '.json'), join(this.diskDir, `${key}.json`));
  }
}
