import { createHash } from 'node:crypto'
import type { Inbox, InboxItem } from '../../domain/notifications/ports'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { duplicatesRefused, isDuplicateKey } from '../duplicate-key'
import type { Leases } from '../leases'
import { batches, WRITE_BATCH } from '../write-batches'

const BUCKETS = 64
type Counts = Record<string, number>
interface Bucket { last: Counts, read: Counts }

/**
 * The in-app lists (ports.ts Inbox), shaped for FerretDB, which finds a document fast only by an id that exists (an
 * update, or a look for a missing id, scans the whole collection). Item n of a list is `<course>:<recipient>#<n>`,
 * only inserted. How far each list goes (last delivered, last read) sits in the course's 64 small count documents,
 * read by id for every page's unread count and rewritten under the course's inbox lease, so two processes never
 * interleave; the items of a whole publication go in a few inserts.
 */
export function createInboxRepository ({ inboxItems, inboxCounts }: Pick<Models, 'inboxItems' | 'inboxCounts'>, leases: Pick<Leases, 'holding'>): Inbox {
  const items = inboxItems.collection
  const counts = inboxCounts.collection
  const listOf = (courseId: string, recipient: string) => `${courseId}:${recipient}`
  const bucketId = (courseId: string, recipient: string) =>
    `${courseId}:${createHash('sha1').update(recipient).digest().readUInt16BE(0) % BUCKETS}`
  const slot = (list: string, n: number, item: InboxItem) =>
    ({ _id: `${list}#${n}` as never, itemId: item.id, kind: item.kind, text: item.text, page: item.page, at: item.at })
  const readBucket = async (id: string): Promise<Bucket> => {
    const doc = await counts.findOne({ _id: id as never })
    return { last: (doc?.last as Counts | undefined) ?? {}, read: (doc?.read as Counts | undefined) ?? {} }
  }
  const writeBucket = async (id: string, bucket: Bucket) => {
    await retryWhenBusy(async () => await counts.replaceOne({ _id: id as never }, bucket, { upsert: true }))
  }
  /** Inserts an item at n, or after it when a holder that died before writing its counts left n taken. */
  const insertFrom = async (list: string, n: number, item: InboxItem): Promise<number> => {
    for (let at = n; ; at++) {
      try {
        await retryWhenBusy(async () => await items.insertOne(slot(list, at, item)))
        return at
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
    }
  }
  const exclusive = async <T>(courseId: string, work: () => Promise<T>): Promise<T> => await leases.holding(`inbox:${courseId}`, work)

  const deliverMany: Inbox['deliverMany'] = async (courseId, entries) => {
    if (entries.length === 0) return
    await exclusive(courseId, async () => {
      const ids = [...new Set(entries.map((e) => bucketId(courseId, e.recipient)))]
      const buckets = new Map(await Promise.all(ids.map(async (id) => [id, await readBucket(id)] as const)))
      const planned = entries.map(({ recipient, item }) => {
        const bucket = buckets.get(bucketId(courseId, recipient)) as Bucket
        const n = (bucket.last[recipient] ?? 0) + 1
        bucket.last[recipient] = n
        return { recipient, item, n, list: listOf(courseId, recipient) }
      })
      for (const batch of batches(planned, WRITE_BATCH)) {
        try {
          await retryWhenBusy(async () => await items.insertMany(batch.map((p) => slot(p.list, p.n, p.item)), { ordered: false }))
        } catch (err) {
          const refused = duplicatesRefused(err)
          if (refused === null) throw err
          for (const i of refused) {
            const p = batch[i]
            if (p === undefined) continue
            const bucket = buckets.get(bucketId(courseId, p.recipient)) as Bucket
            bucket.last[p.recipient] = Math.max(bucket.last[p.recipient] ?? 0, await insertFrom(p.list, p.n, p.item))
          }
        }
      }
      await Promise.all([...buckets].map(async ([id, bucket]) => { await writeBucket(id, bucket) }))
    })
  }

  return {
    deliver: async (courseId, recipient, item) => { await deliverMany(courseId, [{ recipient, item }]) },
    deliverMany,
    latest: async (courseId, recipient, limit) => {
      const list = listOf(courseId, recipient)
      const { last, read } = await readBucket(bucketId(courseId, recipient))
      const top = last[recipient] ?? 0
      const readUpTo = read[recipient] ?? 0
      const ns = Array.from({ length: Math.min(limit * 2, top) }, (_, i) => top - i)
      const docs = await Promise.all(ns.map(async (n) => await items.findOne({ _id: `${list}#${n}` as never })))
      const seen = new Set<string>()
      const found: Array<InboxItem & { unread: boolean }> = []
      docs.forEach((doc, i) => {
        if (doc === null || seen.has(doc.itemId as string) || found.length >= limit) return
        seen.add(doc.itemId as string)
        found.push({ id: doc.itemId as string, kind: doc.kind as string, text: doc.text as string, page: doc.page as string, at: doc.at as Date, unread: (ns[i] ?? 0) > readUpTo })
      })
      return found
    },
    unread: async (courseId, recipient) => {
      const { last, read } = await readBucket(bucketId(courseId, recipient))
      return Math.max(0, (last[recipient] ?? 0) - (read[recipient] ?? 0))
    },
    markRead: async (courseId, recipient) => {
      const id = bucketId(courseId, recipient)
      const { last, read } = await readBucket(id)
      if ((last[recipient] ?? 0) <= (read[recipient] ?? 0)) return
      await exclusive(courseId, async () => {
        const bucket = await readBucket(id)
        bucket.read[recipient] = bucket.last[recipient] ?? 0
        await writeBucket(id, bucket)
      })
    }
  }
}
