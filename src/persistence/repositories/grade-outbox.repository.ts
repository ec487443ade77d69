import { createHash, randomBytes } from 'node:crypto'
import type { Types } from 'mongoose'
import { sameScore, type ScoreBody } from '../../domain/grading/score-body'
import type { Models } from '../database'
import { OUTBOX_LANES, type OutboxStatus } from '../models/grade-outbox.model'

type Id = Types.ObjectId

export interface OutboxTarget { courseId: Id, issuer: string, clientId: string, lineItemUrl: string }
export interface WantedScore { userId: Id, userSub: string, body: ScoreBody }

export interface OutboxEntry {
  key: string
  version: number
  userId: Id
  userSub: string
  body: ScoreBody
  attempts: number
  lastError: string | null
  lastErrorAt: Date | null
  lastStatusCode: number | null
}
export interface OutboxBatch extends OutboxTarget { _id: string, lane: number, status: OutboxStatus, nextAttemptAt: Date, entries: OutboxEntry[] }
/** An entry with its batch's target and state: one student's queued score. */
export type QueuedScore = OutboxEntry & OutboxTarget & { lane: number, status: OutboxStatus, nextAttemptAt: Date }

export interface ResultDoc { _id: string, courseId: Id, lineItemUrl: string, userId: Id, version: number, body: ScoreBody, timestamp: Date, sentAt: Date, lastError: string | null, lastErrorAt: Date | null }

/** What a worker did with a lane: batches to add (retries, failures), scores the LMS accepted, batches done with. */
export interface LaneOutcome { copies: OutboxBatch[], sent: Array<{ score: QueuedScore, timestamp: Date, at: Date }>, handled: string[] }

/** One (line item, student): a hash of both names its entries and its result, and picks its lane. */
export const outboxKey = (lineItemUrl: string, userSub: string): string =>
  createHash('sha256').update(`${lineItemUrl}\n${userSub}`).digest('base64url').slice(0, 32)
export const laneOf = (key: string): number => key.charCodeAt(0) % OUTBOX_LANES
export const batchId = (): string => randomBytes(12).toString('hex')

/** Entries per batch: large enough to make each database statement count, small enough to keep documents small. */
const BATCH_SIZE = 500
const DIRECT_LOOKUPS = 20
const duplicateIndexes = (err: unknown): number[] =>
  ((err as { writeErrors?: Array<{ code?: number, index?: number, err?: { code?: number, index?: number } }> }).writeErrors ?? [])
    .filter((e) => (e.code ?? e.err?.code) === 11000).map((e) => e.index ?? e.err?.index ?? -1)

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
    if (batches.length > 0) await gradeOutbox.insertMany(batches, { ordered: false, lean: true })
  }
  const course = (target: Pick<OutboxTarget, 'courseId' | 'lineItemUrl'>) => ({ courseId: target.courseId, lineItemUrl: target.lineItemUrl })
  const results = async (target: Pick<OutboxTarget, 'courseId' | 'lineItemUrl'>, keys: string[]): Promise<Map<string, ResultDoc>> => {
    const rows = keys.length <= DIRECT_LOOKUPS
      ? (await Promise.all(keys.map(async (k) => await gradeResults.findById(k).lean<ResultDoc>()))).flatMap((r) => r ? [r] : [])
      : await gradeResults.find(course(target)).lean<ResultDoc[]>()
    return new Map(rows.map((r) => [r._id, r]))
  }
  /** Inserts results; a key that had one gets it replaced (deleted, then inserted again). */
  const replaceResults = async (docs: ResultDoc[]): Promise<void> => {
    if (docs.length === 0) return
    try {
      await gradeResults.insertMany(docs, { ordered: false, lean: true })
    } catch (err) {
      const again = duplicateIndexes(err).map((i) => docs[i] as ResultDoc)
      if (again.length === 0) throw err
      await gradeResults.deleteMany({ _id: { $in: again.map((d) => d._id) } })
      await gradeResults.insertMany(again, { ordered: false, lean: true })
    }
  }

  return {
    /**
     * Queues each wanted score as the newest version of its (line item, student), unless it equals the newest
     * already queued or accepted (unless forced). Answers how many were queued.
     */
    enqueue: async (target: OutboxTarget, wanted: readonly WantedScore[], options: { force?: boolean, now?: Date } = {}): Promise<number> => {
      const keyed = wanted.map((w) => ({ ...w, key: outboxKey(target.lineItemUrl, w.userSub) }))
      const queued = newestByKey(queuedScores(await gradeOutbox.find(course(target)).lean<OutboxBatch[]>()))
      const accepted = await results(target, keyed.map((w) => w.key))
      const entries: OutboxEntry[] = []
      for (const w of keyed) {
        const latest = queued.get(w.key)?.body ?? accepted.get(w.key)?.body
        if (options.force !== true && latest && sameScore(latest, w.body)) continue
        const version = Math.max(queued.get(w.key)?.version ?? 0, accepted.get(w.key)?.version ?? 0) + 1
        entries.push({ key: w.key, version, userId: w.userId, userSub: w.userSub, body: w.body, attempts: 0, lastError: null, lastErrorAt: null, lastStatusCode: null })
      }
      await insert(batchesOf(target, entries, { status: 'pending', nextAttemptAt: options.now ?? new Date() }))
      return entries.length
    },

    /** A lane with a batch due now that nobody holds, if any. */
    nextDueLane: async (now: Date, held: readonly number[]): Promise<number | undefined> =>
      (await gradeOutbox.findOne({ status: 'pending', nextAttemptAt: { $lte: now }, ...(held.length > 0 ? { lane: { $nin: held } } : {}) }, { lane: 1 }).lean())?.lane,

    laneBatches: async (lane: number): Promise<OutboxBatch[]> => await gradeOutbox.find({ lane }).lean<OutboxBatch[]>(),

    /**
     * Records a lane's work in an order that always leaves the newest version of every key visible to a
     * concurrent enqueue: new batches first, then results, then the batches dealt with go.
     */
    finishLane: async ({ copies, sent, handled }: LaneOutcome): Promise<void> => {
      await insert(copies)
      await replaceResults(sent.map(({ score, timestamp, at }) => ({
        _id: score.key, courseId: score.courseId, lineItemUrl: score.lineItemUrl, userId: score.userId, version: score.version, body: score.body,
        timestamp, sentAt: at, lastError: score.lastError, lastErrorAt: score.lastErrorAt
      })))
      if (handled.length > 0) await gradeOutbox.deleteMany({ _id: { $in: handled } })
    },

    /** Sends failed and waiting scores of the course (or one student) again now; answers how many. */
    retry: async (courseId: Id, userId?: Id, now = new Date()): Promise<number> => {
      const waiting = await gradeOutbox.find({ courseId, $or: [{ status: 'failed' }, { nextAttemptAt: { $gt: now } }] }).lean<OutboxBatch[]>()
      const mine = (e: OutboxEntry): boolean => userId === undefined || e.userId.equals(userId)
      const copies = waiting.flatMap((b) => batchesOf(b, b.entries.filter(mine).map((e) => ({ ...e, attempts: 0 })), { status: 'pending', nextAttemptAt: now }))
      await insert(copies)
      const replaced = waiting.filter((b) => b.entries.every(mine)).map((b) => b._id)
      if (replaced.length > 0) await gradeOutbox.deleteMany({ _id: { $in: replaced } })
      return copies.reduce((n, b) => n + b.entries.length, 0)
    },

    /** The newest queued version per student of the course's line item. */
    queuedOf: async (courseId: Id, lineItemUrl: string): Promise<QueuedScore[]> =>
      [...newestByKey(queuedScores(await gradeOutbox.find({ courseId, lineItemUrl }).lean<OutboxBatch[]>())).values()],

    resultsOf: async (courseId: Id, lineItemUrl: string): Promise<ResultDoc[]> => await gradeResults.find({ courseId, lineItemUrl }).lean<ResultDoc[]>()
  }
}

export type GradeOutboxRepository = ReturnType<typeof createGradeOutboxRepository>
