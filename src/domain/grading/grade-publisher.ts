import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { Types } from 'mongoose'
import type { GradeOutboxRepository } from '../../persistence/repositories/grade-outbox.repository'
import type { GradeSyncRepository } from '../../persistence/repositories/grade-sync.repository'
import type { CompletionService } from '../completion/completion-service'
import { scoreMaximumOf } from '../completion/rules'
import type { CourseRole } from '../launch/roles'
import { passbackUnavailableReason, type GradedCourse, type LineItemResolver } from './line-item-resolver'
import { scoreBodyOf } from './score-body'

type Id = Types.ObjectId

export interface RecomputeResult {
  status: 'done' | 'queued' | 'rules-not-saved' | 'unavailable' | 'failed'
  /** Scores that differed from what the outbox held, now waiting to be sent. */
  enqueued: number
  students: number
  reason?: string
}

export interface GradePublisherDeps {
  completion: Pick<CompletionService, 'savedRules' | 'hasSavedRules' | 'evaluateCourse'>
  findCourse: (courseId: Id) => Promise<GradedCourse | null>
  resolveLineItem: LineItemResolver
  syncs: GradeSyncRepository
  outbox: Pick<GradeOutboxRepository, 'enqueue'>
  /** Wakes the grade worker after an enqueue. */
  kick: () => void
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>
  leaseMs?: number
  /** Changes within this window are recomputed together. */
  debounceMs?: number
}

const MAX_PASSES = 5
const asId = (id: Id | string): Id => typeof id === 'string' ? new Types.ObjectId(id) : id

/**
 * Turns completion into queued scores. Every change first sets the course's durable dirty flag; a recompute runs
 * under the course's lease and clears the flag only if nothing changed meanwhile, else computes again. A flag left
 * set (a crash, the LMS down while its gradebook column was being created) is picked up by `tick`.
 */
export function createGradePublisher (deps: GradePublisherDeps) {
  const leaseMs = deps.leaseMs ?? 120_000
  const debounceMs = deps.debounceMs ?? 100
  const inFlight = new Set<Promise<unknown>>()
  const scheduled = new Map<string, NodeJS.Timeout>()
  let ticker: NodeJS.Timeout | undefined
  let closed = false

  const track = (what: string, work: Promise<unknown>): void => {
    const guarded = work.catch((err: unknown) => { deps.log.error({ err }, `${what} failed`) })
    inFlight.add(guarded)
    void guarded.finally(() => inFlight.delete(guarded))
  }

  /** One computation of the given students (or all) into the outbox. */
  const pass = async (courseId: Id, students: readonly Id[] | 'all', force: boolean): Promise<RecomputeResult> => {
    const rules = await deps.completion.savedRules(courseId)
    if (!rules) return { status: 'rules-not-saved', enqueued: 0, students: 0 }
    const course = await deps.findCourse(courseId)
    const reason = course ? passbackUnavailableReason(course) : 'the course is unknown'
    if (!course || reason !== null) return { status: 'unavailable', enqueued: 0, students: 0, reason: reason ?? undefined }
    const lineItemUrl = await deps.resolveLineItem(course, scoreMaximumOf(rules))
    const rows = await deps.completion.evaluateCourse(courseId, rules, students === 'all' ? undefined : students)
    const enqueued = await deps.outbox.enqueue(
      { courseId, issuer: course.issuer, clientId: course.clientId, lineItemUrl },
      rows.map((r) => ({ userId: r.learner.userId, userSub: r.learner.sub, body: scoreBodyOf(r.evaluation, rules) })),
      { force }
    )
    if (enqueued > 0) deps.kick()
    return { status: 'done', enqueued, students: rows.length }
  }

  /** Recomputes under the lease until the flag stays clear; 'queued' when another recompute holds the course. */
  const drain = async (courseId: Id, first: readonly Id[] | 'all', force: boolean): Promise<RecomputeResult> => {
    const owner = randomUUID()
    const lease = await deps.syncs.claimRecompute(courseId, owner, leaseMs)
    if (!lease) return { status: 'queued', enqueued: 0, students: 0 }
    let result: RecomputeResult = { status: 'queued', enqueued: 0, students: 0 }
    let error: string | undefined
    try {
      let seq = lease.dirtySeq
      for (let i = 0; i < MAX_PASSES; i++) {
        result = await pass(courseId, i === 0 ? first : 'all', force && i === 0)
        if (await deps.syncs.markClean(courseId, owner, seq)) break
        seq = await deps.syncs.seqOf(courseId)
      }
    } catch (err) {
      error = (err as Error).message
      result = { status: 'failed', enqueued: 0, students: 0, reason: error }
    }
    const stillDirty = await deps.syncs.releaseRecompute(courseId, owner, error)
    // A change noted while this recompute was finishing found the lease taken: take it up now, unless it failed.
    if (stillDirty && error === undefined) schedule(courseId)
    return result
  }

  const schedule = (courseId: Id): void => {
    const key = String(courseId)
    if (closed || scheduled.has(key)) return
    scheduled.set(key, setTimeout(() => {
      scheduled.delete(key)
      track('grade recompute', drain(courseId, 'all', false))
    }, debounceMs))
  }

  const recompute = async (courseId: Id | string, studentUserIds?: ReadonlyArray<Id | string>, options: { force?: boolean } = {}): Promise<RecomputeResult> => {
    const id = asId(courseId)
    const { wasDirty } = await deps.syncs.markDirty(id)
    // Students named by a caller are enough only if nothing else was waiting to be computed.
    return await drain(id, studentUserIds && !wasDirty ? studentUserIds.map(asId) : 'all', options.force === true)
  }

  const changed = (courseId: Id | string): void => {
    const id = asId(courseId)
    track('marking a course for grade recompute', (async () => {
      if (!await deps.completion.hasSavedRules(id)) return
      await deps.syncs.markDirty(id)
      schedule(id)
    })())
  }

  const tick = async (): Promise<void> => {
    for (const courseId of await deps.syncs.dirtyCourses(20)) await drain(courseId, 'all', false)
  }

  return {
    /** Computes the students' (or every active student's) completion now and queues the scores that changed. */
    recompute,

    /** Something that may move scores happened in the course: recompute it soon, in the background. */
    changed,

    /** Launch hook: keeps the resource link for the gradebook column; a student's launch may have (re)activated them. */
    afterLaunch: (launch: { courseId: Id, role: CourseRole, resourceLinkId?: string }): void => {
      track('grade passback launch hook', (async () => {
        if (launch.resourceLinkId) await deps.syncs.noteResourceLink(launch.courseId, launch.resourceLinkId)
      })())
      if (launch.role === 'student') changed(launch.courseId)
    },

    tick,

    start: (intervalMs: number): void => {
      ticker = setInterval(() => { track('grade recompute retry', tick()) }, intervalMs)
      ticker.unref()
    },

    close: async (): Promise<void> => {
      closed = true
      clearInterval(ticker)
      for (const timer of scheduled.values()) clearTimeout(timer)
      scheduled.clear()
      while (inFlight.size > 0) await Promise.all([...inFlight])
    }
  }
}

export type GradePublisher = ReturnType<typeof createGradePublisher>
