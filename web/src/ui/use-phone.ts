import { useMediaQuery } from './use-media-query.js';

/**
 * A phone-sized screen. There the workspace is read-only: the lesson, the
 * checks and the learner's code can be read, but editing C and driving a
 * shell want a keyboard and a bigger screen.
 */
export function useIsPhone(): boolean {
  return useMediaQuery('(max-width: 600px)');
}
