import type { FastifyInstance } from 'fastify'
import { canvasDeveloperKeyConfig } from '../../src/lti/canvas-config'
import { startSimulator, type ProfileName, type SimRole, type Simulator, type SimulatorOptions } from '@mentorlink/simulator'
import { FAST_GRADES } from '../grades/support'
import { callApi, type JsonAnswer } from '../helpers/http'
import { connectTool, launchAs, type TestTool } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

export const REGISTRATION_SECRET = 'journey-registration-secret-0123456789'

export interface School { sim: Simulator, tool: TestTool }

/**
 * Registers Mentorlink with a simulated LMS the way its admin would: on Canvas a developer key from
 * `lti-config.json` plus `npm run platform -- add` with the ids Canvas shows; on Moodle dynamic registration;
 * elsewhere a manual registration on both sides.
 */
export async function registerWith (app: FastifyInstance, sim: Simulator): Promise<TestTool> {
  if (sim.profile === 'moodle') {
    const page = await fetch(sim.startDynamicRegistration(`${app.config.publicUrl}/lti/register?secret=${REGISTRATION_SECRET}`), { headers: { accept: 'text/html' } })
    if (page.status !== 200) throw new Error(`dynamic registration answered ${page.status}: ${await page.text()}`)
    const created = sim.dynamicRegistrations().at(-1)
    if (!created) throw new Error('the platform recorded no registration')
    return { clientId: created.clientId, deploymentId: created.deploymentId }
  }
  if (sim.profile === 'canvas') {
    const ids = sim.addCanvasDeveloperKey(canvasDeveloperKeyConfig(app.config.publicUrl))
    await app.platformRegistry.add({
      issuer: sim.issuer, clientId: ids.clientId, name: 'Canvas', authEndpoint: sim.endpoints.auth, tokenEndpoint: sim.endpoints.token, jwksUrl: sim.endpoints.jwks, deploymentIds: [ids.deploymentId]
    })
    return ids
  }
  const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
  await connectTool(app, sim, tool)
  return tool
}

export async function startJourneyApp (): Promise<FastifyInstance> {
  return await startTestApp({ ...FAST_GRADES, REGISTRATION_SECRET })
}

export async function startSchool (app: FastifyInstance, profile: ProfileName, options: SimulatorOptions = {}): Promise<School> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, profile, ...options })
  return { sim, tool: await registerWith(app, sim) }
}

export interface Seat { id: string, name: string, role: SimRole, observes?: string[] }

/** A course in the school's LMS, with the given people enrolled and active. */
export function enrol (school: School, courseId: string, people: Seat[], custom: Record<string, string> = {}): void {
  for (const p of people) {
    const [givenName = p.name, familyName = ''] = p.name.split(' ')
    school.sim.addUser({ id: p.id, name: p.name, givenName, familyName, email: `${p.id}@${courseId}.example.edu` })
  }
  school.sim.addCourse({
    id: courseId,
    label: courseId.toUpperCase(),
    title: `Course ${courseId}`,
    custom,
    members: people.map((p) => ({ userId: p.id, roles: [p.role], status: 'Active' as const, ...(p.observes && { observes: p.observes }) }))
  })
}

export interface Visitor { token: string, home: { url: string, html: string } }

/** A full launch over HTTP from the course page; throws with the tool's answer when it is refused. */
export async function visit (school: School, courseId: string, userId: string): Promise<Visitor> {
  const launched = await launchAs(school.sim, { ...school.tool, courseId, userId })
  if (!launched.sessionToken || !launched.home) throw new Error(`launch of ${userId} failed: ${launched.launch.status} ${launched.launchBody}`)
  return { token: launched.sessionToken, home: launched.home }
}

/** The JSON API of this app, called with a session token. */
export function apiFor (app: FastifyInstance) {
  return async (token: string, method: string, path: string, body?: unknown): Promise<JsonAnswer> =>
    await callApi(app.config.publicUrl, token, method, path, body)
}

type Api = ReturnType<typeof apiFor>

async function expectStatus (answer: Promise<JsonAnswer>, status: number, what: string): Promise<JsonAnswer> {
  const settled = await answer
  if (settled.status !== status) throw new Error(`${what} answered ${settled.status}: ${JSON.stringify(settled.body)}`)
  return settled
}

/**
 * The instructor's pairing: the mentors suggested from the LMS roster, accepting one (room for 5 mentees), a
 * pairing run, and its publication.
 */
export async function pairWithLmsMentor (api: Api, instructor: string, mentorUserId: string) {
  const suggestions = await expectStatus(api(instructor, 'GET', '/api/v1/pool/suggestions'), 200, 'listing suggestions')
  const mentor = await expectStatus(api(instructor, 'POST', `/api/v1/pool/suggestions/${mentorUserId}/accept`), 201, 'accepting the mentor')
  await expectStatus(api(instructor, 'PATCH', `/api/v1/pool/mentors/${mentor.body.id as string}`, { capacity: 5 }), 200, 'setting capacity')
  const run = await expectStatus(api(instructor, 'POST', '/api/v1/pairing/runs'), 201, 'the pairing run')
  const published = await expectStatus(api(instructor, 'POST', '/api/v1/pairing/publish', { runId: run.body.runId }), 200, 'publishing')
  return { suggested: suggestions.body.suggestions.map((s: { name: string }) => s.name) as string[], run, published }
}
