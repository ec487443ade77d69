import { DomainError } from '../domain-error'
import type { EventPublisher } from '../events/domain-events'
import { explainPair, tagLabels } from './explain-pair'
import type { KnockOn, PairingPlan, PairingRunRecord, PairingStore, PlanSettings, ProposedPair, UndoStep } from './pairing-ports'
import { planPairingOrRefuse } from './plan-pairing'

export type Adjustment =
  | { action: 'lock' | 'unlock' | 'forbid' | 'unforbid', studentId: string, mentorId: string }
  | { action: 'move', studentId: string, mentorId: string }

const samePair = (a: ProposedPair, b: ProposedPair): boolean => a.studentId === b.studentId && a.mentorId === b.mentorId
const without = (pairs: ProposedPair[], p: ProposedPair): ProposedPair[] => pairs.filter((x) => !samePair(x, p))
export const settingsOf = ({ publishedAt: _p, undo: _u, ...settings }: PairingPlan): PlanSettings => settings

function adjusted (plan: PairingPlan, change: Adjustment): PlanSettings {
  const pair = { studentId: change.studentId, mentorId: change.mentorId }
  const next = settingsOf(plan)
  switch (change.action) {
    case 'lock': return { ...next, locked: [...without(plan.locked, pair), pair], forbidden: without(plan.forbidden, pair) }
    case 'unlock': return { ...next, locked: without(plan.locked, pair) }
    case 'forbid': return { ...next, forbidden: [...without(plan.forbidden, pair), pair], locked: without(plan.locked, pair) }
    case 'unforbid': return { ...next, forbidden: without(plan.forbidden, pair) }
    // Moving a student pins them to the new mentor: the next run keeps that pair.
    case 'move': return { ...next, locked: [...plan.locked.filter((p) => p.studentId !== pair.studentId), pair], forbidden: without(plan.forbidden, pair) }
  }
}

/** How the page and the history name an adjustment, e.g. "Locked Lucia Ferreira with Grace Ode". */
const ADJUSTMENT_WORDS = {
  lock: (s: string, m: string) => `Locked ${s} with ${m}`,
  unlock: (s: string, m: string) => `Unlocked ${s} from ${m}`,
  forbid: (s: string, m: string) => `Forbade pairing ${s} with ${m}`,
  unforbid: (s: string, m: string) => `Allowed ${s} with ${m} again`,
  move: (s: string, m: string) => `Moved ${s} to ${m}`
} as const

/** The students other than `studentId` whose mentor differs between two runs' proposals. */
function knockOnsOf (before: PairingRunRecord | null, after: PairingRunRecord['result'], studentId: string): KnockOn[] {
  if (!before) return []
  const now = new Map(after.pairs.map((p) => [p.studentId, p.mentorId]))
  return before.result.pairs
    .filter((p) => p.studentId !== studentId && now.get(p.studentId) !== p.mentorId)
    .map((p) => ({ studentId: p.studentId, fromMentorId: p.mentorId, toMentorId: now.get(p.studentId) ?? null }))
}

/**
 * Preview, adjust and publish the course's pairing; every run is stored so runs can be compared and audited.
 * Runs are announced as `PairingRun`, publishing as `PairingPublished`.
 */
export function createPairingService (store: PairingStore, events: EventPublisher) {
  const assertNotPublished = (plan: PairingPlan): void => {
    if (plan.publishedAt) throw new DomainError('CONFLICT', 'The pairing is published: existing pairs are frozen. Move or swap pairs, pair the students without a mentor, or preview a re-pair instead.')
  }
  /**
   * `settings`: new settings to run with and keep; `read`: the course's plan as the caller just read it; `undo`: the
   * adjustment this run makes, given its result (null forgets the last one).
   */
  const run = async (courseId: string, byUserId: string, options: { settings?: PlanSettings, read?: PairingPlan, undo?: (result: PairingRunRecord['result']) => UndoStep | null, reason?: string } = {}) => {
    const [current, inputs] = await Promise.all([options.read ?? store.planOf(courseId), store.loadInputs(courseId)])
    assertNotPublished(current)
    const settings = options.settings ?? settingsOf(current)
    const planned = planPairingOrRefuse(inputs, settings)
    const undo = options.undo?.(planned.result)
    const id = await store.saveRun({ courseId, createdBy: byUserId, method: settings.method, seed: settings.seed, settings, inputs, ...planned }, options.settings, { undo })
    await events.publish({ type: 'PairingRun', courseId, runId: id, byUserId, reason: options.reason ?? 'Ran the pairing' })
    return { id, ...planned }
  }
  const publishRun = async (courseId: string, latest: PairingRunRecord, byUserId: string | undefined): Promise<number> => {
    const labels = tagLabels(latest.inputs)
    const pairs = latest.result.pairs.map((p) => ({ studentId: p.studentId, mentorId: p.mentorId, explanation: explainPair(p.explanation, labels) }))
    const placed = await store.publish(courseId, latest.id, pairs, new Date())
    if (placed === null) return 0
    await events.publish({
      type: 'PairingPublished', courseId, runId: latest.id, studentUserIds: pairs.map((p) => p.studentId), byUserId,
      placed: placed.map((p) => ({ studentUserId: p.studentId, mentorId: p.mentorId }))
    })
    return placed.length
  }
  return {
    // A run that is not an adjustment ends what undo can take back.
    run: async (courseId: string, byUserId: string) => await run(courseId, byUserId, { undo: () => null }),
    saveSettings: async (courseId: string, byUserId: string, settings: Pick<PairingPlan, 'method' | 'balanceLoad' | 'differentOrganisation' | 'reserveFraction' | 'seed'>) => {
      const current = await store.planOf(courseId)
      assertNotPublished(current)
      return await run(courseId, byUserId, { settings: { ...settingsOf(current), ...settings }, read: current, undo: () => null, reason: 'Changed the method or constraints' })
    },
    /**
     * Locks, forbids or moves one pair and runs again, remembering the students the change moved besides the one it
     * was about (to make room, or because a locked pair took their mentor), so the page can name every knock-on move.
     */
    adjust: async (courseId: string, byUserId: string, change: Adjustment, names: { student: string, mentor: string } = { student: 'a student', mentor: 'a mentor' }) => {
      const [current, before] = await Promise.all([store.planOf(courseId), store.latestRun(courseId)])
      assertNotPublished(current)
      const label = ADJUSTMENT_WORDS[change.action](names.student, names.mentor)
      return await run(courseId, byUserId, {
        settings: adjusted(current, change),
        read: current,
        undo: (result) => ({ locked: current.locked, forbidden: current.forbidden, label, knockOns: knockOnsOf(before, result, change.studentId) }),
        reason: label
      })
    },
    /** Restores the locks and forbidden pairs from before the last adjustment and runs again; one step only. */
    undo: async (courseId: string, byUserId: string): Promise<string> => {
      const current = await store.planOf(courseId)
      assertNotPublished(current)
      if (!current.undo) throw new DomainError('CONFLICT', 'There is no adjustment to undo.')
      const settings = { ...settingsOf(current), locked: current.undo.locked, forbidden: current.undo.forbidden }
      await run(courseId, byUserId, { settings, read: current, undo: () => null, reason: `Undid "${current.undo.label}"` })
      return current.undo.label
    },
    /**
     * Publishes the latest run; one that pairs nobody only when `allowEmpty` says the instructor means it. Publishing
     * the run again completes a publication a failure interrupted (and changes nothing after one that completed).
     */
    publish: async (courseId: string, runId: string, { allowEmpty = false, byUserId }: { allowEmpty?: boolean, byUserId?: string } = {}): Promise<number> =>
      await store.withCourseLease(courseId, async () => {
        const [latest, current] = await Promise.all([store.latestRun(courseId), store.planOf(courseId)])
        if (!latest || latest.id !== runId) throw new DomainError('CONFLICT', 'Only the latest pairing run can be published; review it first.')
        if (current.publishedAt && latest.publishedAt === null) assertNotPublished(current)
        if (latest.result.pairs.length === 0 && !allowEmpty) {
          throw new DomainError('CONFLICT', 'This pairing pairs nobody, so publishing it would tell every student they have no mentor. Add mentors with free seats and run it again, or confirm that you want to publish it empty.')
        }
        return await publishRun(courseId, latest, byUserId)
      })
  }
}

export type PairingService = ReturnType<typeof createPairingService>
