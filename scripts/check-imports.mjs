// The browser must never import back-end code (Compiler Explorer's rule): web/ may use
// npm packages and @jaillab/protocol, nothing from sandbox-server/. protocol/ itself
// must stay free of node:* and DOM so both ends can load it. The server is layered
// too: only vm/ knows QEMU, and the services reach execution through its seams.
// Run by `npm run check`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const problems = [];

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) yield p;
  }
}

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

function check(dir, rule) {
  for (const file of sources(join(root, dir))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const why = rule(spec, file);
      if (why) problems.push(`${relative(root, file)}: imports "${spec}": ${why}`);
    }
  }
}

check('web/src', (spec) => {
  if (/sandbox-server/.test(spec)) return 'the front end may not import back-end code';
  if (spec.startsWith('node:')) return 'the front end runs in a browser';
  return null;
});
check('protocol/src', (spec, file) => {
  if (file.endsWith('.test.ts') && spec === 'vitest') return null; // tests run in Node, never in the bundle
  if (spec.startsWith('node:')) return 'protocol/ is shared with the browser: no node:*';
  if (spec.startsWith('.') || spec === 'zod') return null;
  return 'protocol/ depends on zod only';
});

// Inside the server: which folder may import what of another. A rule names the folder it
// guards, the files of it others may use (its seams), and who is exempt.
const serverSrc = join(root, 'sandbox-server/src');
const SERVER_LAYERS = [
  {
    // QEMU (its process, command line, machine protocol, template, clones, jail) is vm/'s alone.
    folder: 'vm',
    seams: ['vm-backend.ts', 'pool.ts', 'guest-job.ts', 'guest-shell.ts', 'agent-channel.ts', 'accelerator.ts', 'template.ts', 'stale-run-dirs.ts'],
    exempt: [],
  },
  {
    // Nothing but execution/ speaks to VMs: runs and shells go through their executors.
    folder: 'vm',
    seams: [],
    only: ['runs', 'shell', 'ws', 'workshops'],
    exempt: [],
  },
  {
    // Runs, shells, sockets and workshops reach execution through its seams (RunExecutor, ShellExecutor and their
    // jobs), never its local or remote insides.
    folder: 'execution',
    seams: ['run-executor.ts', 'run-job.ts', 'shell-executor.ts', 'shell-job.ts', 'start-execution.ts', 'run-summary.ts'],
    only: ['runs', 'shell', 'ws', 'workshops'],
    exempt: [],
  },
];
for (const file of sources(serverSrc)) {
  const from = relative(serverSrc, file);
  if (/\.test\.ts$/.test(from)) continue; // a test may reach into what it tests
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const target = relative(serverSrc, join(file, '..', spec)).replace(/\.js$/, '.ts');
    for (const layer of SERVER_LAYERS) {
      const inside = (p) => p === layer.folder || p.startsWith(`${layer.folder}/`);
      if (!inside(target) || inside(from) || layer.exempt.includes(from)) continue;
      if (layer.only && !layer.only.some((f) => from.startsWith(`${f}/`))) continue;
      if (!layer.seams.some((s) => target === `${layer.folder}/${s}`))
        problems.push(
          layer.seams.length
            ? `sandbox-server/src/${from}: imports "${spec}": only ${layer.folder}/'s seams (${layer.seams.join(', ')}) may be used from outside it`
            : `sandbox-server/src/${from}: imports "${spec}": ${layer.only.join('/, ')}/ may not use ${layer.folder}/ at all`,
        );
    }
  }
}

if (problems.length) {
  console.error(`import rules broken:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('import rules hold: web/ does not import the back end; protocol/ depends on zod only; only vm/ knows QEMU; services reach execution through its seams and never vm/');
