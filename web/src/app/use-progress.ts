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

export const STATUS_LABEL: Record<LessonStatus, string> = {
  'not-started': 'not started',
  'in-progress': 'in progress',
  passed: 'all probes contained',
};
