import type { Auth } from '../../auth/require-session'
import type { CompletionService } from '../../domain/completion/completion-service'
import type { CompletionRoutesOptions } from './api'
import { progressView } from './progress-view'

/** Progress towards completion for the home pages: a student's own, a mentor's mentees'. */
export function completionHomeProgress ({ completion, menteesOf }: { completion: CompletionService, menteesOf: CompletionRoutesOptions['menteesOf'] }) {
  return async (auth: Auth): Promise<Record<string, unknown>> => {
    if (auth.role === 'instructor') return {}
    const courseId = String(auth.course._id)
    const { rules } = await completion.rulesOf(courseId)
    if (auth.role === 'student') {
      const [own] = await completion.evaluateCourse(courseId, rules, [String(auth.user._id)])
      return { completion: own ? progressView(own.evaluation) : null }
    }
    const mentees = await menteesOf(courseId, String(auth.user._id))
    const rows = mentees.length > 0 ? await completion.evaluateCourse(courseId, rules, mentees) : []
    return { menteeCompletion: rows.map((r) => ({ id: String(r.learner.userId), name: r.learner.name, ...progressView(r.evaluation) })) }
  }
}
