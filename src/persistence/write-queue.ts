export type WriteQueue = <T>(write: () => Promise<T>) => Promise<T>

/**
 * Runs one write at a time. FerretDB, the embedded database of development and tests, applies concurrent updates
 * of one document without isolation (it reads, changes and writes back the whole document, so one of two racing
 * writes is lost, and two compare-and-set claims can both win). Collections whose correctness rests on
 * compare-and-set (the grade lanes and course grade states, both a few small documents) therefore queue this
 * process's writes there (see Database.writeQueue). Across processes, only MongoDB's atomic single-document
 * updates protect them.
 */
export function createWriteQueue (): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve()
  return async <T>(write: () => Promise<T>): Promise<T> => {
    const run = tail.then(write, write)
    tail = run.catch(() => undefined)
    return await run
  }
}

