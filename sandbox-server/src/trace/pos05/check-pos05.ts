import type { CheckTrace, Pos05Finding, Pos05Rule } from '@jaillab/protocol';
import { contentRules } from './content-rules.js';
import { placeRules } from './place-rules.js';
import { privilegeRules } from './privilege-rules.js';
import { type CheckerCourse, rulesFor } from './rules.js';
import { traceFacts } from './trace-facts.js';

/**
 * The POS05-C checker: a check's trace in, the rules the learner's program
 * broke out, each with the step that shows it and the lesson that teaches the
 * fix. It judges what the program did in this check's VM (a finding is
 * evidence, not a guess about the source), and only against the rules taught
 * up to the run's lesson.
 */
const CHECKS = { ...placeRules, ...privilegeRules, ...contentRules };

export function checkPos05(trace: CheckTrace, course: CheckerCourse): { findings: Pos05Finding[]; rules: Pos05Rule[] } {
  const facts = traceFacts(trace);
  const rules = rulesFor(course);
  const findings: Pos05Finding[] = [];
  for (const r of rules) {
    const hit = CHECKS[r.rule]?.(facts, trace);
    if (hit) findings.push({ rule: r.rule, title: r.title, explanation: hit.explanation, step: hit.step, lesson: r.lesson });
  }
  findings.sort((a, b) => (a.step ?? Infinity) - (b.step ?? Infinity));
  return { findings, rules: rules.map((r) => r.rule) };
}
