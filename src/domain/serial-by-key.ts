/**
 * Runs work one at a time per key (work under different keys runs side by side), in the order it was asked for.
 * Within one process this keeps read-modify-write sequences on one key from interleaving.
 */
export function serialByKey () {
  const tails = new Map<string, Promise<unknown>>()
  const run = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const done = (tails.get(key) ?? Promise.resolve()).then(work, work)
    const tail = done.catch(() => undefined)
    tails.set(key, tail)
    void tail.then(() => { if (tails.get(key) === tail) tails.delete(key) })
    return await done
  }
  /** Resolves once the work asked for under `key` so far has finished (without queueing anything). */
  const idle = async (key: string): Promise<void> => { await tails.get(key) }
  return Object.assign(run, { idle })
}

export type SerialByKey = ReturnType<typeof serialByKey>
