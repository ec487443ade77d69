import { DomainError } from '../domain-error'
import type { DomainEvent, EventPublisher } from '../events/domain-events'
import { explainPair, tagLabels } from './explain-pair'
import type { ActivePairing, PairingMaintenanceStore, PairingRunRecord, PairingStore } from './pairing-ports'
import { settingsOf } from './pairing-service'
import { planPairingOrRefuse } from './plan-pairing'

/** One student whose mentor a re-pair would change: null before means unpaired now, null after means left unpaired. */
export interface RepairChange { studentId: string, fromMentorId: string | null, toMentorId: string | null }

export interface PublishedPairingStore extends Omit<PairingMaintenanceStore, 'withCourseLease'>, Pick<PairingStore, 'saveRun' | 'repairRun' | 'withCourseLease'> {
  /** Makes `runId` (a re-pair preview) the published run. */
  markRepublished: (courseId: string, runId: string, at: Date) => Promise<void>
  /** Back to preview: removes every pairing of the course; answers the students who had an active one. */
  unpublish: (courseId: string) => Promise<string[]>
  /** Whether anyone recorded a mentoring activity or field-trip attendance in the course since `since`. */
  activitySince: (courseId: string, since: Date) => Promise<boolean>
}

/** What differs between the pairs people have now and a run's proposal. */
export function repairChanges (active: readonly ActivePairing[], run: PairingRunRecord): RepairChange[] {
  const now = new Map(active.map((p) => [p.studentId, p.mentorId]))
  const proposed = new Map(run.result.pairs.map((p) => [p.studentId, p.mentorId]))
  const changes: RepairChange[] = []
  for (const student of run.inputs.students) {
    const from = now.get(student.id) ?? null
    const to = proposed.get(student.id) ?? null
    if (from !== to) changes.push({ studentId: student.id, fromMentorId: from, toMentorId: to })
  }
  return changes
}

/**
 * What an instructor can do to a published pairing: move or swap pairs (with a reason), preview a re-pair of
 * everyone and republish it, or unpublish while nobody has done anything together yet. Changes are made under the
 * course's pairing lease and announced one pair at a time, so each student's history keeps every mentor and why.
 */
export function createPublishedPairing (store: PublishedPairingStore, events: EventPublisher) {
  const published = async (courseId: string): Promise<Date> => {
    const plan = await store.planOf(courseId)
    if (!plan.publishedAt) throw new DomainError('CONFLICT', 'The pairing is not published yet: adjust the proposal instead.')
    return plan.publishedAt
  }
  const announceAll = async (changed: DomainEvent[]): Promise<void> => { for (const event of changed) await events.publish(event) }
  const mentorOf = (active: readonly ActivePairing[], studentId: string): string => {
    const pair = active.find((p) => p.studentId === studentId)
    if (!pair) throw new DomainError('CONFLICT', 'This student has no mentor now: pair the students without a mentor instead.')
    return pair.mentorId
  }

  /** Whether unpublishing is still allowed, and the words that say why (not). */
  const unpublishable = async (courseId: string): Promise<{ allowed: boolean, why: string }> => {
    const plan = await store.planOf(courseId)
    if (!plan.publishedAt) return { allowed: false, why: 'The pairing is not published.' }
    if (await store.activitySince(courseId, plan.publishedAt)) {
      return { allowed: false, why: 'Students and mentors have started recording activities together, so the pairing can no longer be unpublished. Move, swap or re-pair instead.' }
    }
    return { allowed: true, why: 'Nobody has recorded an activity or field-trip attendance since publication, so you can still take the pairing back to preview.' }
  }

  return {
    /**
     * Moves one student to a mentor with a free seat. `guard` runs first and `after` once the move is made, under the
     * same lease (a rematch request is checked and decided with the move, so two decisions cannot both move).
     */
    move: async (courseId: string, byUserId: string, studentId: string, toMentorId: string, reason: string, around: { guard?: () => Promise<void>, after?: () => Promise<void> } = {}): Promise<void> => {
      await published(courseId)
      const changed: DomainEvent[] = []
      await store.withCourseLease(courseId, async () => {
        await around.guard?.()
        const [inputs, active] = await Promise.all([store.loadInputs(courseId), store.activeList(courseId)])
        const from = mentorOf(active, studentId)
        if (from === toMentorId) throw new DomainError('CONFLICT', 'The student already has this mentor.')
        const mentor = inputs.mentors.find((m) => m.id === toMentorId && m.active)
        if (!mentor) throw new DomainError('INVALID', 'Choose an active mentor from the course\'s pool.')
        const load = active.filter((p) => p.mentorId === toMentorId).length
        if (load >= mentor.capacity) throw new DomainError('CONFLICT', `${mentor.name} has no free seat (${load} of ${mentor.capacity}). Swap two students instead, or raise the mentor's capacity in the Mentor pool.`)
        if (await store.move(courseId, studentId, from, toMentorId, reason, `Moved by the instructor: ${reason}`, new Date(), true)) {
          changed.push({ type: 'PairMoved', courseId, studentUserId: studentId, fromMentorId: from, toMentorId, byUserId, reason })
        }
        await around.after?.()
      })
      await announceAll(changed)
    },
    /** Exchanges the mentors of two students. */
    swap: async (courseId: string, byUserId: string, studentId: string, otherStudentId: string, reason: string): Promise<void> => {
      await published(courseId)
      if (studentId === otherStudentId) throw new DomainError('INVALID', 'Choose two different students to swap.')
      const changed: DomainEvent[] = []
      await store.withCourseLease(courseId, async () => {
        const active = await store.activeList(courseId)
        const [a, b] = [mentorOf(active, studentId), mentorOf(active, otherStudentId)]
        if (a === b) throw new DomainError('CONFLICT', 'Both students have the same mentor: a swap would change nothing.')
        const at = new Date()
        if (await store.move(courseId, studentId, a, b, reason, `Swapped by the instructor: ${reason}`, at, true)) {
          changed.push({ type: 'PairMoved', courseId, studentUserId: studentId, fromMentorId: a, toMentorId: b, byUserId, reason, swappedWith: otherStudentId })
        }
        if (await store.move(courseId, otherStudentId, b, a, reason, `Swapped by the instructor: ${reason}`, at, true)) {
          changed.push({ type: 'PairMoved', courseId, studentUserId: otherStudentId, fromMentorId: b, toMentorId: a, byUserId, reason, swappedWith: studentId })
        }
      })
      await announceAll(changed)
    },
    /**
     * Runs the pairing afresh on today's students and pool as a preview, changing nothing. Locks and forbidden pairs
     * apply, and so do the pairs a person chose since publication (moves, swaps, accepted requests): those are kept.
     */
    previewRepair: async (courseId: string, byUserId: string): Promise<{ runId: string, changes: RepairChange[] }> => {
      await published(courseId)
      const [plan, inputs, active] = await Promise.all([store.planOf(courseId), store.loadInputs(courseId), store.activeList(courseId)])
      const pinned = active.filter((p) => p.pinned === true)
      const pinnedStudents = new Set(pinned.map((p) => p.studentId))
      const settings = { ...settingsOf(plan), locked: [...plan.locked.filter((p) => !pinnedStudents.has(p.studentId)), ...pinned.map(({ studentId, mentorId }) => ({ studentId, mentorId }))] }
      const planned = planPairingOrRefuse(inputs, settings)
      const runId = await store.saveRun({ courseId, createdBy: byUserId, method: settings.method, seed: settings.seed, settings, inputs, ...planned }, undefined, { repair: true })
      await events.publish({ type: 'PairingRun', courseId, runId, byUserId, reason: 'Previewed a re-pair of everyone', repair: true })
      const run = await store.repairRun(courseId)
      return { runId, changes: run ? repairChanges(active, run) : [] }
    },
    /** The re-pair preview, with who it would change compared with the pairs people have now. */
    repairPreview: async (courseId: string): Promise<{ run: PairingRunRecord, changes: RepairChange[] } | null> => {
      const run = await store.repairRun(courseId)
      return run ? { run, changes: repairChanges(await store.activeList(courseId), run) } : null
    },
    /** Applies the re-pair preview: every student whose mentor it changes is moved, placed or released, with `reason`. */
    republish: async (courseId: string, byUserId: string, runId: string, reason: string): Promise<RepairChange[]> => {
      await published(courseId)
      const changed: DomainEvent[] = []
      const applied: RepairChange[] = []
      try {
        await store.withCourseLease(courseId, async () => {
          const [run, active] = await Promise.all([store.repairRun(courseId), store.activeList(courseId)])
          if (!run || run.id !== runId) throw new DomainError('CONFLICT', 'This re-pair preview is no longer the latest: review the new one first.')
          const labels = tagLabels(run.inputs)
          const explanation = new Map(run.result.pairs.map((p) => [p.studentId, explainPair(p.explanation, labels)]))
          const at = new Date()
          for (const change of repairChanges(active, run)) {
            const { studentId, fromMentorId, toMentorId } = change
            const why = `Re-paired: ${reason}`
            if (fromMentorId === null && toMentorId !== null) {
              if (await store.place(courseId, studentId, toMentorId, 'repair', explanation.get(studentId) ?? why, at)) {
                changed.push({ type: 'StudentPlaced', courseId, studentUserId: studentId, mentorId: toMentorId, byUserId, reason: why })
                applied.push(change)
              }
            } else if (fromMentorId !== null && toMentorId !== null) {
              if (await store.move(courseId, studentId, fromMentorId, toMentorId, why, explanation.get(studentId) ?? why, at)) {
                changed.push({ type: 'PairMoved', courseId, studentUserId: studentId, fromMentorId, toMentorId, byUserId, reason: why })
                applied.push(change)
              }
            } else if (fromMentorId !== null && await store.release(courseId, studentId, `${why} (no mentor with room in the new pairing)`, at)) {
              changed.push({ type: 'PairReleased', courseId, studentUserId: studentId, reason: `${why} (no mentor with room in the new pairing)`, byUserId })
              applied.push(change)
            }
          }
          await store.markRepublished(courseId, runId, at)
        })
      } finally {
        await announceAll(changed)
      }
      await events.publish({ type: 'PairingPublished', courseId, runId, studentUserIds: applied.map((c) => c.studentId), placed: [], byUserId, republished: true, reason })
      return applied
    },
    unpublishable,
    /** Takes the pairing back to preview (within the grace period): students and mentors no longer see their pairing. */
    unpublish: async (courseId: string, byUserId: string, reason: string): Promise<number> => {
      let students: string[] = []
      await store.withCourseLease(courseId, async () => {
        const state = await unpublishable(courseId)
        if (!state.allowed) throw new DomainError('CONFLICT', state.why)
        students = await store.unpublish(courseId)
      })
      await events.publish({ type: 'PairingUnpublished', courseId, byUserId, studentUserIds: students, reason })
      return students.length
    }
  }
}

export type PublishedPairing = ReturnType<typeof createPublishedPairing>
