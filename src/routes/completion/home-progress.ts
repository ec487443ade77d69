import type { Auth } from '../../auth/require-session'
import type { CompletionService } from '../../domain/completion/completion-service'
import type { CompletionRoutesOptions } from './api'
import { progressView } from './progress-view'

/** Progress towards completion for the home pages: a student's own, a mentor's mentees'. */
export function completionHomeProgress ({ completion, menteesOf }: { completion: CompletionService, menteesOf: CompletionRoutesOptions['menteesOf'] }) {
  return async (auth: Auth): Promise<Record<string, unknown>> => {
    if (auth.role === 'instructor') return {}
    const { rules } = await completion.rulesOf(auth.course._id)
    if (auth.role === 'student') {
      const [own] = await completion.evaluateCourse(auth.course._id, rules, [auth.user._id])
      return { completion: own ? progressView(own.evaluation) : null }
    }
    const mentees = await menteesOf(auth.course._id, auth.user._id)
    const rows = mentees.length > 0 ? await completion.evaluateCourse(auth.course._id, rules, mentees) : []
    return { menteeCompletion: rows.map((r) => ({ id: String(r.learner.userId), name: r.learner.name, ...progressView(r.evaluation) })) }
  }
}
