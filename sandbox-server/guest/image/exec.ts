import { spawn } from 'node:child_process';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/** Runs a command to completion, collecting output; rejects with the command's stderr when it fails. */
export async function exec(cmd: string, args: string[], opts: { cwd?: string; input?: Buffer; allowFailure?: boolean } = {}): Promise<ExecResult> {
  return await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out), stderr: err, code };
      if (code !== 0 && !opts.allowFailure) reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err.trim().slice(-2000)}`));
      else resolve(result);
    });
    // A reader may stop early on purpose (xz --single-stream leaves the bytes after its stream unread):
    // the EPIPE that follows is not a failure; the exit code says whether the command did its job.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') reject(new Error(`${cmd}: writing its input: ${e.message}`));
    });
    child.stdin.end(opts.input);
  });
}
