import { createHash, randomBytes } from 'node:crypto'
import type { MailBatch, MailFailure, MailQueue, QueuedEmail } from '../../domain/notifications/ports'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { MAIL_LANES } from '../models/mail.model'
import { packJson, unpackJson } from '../packed-json'

interface StoredBatch { _id: string, lane: number, dueAt: Date, emailsGz: Buffer | { buffer: Uint8Array } }

/** Emails per batch document: few statements per email, documents of a few megabytes at most. */
const BATCH_SIZE = 500
/** A commit outlives by far any attempt that could still hold the email. */
const KEEP_COMMITS_MS = 90 * 24 * 3600_000
const LOOKUPS_AT_ONCE = 20

export const mailLaneOf = (emailId: string): number => createHash('sha1').update(emailId).digest()[0]! % MAIL_LANES
const newBatchId = (): string => randomBytes(12).toString('hex')

/** Batches per lane of at most BATCH_SIZE emails, all due at `dueAt`. */
export function mailBatchesOf (emails: readonly QueuedEmail[], dueAt: Date): MailBatch[] {
  const byLane = new Map<number, QueuedEmail[]>()
  for (const e of emails) {
    const lane = mailLaneOf(e.message.messageId)
    const list = byLane.get(lane) ?? []
    list.push(e)
    byLane.set(lane, list)
  }
  return [...byLane].flatMap(([lane, all]) => Array.from({ length: Math.ceil(all.length / BATCH_SIZE) }, (_, i) =>
    ({ id: newBatchId(), lane, dueAt, emails: all.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE) })))
}

/** The mail outbox (models/mail.model.ts); every write is an insert or a delete by id, the ones FerretDB makes atomic. */
export function createMailQueueRepository ({ mailQueue, mailLog, mailBegun, mailConfirmed, mailFailures }: Pick<Models, 'mailQueue' | 'mailLog' | 'mailBegun' | 'mailConfirmed' | 'mailFailures'>): MailQueue {
  const queue = mailQueue.collection
  const insertBatches = async (batches: readonly MailBatch[]): Promise<void> => {
    if (batches.length === 0) return
    await retryWhenBusy(async () => await queue.insertMany(batches.map((b) => ({ _id: b.id as never, lane: b.lane, dueAt: b.dueAt, emailsGz: packJson(b.emails) })), { ordered: false }))
  }
  /** Inserts under a unique id; false when the id was taken. */
  /** Which of these ids a collection holds, by id (the lookup FerretDB answers from its index), a few at a time. */
  const foundIn = async (model: Models['mailLog'] | Models['mailConfirmed'], ids: readonly string[]): Promise<Set<string>> => {
    const found = new Set<string>()
    for (let i = 0; i < ids.length; i += LOOKUPS_AT_ONCE) {
      const docs = await Promise.all(ids.slice(i, i + LOOKUPS_AT_ONCE).map(async (id) => await model.collection.findOne({ _id: id as never }, { projection: { _id: 1 } })))
      for (const doc of docs) if (doc) found.add(String(doc._id))
    }
    return found
  }
  const claim = async (insert: () => Promise<unknown>): Promise<boolean> => {
    try {
      await retryWhenBusy(insert)
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  return {
    enqueue: async (emails, dueAt = new Date()) => {
      await insertBatches(mailBatchesOf(emails.map((e) => ({ ...e, attempts: 0, lastError: null })), dueAt))
    },

    dueLanes: async (now) => [...new Set((await queue.find({ dueAt: { $lte: now } }, { projection: { lane: 1 } }).toArray()).map((b) => b.lane as number))],

    laneBatches: async (lane, now) => {
      const stored = await queue.find({ lane, dueAt: { $lte: now } }).toArray() as unknown as StoredBatch[]
      return stored.map((b) => ({ id: b._id, lane: b.lane, dueAt: b.dueAt, emails: unpackJson<QueuedEmail[]>(b.emailsGz) }))
    },

    begin: async (batchId) => await claim(async () => await mailBegun.collection.insertOne({ _id: batchId as never, expiresAt: new Date(Date.now() + KEEP_COMMITS_MS) })),

    // By id, the lookup FerretDB answers from its index, a few at a time: hundreds at once would hold up every other
    // statement of the process (the sender's lease renewals among them). Only a batch an earlier attempt began asks.
    committed: async (emailIds) => await foundIn(mailLog, emailIds),
    confirmed: async (emailIds) => await foundIn(mailConfirmed, emailIds),
    confirm: async (emailId) => {
      try {
        await retryWhenBusy(async () => await mailConfirmed.collection.insertOne({ _id: emailId as never, expiresAt: new Date(Date.now() + KEEP_COMMITS_MS) }))
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
    },

    commit: async ({ message, kind, courseId }) => {
      const at = new Date()
      return await claim(async () => await mailLog.collection.insertOne({ _id: message.messageId as never, kind, courseId, at, expiresAt: new Date(at.getTime() + KEEP_COMMITS_MS) }))
    },

    withdraw: async (emailId) => { await retryWhenBusy(async () => await mailLog.collection.deleteOne({ _id: emailId as never })) },

    fail: async ({ emailId, ...failure }) => {
      await retryWhenBusy(async () => await mailFailures.collection.replaceOne({ _id: emailId as never }, failure, { upsert: true }))
    },

    finish: async (handled, retries) => {
      await insertBatches(retries.flatMap(({ email, dueAt }) => mailBatchesOf([email], dueAt)))
      if (handled.length > 0) await retryWhenBusy(async () => await queue.deleteMany({ _id: { $in: handled as never[] } }))
    },

    failures: async (courseId) => (await mailFailures.collection.find({ courseId }).sort({ at: -1 }).toArray())
      .map(({ _id, kind, courseId, to, subject, state, error, at }) => ({ emailId: String(_id), kind, courseId, to, subject, state, error, at }) as MailFailure)
  }
}
