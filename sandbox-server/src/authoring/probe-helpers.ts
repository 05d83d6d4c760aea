import type { ProbeHelper } from '@jaillab/protocol';

/**
 * The helpers of probe.h, documented from the comment written above each:
 * the probe editor lists them, so the page never says less (or other) than
 * the header the probes really compile against. A helper without a comment
 * is listed with its declaration only.
 */
export function probeHelpers(header: string): ProbeHelper[] {
  const out: ProbeHelper[] = [];
  const decl = /(?:\/\*((?:[^*]|\*(?!\/))*)\*\/\s*)?static\s+__attribute__\(\(unused\)\)\s+([^{;=]*?\b(\w+)\s*\([^)]*\))\s*\{/g;
  for (const m of header.matchAll(decl)) {
    const doc = (m[1] ?? '')
      .split('\n')
      .map((l) => l.replace(/^\s*\*?\s?/, '').trimEnd())
      .join('\n')
      .trim()
      .replace(/\n(?!\n)/g, ' ');
    out.push({ name: m[3]!, signature: m[2]!.replace(/\s+/g, ' ').trim(), doc });
  }
  return out;
}
