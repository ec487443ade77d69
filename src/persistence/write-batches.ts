/** FerretDB 1.24 (the embedded and test database) stalls on one write command of 100 or more statements: the most below. */
export const WRITE_BATCH = 99

/** `items` cut into runs of at most `size`. */
export function batches<T> (items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
