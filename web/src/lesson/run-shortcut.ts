const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The keys that run the checks, as this platform writes them: on the Run button's key cap, and in a sentence. */
export const RUN_SHORTCUT = isMac ? '⌘ Enter' : 'Ctrl Enter';
export const RUN_SHORTCUT_TEXT = isMac ? '⌘+Enter' : 'Ctrl+Enter';
