/** Runs at most `size` pieces of work at once; the others wait their turn in order. */
export function createLimiter (size: number) {
  let active = 0
  const waiting: Array<() => void> = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try { return await work() } finally { active--; waiting.shift()?.() }
  }
}
