/** A unique index refused the write. FerretDB (SQLite) reports it on updates as an internal error, not as 11000. */
export function isDuplicateKey (err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown, message?: unknown }
  return code === 11000 || (typeof message === 'string' && message.includes('UNIQUE constraint failed'))
}

/**
 * Runs an upsert again when a concurrent upsert of the same key won the race: the second attempt finds the
 * document the other writer created and updates it.
 */
export async function retryOnDuplicateKey<T> (write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
    return await write()
  }
}

/**
 * The positions of the documents a bulk insert refused because their unique keys existed, when that is the only
 * reason it failed; null for any other failure. Write errors come as the driver's WriteError (`code`, `index`) or,
 * through mongoose's insertMany, as `{ err: { code, index } }`; one error may come alone rather than in a list.
 */
export function duplicatesRefused (err: unknown): number[] | null {
  const { writeErrors } = (err ?? {}) as { writeErrors?: unknown }
  if (writeErrors === undefined || writeErrors === null) return null
  const errors = [writeErrors].flat() as Array<{ code?: number, index?: number, err?: { code?: number, index?: number, errmsg?: string } }>
  const indexes: number[] = []
  for (const e of errors) {
    const code = e.code ?? e.err?.code
    const index = e.index ?? e.err?.index
    if (!isDuplicateKey({ code, message: e.err?.errmsg }) || typeof index !== 'number') return null
    indexes.push(index)
  }
  return indexes
}
