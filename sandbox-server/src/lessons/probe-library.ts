import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProbeFrontMatter, ProbeId } from '@jaillab/protocol';
import { marked } from 'marked';
import type { Problems } from './content-error.js';
import { parseFrontMatter } from './front-matter.js';

/**
 * lessons/probes/<id>/: probe.md (front matter + explanation for learners),
 * probe.c, and optionally accomplice.c (a helper started outside the jail).
 * probe.h beside them is shared by all probes.
 */
export interface Probe {
  id: string;
  meta: ProbeFrontMatter;
  /** The explanation, rendered. */
  html: string;
  source: string;
  accompliceSource: string | null;
}

export interface ProbeLibrary {
  probes: Map<string, Probe>;
  /** probe.h, compiled beside every probe. */
  header: string;
}

export async function loadProbeLibrary(dir: string, problems: Problems): Promise<ProbeLibrary> {
  const probes = new Map<string, Probe>();
  const headerPath = join(dir, 'probe.h');
  if (!existsSync(headerPath)) problems.add(headerPath, 'missing: every probe includes it');
  const header = existsSync(headerPath) ? await readFile(headerPath, 'utf8') : '';
  for (const entry of (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const probeDir = join(dir, entry.name);
    if (!ProbeId.safeParse(entry.name).success) {
      problems.add(probeDir, 'a probe folder name is its id: lowercase words joined by -');
      continue;
    }
    const mdPath = join(probeDir, 'probe.md');
    const cPath = join(probeDir, 'probe.c');
    if (!existsSync(mdPath)) problems.add(mdPath, 'missing');
    if (!existsSync(cPath)) problems.add(cPath, 'missing');
    if (!existsSync(mdPath) || !existsSync(cPath)) continue;
    const { data, body } = parseFrontMatter(await readFile(mdPath, 'utf8'), ProbeFrontMatter, mdPath, problems);
    if (!data) continue;
    if (!body.trim()) problems.add(mdPath, 'needs an explanation for learners below the front matter');
    if (data.kind === 'service' && data.plant.length === 0) problems.add(mdPath, 'plant: a service check needs at least one planted file to prove it did its job');
    const accPath = join(probeDir, 'accomplice.c');
    if (existsSync(accPath) && !data.accomplice) problems.add(mdPath, 'accomplice: this probe has an accomplice.c: say what it does');
    if (!existsSync(accPath) && data.accomplice) problems.add(mdPath, `accomplice: no ${accPath} to go with it`);
    if (data.race && !existsSync(accPath)) problems.add(mdPath, 'race: a race is won by the accomplice on cue; this probe has no accomplice.c');
    if (data.accompliceStarts === 'with-probe' && !existsSync(accPath)) problems.add(mdPath, 'accompliceStarts: this probe has no accomplice.c');
    if (data.accompliceStarts === 'with-probe' && data.race) problems.add(mdPath, 'accompliceStarts: a race is won while the jail program runs: its accomplice starts before the program');
    probes.set(entry.name, {
      id: entry.name,
      meta: data,
      html: await marked.parse(body, { async: true }),
      source: await readFile(cPath, 'utf8'),
      accompliceSource: existsSync(accPath) ? await readFile(accPath, 'utf8') : null,
    });
  }
  return { probes, header };
}
