import type { WorkshopView } from '@jaillab/protocol';
import { describe, expect, it } from 'vitest';
import { workshopBlock } from './workshop-block.js';

const view = (over: Partial<WorkshopView> = {}): WorkshopView => ({
  id: 'w_abcdef12',
  title: 'Jails',
  lessons: [{ id: 'a/open', title: 'Open', open: true }, { id: 'a/locked', title: 'Locked', open: false }],
  endsAt: null,
  endedAt: null,
  broadcasts: [],
  name: 'Ada',
  attacks: [],
  round: null,
  ...over,
});

describe('what a workshop lets a student do in a lesson', () => {
  it('runs open lessons; locked ones and lessons outside it are closed; an ended one is read-only', () => {
    expect(workshopBlock(null, 'a/locked')).toBeNull();
    expect(workshopBlock(view(), 'a/open')).toBeNull();
    expect(workshopBlock(view(), 'a/locked')).toMatchObject({ readOnly: false, message: expect.stringMatching(/^Locked again by your instructor/) });
    // It was open before (every lesson starts open): never "not opened yet".
    expect(workshopBlock(view(), 'a/locked')?.message).not.toMatch(/not opened|yet/);
    expect(workshopBlock(view(), 'b/other')).toMatchObject({ readOnly: false, message: expect.stringMatching(/Not part of the workshop/) });
    expect(workshopBlock(view({ endedAt: '2026-12-01T12:00:00Z' }), 'a/open')).toMatchObject({ readOnly: true });
  });
});
