import type { Connection } from 'mongoose'

/**
 * Rows that expire: on MongoDB, TTL indexes remove them (ltijs declares its own); FerretDB refuses TTL indexes, so
 * there the sweeper removes them instead. Lifetimes are ltijs's own TTLs.
 */
const LTIJS_LIFETIMES_SECONDS: Record<string, number> = {
  nonces: 10,
  states: 600,
  accesstokens: 3600,
  idtokens: 24 * 3600,
  contexttokens: 24 * 3600
}

/** Mentorlink's collections whose documents carry an `expiresAt` after which nobody needs them. */
export const OWN_EXPIRING_COLLECTIONS = ['sessions', 'registration_links', 'deep_link_requests', 'single_use_claims', 'mail_log', 'mail_confirmed', 'mail_begun', 'sign_in_links']

export async function sweepExpired (conn: Connection, now = new Date()): Promise<number> {
  const db = conn.db
  if (!db) return 0
  let removed = 0
  for (const name of OWN_EXPIRING_COLLECTIONS) {
    removed += (await db.collection(name).deleteMany({ expiresAt: { $lt: now } })).deletedCount
  }
  for (const [name, seconds] of Object.entries(LTIJS_LIFETIMES_SECONDS)) {
    const cutoff = new Date(now.getTime() - seconds * 1000)
    removed += (await db.collection(name).deleteMany({ createdAt: { $lt: cutoff } })).deletedCount
  }
  return removed
}

export interface Sweeper { stop: () => void }

export function startSweeper (conn: Connection, intervalSeconds: number, onError: (err: unknown) => void): Sweeper {
  const timer = setInterval(() => { sweepExpired(conn).catch(onError) }, intervalSeconds * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

/** MongoDB answers this when an index of the same keys exists with other options (here: one made before TTL). */
const INDEX_OPTIONS_CONFLICT = 85

/** On MongoDB: a TTL index on `expiresAt` for each expiring collection, turning an older plain index into one. */
export async function ensureTtlIndexes (conn: Connection): Promise<void> {
  const db = conn.db
  if (!db) return
  for (const name of OWN_EXPIRING_COLLECTIONS) {
    try {
      await db.collection(name).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 })
    } catch (err) {
      if ((err as { code?: unknown }).code !== INDEX_OPTIONS_CONFLICT) throw err
      await db.command({ collMod: name, index: { keyPattern: { expiresAt: 1 }, expireAfterSeconds: 0 } })
    }
  }
}

/** On FerretDB: a plain index on `expiresAt` for the sweeper's deletes. */
export async function ensureExpiryIndexes (conn: Connection): Promise<void> {
  const db = conn.db
  if (!db) return
  for (const name of OWN_EXPIRING_COLLECTIONS) await db.collection(name).createIndex({ expiresAt: 1 })
}
