import type { Connection, Model } from 'mongoose'

/** Ids per `$in` query. */
const IN_BATCH = 1000

const embedded = new WeakMap<Connection, Promise<boolean>>()
/** Whether the connection's server is the embedded FerretDB (asked once per connection). */
const isEmbedded = async (connection: Connection): Promise<boolean> => {
  let known = embedded.get(connection)
  if (known === undefined) {
    known = (async () => {
      const info = await connection.db?.admin().command({ buildInfo: 1 })
      return info !== undefined && 'ferretdbVersion' in info
    })()
    embedded.set(connection, known)
  }
  return await known
}

/**
 * Reads the documents of `model` matching `filter` whose `key` is one of `values`. MongoDB answers batches of `$in`
 * from its indexes. The embedded FerretDB answers every query by scanning the collection and compares each document
 * with every value listed (5,000 users listed took seconds per query at 10,000 users), so there more than one batch
 * of values is read in one pass over the documents matching `filter` alone, kept in memory by key.
 */
export async function readMany<T extends object> (
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any schema's model
  filter: Record<string, unknown>,
  key: string,
  values: readonly unknown[],
  projection: Record<string, 1>
): Promise<T[]> {
  if (values.length === 0) return []
  if (values.length > IN_BATCH && await isEmbedded(model.db)) {
    const wanted = new Set(values.map(String))
    const all = await model.find(filter, { ...projection, [key]: 1 }).lean<T[]>()
    return all.filter((doc) => wanted.has(String((doc as Record<string, unknown>)[key])))
  }
  const found: T[] = []
  for (let i = 0; i < values.length; i += IN_BATCH) {
    found.push(...await model.find({ ...filter, [key]: { $in: values.slice(i, i + IN_BATCH) } }, projection).lean<T[]>())
  }
  return found
}
