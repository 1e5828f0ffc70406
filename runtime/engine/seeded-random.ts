/**
 * mulberry32: a small, fast pseudo-random generator whose sequence depends only on its seed, so a
 * run (a scenario's Math.random, a test's generated documents) can be replayed exactly.
 */
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** mulberry32 seeded from a text (a scenario's name): deterministic, and different per text. */
export function seededRandom(seedText: string): () => number {
  let seed = 0;
  for (let i = 0; i < seedText.length; i++) seed = (Math.imul(seed, 31) + seedText.charCodeAt(i)) | 0;
  return mulberry32(seed);
}
