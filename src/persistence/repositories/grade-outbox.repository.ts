import { createHash, randomInt } from 'node:crypto'
import type { Types } from 'mongoose'
import { sameScore, type ScoreBody } from '../../domain/grading/score-body'
import type { Models } from '../database'
import { createWriteQueue } from '../write-queue'
import { OUTBOX_LANES, type OutboxStatus } from '../models/grade-outbox.model'

type Id = Types.ObjectId

export interface OutboxTarget { courseId: Id, issuer: string, clientId: string, lineItemUrl: string }
export interface WantedScore { userId: Id, userSub: string, body: ScoreBody }

/** What a worker needs of a claimed record to send it. */
export interface ClaimedScore {
  _id: string
  issuer: string
  clientId: string
  lineItemUrl: string
  userSub: string
  body: ScoreBody
  version: number
  attempts: number
}

export interface OutboxRow {
  userId: Id
  status: OutboxStatus
  body: ScoreBody
  attempts: number
  nextAttemptAt: Date
  leaseUntil: Date | null
  sentAt: Date | null
  lastError: string | null
  lastErrorAt: Date | null
  lastStatusCode: number | null
}

/** One record per (line item, student): a hash of both is the _id, which every lookup and upsert goes by. */
export const outboxKey = (lineItemUrl: string, userSub: string): string =>
  createHash('sha256').update(`${lineItemUrl}\n${userSub}`).digest('base64url').slice(0, 32)

const DIRECT_LOOKUPS = 20
const CLAIMED_FIELDS = { issuer: 1, clientId: 1, lineItemUrl: 1, userSub: 1, body: 1, version: 1, attempts: 1 } as const

/** Writes that failed only because the record already exists: those go through the update path instead. */
const duplicateIndexes = (err: unknown): number[] | undefined => {
  const errors = (err as { writeErrors?: Array<{ code?: number, index?: number, err?: { code?: number, index?: number } }> }).writeErrors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  const indexes = errors.map((e) => ((e.code ?? e.err?.code) === 11000 ? e.index ?? e.err?.index : undefined))
  return indexes.every((i) => i !== undefined) ? indexes as number[] : undefined
}

/** Every write of this process to the outbox, in order (see write-queue.ts). */
const serially = createWriteQueue()

export function createGradeOutboxRepository ({ gradeOutbox }: Pick<Models, 'gradeOutbox'>) {
  const pending = (now: Date) => ({ status: 'pending' as const, nextAttemptAt: now, attempts: 0, claimToken: null, leaseUntil: null, lane: randomInt(OUTBOX_LANES) })

  /** The current body of each wanted record, by key: point lookups for a few students, one course query for many. */
  const current = async (target: OutboxTarget, keys: string[]): Promise<Map<string, ScoreBody>> => {
    const rows = keys.length <= DIRECT_LOOKUPS
      ? (await Promise.all(keys.map(async (k) => await gradeOutbox.findById(k, { body: 1 }).lean()))).flatMap((r) => r ? [r] : [])
      : await gradeOutbox.find({ courseId: target.courseId, lineItemUrl: target.lineItemUrl }, { body: 1 }).lean()
    return new Map(rows.map((r) => [r._id, r.body as ScoreBody]))
  }

  const replace = async (target: OutboxTarget, scores: Array<WantedScore & { key: string }>, now: Date): Promise<void> => {
    if (scores.length === 0) return
    await serially(async () => await gradeOutbox.bulkWrite(scores.map((s) => ({
      updateOne: {
        filter: { _id: s.key },
        update: { $set: { ...target, userId: s.userId, userSub: s.userSub, body: s.body, ...pending(now) }, $inc: { version: 1 } },
        upsert: true
      }
    })), { ordered: false }))
  }

  const due = (now: Date) => ({
    $and: [
      { $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', leaseUntil: { $lte: now } }] },
      // The score timestamp of this attempt is `now`: only records whose last attempt was earlier can take it.
      { $or: [{ lastTimestamp: null }, { lastTimestamp: { $lt: now } }] }
    ]
  })

  return {
    /**
     * Makes each wanted score the record's newest, unless it equals what the record already holds (unless forced).
     * Answers how many were enqueued.
     */
    enqueue: async (target: OutboxTarget, wanted: readonly WantedScore[], options: { force?: boolean, now?: Date } = {}): Promise<number> => {
      const now = options.now ?? new Date()
      const keyed = wanted.map((w) => ({ ...w, key: outboxKey(target.lineItemUrl, w.userSub) }))
      const existing = await current(target, keyed.map((w) => w.key))
      const changed = keyed.filter((w) => options.force === true || !existing.has(w.key) || !sameScore(existing.get(w.key) as ScoreBody, w.body))
      const fresh = changed.filter((w) => !existing.has(w.key))
      const known = changed.filter((w) => existing.has(w.key))
      if (fresh.length > 0) {
        try {
          await serially(async () => await gradeOutbox.insertMany(fresh.map((w) => ({ _id: w.key, ...target, userId: w.userId, userSub: w.userSub, body: w.body, version: 1, ...pending(now) })), { ordered: false }))
        } catch (err) {
          const duplicates = duplicateIndexes(err)
          if (!duplicates) throw err
          known.push(...duplicates.map((i) => fresh[i] as typeof fresh[number]))
        }
      }
      await replace(target, known, now)
      return changed.length
    },

    /** A lane with a record due now, if any. */
    nextDueLane: async (now: Date): Promise<number | undefined> =>
      (await gradeOutbox.findOne(due(now), { lane: 1 }).lean())?.lane ?? undefined,

    /** Claims every due record of a lane under `token`, stamping `now` as their attempt's timestamp. */
    claimLane: async (lane: number, token: string, now: Date, leaseMs: number): Promise<ClaimedScore[]> => {
      await serially(async () => await gradeOutbox.updateMany({ lane, ...due(now) }, {
        $set: { status: 'sending', claimToken: token, leaseUntil: new Date(now.getTime() + leaseMs), lastTimestamp: now }
      }))
      return await gradeOutbox.find({ claimToken: token }, CLAIMED_FIELDS).lean<ClaimedScore[]>()
    },

    extendLease: async (token: string, until: Date): Promise<void> => {
      await serially(async () => await gradeOutbox.updateMany({ claimToken: token, status: 'sending' }, { $set: { leaseUntil: until } }))
    },

    /** Ends a claim now, so another worker takes its records over at once; they are all sent again. */
    expireClaim: async (token: string): Promise<void> => {
      await serially(async () => await gradeOutbox.updateMany({ claimToken: token, status: 'sending' }, { $set: { leaseUntil: new Date() } }))
    },

    /** Marks sent every record still held under `token`: those released, failed or replaced meanwhile no longer are. */
    markSent: async (token: string, at: Date): Promise<number> =>
      (await serially(async () => await gradeOutbox.updateMany({ claimToken: token, status: 'sending' }, {
        $set: { status: 'sent', sentAt: at, attempts: 0, claimToken: null, leaseUntil: null }
      }))).modifiedCount,

    /** Back to pending for a later attempt; `counted` attempts make the next backoff longer. */
    release: async (id: string, token: string, retry: { at: Date, counted: boolean, error?: string, statusCode?: number }): Promise<void> => {
      await serially(async () => await gradeOutbox.updateOne({ _id: id, claimToken: token }, {
        $set: {
          status: 'pending', claimToken: null, leaseUntil: null, nextAttemptAt: retry.at,
          ...(retry.error !== undefined ? { lastError: retry.error, lastErrorAt: new Date(), lastStatusCode: retry.statusCode ?? null } : {})
        },
        ...(retry.counted ? { $inc: { attempts: 1 } } : {})
      }))
    },

    fail: async (id: string, token: string, error: string, statusCode: number): Promise<void> => {
      await serially(async () => await gradeOutbox.updateOne({ _id: id, claimToken: token }, {
        $set: { status: 'failed', claimToken: null, leaseUntil: null, lastError: error, lastErrorAt: new Date(), lastStatusCode: statusCode },
        $inc: { attempts: 1 }
      }))
    },

    /** Sends failed and waiting scores of the course (or one student) again now. */
    retry: async (courseId: Id, userId?: Id): Promise<number> =>
      (await serially(async () => await gradeOutbox.updateMany({ courseId, ...(userId ? { userId } : {}), status: { $in: ['failed', 'pending'] } }, {
        $set: { status: 'pending', nextAttemptAt: new Date(), attempts: 0 }
      }))).modifiedCount,

    ofCourse: async (courseId: Id, lineItemUrl: string): Promise<OutboxRow[]> =>
      await gradeOutbox.find({ courseId, lineItemUrl }, {
        userId: 1, status: 1, body: 1, attempts: 1, nextAttemptAt: 1, leaseUntil: 1, sentAt: 1, lastError: 1, lastErrorAt: 1, lastStatusCode: 1
      }).lean<OutboxRow[]>(),

    recentErrors: async (courseId: Id, limit = 20): Promise<OutboxRow[]> =>
      await gradeOutbox.find({ courseId, lastErrorAt: { $ne: null } }).sort({ lastErrorAt: -1 }).limit(limit).lean<OutboxRow[]>()
  }
}

export type GradeOutboxRepository = ReturnType<typeof createGradeOutboxRepository>
