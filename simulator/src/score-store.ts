import { z } from 'zod'
import type { SimulatorContext } from './context'
import { SimulatorError } from './errors'
import { findMember, type StoredLineItem } from './state'
import type { ScoreRecord } from './types'

export const scoreInputSchema = z.object({
  userId: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
  gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
  scoreGiven: z.number().min(0).optional(),
  scoreMaximum: z.number().positive().optional(),
  comment: z.string().optional()
}).superRefine((score, issues) => {
  if (score.scoreGiven !== undefined && score.scoreMaximum === undefined) {
    issues.addIssue({ code: 'custom', path: ['scoreMaximum'], message: 'required when scoreGiven is present' })
  }
})

export type ScoreInput = z.infer<typeof scoreInputSchema>

/** Microseconds since the epoch, so sub-millisecond timestamps still order correctly. */
export function timestampMicros (iso: string): number {
  const match = /^([^.]+?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i.exec(iso)
  const fraction = (match?.[2] ?? '').padEnd(6, '0').slice(0, 6)
  return Date.parse(`${match?.[1] ?? iso}${match?.[3] ?? ''}`) * 1000 + Number(fraction)
}

export function scoreKey (item: StoredLineItem, userId: string): string {
  return `${item.key} ${userId}`
}

/**
 * Stores a score after the platform's checks: a gradable learner and a strictly newer timestamp, answered as the
 * profile does (Canvas 422 and 400, Moodle 400 and 409). Some grading progress values drop the score's value.
 */
export function recordScore (ctx: SimulatorContext, item: StoredLineItem, input: ScoreInput): ScoreRecord {
  const { state, profile } = ctx
  const member = findMember(state, item.courseId, input.userId)
  if (member?.status !== 'Active' || !member.roles.includes('Learner')) {
    throw new SimulatorError(profile.nonStudentScore.status, profile.nonStudentScore.message, 'userId')
  }
  const key = scoreKey(item, input.userId)
  const previous = state.latestScores.get(key)
  if (previous !== undefined && timestampMicros(input.timestamp) <= timestampMicros(previous.timestamp)) {
    throw new SimulatorError(ctx.staleScoreStatus, profile.staleScore.message, 'timestamp')
  }
  const { scoreGiven: _value, ...withoutValue } = input
  const kept = profile.dropsValueWhen.includes(input.gradingProgress) ? withoutValue : input
  const record: ScoreRecord = { ...kept, courseId: item.courseId, lineItemId: item.id, receivedAt: new Date().toISOString() }
  state.latestScores.set(key, record)
  state.scoreHistory.push(record)
  return record
}
