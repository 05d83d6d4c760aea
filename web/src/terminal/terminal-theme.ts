import type { ITheme } from '@xterm/xterm';

/**
 * Terminal colours for the page's light and dark schemes. The background
 * matches the terminal pane in app CSS (--terminal-bg); ANSI colours are
 * chosen to stay readable on it (probes print plain text, gcc and our own
 * transcript lines use a few colours): each at least 4.5:1 on the background
 * (WCAG 1.4.3; the axe e2e audits a shell's colours).
 */
export const lightTerminalTheme: ITheme = {
  background: '#f7f8f9',
  foreground: '#1f2328',
  cursor: '#1f2328',
  selectionBackground: '#b6d4fe',
  black: '#1f2328',
  red: '#c0262d',
  green: '#1a7f37',
  yellow: '#9a6700',
  blue: '#0859c6',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#59636e',
  brightBlack: '#59636e',
  brightRed: '#a40e26',
  brightGreen: '#116329',
  brightYellow: '#7d4e00',
  brightBlue: '#0550ae',
  brightMagenta: '#6639ba',
  brightCyan: '#136061',
  brightWhite: '#656d76',
};

export const darkTerminalTheme: ITheme = {
  background: '#0f1115',
  foreground: '#d8dee9',
  cursor: '#d8dee9',
  selectionBackground: '#33415c',
  black: '#8b949e',
  red: '#ff7b72',
  green: '#56d364',
  yellow: '#e3b341',
  blue: '#79c0ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#b1bac4',
  brightBlack: '#8b949e',
  brightRed: '#ffa198',
  brightGreen: '#7ee787',
  brightYellow: '#f2cc60',
  brightBlue: '#a5d6ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#b3f0ff',
  brightWhite: '#f0f6fc',
};
