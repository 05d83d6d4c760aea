import { z } from 'zod';

/** Lesson ids are their folder path below lessons/, e.g. `01-first-jail/01-a-jail-that-leaks`. */
export const LessonId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/, 'a lesson id is lowercase words joined by - and /');
export type LessonId = z.infer<typeof LessonId>;

/** Probe ids name a folder in lessons/probes/ (or a lesson's own probes/). */
export const ProbeId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a probe id is lowercase words joined by -');
export type ProbeId = z.infer<typeof ProbeId>;

/** Server-issued run ids: opaque, URL-safe. */
export const RunId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export type RunId = z.infer<typeof RunId>;

export const Accelerator = z.enum(['kvm', 'tcg']).describe('kvm: hardware virtualisation; tcg: QEMU software emulation');
export type Accelerator = z.infer<typeof Accelerator>;
