import type { Evaluation } from '../../domain/completion/evaluate'

/** What a progress bar and its list of missing items show, for pages. */
export function progressView (evaluation: Evaluation) {
  const { score, scoreMaximum, complete } = evaluation
  return {
    score,
    scoreMaximum,
    complete,
    percent: scoreMaximum > 0 ? Math.round((score / scoreMaximum) * 100) : 0,
    missing: evaluation.missing.map((m) => ({ ...m, text: `${m.label}: ${m.have} of ${m.need}` })),
    items: evaluation.items
  }
}
export type ProgressView = ReturnType<typeof progressView>
