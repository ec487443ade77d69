import type { Id } from '../ids'
import type { ScoreBody } from './score-body'

// ---- The LMS's Assignment and Grade Services (implemented by lti/ags-client.ts)

export const AGS_SCOPE = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score'
} as const

/** A request that got no HTTP answer (network error, timeout, no token): worth retrying. */
export class AgsRequestError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'AgsRequestError'
  }
}

export interface AgsPlatform { issuer: string, clientId: string }
export interface RateBudget { remaining: number, cost: number }
export interface AgsAnswer {
  status: number
  body: string
  retryAfter: string | null
  link: string | null
  /** Canvas's throttle budget: `X-Rate-Limit-Remaining` and this request's `X-Request-Cost`, when sent. */
  budget?: RateBudget
}
export interface LineItem { id: string, label?: string, tag?: string, resourceLinkId?: string }

export interface AgsPort {
  /** Any HTTP answer is returned; no answer at all throws AgsRequestError. */
  postScore: (platform: AgsPlatform, lineItemUrl: string, score: Record<string, unknown>, signal?: AbortSignal) => Promise<AgsAnswer>
  findLineItems: (platform: AgsPlatform, scopes: string[], lineItemsUrl: string, filters: Record<string, string | undefined>) => Promise<LineItem[]>
  createLineItem: (platform: AgsPlatform, lineItemsUrl: string, item: Record<string, unknown>) => Promise<LineItem>
}

// ---- Courses and their gradebook column

/** What grade passback needs of a course, as the LMS set it up at launch. */
export interface GradedCourse {
  id: Id
  issuer: string
  clientId: string
  lineItemsUrl?: string | null
  lineItemUrl?: string | null
  agsScopes: string[]
}
export type GradedCourseLookup = (courseId: Id) => Promise<GradedCourse | null>

/** The line item (its URL) a course's scores go to, found or created if need be. */
export type LineItemResolver = (course: GradedCourse, scoreMaximum: number) => Promise<string>

export type LineItemSource = 'launch' | 'found' | 'created'

export interface GradeSyncState {
  resourceLinkId?: string | null
  lineItemUrl?: string | null
  lineItemSource?: LineItemSource | null
  lineItemError?: string | null
  lastRecomputeError?: string | null
  /** The course's last line item the LMS answered 404 for (deleted there), and when. */
  goneLineItemUrl?: string | null
  goneLineItemAt?: Date | null
}

/** Where a course's recompute stands: computing now, changes waiting for one, or nothing to do. */
export type RecomputeState = 'running' | 'waiting' | 'idle'

/**
 * A course's grade passback state: its line item (and the lease to create one), the changes waiting for a
 * recompute (marks), and the recompute lease.
 */
export interface GradeSyncStore {
  find: (courseId: Id) => Promise<GradeSyncState | null>
  noteResourceLink: (courseId: Id, resourceLinkId: string) => Promise<void>
  /** The line item a launch named (a deep-linked assignment): it wins over one Mentorlink found or created. */
  useLineItem: (courseId: Id, lineItemUrl: string, source: LineItemSource) => Promise<void>
  /** Takes the right to find or create the course's line item; false while another holds it, or once one exists. */
  claimLineItem: (courseId: Id, owner: string, leaseMs: number) => Promise<boolean>
  /** Records the line item found or created; false when the claim was lost meanwhile. */
  setLineItem: (courseId: Id, owner: string, lineItemUrl: string, source: LineItemSource) => Promise<boolean>
  releaseLineItem: (courseId: Id, owner: string, error: string) => Promise<void>
  /**
   * The LMS no longer has this line item: notes it, and if it is still the course's and `forget`, lets the course
   * find or create another. Under the line item lease, so it never undoes a line item created meanwhile.
   */
  lineItemGone: (courseId: Id, lineItemUrl: string, options: { forget: boolean }) => Promise<void>
  /** Notes that scores of the course may have changed (one insert: every event pays it). */
  markDirty: (courseId: Id) => Promise<void>
  /** The recompute lease: one recompute per course at a time, so an older computation never lands after a newer one. */
  claimRecompute: (courseId: Id, owner: string, leaseMs: number) => Promise<boolean>
  /** Extends the lease; false when it was lost (ran out or taken over). */
  renewRecompute: (owner: string, leaseMs: number) => Promise<boolean>
  /** The changes noted so far: a computation started after reading them covers them. */
  marksOf: (courseId: Id) => Promise<string[]>
  /** Deletes the marks a computation covered; answers whether none remain (else: compute again). */
  clearMarks: (courseId: Id, marks: readonly string[]) => Promise<boolean>
  /** Answers whether changes still wait. */
  releaseRecompute: (courseId: Id, owner: string, error?: string) => Promise<boolean>
  dirtyCourses: (limit: number) => Promise<Id[]>
  recomputeState: (courseId: Id) => Promise<RecomputeState>
}

/**
 * Scores the LMS answered 404 for, its line item deleted there: 'resend' when they go to the course's column again
 * (found or created anew by the next recompute), 'held' when the LMS named that column (the instructor chose it).
 */
export type LineItemGoneHandler = (target: OutboxTarget) => Promise<'resend' | 'held'>

// ---- The grade outbox

export type OutboxStatus = 'pending' | 'failed'
export interface OutboxTarget { courseId: Id, issuer: string, clientId: string, lineItemUrl: string }
export interface WantedScore { userId: Id, userSub: string, body: ScoreBody }

export interface OutboxEntry {
  key: string
  version: number
  userId: Id
  userSub: string
  body: ScoreBody
  attempts: number
  lastError: string | null
  lastErrorAt: Date | null
  lastStatusCode: number | null
}
export interface OutboxBatch extends OutboxTarget { _id: string, lane: number, status: OutboxStatus, nextAttemptAt: Date, entries: OutboxEntry[] }
/** An entry with its batch's target and state: one student's queued score. */
export type QueuedScore = OutboxEntry & OutboxTarget & { lane: number, status: OutboxStatus, nextAttemptAt: Date }

/** A score the LMS accepted. */
export interface ScoreResult { _id: string, courseId: Id, lineItemUrl: string, userId: Id, version: number, body: ScoreBody, timestamp: Date, sentAt: Date, lastError: string | null, lastErrorAt: Date | null }

/** What a worker did with a lane: batches to add (retries, failures), scores the LMS accepted, batches done with. */
export interface LaneOutcome { copies: OutboxBatch[], sent: Array<{ score: QueuedScore, timestamp: Date, at: Date }>, handled: string[] }

export interface EnqueueOptions {
  /** A wanted score equal by this to the newest queued or accepted one is not queued again. */
  unchanged: (latest: ScoreBody, wanted: ScoreBody) => boolean
  now?: Date
}

export interface GradeOutbox {
  /** Queues each wanted score as the newest version of its (line item, student) unless `unchanged`; answers whose were queued. */
  enqueue: (target: OutboxTarget, wanted: readonly WantedScore[], options: EnqueueOptions) => Promise<Id[]>
  /** A lane with a batch due now that nobody holds, if any. */
  nextDueLane: (now: Date, held: readonly number[]) => Promise<number | undefined>
  laneBatches: (lane: number) => Promise<OutboxBatch[]>
  finishLane: (outcome: LaneOutcome) => Promise<void>
  /** Sends failed and waiting scores of the course (or one student) again now; answers how many. */
  retry: (courseId: Id, userId?: Id, now?: Date) => Promise<number>
  /** The newest queued version per student of the course's line item. */
  queuedOf: (courseId: Id, lineItemUrl: string) => Promise<QueuedScore[]>
  resultsOf: (courseId: Id, lineItemUrl: string) => Promise<ScoreResult[]>
}

/** Claims on outbox lanes: at most one holder per lane, each claim with a score timestamp later than the last. */
export interface GradeLanes {
  held: () => Promise<number[]>
  /** Takes the lane unless someone holds it; answers the claim's score timestamp. */
  acquire: (lane: number, token: string, leaseMs: number) => Promise<Date | null>
  /** Extends the claim by `leaseMs`; false when it was lost. */
  renew: (lane: number, token: string, leaseMs: number) => Promise<boolean>
  release: (lane: number, token: string) => Promise<void>
}

// ---- Pacing shared by every worker sending to a platform

/** A platform's pause and the pace allowed across every worker: at most one send per `intervalMs` (0: unpaced). */
export interface SharedPace { pausedUntil: number, intervalMs: number }

export interface PaceStore {
  read: (platform: string) => Promise<SharedPace | null>
  write: (platform: string, pace: SharedPace) => Promise<void>
  /** Notes that this worker is sending; workers not seen for a while stop counting. */
  announce: (workerId: string) => Promise<void>
  /** Forgets this worker at once (it stopped). */
  leave: (workerId: string) => Promise<void>
  /** Workers sending now, this one included. */
  workers: () => Promise<number>
}

