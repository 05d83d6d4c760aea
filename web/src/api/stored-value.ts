import type { ZodType } from 'zod';

/**
 * One value this browser keeps in localStorage, read back only if it still
 * has the shape the protocol gives it (a damaged value would make every
 * request that carries it fail validation: it counts as none). Storage that is
 * disabled or full keeps nothing, silently: each caller says what that costs.
 */
export interface StoredValue {
  load(): string | undefined;
  /** null forgets it. */
  save(value: string | null): void;
}

export function storedValue(key: string, shape: ZodType<string>): StoredValue {
  return {
    load: () => {
      try {
        const v = localStorage.getItem(key);
        return v !== null && shape.safeParse(v).success ? v : undefined;
      } catch {
        return undefined;
      }
    },
    save: (value) => {
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch {
        // not kept
      }
    },
  };
}
