import { handledBatches, planLane, type PlanBatch } from '../../src/domain/grading/lane-plan'

const now = new Date('2026-03-01T10:00:00Z')
const later = new Date('2026-03-01T10:05:00Z')
const batch = (id: string, entries: Array<[string, number]>, state: Partial<PlanBatch> = {}): PlanBatch =>
  ({ _id: id, status: 'pending', nextAttemptAt: now, entries: entries.map(([key, version]) => ({ key, version })), ...state })

describe('planning a lane', () => {
  it('sends only the newest version of each student, once, and drops the older ones', () => {
    const batches = [batch('a', [['k1', 1], ['k2', 1]]), batch('b', [['k1', 2]]), batch('c', [['k1', 2]])]
    const plan = planLane(batches, now)
    expect(plan.due.map((d) => `${d.entry.key} v${d.entry.version}`).sort()).toEqual(['k1 v2', 'k2 v1'])
    expect(handledBatches(batches, plan.newest, new Set(['k1', 'k2'])).map((b) => b._id)).toEqual(['a', 'b', 'c'])
  })

  it('waits for a newer version that is not due yet, and never sends the older one meanwhile', () => {
    const batches = [batch('a', [['k1', 1]]), batch('retry', [['k1', 2]], { nextAttemptAt: later })]
    const plan = planLane(batches, now)
    expect(plan.due).toEqual([])
    expect(handledBatches(batches, plan.newest, new Set()).map((b) => b._id)).toEqual(['a'])
  })

  it('leaves failed scores alone until retried, and keeps a batch whose students were not all attempted', () => {
    const batches = [batch('failed', [['k1', 3]], { status: 'failed' }), batch('b', [['k2', 1], ['k3', 1]])]
    const plan = planLane(batches, now)
    expect(plan.due.map((d) => d.entry.key)).toEqual(['k2', 'k3'])
    expect(handledBatches(batches, plan.newest, new Set(['k2'])).map((b) => b._id)).toEqual([])
    const retried = [...batches, batch('copy', [['k1', 3]])]
    expect(planLane(retried, now).due.map((d) => d.batch._id).sort()).toEqual(['b', 'b', 'copy'])
    expect(handledBatches(retried, planLane(retried, now).newest, new Set(['k1', 'k2', 'k3'])).map((b) => b._id)).toEqual(['failed', 'b', 'copy'])
  })
})
