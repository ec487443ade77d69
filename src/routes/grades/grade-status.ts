import type { Auth } from '../../auth/require-session'
import { passbackUnavailableReason } from '../../domain/grading/line-item-resolver'
import type { GradeOutboxRepository, OutboxRow } from '../../persistence/repositories/grade-outbox.repository'
import type { GradeSyncRepository } from '../../persistence/repositories/grade-sync.repository'
import type { LearnerRepository } from '../../persistence/repositories/learner.repository'

export const SYNC_STATES = ['synced', 'pending', 'sending', 'failed', 'not-queued'] as const
export type SyncState = typeof SYNC_STATES[number]

export interface GradeStatusDeps {
  learners: Pick<LearnerRepository, 'active'>
  outbox: Pick<GradeOutboxRepository, 'ofCourse' | 'recentErrors'>
  syncs: Pick<GradeSyncRepository, 'find'>
  hasSavedRules: (courseId: Auth['course']['_id']) => Promise<boolean>
}

const iso = (d: Date | null | undefined): string | null => d ? d.toISOString() : null

/** A claim whose lease ran out belongs to a stopped worker: the score waits for the next one. */
function stateOf (row: OutboxRow | undefined, now: Date): SyncState {
  if (!row) return 'not-queued'
  if (row.status === 'sent') return 'synced'
  if (row.status === 'sending') return row.leaseUntil && row.leaseUntil <= now ? 'pending' : 'sending'
  return row.status
}

/** Per active student, where their score stands between Mentorlink and the LMS gradebook, and the latest errors. */
export async function gradeStatus (deps: GradeStatusDeps, course: Auth['course']) {
  const now = new Date()
  const [learners, sync, rulesSaved, recent] = await Promise.all([
    deps.learners.active(course._id), deps.syncs.find(course._id), deps.hasSavedRules(course._id), deps.outbox.recentErrors(course._id)
  ])
  const lineItemUrl = course.lineItemUrl ?? sync?.lineItemUrl ?? null
  const rows = lineItemUrl ? await deps.outbox.ofCourse(course._id, lineItemUrl) : []
  const byUser = new Map(rows.map((r) => [String(r.userId), r]))
  const names = new Map(learners.map((l) => [String(l.userId), l.name]))
  const students = learners.map((l) => {
    const row = byUser.get(String(l.userId))
    return {
      studentUserId: String(l.userId),
      name: l.name,
      state: stateOf(row, now),
      scoreGiven: row?.body.scoreGiven ?? null,
      scoreMaximum: row?.body.scoreMaximum ?? null,
      gradingProgress: row?.body.gradingProgress ?? null,
      comment: row?.body.comment ?? null,
      syncedAt: iso(row?.sentAt),
      attempts: row?.attempts ?? 0,
      nextAttemptAt: row && row.status === 'pending' ? iso(row.nextAttemptAt) : null,
      lastError: row && row.status !== 'sent' ? row.lastError : null
    }
  })
  const count = (state: SyncState): number => students.filter((s) => s.state === state).length
  return {
    rulesSaved,
    unavailableReason: passbackUnavailableReason(course),
    lineItem: lineItemUrl ? { url: lineItemUrl, source: course.lineItemUrl ? 'launch' as const : sync?.lineItemSource ?? 'created' } : null,
    problem: sync?.lineItemError ?? sync?.lastRecomputeError ?? null,
    counts: Object.fromEntries(SYNC_STATES.map((s) => [s, count(s)])) as Record<SyncState, number>,
    students,
    errors: recent.map((r) => ({
      studentUserId: String(r.userId),
      name: names.get(String(r.userId)) ?? 'A student no longer active',
      at: iso(r.lastErrorAt) as string,
      error: r.lastError ?? '',
      statusCode: r.lastStatusCode,
      resolved: r.status === 'sent'
    }))
  }
}

export type GradeStatus = Awaited<ReturnType<typeof gradeStatus>>

/** What the status needs, from the grading parts built at start-up. */
export const gradeStatusDeps = (grading: { learners: GradeStatusDeps['learners'], outbox: GradeStatusDeps['outbox'], syncs: GradeStatusDeps['syncs'], completion: { hasSavedRules: GradeStatusDeps['hasSavedRules'] } }): GradeStatusDeps =>
  ({ learners: grading.learners, outbox: grading.outbox, syncs: grading.syncs, hasSavedRules: grading.completion.hasSavedRules })
