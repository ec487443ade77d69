import { randomUUID } from 'node:crypto'
import { AppError, Errors } from '../../errors'
import type { EventPublisher } from '../events/domain-events'
import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { Logger } from '../logger'
import {
  RosterSourceError,
  type NamesAndRoles, type RosterCourse, type RosterCourseLookup, type RosterRepository, type RosterSyncRepository, type SyncCounts, type SyncProgress, type SyncTrigger
} from './ports'
import { rosterEntriesFrom } from './roster-entries'
import { planRoster } from './roster-plan'

type SyncableCourse = RosterCourse & { membershipsUrl: string }

export interface RosterSyncDeps {
  tenancy: RosterCourseLookup
  nrps: NamesAndRoles
  roster: RosterRepository
  syncs: RosterSyncRepository
  /** Told `StudentsDropped` when a sync drops active members, and `RosterSynced` after each successful sync. */
  events: EventPublisher
  /** An instructor launch starts a sync when the last one finished longer ago than this. */
  maxAgeMinutes: number
  /** How long a claim holds without a heartbeat; a crashed sync blocks the course no longer than this. */
  leaseSeconds?: number
  log: Logger
}

export interface SyncResult { status: 'succeeded', at: Date, counts: SyncCounts }

const HEARTBEAT_MS = 1000

const syncFailed = (message: string) => new AppError('ROSTER_SYNC_FAILED', 502, `The roster sync failed: ${message}`)

/** Syncs course rosters from the platform's Names and Role Provisioning Services, one sync per course at a time. */
export function createRosterSync (deps: RosterSyncDeps) {
  const leaseMs = (deps.leaseSeconds ?? 120) * 1000
  const shutdown = new AbortController()
  const inFlight = new Set<Promise<unknown>>()
  const track = (work: Promise<unknown>): void => {
    const done = (): void => { inFlight.delete(work) }
    inFlight.add(work)
    work.then(done, done)
  }

  const courseWithRoster = async (courseId: Id): Promise<SyncableCourse> => {
    const course = await deps.tenancy.rosterCourse(courseId)
    if (!course) throw Errors.notFound('Course')
    if (!course.membershipsUrl) throw Errors.conflict('The LMS has not offered its Names and Roles service for this course, so the roster cannot be synced')
    return { ...course, membershipsUrl: course.membershipsUrl }
  }

  /** Walks the whole roster, then applies it. Only a complete walk reaches the writes, so a failed page changes nothing. */
  const apply = async (course: SyncableCourse, owner: string, startedAt: Date): Promise<SyncCounts> => {
    // At most one heartbeat a second while pages arrive: the lease lasts minutes and the progress bar polls every second.
    let lastBeat = 0
    const beat = async (progress: SyncProgress, always = false): Promise<void> => {
      if (!always && Date.now() - lastBeat < HEARTBEAT_MS) return
      lastBeat = Date.now()
      if (!await deps.syncs.heartbeat(course.id, owner, progress, leaseMs)) throw new Error('the sync lease expired and another sync took over')
    }
    const snapshot = await deps.nrps.walk(course, {
      signal: shutdown.signal,
      onPage: async (p) => { await beat({ phase: 'fetching', ...p }) }
    })
    await beat({ phase: 'applying', pages: snapshot.pages, members: snapshot.members.length }, true)
    const { entries, listed, skipped } = rosterEntriesFrom(snapshot.members)
    const known = await deps.roster.knownMemberships(course.id)
    const ids = await deps.roster.upsertUsers({ issuer: course.issuer, clientId: course.clientId, deploymentId: course.deploymentId }, entries)
    const withIds = entries.flatMap((entry) => { const userId = ids.get(entry.sub); return userId ? [{ userId, entry }] : [] })
    const plan = planRoster(withIds, known, startedAt)
    await deps.roster.writeMemberships(course.id, plan.writes)
    await deps.roster.dropMissing(course.id, plan.missing, startedAt)
    const dropped = plan.dropped.length > 0 ? await deps.roster.droppedAmong(course.id, plan.dropped) : []
    if (dropped.length > 0) await deps.events.publish({ type: 'StudentsDropped', courseId: course.id, studentUserIds: dropped })
    return { pages: snapshot.pages, listed, added: plan.counts.added, reactivated: plan.counts.reactivated, dropped: dropped.length, skipped }
  }

  /** Runs a claimed sync to its end and records the outcome, success or failure. */
  const run = async (course: SyncableCourse, owner: string, trigger: SyncTrigger): Promise<SyncResult> => {
    const startedAt = new Date()
    try {
      const counts = await apply(course, owner, startedAt)
      const at = new Date()
      await deps.syncs.finish(course.id, owner, { status: 'succeeded', at, counts }, trigger)
      deps.log.info({ courseId: course.id, trigger, counts, ms: at.getTime() - startedAt.getTime() }, 'roster sync succeeded')
      await deps.events.publish({ type: 'RosterSynced', courseId: course.id })
      return { status: 'succeeded', at, counts }
    } catch (err) {
      const message = err instanceof RosterSourceError ? err.message : `internal error (${(err as Error).message})`
      deps.log.warn({ err, courseId: course.id, trigger }, 'roster sync failed')
      await deps.syncs.finish(course.id, owner, { status: 'failed', at: new Date(), error: message }, trigger)
        .catch((finishErr: unknown) => { deps.log.error({ err: finishErr, courseId: course.id }, 'could not record a roster sync failure') })
      throw err instanceof RosterSourceError ? syncFailed(message) : err
    }
  }

  const claim = async (course: RosterCourse, trigger: SyncTrigger): Promise<string | undefined> => {
    const owner = randomUUID()
    return await deps.syncs.claim(course.id, owner, trigger, leaseMs) ? owner : undefined
  }

  /** `course` as the launch just wrote it, so a fresh roster costs no read. */
  const syncIfStale = async (course: RosterCourse): Promise<void> => {
    if (shutdown.signal.aborted || !course.membershipsUrl) return
    const last = course.lastSyncAt
    if (last != null && Date.now() - last.getTime() < deps.maxAgeMinutes * 60_000) return
    const owner = await claim(course, 'launch')
    if (owner !== undefined) await run({ ...course, membershipsUrl: course.membershipsUrl }, owner, 'launch')
  }

  return {
    /** Syncs now and answers the counts; 409 when the course has no roster service or a sync is running. */
    sync: async (courseId: Id, trigger: SyncTrigger): Promise<SyncResult> => {
      const course = await courseWithRoster(courseId)
      const owner = await claim(course, trigger)
      if (owner === undefined) throw Errors.conflict('A roster sync of this course is already running')
      const work = run(course, owner, trigger)
      track(work)
      return await work
    },

    /** Claims the course and syncs in the background; 'running' when another sync already holds it. */
    start: async (courseId: Id, trigger: SyncTrigger): Promise<'started' | 'running'> => {
      const course = await courseWithRoster(courseId)
      const owner = await claim(course, trigger)
      if (owner === undefined) return 'running'
      track(run(course, owner, trigger).catch(() => undefined))
      return 'started'
    },

    /** The launch hook: after an instructor's launch, syncs a stale roster in the background; never throws. */
    afterLaunch: (launch: { course: RosterCourse, role: CourseRole }): void => {
      if (launch.role !== 'instructor') return
      track(new Promise((resolve) => setImmediate(resolve))
        .then(async () => { await syncIfStale(launch.course) })
        .catch((err: unknown) => { if (!(err instanceof AppError)) deps.log.error({ err, courseId: launch.course.id }, 'background roster sync failed') }))
    },

    status: async (courseId: Id) => {
      const record = await deps.syncs.find(courseId)
      const running = record?.leaseUntil != null && record.leaseUntil > new Date()
      return { running, record }
    },

    /** Waits for the syncs running now to finish; true if there were any. */
    settled: async (): Promise<boolean> => {
      const busy = inFlight.size > 0
      await Promise.allSettled([...inFlight])
      return busy
    },

    /** Aborts running syncs and waits for them to record their outcome; for shutdown. */
    close: async (): Promise<void> => {
      shutdown.abort()
      await Promise.allSettled([...inFlight])
    }
  }
}

export type RosterSync = ReturnType<typeof createRosterSync>
