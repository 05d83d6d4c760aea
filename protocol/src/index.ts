export * from './ids.js';
export * from './limits.js';
export * from './run-events.js';
export * from './socket-messages.js';
export * from './output-frame.js';
export * from './lesson.js';
export * from './workspace-messages.js';
export * from './shell-messages.js';
