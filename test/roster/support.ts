import type { FastifyInstance } from 'fastify'
import type { EventPublisher } from '../../src/domain/events/domain-events'
import { createEventBus } from '../../src/domain/events/event-bus'
import { createRosterSync } from '../../src/domain/roster/roster-sync'
import { createNrpsClient } from '../../src/lti/nrps-client'
import { createRosterSyncRepository } from '../../src/persistence/repositories/roster-sync.repository'
import { createRosterRepository } from '../../src/persistence/repositories/roster.repository'
import { createTenancyRepository } from '../../src/persistence/repositories/tenancy.repository'
import type { SimRole, Simulator } from '@mentorlink/simulator'

/** A roster sync service over the app's database and service tokens, publishing to the test's own events. */
export function rosterSyncFor (app: FastifyInstance, events: EventPublisher = createEventBus((err) => { throw err })) {
  const { models } = app.db
  return createRosterSync({
    tenancy: createTenancyRepository(models),
    roster: createRosterRepository(models),
    syncs: createRosterSyncRepository(models),
    nrps: createNrpsClient({ tokens: app.serviceTokens }),
    maxAgeMinutes: 60,
    log: app.log,
    events
  })
}

export async function waitFor<T> (probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}


export async function courseOf (app: FastifyInstance, contextId: string) {
  const course = await app.db.models.courses.findOne({ contextId }).lean()
  if (!course) throw new Error(`no course ${contextId}`)
  return course
}

export async function syncRecord (app: FastifyInstance, contextId: string) {
  return await app.db.models.rosterSyncs.findOne({ courseId: (await courseOf(app, contextId))._id }).lean()
}

/** Waits until a sync of the course finished after `after` and none is running; answers its record. */
export async function waitForSync (app: FastifyInstance, contextId: string, after = new Date(0)) {
  return await waitFor(async () => {
    const course = await app.db.models.courses.findOne({ contextId }).lean()
    const record = course && await app.db.models.rosterSyncs.findOne({ courseId: course._id }).lean()
    return record?.lastSyncAt != null && record.lastSyncAt > after && record.leaseUntil == null ? record : undefined
  }, `a roster sync of ${contextId}`)
}

export async function membershipOf (app: FastifyInstance, contextId: string, sub: string) {
  const course = await courseOf(app, contextId)
  const user = await app.db.models.users.findOne({ issuer: course.issuer, sub }).lean()
  return user && await app.db.models.memberships.findOne({ courseId: course._id, userId: user._id }).lean()
}

/** Adds a person to a simulated course (or back into it) as an active member. */
export function enrol (sim: Simulator, courseId: string, userId: string, roles: SimRole[]): void {
  if (!sim.state.users.has(userId)) sim.addUser({ id: userId, name: `Test ${userId}`, givenName: 'Test', familyName: userId, email: `${userId}@example.edu` })
  sim.state.courses.get(courseId)?.members.push({ userId, roles, status: 'Active' })
}

export const api = (app: FastifyInstance, token: string | undefined) => async (method: string, path: string, body?: unknown) =>
  await fetch(`${app.config.publicUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token ?? ''}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
