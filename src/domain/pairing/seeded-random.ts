// Seeded, order-independent randomness: every tie-break derives from hash(seed, id), so the
// same seed gives the same result however the input arrays are ordered.

/** murmur3 finaliser: spreads the bits of a 32-bit integer. */
export function mix32 (value: number): number {
  let x = value | 0
  x ^= x >>> 16
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

/** FNV-1a over UTF-16 code units, keyed by `key` and finalised with mix32. */
export function hashString (text: string, key = 0): number {
  let h = (0x811c9dc5 ^ key) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mix32(h)
}

/** A seed given as a number and as its decimal string is the same seed. */
export function seedHash (seed: string | number): number {
  return hashString(String(seed), 0x5eed)
}

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
export function createRandom (seed: string | number): () => number {
  let state = seedHash(seed)
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Combines two 32-bit hashes into a third, e.g. for a per-pair tie-break. */
export function pairHash (a: number, b: number): number {
  return mix32(a ^ Math.imul(b, 0x9e3779b1) ^ 0x27d4eb2f)
}

export interface Lottery {
  /** hash(seed, id) per item. */
  readonly hashes: Uint32Array
  /** Position of each item in the seeded order (a permutation of 0..n-1). */
  readonly ranks: Int32Array
  /** Items in the seeded order. */
  readonly order: Int32Array
}

/** A strict seeded order of ids: by hash(seed, id), then by id for the rare collision. */
export function drawLottery (ids: readonly string[], seed: number): Lottery {
  const n = ids.length
  const hashes = new Uint32Array(n)
  for (let i = 0; i < n; i++) hashes[i] = hashString(ids[i]!, seed)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => {
    const d = hashes[a]! - hashes[b]!
    if (d !== 0) return d
    const x = ids[a]!
    const y = ids[b]!
    return x < y ? -1 : x > y ? 1 : 0
  })
  const ranks = new Int32Array(n)
  for (let r = 0; r < n; r++) ranks[order[r]!] = r
  return { hashes, ranks, order }
}
