import type { Model } from 'mongoose'

/** Ids per `$in` query when only some of a collection is wanted. */
const IN_BATCH = 1000

/**
 * Reads the documents of `model` matching `filter` whose `key` is one of `values`. When they are a large share of the
 * collection, one pass over the documents matching `filter` alone, kept in memory by key: the embedded FerretDB
 * answers every `$in` by scanning the collection and comparing each document with every value listed (5,000 users
 * listed took seconds per query at 10,000 users), so a single scan is cheaper there, and on MongoDB it costs about
 * what the index lookups would. Otherwise batches of `$in`, which MongoDB answers from its indexes.
 */
export async function readMany<T extends object> (
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any schema's model
  filter: Record<string, unknown>,
  key: string,
  values: readonly unknown[],
  projection: Record<string, 1>
): Promise<T[]> {
  if (values.length === 0) return []
  const wanted = new Set(values.map(String))
  if (values.length * 4 >= await model.estimatedDocumentCount()) {
    const all = await model.find(filter, { ...projection, [key]: 1 }).lean<T[]>()
    return all.filter((doc) => wanted.has(String((doc as Record<string, unknown>)[key])))
  }
  const found: T[] = []
  for (let i = 0; i < values.length; i += IN_BATCH) {
    found.push(...await model.find({ ...filter, [key]: { $in: values.slice(i, i + IN_BATCH) } }, projection).lean<T[]>())
  }
  return found
}
