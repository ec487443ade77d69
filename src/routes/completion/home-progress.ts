import type { Auth } from '../../auth/require-session'
import type { CompletionService } from '../../domain/completion/completion-service'
import type { Id } from '../../domain/ids'
import { progressView } from './progress-view'

/** The people a home page already knows: a mentor's current mentees, a course's active students. */
export interface HomePeople { mentees?: ReadonlyArray<{ userId: Id, name: string }>, students?: readonly Id[] }

/** Progress towards completion for the home pages: a student's own, a mentor's mentees' (as the home page lists them). */
export function completionHomeProgress ({ completion }: { completion: CompletionService }) {
  return async (auth: Auth, people: HomePeople = {}): Promise<Record<string, unknown>> => {
    if (auth.role === 'instructor') return {}
    const courseId = String(auth.course._id)
    const { rules } = await completion.rulesOf(courseId)
    if (auth.role === 'student') {
      const studentId = String(auth.user._id)
      const own = (await completion.evaluateStudents(courseId, rules, [studentId])).get(studentId)
      return { completion: own ? progressView(own) : null }
    }
    const mentees = people.mentees ?? []
    const evaluations = await completion.evaluateStudents(courseId, rules, mentees.map((m) => m.userId))
    return {
      menteeCompletion: mentees.flatMap((m) => {
        const evaluation = evaluations.get(m.userId)
        return evaluation ? [{ id: m.userId, name: m.name, ...progressView(evaluation) }] : []
      })
    }
  }
}
