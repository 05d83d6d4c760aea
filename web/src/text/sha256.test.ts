import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256.js';

describe('sha256Hex', () => {
  it('agrees with node:crypto, as the server computes it, on short, long and non-ASCII text', () => {
    for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'int main(void) { return 0; }\n'.repeat(300), 'café ✓ 😀 \u0000'])
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
  });
});
