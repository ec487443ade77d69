import type { DomainEvent, EventPublisher } from '../events/domain-events'
import { placeLateStudents, repairAfterDeactivation, type PairingState } from '../pairing'
import { DomainError } from '../domain-error'
import { serialByKey } from '../serial-by-key'
import { explainPair } from './explain-pair'
import type { ActivePairing, PairingInputs, PairingMaintenanceStore, PairingPlan, ProposedPair } from './pairing-ports'
import { toPairingInput } from './plan-pairing'

export interface MaintenanceReport {
  placed: Array<{ studentId: string, mentorId: string }>
  moved: Array<{ studentId: string, fromMentorId: string, toMentorId: string }>
  unplaced: Array<{ studentId: string, reason: string }>
}

const emptyReport = (): MaintenanceReport => ({ placed: [], moved: [], unplaced: [] })

function stateOf (inputs: PairingInputs, plan: PairingPlan, active: ActivePairing[]): PairingState {
  const { publishedAt: _p, ...settings } = plan
  const { students, mentors, constraints = {}, seed } = toPairingInput(inputs, settings, plan.method)
  const known = new Set(students.map((s) => s.id))
  const pairs = active.filter((p) => known.has(p.studentId)).map(({ studentId, mentorId }) => ({ studentId, mentorId }))
  return { students, mentors, constraints, seed, pairs }
}

/**
 * Keeps a published pairing right without moving anyone who need not move: late students get the best mentor
 * with room (reserve seats included), dropped students are released, a deactivated mentor's mentees are re-paired.
 * Every step is idempotent, so a crash midway is repaired by the next call. Each pairing it changes is published
 * as `StudentsPlaced`, `PairMoved` or `PairReleased`.
 */
export function createPairingMaintenance (store: PairingMaintenanceStore, events: EventPublisher) {
  /** Runs `work`, then publishes what it changed, even when it failed midway, so no saved change goes untold. */
  const announcing = async <T>(work: (changed: DomainEvent[]) => Promise<T>): Promise<T> => {
    const changed: DomainEvent[] = []
    try {
      return await work(changed)
    } finally {
      for (const event of changed) await events.publish(event)
    }
  }
  /** Publishing waits until the course's lease is released, so subscribers never hold it up. */
  // This process's own maintenance of a course waits in line here; the database lease keeps other processes out.
  const inProcess = serialByKey()
  const leased = async <T>(courseId: string, work: (changed: DomainEvent[]) => Promise<T>): Promise<T> =>
    await announcing(async (changed) => await inProcess(courseId, async () => await store.withCourseLease(courseId, async () => await work(changed))))
  const release = async (courseId: string, studentId: string, reason: string, changed: DomainEvent[]): Promise<void> => {
    if (await store.release(courseId, studentId, reason, new Date())) changed.push({ type: 'PairReleased', courseId, studentUserId: studentId, reason })
  }

  /**
   * Pairs the published course's students left without a mentor, moving nobody: placed one after another in one pass
   * (placeLateStudents), written in a few round trips (placeMany).
   */
  const placeUnpairedOf = async (courseId: string, plan: PairingPlan, asked?: { byUserId: string }): Promise<MaintenanceReport> =>
    await leased(courseId, async (changed) => {
      const [inputs, active] = await Promise.all([store.loadInputs(courseId), store.activeList(courseId)])
      const paired = new Set(active.map((p) => p.studentId))
      const state = stateOf(inputs, plan, active)
      const waiting = state.students.filter((s) => !paired.has(s.id))
      const report = emptyReport()
      const pairs: Array<ProposedPair & { explanation: string }> = []
      placeLateStudents(state, waiting).placements.forEach(({ pair, unpaired }, i) => {
        if (pair) {
          pairs.push({ studentId: pair.studentId, mentorId: pair.mentorId, explanation: explainPair(pair.explanation) })
          report.placed.push({ studentId: pair.studentId, mentorId: pair.mentorId })
        } else if (unpaired) {
          report.unplaced.push({ studentId: waiting[i]!.id, reason: unpaired.message })
        }
      })
      // One event for the lot: its subscribers (read model, history, completion) then do one pass, not one per student.
      const announce = (written: readonly ProposedPair[]): void => {
        if (written.length === 0) return
        const placed = written.map(({ studentId, mentorId }) => ({ studentUserId: studentId, mentorId }))
        changed.push(asked
          ? { type: 'StudentsPlaced', courseId, placed, byUserId: asked.byUserId, reason: 'The instructor paired the students without a mentor' }
          : { type: 'StudentsPlaced', courseId, placed })
      }
      try {
        announce(await store.placeMany(courseId, pairs, 'late-enrolment', new Date()))
      } catch (err) {
        // The chunks written before the failure are told all the same: they are among the course's active pairs now.
        const now = new Map((await store.activeList(courseId).catch(() => [])).map((p) => [p.studentId, p.mentorId]))
        announce(pairs.filter((p) => now.get(p.studentId) === p.mentorId))
        throw err
      }
      return report
    })

  /** After a roster change: nothing to do before publication (a run pairs everyone then). */
  const placeUnpaired = async (courseId: string): Promise<MaintenanceReport> => {
    const plan = await store.planOf(courseId)
    return plan.publishedAt ? await placeUnpairedOf(courseId, plan) : emptyReport()
  }

  return {
    placeUnpaired,
    /** The instructor asked to pair the students without a mentor now: refused before publication. */
    placeUnpairedNow: async (courseId: string, byUserId?: string): Promise<MaintenanceReport> => {
      const plan = await store.planOf(courseId)
      if (!plan.publishedAt) throw new DomainError('CONFLICT', 'Publish the pairing first: before that, run it again to pair everyone.')
      return await placeUnpairedOf(courseId, plan, byUserId === undefined ? undefined : { byUserId })
    },
    releaseStudents: async (courseId: string, studentIds: string[], reason: string): Promise<void> => {
      await announcing(async (changed) => { for (const studentId of studentIds) await release(courseId, studentId, reason, changed) })
    },
    repairMentor: async (courseId: string, mentorId: string): Promise<MaintenanceReport> => {
      const plan = await store.planOf(courseId)
      if (!plan.publishedAt) return emptyReport()
      return await leased(courseId, async (changed) => {
        const [inputs, active] = await Promise.all([store.loadInputs(courseId), store.activeList(courseId)])
        if (!active.some((p) => p.mentorId === mentorId)) return emptyReport()
        const repair = repairAfterDeactivation(stateOf(inputs, plan, active), mentorId)
        const report = emptyReport()
        for (const move of repair.moved) {
          if (await store.move(courseId, move.studentId, mentorId, move.toMentorId, 'mentor deactivated', explainPair(move.pair.explanation), new Date())) {
            changed.push({ type: 'PairMoved', courseId, studentUserId: move.studentId, fromMentorId: mentorId, toMentorId: move.toMentorId })
          }
          report.moved.push({ studentId: move.studentId, fromMentorId: mentorId, toMentorId: move.toMentorId })
        }
        for (const u of repair.unplaced) {
          await release(courseId, u.studentId, `mentor deactivated; ${u.message}`, changed)
          report.unplaced.push({ studentId: u.studentId, reason: u.message })
        }
        return report
      })
    }
  }
}

export type PairingMaintenance = ReturnType<typeof createPairingMaintenance>
