import { useEffect, useRef, useState } from 'react';
import { RUN_SHORTCUT_TEXT } from '../lesson/run-shortcut.js';

/** Every key the app adds or relies on, where it works, in the words the page uses elsewhere. */
const KEYS: ReadonlyArray<{ keys: string; where: string; does: string }> = [
  { keys: 'Tab, Shift+Tab', where: 'anywhere', does: 'next or previous control; the first Tab offers “Skip to main content”' },
  { keys: RUN_SHORTCUT_TEXT, where: 'a lesson, anywhere', does: 'Run (again): compile the jail and let the probes try it' },
  { keys: 'F6, Shift+F6', where: 'a lesson, anywhere', does: 'next or previous pane: lesson text, checks, editor, terminals' },
  { keys: 'Ctrl+M', where: 'the editor', does: 'Tab moves focus instead of indenting (press again to indent)' },
  { keys: 'F8, Shift+F8', where: 'the editor', does: 'next or previous compile error' },
  { keys: 'Tab, Escape', where: 'the run output', does: 'leave the terminal (it takes no input)' },
  { keys: 'F6', where: 'the interactive shell', does: 'leave the shell (Tab and Escape belong to it)' },
  { keys: '← →, Home, End', where: 'the terminal tabs', does: 'switch between Run output and Interactive shell' },
  { keys: 'Arrow keys (Shift: bigger steps), Home, End', where: 'a splitter', does: 'resize the panes' },
  { keys: 'Arrow keys, Home, End, Enter', where: 'the workshop dashboard', does: 'move between students’ cells; Enter drops in' },
  { keys: 'Escape', where: 'a dialog (replay, this list), the outline on a narrow screen', does: 'close it; focus goes back where it was' },
];

/**
 * The keyboard's map of the app, from a button in the top bar: a modal
 * dialog (Escape closes it and the browser gives focus back to the button).
 */
export function KeyboardHelp() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (open && d && !d.open) d.showModal();
  }, [open]);
  return (
    <>
      <button type="button" className="button button-quiet keyboard-help-open" data-testid="keyboard-help-open" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Keyboard
      </button>
      {open && (
        <dialog ref={ref} className="keyboard-help" data-testid="keyboard-help" aria-labelledby="keyboard-help-title" onClose={() => setOpen(false)}>
          <header className="keyboard-help-header">
            <h2 id="keyboard-help-title">Keyboard</h2>
            <button type="button" className="button button-quiet" onClick={() => ref.current?.close()}>
              Close
            </button>
          </header>
          <table className="keyboard-help-table">
            <caption className="visually-hidden">Keys and what they do</caption>
            <thead>
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">Where</th>
                <th scope="col">What they do</th>
              </tr>
            </thead>
            <tbody>
              {KEYS.map((k) => (
                <tr key={`${k.keys} ${k.where}`}>
                  <th scope="row">
                    <kbd>{k.keys}</kbd>
                  </th>
                  <td>{k.where}</td>
                  <td>{k.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </dialog>
      )}
    </>
  );
}
