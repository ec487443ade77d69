import type { Evaluation } from '../completion/evaluate'
import { countPhrase } from '../completion/requirements'
import type { CompletionRules } from '../completion/rules'

/** An AGS score without userId and timestamp: those are added when it is sent. */
export interface ScoreBody {
  scoreGiven?: number
  scoreMaximum: number
  activityProgress: 'InProgress' | 'Completed'
  gradingProgress: 'FullyGraded' | 'Pending'
  comment: string
}

const COMMENT_MAX = 500

export function completionComment (evaluation: Evaluation): string {
  if (evaluation.complete) return 'Mentoring programme complete.'
  const comment = `Missing: ${evaluation.missing.map((m) => countPhrase(m.requirement, m.need - m.have)).join(', ')}.`
  return comment.length > COMMENT_MAX ? `${comment.slice(0, COMMENT_MAX - 1)}…` : comment
}

/**
 * The score a student's completion yields. Held-back running scores go as Pending without scoreGiven, so no
 * platform shows a number before completion (Canvas ignores it for Pending, Moodle blanks it).
 */
export function scoreBodyOf (evaluation: Evaluation, rules: Pick<CompletionRules, 'runningScores'>): ScoreBody {
  const graded = evaluation.complete || rules.runningScores === 'shown'
  return {
    ...(graded ? { scoreGiven: evaluation.score } : {}),
    scoreMaximum: evaluation.scoreMaximum,
    activityProgress: evaluation.complete ? 'Completed' : 'InProgress',
    gradingProgress: graded ? 'FullyGraded' : 'Pending',
    comment: completionComment(evaluation)
  }
}

/** Field-by-field equality, so a recompute enqueues only scores that changed. */
export function sameScore (a: ScoreBody, b: ScoreBody): boolean {
  return a.scoreGiven === b.scoreGiven && a.scoreMaximum === b.scoreMaximum && a.activityProgress === b.activityProgress &&
    a.gradingProgress === b.gradingProgress && a.comment === b.comment
}
