/**
 * The one place Monaco is set up. Everything comes from this bundle — no CDN,
 * no AMD loader: the server's CSP allows scripts and workers from 'self' only.
 *
 * Monaco 0.57's ESM layout lets us take just what we use: the editor API, the
 * C tokenizer (the `cpp` definition registers `c`) and a chosen set of editing
 * features, instead of `monaco-editor` (all languages, TypeScript/CSS/HTML/JSON
 * services and their big workers). Add a feature here when a lesson needs it.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

// Editing features (each registers itself with the editor on import).
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
// "Compare with solution": the side-by-side diff editor.
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/quickCommand/register';
import 'monaco-editor/features/smartSelect/register';
// Ctrl+M: Tab moves focus out of the editor instead of indenting (keyboard users).
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
// C: tokenizer, brackets, comments (Monaco asks for it when the first C model appears).
import 'monaco-editor/languages/definitions/cpp/register';

/**
 * Monaco asks for a worker by label; C has no language service, so every label
 * gets the plain editor worker (diffing, word ranges), bundled by Vite as its
 * own file under /assets.
 */
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker({ name: 'monaco-editor-worker' }),
};

export const LIGHT_THEME = 'jaillab-light';
export const DARK_THEME = 'jaillab-dark';

// Monaco's own themes, with the editor background matched to the page's panels.
/**
 * The solution diff's colours. Monaco's own tint a changed line and, darker, its changed characters: the comment
 * green (and the number and type colours) fell below AA on the darker tint (3.9:1), seen once the diff opened at
 * its first change. Here a changed line keeps a faint tint (every token at 4.5:1 or more on it), changed
 * characters get a border instead of a second tint, and the − / + signs say which is which.
 */
const LIGHT_DIFF = {
  'diffEditor.insertedLineBackground': '#f5fbf0',
  'diffEditor.removedLineBackground': '#fef7f7',
  'diffEditor.insertedTextBackground': '#00000000',
  'diffEditor.removedTextBackground': '#00000000',
  'diffEditor.insertedTextBorder': '#3f8f3f',
  'diffEditor.removedTextBorder': '#c24141',
};
const DARK_DIFF = {
  'diffEditor.insertedLineBackground': '#1a2620',
  'diffEditor.removedLineBackground': '#2a1a1c',
  'diffEditor.insertedTextBackground': '#00000000',
  'diffEditor.removedTextBackground': '#00000000',
  'diffEditor.insertedTextBorder': '#6a9955',
  'diffEditor.removedTextBorder': '#d16969',
};

monaco.editor.defineTheme(LIGHT_THEME, { base: 'vs', inherit: true, rules: [], colors: { 'editor.background': '#ffffff', ...LIGHT_DIFF } });
monaco.editor.defineTheme(DARK_THEME, {
  base: 'vs-dark',
  inherit: true,
  // vs-dark's comment green is 4.48:1 on our background, just under AA (WCAG 1.4.3): VS Code's Dark+ green is 5.3:1.
  rules: [{ token: 'comment', foreground: '6a9955' }],
  colors: { 'editor.background': '#16181d', 'editorGutter.background': '#16181d', ...DARK_DIFF },
});

export { monaco };
