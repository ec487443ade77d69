import { randomUUID } from 'node:crypto'
import type { CompletionService } from '../completion/completion-service'
import { scoreMaximumOf } from '../completion/rules'
import type { Id } from '../ids'
import type { EventPublisher } from '../events/domain-events'
import type { Logger } from '../logger'
import { passbackUnavailableReason } from './line-item-resolver'
import type { GradedCourseLookup, GradeOutbox, GradeSyncStore, LineItemResolver } from './ports'
import { sameScore, scoreBodyOf } from './score-body'

export interface RecomputeResult {
  status: 'done' | 'queued' | 'rules-not-saved' | 'unavailable' | 'failed'
  /** Scores that differed from what the outbox held, now waiting to be sent. */
  enqueued: number
  students: number
  reason?: string
}

export interface GradePublisherDeps {
  completion: Pick<CompletionService, 'savedRules' | 'hasSavedRules' | 'evaluateCourse'>
  findCourse: GradedCourseLookup
  resolveLineItem: LineItemResolver
  syncs: GradeSyncStore
  outbox: Pick<GradeOutbox, 'enqueue'>
  /** Wakes the grade worker after an enqueue. */
  kick: () => void
  /** Tells who reached completion (CompletionReached), when the app listens. */
  events?: EventPublisher
  log: Pick<Logger, 'warn' | 'error'>
  leaseMs?: number
  /** Changes within this window are recomputed together. */
  debounceMs?: number
  /** How long an asked-for recompute waits for another one of the course to finish before it answers 'queued'. */
  waitForLeaseMs?: number
}

const MAX_PASSES = 5
/** A forced recompute queues every score again, as if each had changed. */
const treatAsChanged = (): boolean => false

/**
 * Turns completion into queued scores. Every change first leaves a durable mark on the course; a recompute runs
 * under the course's lease and deletes the marks it read before computing, so a change noted meanwhile makes it
 * compute again. Marks left behind (a crash, the LMS down while its gradebook column was being created) are picked
 * up by `tick`.
 */
export function createGradePublisher (deps: GradePublisherDeps) {
  const leaseMs = deps.leaseMs ?? 10_000
  const debounceMs = deps.debounceMs ?? 100
  const waitForLeaseMs = deps.waitForLeaseMs ?? 5000
  const inFlight = new Set<Promise<unknown>>()
  const scheduled = new Map<string, NodeJS.Timeout>()
  /** The resource link this process last noted per course: a re-launch from the same link writes nothing. */
  const notedLinks = new Map<Id, string>()
  let ticker: NodeJS.Timeout | undefined
  let closed = false

  /** Keeps `close` waiting for the work; its outcome is the caller's. */
  const hold = async <T>(work: Promise<T>): Promise<T> => {
    const settled = work.then(() => undefined, () => undefined)
    inFlight.add(settled)
    void settled.finally(() => inFlight.delete(settled))
    return await work
  }
  const track = (what: string, work: Promise<unknown>): void => {
    void hold(work.catch((err: unknown) => { deps.log.error({ err }, `${what} failed`) }))
  }

  /** One computation of the given students (or all) into the outbox, queued only while `stillHeld`. */
  const pass = async (courseId: Id, students: readonly Id[] | 'all', force: boolean, stillHeld: () => Promise<boolean>): Promise<RecomputeResult> => {
    const rules = await deps.completion.savedRules(courseId)
    if (!rules) return { status: 'rules-not-saved', enqueued: 0, students: 0 }
    const course = await deps.findCourse(courseId)
    const reason = course ? passbackUnavailableReason(course) : 'the course is unknown'
    if (!course || reason !== null) return { status: 'unavailable', enqueued: 0, students: 0, reason: reason ?? undefined }
    const lineItemUrl = await deps.resolveLineItem(course, scoreMaximumOf(rules))
    const rows = await deps.completion.evaluateCourse(courseId, rules, students === 'all' ? undefined : students)
    // A recompute that lost its lease (this process stalled past it) must not queue scores older than its successor's.
    if (!await stillHeld()) throw new Error('the recompute lease was lost; the process that took it over recomputes the course')
    const queued = new Set(await deps.outbox.enqueue(
      { courseId, issuer: course.issuer, clientId: course.clientId, lineItemUrl },
      rows.map((r) => ({ userId: r.learner.userId, userSub: r.learner.sub, body: scoreBodyOf(r.evaluation, rules) })),
      { unchanged: force ? treatAsChanged : sameScore }
    ))
    if (queued.size > 0) deps.kick()
    // A complete student whose score changed may have just completed (the notifier tells each once).
    const completed = rows.filter((r) => r.evaluation.complete && queued.has(r.learner.userId)).map((r) => r.learner.userId)
    if (completed.length > 0) await deps.events?.publish({ type: 'CompletionReached', courseId, studentUserIds: completed })
    return { status: 'done', enqueued: queued.size, students: rows.length }
  }

  /**
   * Recomputes under the lease until no change waits; 'queued' when another recompute holds the course. The lease
   * is short and renewed while the work runs, so a dead process's recompute is taken over within seconds.
   */
  const drain = async (courseId: Id, first: readonly Id[] | 'all', force: boolean): Promise<RecomputeResult> => {
    const owner = randomUUID()
    if (!await deps.syncs.claimRecompute(courseId, owner, leaseMs)) return { status: 'queued', enqueued: 0, students: 0 }
    const stillHeld = async (): Promise<boolean> => await deps.syncs.renewRecompute(owner, leaseMs)
    const renewal = setInterval(() => { stillHeld().catch((err: unknown) => { deps.log.warn({ err }, 'renewing a recompute lease failed') }) }, leaseMs / 3)
    let result: RecomputeResult = { status: 'queued', enqueued: 0, students: 0 }
    let error: string | undefined
    try {
      for (let i = 0; i < MAX_PASSES; i++) {
        const marks = await deps.syncs.marksOf(courseId)
        result = await pass(courseId, i === 0 ? first : 'all', force && i === 0, stillHeld)
        if (await deps.syncs.clearMarks(courseId, marks)) break
      }
    } catch (err) {
      error = (err as Error).message
      result = { status: 'failed', enqueued: 0, students: 0, reason: error }
    } finally {
      clearInterval(renewal)
    }
    const stillDirty = await deps.syncs.releaseRecompute(courseId, owner, error)
    // A change noted while this recompute was finishing found the lease taken: take it up now, unless it failed.
    if (stillDirty && error === undefined) schedule(courseId)
    return result
  }

  const schedule = (courseId: Id): void => {
    if (closed || scheduled.has(courseId)) return
    scheduled.set(courseId, setTimeout(() => {
      scheduled.delete(courseId)
      track('grade recompute', drain(courseId, 'all', false))
    }, debounceMs))
  }

  const recompute = async (courseId: Id, studentUserIds?: readonly Id[], options: { force?: boolean } = {}): Promise<RecomputeResult> => {
    const wasDirty = (await deps.syncs.marksOf(courseId)).length > 0
    await deps.syncs.markDirty(courseId)
    // This recompute takes up everything marked so far (saving rules marks the course just before recomputing it).
    clearTimeout(scheduled.get(courseId))
    scheduled.delete(courseId)
    // Students named by a caller are enough only if nothing else was waiting to be computed.
    const first = studentUserIds && !wasDirty ? studentUserIds : 'all'
    // Someone is waiting for this answer: while another recompute of the course runs (here or in another process),
    // wait for it briefly and then compute, rather than answer 'queued'.
    const deadline = Date.now() + waitForLeaseMs
    for (;;) {
      const result = await drain(courseId, first, options.force === true)
      if (result.status !== 'queued' || Date.now() >= deadline || closed) return result
      await new Promise((resolve) => setTimeout(resolve, debounceMs))
    }
  }

  /** Resolves once the durable flag is set (so a crash after it still recomputes); the recompute itself runs later. */
  const changed = async (courseId: Id): Promise<void> => {
    await hold((async () => {
      if (!await deps.completion.hasSavedRules(courseId)) return
      await deps.syncs.markDirty(courseId)
      schedule(courseId)
    })())
  }

  const tick = async (): Promise<void> => {
    for (const courseId of await deps.syncs.dirtyCourses(20)) await drain(courseId, 'all', false)
  }

  return {
    /** Computes the students' (or every active student's) completion now and queues the scores that changed. */
    recompute,

    /** Something that may move scores happened in the course: marks it now, recomputes it soon in the background. */
    changed,

    /** Launch hook: keeps the resource link for the gradebook column (any of a course's links will do: written once per link seen). */
    afterLaunch: (launch: { courseId: Id, resourceLinkId?: string }): void => {
      const { courseId, resourceLinkId } = launch
      if (!resourceLinkId || notedLinks.get(courseId) === resourceLinkId) return
      notedLinks.set(courseId, resourceLinkId)
      track('grade passback launch hook', deps.syncs.noteResourceLink(courseId, resourceLinkId).catch((err: unknown) => {
        notedLinks.delete(courseId)
        throw err
      }))
    },

    tick,

    start: (intervalMs: number): void => {
      ticker = setInterval(() => { track('grade recompute retry', tick()) }, intervalMs)
      ticker.unref()
    },

    /** Waits until no recompute is scheduled or running; true if one was. */
    settled: async (): Promise<boolean> => {
      let busy = false
      while (inFlight.size > 0 || scheduled.size > 0) {
        busy = true
        if (inFlight.size > 0) await Promise.allSettled([...inFlight])
        else await new Promise((resolve) => setTimeout(resolve, debounceMs))
      }
      return busy
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
