import { describe, expect, it } from 'vitest';
import { clampSize, parseStoredSize, sizeAfterKey, sizeAtPointer } from './pane-size.js';

const bounds = { min: 20, max: 60 };

describe('pane sizes', () => {
  it('keeps a size within its bounds', () => {
    expect(clampSize(5, bounds)).toBe(20);
    expect(clampSize(90, bounds)).toBe(60);
    expect(clampSize(33.5, bounds)).toBe(33.5);
  });

  it('reads a stored size, falling back on nothing or nonsense, and clamps it', () => {
    expect(parseStoredSize('41', 34, bounds)).toBe(41);
    expect(parseStoredSize(null, 34, bounds)).toBe(34);
    expect(parseStoredSize('', 34, bounds)).toBe(34);
    expect(parseStoredSize('wide', 34, bounds)).toBe(34);
    expect(parseStoredSize('99', 34, bounds)).toBe(60);
  });

  it('moves a vertical bar with Left/Right: the pane before it grows to the right', () => {
    expect(sizeAfterKey('ArrowRight', false, 34, 'vertical', 'before', bounds)).toBe(36);
    expect(sizeAfterKey('ArrowLeft', false, 34, 'vertical', 'before', bounds)).toBe(32);
    expect(sizeAfterKey('ArrowRight', true, 34, 'vertical', 'before', bounds)).toBe(44);
    expect(sizeAfterKey('ArrowUp', false, 34, 'vertical', 'before', bounds)).toBeNull();
  });

  it('moves a horizontal bar with Up/Down: the pane below it grows as the bar goes up', () => {
    expect(sizeAfterKey('ArrowUp', false, 40, 'horizontal', 'after', bounds)).toBe(42);
    expect(sizeAfterKey('ArrowDown', false, 40, 'horizontal', 'after', bounds)).toBe(38);
    expect(sizeAfterKey('ArrowLeft', false, 40, 'horizontal', 'after', bounds)).toBeNull();
  });

  it('goes to the smallest and largest size with Home and End, and stops at the bounds', () => {
    expect(sizeAfterKey('Home', false, 40, 'horizontal', 'after', bounds)).toBe(20);
    expect(sizeAfterKey('End', false, 40, 'vertical', 'before', bounds)).toBe(60);
    expect(sizeAfterKey('ArrowRight', true, 58, 'vertical', 'before', bounds)).toBe(60);
    expect(sizeAfterKey('Enter', false, 40, 'vertical', 'before', bounds)).toBeNull();
  });

  it('puts the bar under the pointer', () => {
    expect(sizeAtPointer(400, 100, 1000, 'before', bounds)).toBe(30);
    expect(sizeAtPointer(700, 100, 1000, 'after', bounds)).toBe(40);
    expect(sizeAtPointer(0, 100, 1000, 'before', bounds)).toBe(20);
    expect(sizeAtPointer(50, 0, 0, 'before', bounds)).toBe(20);
  });
});
