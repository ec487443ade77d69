import type { Connection } from 'mongoose'

/**
 * FerretDB refuses TTL indexes (ltijs declares them on its nonces, states and tokens), so expired rows are removed
 * here instead, on both MongoDB and FerretDB. Lifetimes are ltijs's own TTLs.
 */
const LTIJS_LIFETIMES_SECONDS: Record<string, number> = {
  nonces: 10,
  states: 600,
  accesstokens: 3600,
  idtokens: 24 * 3600,
  contexttokens: 24 * 3600
}

const OWN_EXPIRING_COLLECTIONS = ['oidc_logins', 'sessions', 'registration_links', 'deep_link_requests', 'single_use_claims']

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
