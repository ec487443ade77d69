import type { Inbox, InboxItem } from '../../domain/notifications/ports'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { duplicatesRefused, isDuplicateKey } from '../duplicate-key'

/**
 * The in-app lists (ports.ts Inbox) in documents FerretDB finds by id alone: item n of a list is `<list>#<n>`, taken by
 * a unique insert (two writers never share an n), and the list's head remembers the next n as a hint that readers
 * verify by looking one further. A delivery repeated after a crash may take a second n for the same item; readers
 * show each item id once.
 */
export function createInboxRepository ({ inboxItems, inboxHeads }: Pick<Models, 'inboxItems' | 'inboxHeads'>): Inbox {
  const items = inboxItems.collection
  const heads = inboxHeads.collection
  const listOf = (courseId: string, recipient: string) => `${courseId}:${recipient}`
  const head = async (list: string) => {
    const doc = await heads.findOne({ _id: list as never })
    return { next: (doc?.next as number | undefined) ?? 1, readUpTo: (doc?.readUpTo as number | undefined) ?? 0 }
  }
  /** The last n taken, found from the head's hint by looking further until an n is free. */
  const lastOf = async (list: string, hint: number): Promise<number> => {
    let n = hint
    while (await items.findOne({ _id: `${list}#${n}` as never }, { projection: { _id: 1 } }) !== null) n++
    return n - 1
  }
  const slot = (list: string, n: number, item: InboxItem) =>
    ({ _id: `${list}#${n}` as never, itemId: item.id, kind: item.kind, text: item.text, page: item.page, at: item.at })
  const deliver: Inbox['deliver'] = async (courseId, recipient, item) => {
    const list = listOf(courseId, recipient)
    let n = (await head(list)).next
    for (;;) {
      try {
        await retryWhenBusy(async () => await items.insertOne(slot(list, n, item)))
        break
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
        n++
      }
    }
    await retryWhenBusy(async () => await heads.updateOne({ _id: list as never }, { $max: { next: n + 1 }, $set: { courseId } }, { upsert: true }))
  }
  return {
    deliver,
    // The course's heads in one read, the items in one insert, the heads in one bulk write; an n someone took
    // meanwhile (a stale head) is refused by its unique id and that item goes the one-by-one way.
    deliverMany: async (courseId, entries) => {
      if (entries.length === 0) return
      const known = new Map((await heads.find({ courseId }, { projection: { next: 1 } }).toArray()).map((h) => [String(h._id), h.next as number]))
      const next = new Map<string, number>()
      const planned = entries.map(({ recipient, item }) => {
        const list = listOf(courseId, recipient)
        const n = next.get(list) ?? known.get(list) ?? 1
        next.set(list, n + 1)
        return { recipient, item, doc: slot(list, n, item) }
      })
      try {
        await retryWhenBusy(async () => await items.insertMany(planned.map((p) => p.doc), { ordered: false }))
      } catch (err) {
        const refused = duplicatesRefused(err)
        if (refused === null) throw err
        for (const i of refused) {
          const p = planned[i]
          if (p !== undefined) await deliver(courseId, p.recipient, p.item)
        }
      }
      await retryWhenBusy(async () => await heads.bulkWrite([...next].map(([list, n]) => ({
        updateOne: { filter: { _id: list as never }, update: { $max: { next: n }, $set: { courseId } }, upsert: true }
      })), { ordered: false }))
    },
    latest: async (courseId, recipient, limit) => {
      const list = listOf(courseId, recipient)
      const { next, readUpTo } = await head(list)
      const last = await lastOf(list, next)
      const ns = Array.from({ length: Math.min(limit * 2, last) }, (_, i) => last - i)
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
    // The head alone (one read, as every page's navigation asks): its hint trails only while a delivery is under way.
    unread: async (courseId, recipient) => {
      const { next, readUpTo } = await head(listOf(courseId, recipient))
      return Math.max(0, next - 1 - readUpTo)
    },
    markRead: async (courseId, recipient) => {
      const list = listOf(courseId, recipient)
      const last = await lastOf(list, (await head(list)).next)
      await retryWhenBusy(async () => await heads.updateOne({ _id: list as never }, { $max: { readUpTo: last, next: last + 1 } }, { upsert: true }))
    }
  }
}
