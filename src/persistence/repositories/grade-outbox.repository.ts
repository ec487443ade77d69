import { createHash, randomBytes } from 'node:crypto'
import type { Types } from 'mongoose'
import type {
  EnqueueOptions, GradeOutbox, LaneOutcome, OutboxBatch, OutboxEntry, OutboxStatus, OutboxTarget, QueuedScore, ScoreResult, WantedScore
} from '../../domain/grading/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import { duplicatesRefused } from '../duplicate-key'
import { toId, toObjectId } from '../ids'
import { OUTBOX_LANES } from '../models/grade-outbox.model'

/** The stored forms: ids as the database keeps them. */
type StoredBatch = Omit<OutboxBatch, 'courseId' | 'entries'> & { courseId: Types.ObjectId, entries: Array<Omit<OutboxEntry, 'userId'> & { userId: Types.ObjectId }> }
type StoredResult = Omit<ScoreResult, 'courseId' | 'userId'> & { courseId: Types.ObjectId, userId: Types.ObjectId }

const stored = (b: OutboxBatch): StoredBatch => ({ ...b, courseId: toObjectId(b.courseId), entries: b.entries.map((e) => ({ ...e, userId: toObjectId(e.userId) })) })
const batchOf = (b: StoredBatch): OutboxBatch => ({ ...b, courseId: toId(b.courseId), entries: b.entries.map((e) => ({ ...e, userId: toId(e.userId) })) })
const resultOf = (r: StoredResult): ScoreResult => ({ ...r, courseId: toId(r.courseId), userId: toId(r.userId) })

/** One (line item, student): a hash of both names its entries and its result, and picks its lane. */
export const outboxKey = (lineItemUrl: string, userSub: string): string =>
  createHash('sha256').update(`${lineItemUrl}\n${userSub}`).digest('base64url').slice(0, 32)
export const laneOf = (key: string): number => key.charCodeAt(0) % OUTBOX_LANES
export const batchId = (): string => randomBytes(12).toString('hex')

/** Entries per batch: large enough to make each database statement count, small enough to keep documents small. */
const BATCH_SIZE = 500
const DIRECT_LOOKUPS = 20

export const queuedScores = (batches: readonly OutboxBatch[]): QueuedScore[] =>
  batches.flatMap(({ entries, _id: _batch, ...batch }) => entries.map((e) => ({ ...batch, ...e })))

export function newestByKey<T extends { key: string, version: number }> (items: readonly T[]): Map<string, T> {
  const newest = new Map<string, T>()
  for (const item of items) if ((newest.get(item.key)?.version ?? -1) < item.version) newest.set(item.key, item)
  return newest
}

/** Batches of one target's entries, per lane and at most BATCH_SIZE each. */
export function batchesOf ({ courseId, issuer, clientId, lineItemUrl }: OutboxTarget, entries: readonly OutboxEntry[], state: { status: OutboxStatus, nextAttemptAt: Date }): OutboxBatch[] {
  const target = { courseId, issuer, clientId, lineItemUrl }
  const byLane = new Map<number, OutboxEntry[]>()
  for (const e of entries) byLane.set(laneOf(e.key), [...byLane.get(laneOf(e.key)) ?? [], e])
  return [...byLane].flatMap(([lane, all]) => Array.from({ length: Math.ceil(all.length / BATCH_SIZE) }, (_, i) =>
    ({ _id: batchId(), lane, ...target, ...state, entries: all.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE) })))
}

/** The grade outbox and the results the LMS accepted; both only inserted and deleted (models/grade-outbox.model.ts). */
export function createGradeOutboxRepository ({ gradeOutbox, gradeResults }: Pick<Models, 'gradeOutbox' | 'gradeResults'>) {
  const insert = async (batches: OutboxBatch[]): Promise<void> => {
    if (batches.length > 0) await gradeOutbox.insertMany(batches.map(stored), { ordered: false, lean: true })
  }
  const find = async (filter: object): Promise<OutboxBatch[]> => (await gradeOutbox.find(filter).lean<StoredBatch[]>()).map(batchOf)
  const course = (courseId: Id, lineItemUrl: string) => ({ courseId: toObjectId(courseId), lineItemUrl })
  const results = async (target: Pick<OutboxTarget, 'courseId' | 'lineItemUrl'>, keys: string[]): Promise<Map<string, StoredResult>> => {
    const rows = keys.length <= DIRECT_LOOKUPS
      ? (await Promise.all(keys.map(async (k) => await gradeResults.findById(k).lean<StoredResult>()))).flatMap((r) => r ? [r] : [])
      : await gradeResults.find(course(target.courseId, target.lineItemUrl)).lean<StoredResult[]>()
    return new Map(rows.map((r) => [r._id, r]))
  }
  /**
   * Inserts results; a key that had one gets it replaced (deleted, then inserted again) unless the one it had was
   * sent later: a score the LMS refused as older than its own (accepted as done) must not hide the newer one.
   */
  const replaceResults = async (docs: StoredResult[]): Promise<void> => {
    if (docs.length === 0) return
    try {
      await gradeResults.insertMany(docs, { ordered: false, lean: true })
    } catch (err) {
      const refused = (duplicatesRefused(err) ?? []).map((i) => docs[i] as StoredResult)
      if (refused.length === 0) throw err
      const kept = new Map((await gradeResults.find({ _id: { $in: refused.map((d) => d._id) } }, { timestamp: 1 }).lean<Array<Pick<StoredResult, '_id' | 'timestamp'>>>()).map((r) => [r._id, r.timestamp]))
      const again = refused.filter((d) => (kept.get(d._id)?.getTime() ?? 0) <= d.timestamp.getTime())
      if (again.length === 0) return
      await gradeResults.deleteMany({ _id: { $in: again.map((d) => d._id) } })
      await gradeResults.insertMany(again, { ordered: false, lean: true })
    }
  }

  return {
    /**
     * Queues each wanted score as the newest version of its (line item, student), unless the caller finds it
     * unchanged from the newest already queued or accepted. Answers how many were queued.
     */
    enqueue: async (target: OutboxTarget, wanted: readonly WantedScore[], options: EnqueueOptions): Promise<Id[]> => {
      const keyed = wanted.map((w) => ({ ...w, key: outboxKey(target.lineItemUrl, w.userSub) }))
      const queued = newestByKey(queuedScores(await find(course(target.courseId, target.lineItemUrl))))
      const accepted = await results(target, keyed.map((w) => w.key))
      const entries: OutboxEntry[] = []
      for (const w of keyed) {
        // The newer of the two: a queued version no newer than the accepted one is left over, never to be sent.
        const [q, a] = [queued.get(w.key), accepted.get(w.key)]
        const latest = q && (a === undefined || q.version > a.version) ? q.body : a?.body
        if (latest && options.unchanged(latest, w.body)) continue
        const version = Math.max(q?.version ?? 0, a?.version ?? 0) + 1
        entries.push({ key: w.key, version, userId: w.userId, userSub: w.userSub, body: w.body, attempts: 0, lastError: null, lastErrorAt: null, lastStatusCode: null })
      }
      await insert(batchesOf(target, entries, { status: 'pending', nextAttemptAt: options.now ?? new Date() }))
      return entries.map((e) => e.userId)
    },

    /** A lane with a batch due now that nobody holds, if any. */
    nextDueLane: async (now: Date, held: readonly number[]): Promise<number | undefined> =>
      (await gradeOutbox.findOne({ status: 'pending', nextAttemptAt: { $lte: now }, ...(held.length > 0 ? { lane: { $nin: held } } : {}) }, { lane: 1 }).lean())?.lane,

    /**
     * The lane's batches without the entries the LMS already has: the version of its grade result, or an older one.
     * A newer version can be sent, and its batch deleted, while an older one stays behind in a batch kept for another
     * student's entry; sent again, under a later claim and so with a later timestamp, that older score would replace
     * the newer one in the gradebook. (The results are read after the batches, so a version accepted meanwhile counts.)
     * A batch left without entries is dealt with, and the worker deletes it.
     */
    laneBatches: async (lane: number): Promise<OutboxBatch[]> => {
      const batches = await find({ lane })
      // Per line item: by id when few, else the course's results in one read (an $in scans the collection per id on FerretDB).
      const targets = new Map<string, { target: OutboxBatch, keys: Set<string> }>()
      for (const b of batches) {
        const at = targets.get(`${b.courseId} ${b.lineItemUrl}`) ?? { target: b, keys: new Set<string>() }
        for (const e of b.entries) at.keys.add(e.key)
        targets.set(`${b.courseId} ${b.lineItemUrl}`, at)
      }
      const accepted = new Map<string, number>()
      for (const { target, keys } of targets.values()) for (const [key, r] of await results(target, [...keys])) accepted.set(key, r.version)
      return batches.map((b) => ({ ...b, entries: b.entries.filter((e) => e.version > (accepted.get(e.key) ?? 0)) }))
    },

    /**
     * Records a lane's work in an order that always leaves the newest version of every key visible to a
     * concurrent enqueue: new batches first, then results, then the batches dealt with go.
     */
    finishLane: async ({ copies, sent, handled }: LaneOutcome): Promise<void> => {
      await insert(copies)
      await replaceResults(sent.map(({ score, timestamp, at }) => ({
        _id: score.key, courseId: toObjectId(score.courseId), lineItemUrl: score.lineItemUrl, userId: toObjectId(score.userId), version: score.version, body: score.body,
        timestamp, sentAt: at, lastError: score.lastError, lastErrorAt: score.lastErrorAt
      })))
      if (handled.length > 0) await gradeOutbox.deleteMany({ _id: { $in: handled } })
    },

    /** Sends failed and waiting scores of the course (or one student) again now; answers how many. */
    retry: async (courseId: Id, userId?: Id, now = new Date()): Promise<number> => {
      const waiting = await find({ courseId: toObjectId(courseId), $or: [{ status: 'failed' }, { nextAttemptAt: { $gt: now } }] })
      const mine = (e: OutboxEntry): boolean => userId === undefined || e.userId === userId
      const copies = waiting.flatMap((b) => batchesOf(b, b.entries.filter(mine).map((e) => ({ ...e, attempts: 0 })), { status: 'pending', nextAttemptAt: now }))
      await insert(copies)
      const replaced = waiting.filter((b) => b.entries.every(mine)).map((b) => b._id)
      if (replaced.length > 0) await gradeOutbox.deleteMany({ _id: { $in: replaced } })
      return copies.reduce((n, b) => n + b.entries.length, 0)
    },

    /** The newest queued version per student of the course's line item, unless the LMS accepted it (or a newer one). */
    queuedOf: async (courseId: Id, lineItemUrl: string): Promise<QueuedScore[]> => {
      const queued = [...newestByKey(queuedScores(await find(course(courseId, lineItemUrl)))).values()]
      const accepted = await results({ courseId, lineItemUrl }, queued.map((q) => q.key))
      return queued.filter((q) => q.version > (accepted.get(q.key)?.version ?? 0))
    },

    resultsOf: async (courseId: Id, lineItemUrl: string): Promise<ScoreResult[]> => (await gradeResults.find(course(courseId, lineItemUrl)).lean<StoredResult[]>()).map(resultOf)
  } satisfies GradeOutbox
}

export type GradeOutboxRepository = ReturnType<typeof createGradeOutboxRepository>
