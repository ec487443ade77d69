import type { Auth } from '../../auth/require-session'
import type { ReportInput } from '../../domain/activities/course-report'
import { countProgress, emptyProgress } from '../../domain/activities/progress-counts'
import { completionCountsOf } from '../../domain/completion/activities-progress'
import type { CompletionService } from '../../domain/completion/completion-service'
import type { Assessment } from '../../domain/competencies/ports'
import { evaluate } from '../../domain/completion/evaluate'
import { sameId, type Id } from '../../domain/ids'
import type { CourseTotals } from '../../domain/progress/course-table'
import type { MenteeLine } from '../../domain/progress/student-progress'
import { progressView } from './progress-view'

/** What a home page has already read, so that each of its panels does not read it again. */
export interface HomePeople {
  /** A mentor's current mentees, with where their records stand. */
  mentees?: ReadonlyArray<MenteeLine & { userId: Id }>
  /** The course at a glance. */
  totals?: CourseTotals
  /** A signed-in student's own progress. */
  own?: ReportInput
  /** The submitted assessments of the student, or of the mentor's mentees (completion may require self-assessments). */
  assessments?: readonly Assessment[]
}

/** Progress towards completion for the home pages: a student's own, a mentor's mentees' (as the home page lists them). */
export function completionHomeProgress ({ completion }: { completion: Pick<CompletionService, 'rulesOf'> }) {
  return async (auth: Auth, people: HomePeople = {}): Promise<Record<string, unknown>> => {
    if (auth.role === 'instructor') return {}
    const { rules } = await completion.rulesOf(String(auth.course._id))
    // The activities' counts do not hold assessments: the submitted self-assessments are added as completion counts them.
    const selfAssessed = (id: Id): number => (people.assessments ?? []).filter((a) => a.side === 'self' && sameId(a.studentUserId, id)).length
    const standing = (id: Id, counts: Parameters<typeof completionCountsOf>[0]) => progressView(evaluate(rules, { ...completionCountsOf(counts), assessments: selfAssessed(id) }))
    if (auth.role === 'student') {
      const studentId = String(auth.user._id)
      const counts = people.own ? countProgress([studentId], people.own).get(studentId) : undefined
      return { completion: standing(studentId, counts ?? emptyProgress()) }
    }
    return {
      menteeCompletion: (people.mentees ?? []).map((m) => ({ id: m.userId, name: m.name, ...standing(m.userId, m.counts) }))
    }
  }
}
