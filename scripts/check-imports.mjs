// The browser must never import back-end code (Compiler Explorer's rule): web/ may use
// npm packages and @jaillab/protocol, nothing from sandbox-server/. protocol/ itself
// must stay free of node:* and DOM so both ends can load it. Run by `npm run check`.
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

if (problems.length) {
  console.error(`import rules broken:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('import rules hold: web/ does not import the back end; protocol/ depends on zod only');
