import type { Types } from 'mongoose'
import type {
  Activity, Contact, Goal, GoalProgressEntry, GoalRepository, Reflection, StudentRecordRepositories
} from '../../domain/activities/ports'
import type { Models } from '../database'
import { toId, toObjectId } from '../ids'
import { createStudentRecordRepository, noOwnIds, type RecordIds } from './student-record.repository'

interface StoredBy { by: Types.ObjectId }
const byId = <E extends StoredBy>(e: E) => ({ ...e, by: toId(e.by) })
const byObjectId = <E extends { by: string }>(e: E) => ({ ...e, by: toObjectId(e.by) })

const activityIds: RecordIds<Activity> = {
  read: (doc) => {
    const review = doc.review as (Partial<StoredBy> & { at?: Date, comment: string }) | null | undefined
    return { review: review ? { ...review, by: review.by ? toId(review.by) : review.by } as Activity['review'] : null }
  },
  write: (fields) => 'review' in fields ? { review: fields.review ? byObjectId(fields.review) : null } : {}
}
const goalIds: RecordIds<Goal> = {
  read: (doc) => ({ progress: ((doc.progress ?? []) as StoredBy[]).map(byId) as unknown as GoalProgressEntry[] }),
  write: (fields) => fields.progress ? { progress: fields.progress.map(byObjectId) } : {}
}
const reflectionIds: RecordIds<Reflection> = {
  read: (doc) => ({ activityId: doc.activityId ? toId(doc.activityId as Types.ObjectId) : null }),
  write: (fields) => 'activityId' in fields ? { activityId: fields.activityId ? toObjectId(fields.activityId) : null } : {}
}

/** The four kinds of student record, each through the one generic repository. */
export function createStudentRecordRepositories (models: Pick<Models, 'activities' | 'goals' | 'contacts' | 'reflections' | 'singleUseClaims'>): StudentRecordRepositories {
  const goals = createStudentRecordRepository<Goal>(models.goals, { targetDate: 1 }, goalIds, models)
  const goalRepository: GoalRepository = {
    ...goals,
    addProgress: async (seen, entry) =>
      await goals.apply(seen, { $push: { progress: byObjectId(entry) }, ...(entry.status ? { $set: { status: entry.status } } : {}) })
  }
  return {
    activities: createStudentRecordRepository<Activity>(models.activities, { date: -1 }, activityIds, models),
    goals: goalRepository,
    contacts: createStudentRecordRepository<Contact>(models.contacts, { name: 1 }, noOwnIds, models),
    reflections: createStudentRecordRepository<Reflection>(models.reflections, { date: -1 }, reflectionIds, models)
  }
}
