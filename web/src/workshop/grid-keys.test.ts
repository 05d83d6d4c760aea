import { describe, expect, it } from 'vitest';
import { gridMove } from './grid-keys.js';

describe('room grid keys', () => {
  const at = { row: 1, col: 1 };
  it('arrows move one cell and stop at the edges', () => {
    expect(gridMove('ArrowRight', false, at, 3, 4)).toEqual({ row: 1, col: 2 });
    expect(gridMove('ArrowUp', false, at, 3, 4)).toEqual({ row: 0, col: 1 });
    expect(gridMove('ArrowDown', false, { row: 2, col: 3 }, 3, 4)).toEqual({ row: 2, col: 3 });
    expect(gridMove('ArrowLeft', false, { row: 0, col: 0 }, 3, 4)).toEqual({ row: 0, col: 0 });
  });

  it('Home and End go to the row’s ends, with Ctrl to the corners', () => {
    expect(gridMove('End', false, at, 3, 4)).toEqual({ row: 1, col: 3 });
    expect(gridMove('Home', true, at, 3, 4)).toEqual({ row: 0, col: 0 });
    expect(gridMove('End', true, at, 3, 4)).toEqual({ row: 2, col: 3 });
  });

  it('leaves Enter to the cell’s button', () => {
    expect(gridMove('Enter', false, at, 3, 4)).toBeNull();
  });
});
