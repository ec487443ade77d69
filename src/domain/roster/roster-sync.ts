import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Types } from 'mongoose'
import { AppError, Errors } from '../../errors'
import { NrpsError, type NrpsClient } from '../../lti/nrps-client'
import type { CourseDoc } from '../../persistence/models/course.model'
import type { RosterRepository } from '../../persistence/repositories/roster.repository'
import type {
  RosterSyncRepository, SyncCounts, SyncProgress, SyncTrigger
} from '../../persistence/repositories/roster-sync.repository'
import type { TenancyRepository } from '../../persistence/repositories/tenancy.repository'
import type { CourseRole } from '../launch/roles'
import { rosterEntriesFrom } from './roster-entries'
import { planRoster } from './roster-plan'

type Id = Types.ObjectId
type Course = CourseDoc & { _id: Id }

export type DroppedListener = (courseId: Id, userIds: Id[]) => void | Promise<void>

export interface RosterSyncDeps {
  tenancy: Pick<TenancyRepository, 'findCourse'>
  nrps: NrpsClient
  roster: RosterRepository
  syncs: RosterSyncRepository
  /** An instructor launch starts a sync when the last one finished longer ago than this. */
  maxAgeMinutes: number
  /** How long a claim holds without a heartbeat; a crashed sync blocks the course no longer than this. */
  leaseSeconds?: number
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>
  /** Told which active members a sync dropped, after that is saved (the pairing code releases their pairings). */
  onDropped?: DroppedListener[]
  /** Told after each successful sync (the pairing code places students the roster brought in). */
  onSynced?: Array<(courseId: Id) => void | Promise<void>>
}

export interface SyncResult { status: 'succeeded', at: Date, counts: SyncCounts }

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

  const courseWithRoster = async (courseId: Id): Promise<Course & { membershipsUrl: string }> => {
    const course = await deps.tenancy.findCourse(courseId)
    if (!course) throw Errors.notFound('Course')
    if (!course.membershipsUrl) throw Errors.conflict('The LMS has not offered its Names and Roles service for this course, so the roster cannot be synced')
    return { ...course, membershipsUrl: course.membershipsUrl }
  }

  const notifyDropped = async (courseId: Id, userIds: Id[]): Promise<void> => {
    if (userIds.length === 0) return
    for (const listener of deps.onDropped ?? []) {
      try { await listener(courseId, userIds) } catch (err) { deps.log.error({ err, courseId }, 'a roster onDropped listener failed') }
    }
  }

  /** Walks the whole roster, then applies it. Only a complete walk reaches the writes, so a failed page changes nothing. */
  const apply = async (course: Course & { membershipsUrl: string }, owner: string, startedAt: Date): Promise<SyncCounts> => {
    const beat = async (progress: SyncProgress): Promise<void> => {
      if (!await deps.syncs.heartbeat(course._id, owner, progress, leaseMs)) throw new Error('the sync lease expired and another sync took over')
    }
    const snapshot = await deps.nrps.walk(course, {
      signal: shutdown.signal,
      onPage: async (p) => { await beat({ phase: 'fetching', ...p }) }
    })
    await beat({ phase: 'applying', pages: snapshot.pages, members: snapshot.members.length })
    const { entries, listed, skipped } = rosterEntriesFrom(snapshot.members)
    const known = await deps.roster.knownMemberships(course._id)
    const ids = await deps.roster.upsertUsers({ issuer: course.issuer, clientId: course.clientId, deploymentId: course.deploymentId }, entries)
    const withIds = entries.flatMap((entry) => { const userId = ids.get(entry.sub); return userId ? [{ userId, entry }] : [] })
    const plan = planRoster(withIds, known, startedAt)
    await deps.roster.writeMemberships(course._id, plan.writes)
    await deps.roster.dropMissing(course._id, plan.missing, startedAt)
    const dropped = plan.dropped.length > 0 ? await deps.roster.droppedAmong(course._id, plan.dropped) : []
    await notifyDropped(course._id, dropped)
    return { pages: snapshot.pages, listed, added: plan.counts.added, reactivated: plan.counts.reactivated, dropped: dropped.length, skipped }
  }

  /** Runs a claimed sync to its end and records the outcome, success or failure. */
  const run = async (course: Course & { membershipsUrl: string }, owner: string, trigger: SyncTrigger): Promise<SyncResult> => {
    const startedAt = new Date()
    try {
      const counts = await apply(course, owner, startedAt)
      const at = new Date()
      await deps.syncs.finish(course._id, owner, { status: 'succeeded', at, counts }, trigger)
      deps.log.info({ courseId: course._id, trigger, counts, ms: at.getTime() - startedAt.getTime() }, 'roster sync succeeded')
      for (const listener of deps.onSynced ?? []) {
        try { await listener(course._id) } catch (err) { deps.log.error({ err, courseId: course._id }, 'a roster onSynced listener failed') }
      }
      return { status: 'succeeded', at, counts }
    } catch (err) {
      const message = err instanceof NrpsError ? err.message : `internal error (${(err as Error).message})`
      deps.log.warn({ err, courseId: course._id, trigger }, 'roster sync failed')
      await deps.syncs.finish(course._id, owner, { status: 'failed', at: new Date(), error: message }, trigger)
        .catch((finishErr: unknown) => { deps.log.error({ err: finishErr, courseId: course._id }, 'could not record a roster sync failure') })
      throw err instanceof NrpsError ? syncFailed(message) : err
    }
  }

  const claim = async (course: Course, trigger: SyncTrigger): Promise<string | undefined> => {
    const owner = randomUUID()
    return await deps.syncs.claim(course._id, owner, trigger, leaseMs) ? owner : undefined
  }

  const syncIfStale = async (courseId: Id): Promise<void> => {
    if (shutdown.signal.aborted) return
    const course = await deps.tenancy.findCourse(courseId)
    if (!course?.membershipsUrl) return
    const last = (await deps.syncs.find(courseId))?.lastSyncAt
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
    afterLaunch: (launch: { courseId: Id, role: CourseRole }): void => {
      if (launch.role !== 'instructor') return
      track(new Promise((resolve) => setImmediate(resolve))
        .then(async () => { await syncIfStale(launch.courseId) })
        .catch((err: unknown) => { if (!(err instanceof AppError)) deps.log.error({ err, courseId: launch.courseId }, 'background roster sync failed') }))
    },

    status: async (courseId: Id) => {
      const record = await deps.syncs.find(courseId)
      const running = record?.leaseUntil != null && record.leaseUntil > new Date()
      return { running, record }
    },

    /** Aborts running syncs and waits for them to record their outcome; for shutdown. */
    close: async (): Promise<void> => {
      shutdown.abort()
      await Promise.allSettled([...inFlight])
    }
  }
}

export type RosterSync = ReturnType<typeof createRosterSync>
