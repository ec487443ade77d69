import type { Models } from '../database'
import type { ActivityDoc } from '../models/activity.model'
import type { ContactDoc } from '../models/contact.model'
import type { GoalDoc } from '../models/goal.model'
import type { ReflectionDoc } from '../models/reflection.model'
import { createStudentRecordRepository, type StudentRecord } from './student-record.repository'

export type Activity = ActivityDoc & StudentRecord
export type Goal = GoalDoc & StudentRecord
export type Contact = ContactDoc & StudentRecord
export type Reflection = ReflectionDoc & StudentRecord

/** The four kinds of student record, each through the one generic repository. */
export function createStudentRecordRepositories (models: Pick<Models, 'activities' | 'goals' | 'contacts' | 'reflections'>) {
  return {
    activities: createStudentRecordRepository<Activity>(models.activities, { date: -1 }),
    goals: createStudentRecordRepository<Goal>(models.goals, { targetDate: 1 }),
    contacts: createStudentRecordRepository<Contact>(models.contacts, { name: 1 }),
    reflections: createStudentRecordRepository<Reflection>(models.reflections, { date: -1 })
  }
}

export type StudentRecordRepositories = ReturnType<typeof createStudentRecordRepositories>
