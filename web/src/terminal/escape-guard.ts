import type { IDisposable, Terminal } from '@xterm/xterm';

/**
 * Learners' programs (and probes) print whatever bytes they like into the
 * terminal, on purpose or not. Colours, cursor moves and clearing are fine;
 * what is not: escape sequences that act outside the terminal's text (window
 * title, clipboard via OSC 52, palette, hyperlinks, desktop notifications) and
 * queries the terminal would answer on its input (cursor position, device
 * attributes, settings): once a shell is attached, such an answer would type
 * into it for the program. Those are swallowed here, in xterm's own parser,
 * so a sequence split across output frames is caught as well as a whole one.
 */

/** OSC numbers swallowed: titles, colours, hyperlinks, clipboard, notifications, shell integration, images. */
export const BLOCKED_OSC = [0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 46, 50, 51, 52, 104, 105, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 133, 633, 777, 1337];

/** Control sequences the terminal would answer (or that act on the window): DSR, DA1-3, DECRQM, XTWINOPS, XTVERSION. */
const BLOCKED_CSI: Array<{ prefix?: string; intermediates?: string; final: string }> = [
  { final: 'n' },
  { prefix: '?', final: 'n' },
  { final: 'c' },
  { prefix: '>', final: 'c' },
  { prefix: '=', final: 'c' },
  { intermediates: '$', final: 'p' },
  { prefix: '?', intermediates: '$', final: 'p' },
  { final: 't' },
  { prefix: '>', final: 'q' },
];

/** Device control strings that request settings or capabilities back: DECRQSS, XTGETTCAP. */
const BLOCKED_DCS = [
  { intermediates: '$', final: 'q' },
  { intermediates: '+', final: 'q' },
];

const swallow = (): boolean => true;

export function guardAgainstEscapes(term: Pick<Terminal, 'parser'>): IDisposable {
  const handlers: IDisposable[] = [
    ...BLOCKED_OSC.map((id) => term.parser.registerOscHandler(id, swallow)),
    ...BLOCKED_CSI.map((id) => term.parser.registerCsiHandler(id, swallow)),
    ...BLOCKED_DCS.map((id) => term.parser.registerDcsHandler(id, swallow)),
  ];
  return { dispose: () => handlers.forEach((h) => h.dispose()) };
}
