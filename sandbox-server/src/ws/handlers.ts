import { attackHandlers } from './attack-handlers.js';
import { roundHandlers } from './round-handlers.js';
import { runHandlers } from './run-handlers.js';
import type { Handlers, LearnerMessageType } from './session-context.js';
import { shellHandlers } from './shell-handlers.js';
import { workshopHandlers } from './workshop-handlers.js';
import { workspaceHandlers } from './workspace-handlers.js';

/** Every message a learner's socket may send after hello, and what answers it. */
export const handlers: Handlers<LearnerMessageType> = {
  ...runHandlers,
  ...workspaceHandlers,
  ...shellHandlers,
  ...workshopHandlers,
  ...attackHandlers,
  ...roundHandlers,
};
