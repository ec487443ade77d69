import type { ProgressInput } from '../activities/progress-counts'
import type { Id } from '../ids'
import type { CompletionCounts } from './requirements'

/** A participating student of a course (active, not the LMS's test user): the only members grades go to. */
export interface Learner { userId: Id, sub: string, name: string, email: string }

export interface LearnerStore {
  /** The course's participating students (all, or those given), sorted by name. */
  active: (courseId: Id, only?: readonly Id[]) => Promise<Learner[]>
}

/** Rules as the store keeps them: checked against the current catalogue by the domain as they are read. */
export interface StoredRules { fields: { requirements: unknown, partialCredit: unknown, runningScores: unknown }, updatedAt: Date }

export interface CompletionRulesStore {
  find: (courseId: Id) => Promise<StoredRules | null>
  exists: (courseId: Id) => Promise<boolean>
  save: (courseId: Id, rules: { requirements: object, partialCredit: boolean, runningScores: string }, by: Id) => Promise<void>
}

/**
 * The port completion reads the mentoring record through: per student (user id), the counts of what completion
 * can require. Without `studentUserIds`, every active student of the course. Students with nothing recorded may be
 * missing from the map; callers treat them as all zeros.
 */
export type ProgressSource = (courseId: Id, studentUserIds?: readonly Id[]) => Promise<Map<Id, CompletionCounts>>

/** The activities' record of a course: live entries of the given students (or all of them), ids as text. */
export type ProgressInputReader = (courseId: Id, students: readonly Id[] | 'all') => Promise<ProgressInput>
