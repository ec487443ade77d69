import type { Auth } from '../../auth/require-session'
import { passbackUnavailableReason } from '../../domain/grading/line-item-resolver'
import type { GradeLanes, GradeOutbox, GradeSyncStore, QueuedScore, ScoreResult } from '../../domain/grading/ports'
import type { Id } from '../../domain/ids'

export const SYNC_STATES = ['synced', 'pending', 'sending', 'failed', 'not-queued'] as const
export type SyncState = typeof SYNC_STATES[number]

export interface GradeStatusDeps {
  /** The course's participating students, sorted by name (the progress read model's course table). */
  participants: (courseId: Id) => Promise<Array<{ userId: Id, name: string }>>
  outbox: Pick<GradeOutbox, 'queuedOf' | 'resultsOf'>
  lanes: Pick<GradeLanes, 'held'>
  syncs: Pick<GradeSyncStore, 'find' | 'recomputeState'>
  hasSavedRules: (courseId: Id) => Promise<boolean>
}

const ERRORS_SHOWN = 20
const iso = (d: Date | null | undefined): string | null => d ? d.toISOString() : null

/** A queued score is being sent while a worker holds its lane; without one queued, the result is what the LMS has. */
function stateOf (queued: QueuedScore | undefined, result: ScoreResult | undefined, held: ReadonlySet<number>, now: Date): SyncState {
  if (queued?.status === 'failed') return 'failed'
  if (queued) return held.has(queued.lane) && queued.nextAttemptAt <= now ? 'sending' : 'pending'
  return result ? 'synced' : 'not-queued'
}

/** Per active student, where their score stands between Mentorlink and the LMS gradebook, and the latest errors. */
export async function gradeStatus (deps: GradeStatusDeps, course: Auth['course']) {
  const now = new Date()
  const courseId = String(course._id)
  const [learners, sync, rulesSaved, held, recompute] = await Promise.all([
    deps.participants(courseId), deps.syncs.find(courseId), deps.hasSavedRules(courseId), deps.lanes.held(), deps.syncs.recomputeState(courseId)
  ])
  const lineItemUrl = course.lineItemUrl ?? sync?.lineItemUrl ?? null
  const [queued, results] = lineItemUrl ? await Promise.all([deps.outbox.queuedOf(courseId, lineItemUrl), deps.outbox.resultsOf(courseId, lineItemUrl)]) : [[], []]
  const queuedBy = new Map(queued.map((q) => [String(q.userId), q]))
  const resultBy = new Map(results.map((r) => [String(r.userId), r]))
  const names = new Map(learners.map((l) => [String(l.userId), l.name]))
  const lanesHeld = new Set(held)
  const students = learners.map((l) => {
    const q = queuedBy.get(String(l.userId))
    const r = resultBy.get(String(l.userId))
    const body = q?.body ?? r?.body
    return {
      studentUserId: String(l.userId),
      name: l.name,
      state: stateOf(q, r, lanesHeld, now),
      scoreGiven: body?.scoreGiven ?? null,
      scoreMaximum: body?.scoreMaximum ?? null,
      gradingProgress: body?.gradingProgress ?? null,
      comment: body?.comment ?? null,
      syncedAt: iso(r?.sentAt),
      attempts: q?.attempts ?? 0,
      nextAttemptAt: q?.status === 'pending' && q.nextAttemptAt > now ? iso(q.nextAttemptAt) : null,
      lastError: q?.lastError ?? null
    }
  })
  const count = (state: SyncState): number => students.filter((s) => s.state === state).length
  const errors = [
    ...queued.filter((q) => q.lastError !== null).map((q) => ({ doc: q, resolved: false })),
    ...results.filter((r) => r.lastError !== null).map((r) => ({ doc: r, resolved: true }))
  ].sort((a, b) => (b.doc.lastErrorAt?.getTime() ?? 0) - (a.doc.lastErrorAt?.getTime() ?? 0)).slice(0, ERRORS_SHOWN)
  return {
    rulesSaved,
    unavailableReason: passbackUnavailableReason(course),
    lineItem: lineItemUrl ? { url: lineItemUrl, source: course.lineItemUrl ? 'launch' as const : sync?.lineItemSource ?? 'created' } : null,
    problem: sync?.lineItemError ?? sync?.lastRecomputeError ?? null,
    // Noted only while it was the course's column: still the course's, it is the column the LMS named, and held.
    lineItemGone: sync?.goneLineItemUrl ? { url: sync.goneLineItemUrl, at: iso(sync.goneLineItemAt) ?? '', held: sync.goneLineItemUrl === lineItemUrl } : null,
    recompute,
    counts: Object.fromEntries(SYNC_STATES.map((s) => [s, count(s)])) as Record<SyncState, number>,
    students,
    errors: errors.map(({ doc, resolved }) => ({
      studentUserId: String(doc.userId),
      name: names.get(String(doc.userId)) ?? 'A student no longer active',
      at: iso(doc.lastErrorAt) as string,
      error: doc.lastError ?? '',
      statusCode: 'lastStatusCode' in doc ? doc.lastStatusCode : null,
      resolved
    }))
  }
}

export type GradeStatus = Awaited<ReturnType<typeof gradeStatus>>

/** What the status needs, from the grading parts built at start-up. */
export const gradeStatusDeps = (grading: Omit<GradeStatusDeps, 'hasSavedRules' | 'participants'> & { completion: { hasSavedRules: GradeStatusDeps['hasSavedRules'] } }, participants: GradeStatusDeps['participants']): GradeStatusDeps =>
  ({ participants, outbox: grading.outbox, lanes: grading.lanes, syncs: grading.syncs, hasSavedRules: grading.completion.hasSavedRules })
