import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Models } from './database'
import { retryWhenBusy } from './busy'
import { isDuplicateKey } from './duplicate-key'

interface Term { _id: string, owner: string, expiresAt: Date, startedAt?: Date, createdAt?: Date, released?: boolean }

/** A term taken: its number and its start, later than every earlier term's start even if clocks disagree. */
export interface HeldTerm { term: number, startedAt: Date }

const termId = (name: string, term: number): string => `${name}#${term}`
const topId = (name: string): string => `${name}#top`

/**
 * Leases built on unique inserts (see models/lease.model.ts): exactly one holder per term on MongoDB and on FerretDB.
 * A holder renews its term well before it expires; a contender takes the next term only once the current one has
 * expired or was released, and a holder whose term was taken over learns it at its next renewal.
 */
export function createLeases ({ leases }: Pick<Models, 'leases'>) {
  /** The latest term seen per lease in this process, where counting up starts. */
  const seen = new Map<string, number>()
  /** The terms this process holds, by owner, and until when as last written. */
  const held = new Map<string, { name: string, term: number, expiresAt: Date }>()

  const read = async (name: string, term: number): Promise<Term | null> => await leases.findById(termId(name, term)).lean<Term>()
  /** The latest term of `name` and its document (term 0 and null when it was never taken). */
  const latest = async (name: string): Promise<{ term: number, doc: Term | null }> => {
    const top = seen.has(name) ? undefined : await leases.collection.findOne({ _id: topId(name) as never }) as { term?: number } | null
    let term = seen.get(name) ?? top?.term ?? 0
    let doc = term > 0 ? await read(name, term) : null
    for (;;) {
      const next = await read(name, term + 1)
      if (next === null) break
      term += 1
      doc = next
    }
    if (term > 0) seen.set(name, term)
    return { term, doc }
  }
  /**
   * Where another process starts counting: `$max` can only lose a raise to a concurrent one, so the value is always a
   * term that exists, and counting up from it finds the latest.
   */
  const noteTop = async (name: string, term: number): Promise<void> => {
    try {
      await retryWhenBusy(async () => await leases.collection.updateOne({ _id: topId(name) as never }, { $max: { term } }, { upsert: true }))
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
    }
  }
  const isHeld = (doc: Term | null, now: Date): boolean => doc !== null && doc.released !== true && doc.expiresAt > now

  /** Takes the lease for `owner` unless someone holds it; null if someone does (or won the race for it). */
  const acquire = async (name: string, owner: string, ms: number): Promise<HeldTerm | null> => {
    const now = new Date()
    const { term, doc } = await latest(name)
    if (isHeld(doc, now)) return null
    const previousStart = doc?.startedAt ?? doc?.createdAt
    const startedAt = new Date(Math.max(now.getTime(), (previousStart?.getTime() ?? 0) + 1))
    const expiresAt = new Date(now.getTime() + ms)
    try {
      await retryWhenBusy(async () => await leases.create({ _id: termId(name, term + 1), owner, expiresAt, startedAt }))
    } catch (err) {
      if (isDuplicateKey(err)) return null
      throw err
    }
    seen.set(name, term + 1)
    held.set(owner, { name, term: term + 1, expiresAt })
    await noteTop(name, term + 1)
    return { term: term + 1, startedAt }
  }
  /**
   * Extends `owner`'s term; false when it no longer holds the lease: its term ran out (a contender may take the
   * next one from then on, so running out counts as lost even before anyone did) or was taken over.
   */
  const renew = async (owner: string, ms: number): Promise<boolean> => {
    const mine = held.get(owner)
    if (mine === undefined) return false
    if (mine.expiresAt.getTime() <= Date.now() || await read(mine.name, mine.term + 1) !== null) {
      held.delete(owner)
      return false
    }
    const expiresAt = new Date(Date.now() + ms)
    await retryWhenBusy(async () => await leases.updateOne({ _id: termId(mine.name, mine.term) }, { $set: { expiresAt } }))
    mine.expiresAt = expiresAt
    return true
  }
  /** Ends `owner`'s term so the next contender need not wait for it to expire. */
  const release = async (owner: string): Promise<void> => {
    const mine = held.get(owner)
    if (mine === undefined) return
    held.delete(owner)
    await retryWhenBusy(async () => await leases.updateOne({ _id: termId(mine.name, mine.term) }, { $set: { released: true } }))
  }

  return {
    acquire,
    renew,
    release,
    /**
     * Runs `work` holding `name`, renewed while it runs: waits for another holder to finish (polling every `pollMs`)
     * and gives up after `waitMs`.
     */
    holding: async <T>(name: string, work: () => Promise<T>, { leaseMs = 15_000, waitMs = 30_000, pollMs = 25 } = {}): Promise<T> => {
      const owner = randomUUID()
      const deadline = Date.now() + waitMs
      while (await acquire(name, owner, leaseMs) === null) {
        if (Date.now() >= deadline) throw new Error(`${name} is busy: another process has held it for over ${Math.round(waitMs / 1000)} s`)
        await sleep(pollMs)
      }
      const renewal = setInterval(() => { renew(owner, leaseMs).catch(() => undefined) }, leaseMs / 3)
      try {
        return await work()
      } finally {
        clearInterval(renewal)
        await release(owner)
      }
    },
    /** Whether `owner` still holds its term (nobody took the next one). */
    holds: async (owner: string): Promise<boolean> => {
      const mine = held.get(owner)
      return mine !== undefined && await read(mine.name, mine.term + 1) === null
    },
    /** Until when someone holds `name`, or null. */
    heldUntil: async (name: string): Promise<Date | null> => {
      const { doc } = await latest(name)
      return isHeld(doc, new Date()) ? doc?.expiresAt ?? null : null
    }
  }
}

export type Leases = ReturnType<typeof createLeases>
