/** What planning needs of an outbox batch and its entries. */
export interface PlanEntry { key: string, version: number }
export interface PlanBatch {
  _id: string
  status: 'pending' | 'failed'
  nextAttemptAt: Date
  entries: readonly PlanEntry[]
}
type EntryOf<B extends PlanBatch> = B['entries'][number]

export interface LanePlan<B extends PlanBatch> {
  /** Per (line item, student) whose newest version is due: the entry to send and the batch it is in. */
  due: Array<{ batch: B, entry: EntryOf<B> }>
  /** The newest version of every key in the lane. */
  newest: Map<string, number>
}

/** Only the newest version of each (line item, student) is ever sent; older versions are dropped. Pure. */
export function planLane<B extends PlanBatch> (batches: readonly B[], now: Date): LanePlan<B> {
  const newest = new Map<string, number>()
  for (const b of batches) for (const e of b.entries) newest.set(e.key, Math.max(newest.get(e.key) ?? 0, e.version))
  const due = new Map<string, { batch: B, entry: EntryOf<B> }>()
  for (const batch of batches) {
    if (batch.status !== 'pending' || batch.nextAttemptAt > now) continue
    for (const entry of batch.entries) if (entry.version === newest.get(entry.key) && !due.has(entry.key)) due.set(entry.key, { batch, entry })
  }
  return { due: [...due.values()], newest }
}

/** Batches every entry of which is now dealt with: superseded by a newer version, or of a key that was attempted. */
export function handledBatches<B extends PlanBatch> (batches: readonly B[], newest: ReadonlyMap<string, number>, attempted: ReadonlySet<string>): B[] {
  return batches.filter((b) => b.entries.every((e) => e.version < (newest.get(e.key) ?? 0) || attempted.has(e.key)))
}
