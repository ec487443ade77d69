import type { z } from 'zod'
import type { Id } from '../ids'
import { dayToDate } from '../term/calendar-day'
import { assertWithinTerm } from '../term/term'
import type { Actor } from './access'
import type { Goal, GoalRepository } from './ports'
import type { GoalCreate, GoalPatch, GoalProgress } from './record-fields'
import { createRecordService, type RecordServiceDeps } from './record-service'

type Progress = z.output<typeof GoalProgress>

/** Short- and long-term goals: the student and their mentor both set and update them. */
export function createGoalService (repo: GoalRepository, deps: RecordServiceDeps) {
  const records = createRecordService<Goal, z.output<typeof GoalCreate>, z.output<typeof GoalPatch>>({
    entity: 'goal',
    label: 'Goal',
    repo,
    readers: ['student', 'mentor', 'instructor'],
    writers: ['student', 'mentor'],
    toNew: (_actor, input) => ({ ...input, targetDate: dayToDate(input.targetDate), progress: [] }),
    toUpdate: (_actor, _existing, { targetDate, ...patch }) =>
      ({ ...patch, ...(targetDate !== undefined ? { targetDate: dayToDate(targetDate) } : {}) })
  }, deps)
  return {
    ...records,
    /** A dated progress note, optionally moving the goal to a new status. */
    addProgress: async (actor: Actor, id: Id, { date, note, status }: Progress): Promise<Goal> =>
      await records.change(actor, id, 'progress', 'GoalProgressed', async (existing) => {
        assertWithinTerm(actor.term, date, 'date')
        return await repo.addProgress(existing, { date: dayToDate(date), note, by: actor.userId, at: new Date(), ...(status ? { status } : {}) })
      })
  }
}

export type GoalService = ReturnType<typeof createGoalService>
