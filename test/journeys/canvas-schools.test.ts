import type { FastifyInstance } from 'fastify'
import { addDays, today } from '../../src/domain/term/calendar-day'
import { CANVAS_ISSUER } from '@mentorlink/simulator'
import { eventually, QUICK_RULES } from '../grades/support'
import { apiFor, enrol, pairWithLmsMentor, startJourneyApp, startSchool, visit, type School, type Seat } from './support'

/**
 * Two universities on hosted Canvas: the same issuer, told apart only by client id and deployment id. To make any
 * leak visible, both use the same course id and the same user ids (subs) for different people.
 */
const COURSE = 'mba700'
const TERM = { term_start: addDays(today(), -30), term_end: addDays(today(), 60) }
const PEOPLE = ['inst', 'm1', 's1', 's2'] as const
const seats = (school: string): Seat[] => [
  { id: 'inst', name: `${school} Instructor`, role: 'Instructor' },
  { id: 'm1', name: `${school} Mentor`, role: 'Observer', observes: ['s1', 's2'] },
  { id: 's1', name: `${school} Student-One`, role: 'Learner' },
  { id: 's2', name: `${school} Student-Two`, role: 'Learner' }
]

let app: FastifyInstance
let api: ReturnType<typeof apiFor>
const schools: Record<'alpha' | 'beta', School & { tokens: Record<string, string>, userIds: Record<string, string> }> = {} as never

beforeAll(async () => {
  app = await startJourneyApp()
  api = apiFor(app)
  for (const name of ['alpha', 'beta'] as const) {
    const school = await startSchool(app, 'canvas')
    enrol(school, COURSE, seats(name === 'alpha' ? 'Alpha' : 'Beta'), TERM)
    const tokens: Record<string, string> = {}
    const userIds: Record<string, string> = {}
    for (const who of PEOPLE) {
      tokens[who] = (await visit(school, COURSE, who)).token
      userIds[who] = String((await app.db.models.users.findOne({ sub: who, clientId: school.tool.clientId }).lean())?._id)
    }
    schools[name] = { ...school, tokens, userIds }
  }
})

afterAll(async () => {
  await Promise.all(Object.values(schools).map(async (s) => { await s.sim.close() }))
  await app?.close()
})

describe('two Canvas schools on the same issuer', () => {
  it('share the issuer but are separate registrations, courses and users', async () => {
    const { alpha, beta } = schools
    expect([alpha.sim.issuer, beta.sim.issuer]).toEqual([CANVAS_ISSUER, CANVAS_ISSUER])
    expect(alpha.tool.clientId).not.toBe(beta.tool.clientId)
    expect(await app.db.models.courses.countDocuments({ contextId: COURSE })).toBe(2)
    expect(await app.db.models.users.countDocuments({ sub: 's1' })).toBe(2)
    expect(alpha.userIds.s1).not.toBe(beta.userIds.s1)
  })

  it('show each instructor only their own school\'s people', async () => {
    const alphaRoster = await fetch(`${app.config.publicUrl}/instructor/roster?session=${schools.alpha.tokens.inst ?? ''}`)
    const html = await alphaRoster.text()
    expect(alphaRoster.status).toBe(200)
    expect(html).toContain('Alpha Student-One')
    expect(html).not.toContain('Beta')
    const suggested = (await api(schools.beta.tokens.inst ?? '', 'GET', '/api/v1/pool/suggestions')).body.suggestions.map((s: { name: string }) => s.name)
    expect(suggested).toEqual(['Beta Mentor'])
  })

  it('refuse one school\'s sessions on the other school\'s records', async () => {
    const { alpha, beta } = schools
    await pairWithLmsMentor(api, alpha.tokens.inst ?? '', alpha.userIds.m1 ?? '')
    await pairWithLmsMentor(api, beta.tokens.inst ?? '', beta.userIds.m1 ?? '')
    const session = await api(alpha.tokens.m1 ?? '', 'POST', '/api/v1/activities', { kind: 'session', studentUserId: alpha.userIds.s1, date: addDays(today(), -1), durationMinutes: 60, topics: ['Rhetoric'] })
    expect(session.status).toBe(201)
    expect((await api(beta.tokens.inst ?? '', 'GET', `/api/v1/activities/${session.body.id as string}`)).status).toBe(404)
    expect((await api(beta.tokens.s1 ?? '', 'GET', `/api/v1/activities/${session.body.id as string}`)).status).toBe(404)
    const crossed = await api(alpha.tokens.m1 ?? '', 'POST', '/api/v1/activities', { kind: 'session', studentUserId: beta.userIds.s1, date: addDays(today(), -1), durationMinutes: 60, topics: ['Rhetoric'] })
    expect(crossed.status).toBe(403)
    expect((await api(beta.tokens.inst ?? '', 'GET', '/api/v1/activities')).body).toEqual([])
  })

  it('send each school\'s grades to its own gradebook only', async () => {
    const { alpha, beta } = schools
    const rules = { ...QUICK_RULES, requirements: { ...QUICK_RULES.requirements, sessions: { need: 1, points: 100 }, reflections: { need: 0, points: 0 } } }
    for (const school of [alpha, beta]) expect((await api(school.tokens.inst ?? '', 'PUT', '/api/v1/completion/rules', rules)).status).toBe(200)
    await eventually(() => {
      const book = (school: School) => Object.fromEntries(school.sim.gradebook(COURSE).map((s) => [s.userId, s.scoreGiven]))
      expect(book(alpha)).toEqual({ s1: 100, s2: 0 })
      expect(book(beta)).toEqual({ s1: 0, s2: 0 })
    })
    const [alphaItem] = alpha.sim.lineItems(COURSE)
    const [betaItem] = beta.sim.lineItems(COURSE)
    expect(alpha.sim.state.scoreHistory.every((s) => s.lineItemId === alphaItem?.id)).toBe(true)
    expect(beta.sim.state.scoreHistory.every((s) => s.lineItemId === betaItem?.id)).toBe(true)
    expect(new URL(alphaItem?.id ?? '').origin).toBe(alpha.sim.url)
    expect(new URL(betaItem?.id ?? '').origin).toBe(beta.sim.url)
  })
})
