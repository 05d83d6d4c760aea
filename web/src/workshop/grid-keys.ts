/** A cell of the room grid: student row, lesson column. */
export interface GridAt {
  row: number;
  col: number;
}

/**
 * Where an arrow key (or Home/End, Ctrl+Home/End) takes the focus in a grid
 * of `rows` × `cols` cells, as the WAI-ARIA grid pattern moves it: one
 * step, stopping at the edges; Home/End to the row's ends, with Ctrl to the
 * grid's corners. Null for any other key (the browser keeps it: Enter and
 * Space press the cell's button).
 */
export function gridMove(key: string, ctrl: boolean, at: GridAt, rows: number, cols: number): GridAt | null {
  const clamp = (n: number, size: number): number => Math.max(0, Math.min(size - 1, n));
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(at.row - 1, rows), col: at.col };
    case 'ArrowDown':
      return { row: clamp(at.row + 1, rows), col: at.col };
    case 'ArrowLeft':
      return { row: at.row, col: clamp(at.col - 1, cols) };
    case 'ArrowRight':
      return { row: at.row, col: clamp(at.col + 1, cols) };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case 'End':
      return ctrl ? { row: rows - 1, col: cols - 1 } : { row: at.row, col: cols - 1 };
    default:
      return null;
  }
}
