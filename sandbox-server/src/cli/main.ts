import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExtraProbe, RunEvent } from '@jaillab/protocol';
import { JailLabClient } from '../client/jaillab-client.js';
import { loadConfig } from '../config/config.js';
import { INSTRUCTOR_TOKEN_FILE, loadInstructorToken } from '../config/instructor-token.js';
import { createApp } from '../server.js';
import { runReport } from './run-report.js';

const USAGE = `usage: npm run jaillab -- run --lesson <id> --source <file.c> [--probe <probe.c> ...] [--json] [--no-trace] [--server <url>]

  Runs a jail program against a lesson's checks in a real VM, through the same
  socket API the browser uses. Without --server it starts a private server for
  the run. --probe adds an escape probe of your own (it may #include "probe.h").
  Every check is traced (its escape replay and POS05-C findings are in --json);
  --no-trace runs without the tracer.
  Exit status: 0 passed, 1 failed (escaped or service failed), 2 anything else.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      lesson: { type: 'string' },
      source: { type: 'string' },
      probe: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'no-trace': { type: 'boolean', default: false },
      server: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals[0] !== 'run' || !values.lesson || !values.source) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  // npm runs workspace scripts in the workspace folder; paths are meant from where the user typed the command.
  const fromUser = (p: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), p);
  const source = await readFile(fromUser(values.source), 'utf8');
  const extraProbes: ExtraProbe[] = await Promise.all(
    (values.probe ?? []).map(async (p) => ({ name: basename(p, '.c').toLowerCase().replace(/[^a-z0-9-]+/g, '-'), source: await readFile(fromUser(p), 'utf8') })),
  );
  const say = (line: string): void => void (values.json ? process.stderr.write(line + '\n') : console.log(line));

  const config = loadConfig(process.env, values.server ? {} : { port: 0, host: '127.0.0.1' });
  const app = values.server ? null : await createApp(config, (l) => process.stderr.write(`${l}\n`));
  const url = values.server ?? app!.url;
  const instructorToken = extraProbes.length
    ? (config.instructorToken ?? (await readFile(join(config.dataDir, INSTRUCTOR_TOKEN_FILE), 'utf8').catch(() => null))?.trim() ?? (await loadInstructorToken(config)))
    : undefined;
  const client = await JailLabClient.connect(url, instructorToken ? { instructorToken } : {});
  try {
    const result = await client.run(values.lesson, source, {
      ...(extraProbes.length ? { extraProbes } : {}),
      trace: !values['no-trace'],
      onEvent: (e: RunEvent) => {
        if (values.json) return;
        if (e.type === 'check-trace') say(`── replay: ${e.trace.steps.length} steps${e.trace.truncated ? ` (truncated after ${e.trace.truncated.afterSteps})` : ''}`);
        for (const f of e.type === 'check-findings' ? e.findings : []) say(`── POS05-C: ${f.title}${f.step === null ? '' : ` (step ${f.step + 1})`}: ${f.explanation}`);
        if (e.type === 'compile-finished' && e.text) say(e.text);
        if (e.type === 'check-started') say(`\n── check ${e.index} ──`);
        if (e.type === 'check-finished') say(`── ${e.verdict.toUpperCase()}: ${e.reason}${e.evidence ? `\n   evidence: ${e.evidence}` : ''}`);
        if (e.type === 'vm-fault') say(`!! ${e.message}`);
      },
      onOutput: (_i, data) => {
        if (!values.json) process.stdout.write(data);
      },
    });
    if (values.json) console.log(JSON.stringify(runReport(result), null, 2));
    else say(`\n${result.finished.message} (${result.finished.accelerator ?? 'no VM'}, ${result.finished.durationMs} ms)`);
    return result.finished.outcome === 'passed' ? 0 : result.finished.outcome === 'failed' ? 1 : 2;
  } finally {
    client.close();
    await app?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`jaillab: ${e.message}`);
    process.exit(2);
  },
);
