/** The instructor token of the e2e suite's remote-mode server (playwright.config.ts gives it to the server). */
export const REMOTE_INSTRUCTOR_TOKEN = 'e2e-remote-instructor-token-0123';
