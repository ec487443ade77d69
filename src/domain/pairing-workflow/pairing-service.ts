import { DomainError } from '../domain-error'
import type { EventPublisher } from '../events/domain-events'
import { PairingInputError } from '../pairing/pairing-error'
import { explainPair, tagLabels } from './explain-pair'
import type { PairingPlan, PairingStore, ProposedPair } from './pairing-ports'
import { planPairing } from './plan-pairing'

export type Adjustment =
  | { action: 'lock' | 'unlock' | 'forbid' | 'unforbid', studentId: string, mentorId: string }
  | { action: 'move', studentId: string, mentorId: string }

const samePair = (a: ProposedPair, b: ProposedPair): boolean => a.studentId === b.studentId && a.mentorId === b.mentorId
const without = (pairs: ProposedPair[], p: ProposedPair): ProposedPair[] => pairs.filter((x) => !samePair(x, p))

function adjusted (plan: PairingPlan, change: Adjustment): Omit<PairingPlan, 'publishedAt'> {
  const pair = { studentId: change.studentId, mentorId: change.mentorId }
  const { publishedAt: _published, ...next } = plan
  switch (change.action) {
    case 'lock': return { ...next, locked: [...without(plan.locked, pair), pair], forbidden: without(plan.forbidden, pair) }
    case 'unlock': return { ...next, locked: without(plan.locked, pair) }
    case 'forbid': return { ...next, forbidden: [...without(plan.forbidden, pair), pair], locked: without(plan.locked, pair) }
    case 'unforbid': return { ...next, forbidden: without(plan.forbidden, pair) }
    // Moving a student pins them to the new mentor: the next run keeps that pair.
    case 'move': return { ...next, locked: [...plan.locked.filter((p) => p.studentId !== pair.studentId), pair], forbidden: without(plan.forbidden, pair) }
  }
}

/**
 * Preview, adjust and publish the course's pairing; every run is stored so runs can be compared and audited.
 * Publishing is announced as `PairingPublished`.
 */
export function createPairingService (store: PairingStore, events: EventPublisher) {
  const assertNotPublished = (plan: PairingPlan): void => {
    if (plan.publishedAt) throw new DomainError('CONFLICT', 'The pairing is published: existing pairs are frozen and late students are placed automatically.')
  }
  /** `plan`: new settings to run with and keep; `read`: the course's plan as the caller just read it. */
  const run = async (courseId: string, byUserId: string, plan?: Omit<PairingPlan, 'publishedAt'>, read?: PairingPlan) => {
    const [current, inputs] = await Promise.all([read ?? store.planOf(courseId), store.loadInputs(courseId)])
    assertNotPublished(current)
    const settings = plan ?? (({ publishedAt: _p, ...rest }) => rest)(current)
    let planned
    try {
      planned = planPairing(inputs, settings)
    } catch (err) {
      if (err instanceof PairingInputError) throw new DomainError('INVALID', err.message)
      throw err
    }
    const id = await store.saveRun({ courseId, createdBy: byUserId, method: settings.method, seed: settings.seed, settings, inputs, ...planned }, plan)
    return { id, ...planned }
  }
  return {
    run,
    saveSettings: async (courseId: string, byUserId: string, settings: Pick<PairingPlan, 'method' | 'balanceLoad' | 'differentOrganisation' | 'reserveFraction' | 'seed'>) => {
      const plan = await store.planOf(courseId)
      assertNotPublished(plan)
      const { publishedAt: _p, ...rest } = plan
      return await run(courseId, byUserId, { ...rest, ...settings }, plan)
    },
    adjust: async (courseId: string, byUserId: string, change: Adjustment) => {
      const plan = await store.planOf(courseId)
      assertNotPublished(plan)
      return await run(courseId, byUserId, adjusted(plan, change), plan)
    },
    /** Publishes the latest run; one that pairs nobody only when `allowEmpty` says the instructor means it. */
    publish: async (courseId: string, runId: string, { allowEmpty = false } = {}): Promise<number> => {
      const latest = await store.latestRun(courseId)
      if (!latest || latest.id !== runId) throw new DomainError('CONFLICT', 'Only the latest pairing run can be published; review it first.')
      if (latest.result.pairs.length === 0 && !allowEmpty) {
        throw new DomainError('CONFLICT', 'This pairing pairs nobody, so publishing it would tell every student they have no mentor. Add mentors with free seats and run it again, or confirm that you want to publish it empty.')
      }
      const labels = tagLabels(latest.inputs)
      const pairs = latest.result.pairs.map((p) => ({ studentId: p.studentId, mentorId: p.mentorId, explanation: explainPair(p.explanation, labels) }))
      const placed = await store.publish(courseId, runId, pairs, new Date())
      await events.publish({
        type: 'PairingPublished', courseId, runId, studentUserIds: pairs.map((p) => p.studentId),
        placed: placed.map((p) => ({ studentUserId: p.studentId, mentorId: p.mentorId }))
      })
      return placed.length
    }
  }
}

export type PairingService = ReturnType<typeof createPairingService>
