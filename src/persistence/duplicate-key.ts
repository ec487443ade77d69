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
