import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256.js';

/**
 * Digests as the server computes them (node:crypto, written down here: the
 * front end's tests may not import Node's modules either). The lengths
 * around 55/56/64 bytes cross the padding boundary; the last is UTF-8 with a
 * four-byte character and a NUL.
 */
const VECTORS: Array<[string, string]> = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['a'.repeat(55), '9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318'],
  ['a'.repeat(56), 'b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a'],
  ['a'.repeat(64), 'ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb'],
  ['int main(void) { return 0; }\n'.repeat(300), '314f880af23d30dfff16146d52b0c8543298e5eb37eae69c3a9f1a6c9b47e5af'],
  ['café ✓ 😀 \u0000', '5bee786a74b22be79cd68a9bf2af6691aff635ce1facd09b0244ea12292aec16'],
];

describe('sha256Hex', () => {
  it('gives the digests the server computes, on short, long and non-ASCII text', () => {
    for (const [text, digest] of VECTORS) expect(sha256Hex(text)).toBe(digest);
  });
});
