import type { FastifyInstance } from 'fastify'
import type { Browser, Frame, Page } from 'playwright-core'
import { addDays, today } from '../../src/domain/term/calendar-day'
import type { Simulator } from '@mentorlink/simulator'
import { describeViolations, launchBrowser, newContext, NARROW, openInCourse, overflowsHorizontally, runAxe, screenshot, seriousOnes, type CourseLaunch } from '../helpers/browser'
import { launchAs, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

/**
 * Each role's main task, done in chromium inside the LMS simulator's course page (Mentorlink in its iframe), in the
 * order a term runs: the instructor publishes the pairing, the mentor records field-trip attendance, the student logs
 * a session and sees their progress.
 */
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const COURSE = 'exec101'
const PEOPLE = [
  { id: 'm-daniel', name: 'Daniel Reyes', role: 'Mentor' },
  { id: 's-lucia', name: 'Lucia Ferreira', role: 'Learner' },
  { id: 's-tomasz', name: 'Tomasz Nowak', role: 'Learner' },
  { id: 'prof', name: 'Amara Okafor', role: 'Instructor' }
] as const
const as = (userId: string): CourseLaunch => ({ ...tool, courseId: COURSE, userId })
const day = (offset: number): string => addDays(today(), offset)

let app: FastifyInstance
let sim: Simulator
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  for (const p of PEOPLE) {
    const [givenName = p.name, familyName = ''] = p.name.split(' ')
    sim.addUser({ id: p.id, name: p.name, givenName, familyName, email: `${p.id}@example.edu` })
  }
  sim.addCourse({
    id: COURSE, label: 'EXEC101', title: 'Executive Leadership', custom: { term_start: day(-30), term_end: day(60) },
    members: PEOPLE.map((p) => ({ userId: p.id, roles: [p.role], status: 'Active' as const }))
  })
  // Everyone has opened Mentorlink once (students must exist to be paired); the instructor last, whose launch syncs the roster.
  const tokens: Record<string, string> = {}
  for (const p of PEOPLE) {
    const result = await launchAs(sim, { ...tool, courseId: COURSE, userId: p.id })
    if (!result.sessionToken) throw new Error(`launch of ${p.id} failed: ${result.launch.status} ${result.launchBody}`)
    tokens[p.id] = result.sessionToken
  }
  // The LMS mentor joins the pool through the pool JSON API (accepting the LMS suggestion).
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${app.config.publicUrl}${path}`, {
      method, headers: { authorization: `Bearer ${tokens.prof ?? ''}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined
    })
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
    return await res.json()
  }
  const daniel = await app.db.models.users.findOne({ sub: 'm-daniel' }).lean()
  await api('POST', `/api/v1/pool/suggestions/${String(daniel?._id)}/accept`, {})
  browser = await launchBrowser()
  page = await (await newContext(browser)).newPage()
})

afterAll(async () => {
  await browser?.close()
  await sim?.close()
  await app?.close()
})

/** axe-core on the tool's frame, in the state the task left it: no serious or critical violations. */
const expectNoSeriousViolations = async (frame: Frame): Promise<void> => { expect(describeViolations(seriousOnes(await runAxe(frame)))).toEqual([]) }

const textOf = async (frame: Frame, selector: string): Promise<string> => (await frame.locator(selector).innerText()).replace(/\s+/g, ' ')

describe('inside the LMS course page', () => {
  it('the instructor runs the pairing, reviews it and publishes it', async () => {
    const frame = await openInCourse(page, sim, as('prof'), /\/instructor\?session=/)
    expect(await textOf(frame, 'h1')).toBeTruthy()
    await frame.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pairing' }).click()
    await frame.waitForURL(/\/instructor\/pairing\?/)
    await frame.getByRole('button', { name: /^Run (again|the pairing)$/ }).click()
    await frame.getByRole('heading', { name: /Proposed pairs/ }).waitFor()
    const proposed = await textOf(frame, 'main')
    expect(proposed).toContain('Lucia Ferreira')
    expect(proposed).toContain('Tomasz Nowak')
    await expectNoSeriousViolations(frame)
    // Publishing asks for a confirmation, and says first what it will do.
    expect(proposed).toContain('Publishing will:')
    await frame.getByLabel('I have checked this pairing').check()
    await frame.getByRole('button', { name: 'Publish the pairing' }).click()
    await frame.getByRole('heading', { name: 'Published pairs' }).waitFor()
    expect(await textOf(frame, 'main')).toContain('The pairing was published')
    const rows = await frame.locator('section[aria-labelledby="pairs-title"] tbody tr').allInnerTexts()
    expect(rows).toEqual(expect.arrayContaining([expect.stringContaining('Lucia Ferreira'), expect.stringContaining('Tomasz Nowak')]))
    expect(rows.every((r) => r.includes('Daniel Reyes'))).toBe(true)
    await screenshot(page, 'task-instructor-published-pairing')
  })

  it('the mentor organises a field trip for a mentee and records attendance', async () => {
    const frame = await openInCourse(page, sim, as('m-daniel'), /\/mentor\?session=/)
    expect(await textOf(frame, 'main')).toContain('Lucia Ferreira')
    await frame.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Field trips' }).click()
    await frame.getByRole('link', { name: 'Organise a field trip' }).click()
    await frame.getByLabel('Title').waitFor()
    await frame.getByLabel('Title').fill('Visit to the harbour authority')
    // Two days ago: attendance is kept once a trip has started.
    await frame.getByLabel('Starts').fill(`${day(-2)}T10:00`)
    await frame.getByLabel('Ends').fill(`${day(-2)}T12:00`)
    await frame.getByRole('textbox', { name: /^Place/ }).fill('Port building, level 3')
    await frame.getByLabel('Seats').fill('4')
    // Every mentee is invited unless unticked.
    expect(await frame.getByLabel('Tomasz Nowak').isChecked()).toBe(true)
    await frame.getByLabel('Tomasz Nowak').uncheck()
    await frame.getByLabel('Lucia Ferreira').check()
    await frame.getByRole('button', { name: /Save|Create|Organise/ }).click()
    await frame.getByRole('heading', { name: 'Attendance' }).waitFor()
    expect(await textOf(frame, 'h1')).toBe('Visit to the harbour authority')
    const lucia = frame.getByRole('group', { name: /Lucia Ferreira/ })
    expect(await frame.getByRole('group', { name: /Tomasz Nowak/ }).count()).toBe(0)
    await lucia.getByLabel('Present').check()
    await frame.getByRole('button', { name: 'Save attendance' }).click()
    // The page already says the trip was saved: wait for the notice of this save.
    await frame.locator('p.notice[role="status"]', { hasText: /attendance/i }).waitFor()
    expect(await frame.getByRole('group', { name: /Lucia Ferreira/ }).getByLabel('Present').isChecked()).toBe(true)
    await expectNoSeriousViolations(frame)
    await screenshot(page, 'task-mentor-attendance')
  })

  it('the student logs a 1:1 session and sees it on their record and their progress on the home page', async () => {
    const frame = await openInCourse(page, sim, as('s-lucia'), /\/student\?session=/)
    expect(await textOf(frame, 'main')).toContain('Daniel Reyes')
    await frame.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My record' }).click()
    await frame.getByRole('link', { name: 'Log a 1:1 session' }).click()
    await frame.getByLabel('Duration in minutes').waitFor()

    // An invalid entry first: the error is named at the field and the typed values are kept.
    await frame.getByLabel(/^Date\b/).fill(day(-3))
    await frame.getByLabel('Duration in minutes').fill('2')
    await frame.getByLabel('Topics').fill('board presentations, pricing')
    await frame.getByRole('button', { name: /Save|Log/ }).click()
    const invalid = frame.locator('input[aria-invalid="true"]')
    await invalid.first().waitFor()
    expect(await invalid.first().getAttribute('name')).toBe('durationMinutes')
    expect(await frame.getByLabel('Topics').inputValue()).toContain('board presentations')
    await expectNoSeriousViolations(frame)

    await frame.getByLabel('Duration in minutes').fill('45')
    await frame.getByRole('button', { name: /Save|Log/ }).click()
    await frame.getByRole('heading', { name: 'Term timeline' }).waitFor()
    const record = await textOf(frame, 'main')
    expect(record).toContain('board presentations')
    expect(record).toMatch(/waiting|pending/i)

    await frame.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click()
    await frame.getByRole('heading', { name: 'Your progress' }).waitFor()
    expect(await textOf(frame, 'section[aria-labelledby="progress-title"]')).toMatch(/Waiting for your mentor 1/)
    expect(await textOf(frame, 'section[aria-labelledby="progress-title"]')).toMatch(/Field trips attended 1/)
    const bar = frame.locator('progress#completion-bar')
    if (await bar.count() > 0) {
      expect(await frame.getByLabel(/completion/i).count()).toBeGreaterThan(0)
      expect(await textOf(frame, 'section[aria-labelledby="completion-title"]')).toMatch(/\d+ of \d+ points/)
    }
    await screenshot(page, 'task-student-progress')
  })

  it('the course page stays usable at 320 px: no sideways scrolling inside the tool', async () => {
    const narrow = await (await newContext(browser, NARROW)).newPage()
    const frame = await openInCourse(narrow, sim, as('s-lucia'), /\/student\?session=/)
    expect(await overflowsHorizontally(frame)).toBe(false)
    await screenshot(narrow, 'course-page-student-320')
    await narrow.context().close()
  })
})
