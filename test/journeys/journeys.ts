import type { FastifyInstance } from 'fastify'
import { addDays, today } from '../../src/domain/term/calendar-day'
import type { ProfileName } from '@mentorlink/simulator'
import { eventually, QUICK_RULES } from '../grades/support'
import { apiFor, enrol, pairWithLmsMentor, startJourneyApp, startSchool, visit, type School, type Seat } from './support'

const COURSE = 'neg500'
const day = (offset: number): string => addDays(today(), offset)
const TERM = { term_start: day(-30), term_end: day(60) }
/** One verified session and one field trip attended, 50 points each. */
const RULES = {
  ...QUICK_RULES,
  requirements: { ...QUICK_RULES.requirements, sessions: { need: 1, points: 50 }, fieldTrips: { need: 1, points: 50 }, reflections: { need: 0, points: 0 } }
}

/**
 * What each LMS calls the people of a mentoring course: on Canvas the mentor is an observer of the students, and
 * the instructor's Student View adds a test student.
 */
function people (profile: ProfileName): Seat[] {
  const students = ['s1', 's2', 's3', 's4']
  const canvasOnly: Seat[] = profile === 'canvas' ? [{ id: 'tst', name: 'Test Student', role: 'TestStudent' }] : []
  return [...canvasOnly,
    { id: 'inst', name: 'Amara Okafor', role: 'Instructor' },
    profile === 'canvas'
      ? { id: 'm1', name: 'Daniel Reyes', role: 'Observer', observes: students }
      : { id: 'm1', name: 'Daniel Reyes', role: 'Mentor' },
    { id: 's1', name: 'Lucia Ferreira', role: 'Learner' },
    { id: 's2', name: 'Tomasz Nowak', role: 'Learner' },
    { id: 's3', name: 'Priya Raman', role: 'Learner' },
    { id: 's4', name: 'Dropped Student', role: 'Learner' }
  ]
}

/** How a student leaves the course: Canvas concludes the enrolment, Moodle suspends it, the generic LMS removes it. */
const DROP: Record<ProfileName, 'Inactive' | 'Removed'> = { canvas: 'Inactive', moodle: 'Inactive', generic: 'Removed' }

const LINE_ITEM_SHAPE: Record<ProfileName, RegExp> = {
  generic: /\/api\/courses\/neg500\/lineitems\/\d+$/,
  canvas: /\/api\/lti\/courses\/neg500\/line_items\/\d+$/,
  moodle: /\/mod\/lti\/services\.php\/neg500\/lineitems\/\d+\/lineitem\?type_id=\d+$/
}

/**
 * Every main journey, in order, against one simulated LMS of the profile (one test file per profile: ltijs is a
 * process-wide singleton, so each file boots one app).
 */
export function describeJourneys (profile: ProfileName): void {
  describe(`the main journeys under the ${profile} profile`, () => {
    let app: FastifyInstance
    let school: School
    let api: ReturnType<typeof apiFor>
    const tokens: Record<string, string> = {}
    const userIds: Record<string, string> = {}

    beforeAll(async () => {
      app = await startJourneyApp()
      api = apiFor(app)
    })
    afterAll(async () => {
      await school?.sim.close()
      await app?.close()
    })

    it('registers as that LMS\'s admin would', async () => {
      school = await startSchool(app, profile)
      enrol(school, COURSE, people(profile), TERM)
      const registered = await app.platformRegistry.list()
      expect(registered).toEqual([expect.objectContaining({ issuer: school.sim.issuer, clientId: school.tool.clientId, deploymentIds: [school.tool.deploymentId] })])
      if (profile === 'canvas') expect(school.sim.issuer).toBe('https://canvas.instructure.com')
    })

    it('launches the instructor, the mentor and every student to their own home', async () => {
      const homes = { inst: '/instructor', m1: '/mentor', s1: '/student', s2: '/student', s3: '/student', s4: '/student', tst: '/student' }
      const enrolled = new Set(people(profile).map((p) => p.id))
      for (const [who, path] of Object.entries(homes).filter(([who]) => enrolled.has(who))) {
        const visitor = await visit(school, COURSE, who)
        expect(new URL(visitor.home.url).pathname).toBe(path)
        tokens[who] = visitor.token
        userIds[who] = String((await app.db.models.users.findOne({ sub: who, clientId: school.tool.clientId }).lean())?._id)
      }
      const mentor = await app.db.models.memberships.findOne({ userId: userIds.m1 }).lean()
      expect(mentor?.role).toBe('mentor')
      // Canvas offers Platform Storage on every login; the test browser blocks third-party cookies, as Safari does.
      const bound = await app.db.models.singleUseClaims.countDocuments({ 'detail.binding': 'platform-storage' })
      expect(bound).toBe(profile === 'canvas' ? 7 : 0)
    })

    it('syncs the roster, marking the student who left the course as dropped', async () => {
      const everyone = people(profile).length
      expect((await api(tokens.inst ?? '', 'POST', '/api/v1/roster/sync')).body).toMatchObject({ status: 'succeeded', counts: { listed: everyone, dropped: 0 } })
      school.sim.setMemberStatus(COURSE, 's4', DROP[profile])
      const synced = await api(tokens.inst ?? '', 'POST', '/api/v1/roster/sync')
      expect(synced.body).toMatchObject({ status: 'succeeded', counts: { dropped: 1 } })
      expect(synced.body.counts.listed).toBe(profile === 'moodle' ? everyone : everyone - 1)
      const dropped = await app.db.models.memberships.findOne({ userId: userIds.s4 }).lean()
      expect(dropped?.status).toBe('dropped')
    })

    it('pairs every active student with the LMS mentor and publishes', async () => {
      const { suggested, run, published } = await pairWithLmsMentor(api, tokens.inst ?? '', userIds.m1 ?? '')
      expect(suggested).toEqual(['Daniel Reyes'])
      const paired = (run.body.pairs as Array<{ studentId: string }>).map((p) => p.studentId).sort()
      expect(paired).toEqual([userIds.s1, userIds.s2, userIds.s3].sort())
      expect(published.body).toEqual({ runId: run.body.runId, created: 3 })
    })

    it('lets the mentor record a session and field-trip attendance for their mentees', async () => {
      const trip = await api(tokens.m1 ?? '', 'POST', '/api/v1/field-trips', { title: 'Contract negotiation at Acme', startsAt: `${day(-2)}T10:00`, endsAt: `${day(-2)}T12:00`, place: 'Acme HQ', capacity: 10 })
      expect(trip.status).toBe(201)
      const attendance = await api(tokens.m1 ?? '', 'PUT', `/api/v1/field-trips/${trip.body.id as string}/attendance`, {
        entries: [{ studentUserId: userIds.s1, status: 'present' }, { studentUserId: userIds.s2, status: 'absent' }]
      })
      expect({ status: attendance.status, body: attendance.status === 200 ? null : attendance.body }).toEqual({ status: 200, body: null })
      for (const student of ['s1', 's2']) {
        const session = await api(tokens.m1 ?? '', 'POST', '/api/v1/activities', { kind: 'session', studentUserId: userIds[student], date: day(-1), durationMinutes: 60, topics: ['Bargaining'] })
        expect(session.status).toBe(201)
      }
      const outsider = await api(tokens.m1 ?? '', 'POST', '/api/v1/activities', { kind: 'session', studentUserId: userIds.s4, date: day(-1), durationMinutes: 30, topics: ['x'] })
      expect(outsider.status).toBe(403)
    })

    it('completes the rules and shows the right grade in the LMS gradebook', async () => {
      expect((await api(tokens.inst ?? '', 'PUT', '/api/v1/completion/rules', RULES)).status).toBe(200)
      const expected = { s1: [100, 'Completed'], s2: [50, 'InProgress'], s3: [0, 'InProgress'] } as const
      const book = await eventually(() => {
        const scores = new Map(school.sim.gradebook(COURSE).map((s) => [s.userId, s]))
        for (const [student, [score, progress]] of Object.entries(expected)) {
          expect(scores.get(student)).toMatchObject({ scoreGiven: score, scoreMaximum: 100, activityProgress: progress, gradingProgress: 'FullyGraded' })
        }
        return scores
      })
      expect(book.has('s4')).toBe(false)
      // Canvas would answer 422 for the Student View user: Mentorlink never pairs nor grades them.
      expect(school.sim.state.scoreHistory.filter((s) => s.userId === 'tst')).toEqual([])
      const [item] = school.sim.lineItems(COURSE)
      expect(item?.id).toMatch(LINE_ITEM_SHAPE[profile])
      const grades = await eventually(async () => {
        const status = await api(tokens.inst ?? '', 'GET', '/api/v1/grades')
        expect(status.body.counts.synced).toBe(3)
        return status.body
      })
      expect(grades.students.map((s: { state: string }) => s.state)).toEqual(['synced', 'synced', 'synced'])
      const student = await api(tokens.s1 ?? '', 'GET', '/api/v1/progress')
      expect(student.status).toBe(200)
    })
  })
}
