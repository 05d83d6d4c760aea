import type { LessonStatus } from '@jaillab/protocol';
import { useSyncExternalStore } from 'react';
import type { Progress } from '../api/workspace-client.js';
import { useConnection } from './connection.js';

/** The learner's status per lesson, as the server last said (kept through reconnects, updated after every run). */
export function useProgress(): Progress {
  const { workspace } = useConnection();
  return useSyncExternalStore(
    (onChange) => workspace.progressChanged.on(onChange),
    () => workspace.progress,
  );
}

/**
 * Words for screen readers and titles. A pass is "passed", not "all probes contained": a lesson may pass with
 * probes still open on purpose (closed in a later lesson, the pivot_root lesson's `closedIn`).
 */
export const STATUS_LABEL: Record<LessonStatus, string> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  passed: 'passed',
};
