import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { apiAs, day, formAs, startWorld, type World } from '../activities/support'
import { ARTIFACTS, describeViolations, launchBrowser, NARROW, newContext, overflowingElements, overflowsHorizontally, runAxe, screenshot, seriousOnes, withSession, type AxeViolation } from '../helpers/browser'

/**
 * axe-core on every kind of page, in chromium, as the person who uses it: no `serious` or `critical` violations.
 * Also: each role's home is photographed at desktop width and at 320 px (test-artifacts/), and no page scrolls
 * sideways at 320 px (wide tables scroll inside their own box).
 */
let world: World
let browser: Browser
let desktop: Page
let narrow: Page
let tripId = ''
const found: Array<{ page: string, path: string, violations: AxeViolation[] }> = []

const userId = (key: string): string => world.people[key]?.userId as string

beforeAll(async () => {
  world = await startWorld()
  const api = apiAs(world)
  const form = formAs(world)
  // Something on every page: a logged session waiting for verification, a field trip with an RSVP, an intake.
  await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-2), durationMinutes: 45, topics: ['pricing', 'board presentations'] })
  await api('s1', 'POST', '/api/v1/goals', { horizon: 'short', text: 'Chair a board meeting', targetDate: day(30), status: 'in-progress' })
  const created = await form('m1', '/field-trips', { title: 'Harbour visit', startsAt: `${day(3)}T10:00`, endsAt: `${day(3)}T12:00`, place: 'Port', description: 'Logistics tour', capacity: '4', invitedUserIds: [userId('s1'), userId('s2')] })
  tripId = /\/field-trips\/([0-9a-f]{24})/.exec(created.location ?? '')?.[1] ?? ''
  if (tripId === '') throw new Error(`no field trip: ${created.status} ${created.html.slice(0, 500)}`)
  await form('s1', `/field-trips/${tripId}/rsvp`, { answer: 'yes' })
  // A weekly time on offer, one of it booked.
  await api('m1', 'POST', '/api/v1/availability/slots', { kind: 'weekly', weekday: 3, startTime: '10:00', minutes: 60, from: day(1), until: day(40), place: 'Room 4', videoLink: 'https://meet.example.com/m1' })
  const [first] = (await api('s1', 'GET', '/api/v1/bookings/free-times')).body.times as Array<{ startsAt: string }>
  await api('s1', 'POST', '/api/v1/bookings', { startsAt: first?.startsAt })
  browser = await launchBrowser()
  desktop = await (await newContext(browser)).newPage()
  narrow = await (await newContext(browser, NARROW)).newPage()
})

afterAll(async () => {
  // Every finding, minor and moderate ones included, for the reviewer.
  writeFileSync(path.join(ARTIFACTS, 'axe-report.json'), JSON.stringify(found, null, 2))
  await browser?.close()
  await world?.close()
})

interface PageCase { name: string, who: string, path: () => string, status?: number, prepare?: (page: Page) => Promise<void> }

const PAGES: PageCase[] = [
  { name: 'instructor home', who: 'instructor', path: () => '/instructor' },
  { name: 'mentor home', who: 'm1', path: () => '/mentor' },
  { name: 'student home', who: 's1', path: () => '/student' },
  { name: 'pool list', who: 'instructor', path: () => '/instructor/pool' },
  { name: 'new mentor form', who: 'instructor', path: () => '/instructor/pool/mentors/new' },
  {
    name: 'mentor form with field errors',
    who: 'instructor',
    path: () => '/instructor/pool/mentors/new',
    prepare: async (page) => {
      await page.getByLabel(/^Email/).fill('not-an-email')
      await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').last().click()])
      await page.locator('.error-summary, [aria-invalid="true"]').first().waitFor()
    }
  },
  { name: 'mentor CSV import', who: 'instructor', path: () => '/instructor/pool/import' },
  { name: 'roster', who: 'instructor', path: () => '/instructor/roster' },
  { name: 'pairing', who: 'instructor', path: () => '/instructor/pairing' },
  { name: 'term', who: 'instructor', path: () => '/instructor/term' },
  { name: 'instructor activities table', who: 'instructor', path: () => '/instructor/activities' },
  { name: 'instructor student record', who: 'instructor', path: () => `/instructor/students/${userId('s1')}` },
  { name: 'instructor field trips', who: 'instructor', path: () => '/instructor/field-trips' },
  { name: 'completion', who: 'instructor', path: () => '/instructor/completion' },
  { name: 'grades', who: 'instructor', path: () => '/instructor/grades' },
  { name: 'mentees', who: 'm1', path: () => '/mentor/mentees' },
  { name: 'mentee record', who: 'm1', path: () => `/mentor/mentees/${userId('s1')}` },
  { name: 'mentor verifications', who: 'm1', path: () => '/mentor/verifications' },
  { name: 'mentor field trips', who: 'm1', path: () => '/mentor/field-trips' },
  { name: 'new field trip form', who: 'm1', path: () => '/field-trips/new' },
  { name: 'field trip and attendance checklist', who: 'm1', path: () => `/field-trips/${tripId}` },
  { name: 'student intake', who: 's1', path: () => '/student/intake' },
  { name: 'student activity log', who: 's1', path: () => '/student/activities' },
  { name: 'log a session form', who: 's1', path: () => '/records/session/new' },
  {
    name: 'log a session form with field errors',
    who: 's1',
    path: () => '/records/session/new',
    prepare: async (page) => {
      await page.getByLabel('Duration in minutes').fill('2')
      await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').last().click()])
      await page.locator('[aria-invalid="true"]').first().waitFor()
    }
  },
  { name: 'student field trips', who: 's1', path: () => '/student/field-trips' },
  { name: 'calendar', who: 's1', path: () => '/calendar' },
  {
    name: 'calendar with a new link',
    who: 'm1',
    path: () => '/calendar',
    prepare: async (page) => {
      // Both tabs may ask at once: one shows the new link, the other says a link exists; both are pages to check.
      const make = page.getByRole('button', { name: 'Make my calendar link' })
      if (await make.isVisible()) await Promise.all([page.waitForLoadState('load'), make.click()])
      await page.locator('main h1').waitFor()
    }
  },
  { name: 'mentor availability', who: 'm1', path: () => '/mentor/availability' },
  { name: 'offer a weekly time form', who: 'm1', path: () => '/mentor/availability/new?kind=weekly' },
  { name: 'student booking', who: 's1', path: () => '/student/booking' },
  { name: 'course bookings', who: 'instructor', path: () => '/instructor/bookings' },
  { name: 'error page (a page of another role)', who: 's1', path: () => '/instructor/roster', status: 403 },
  { name: 'error page (not found)', who: 'instructor', path: () => '/instructor/students/0123456789abcdef01234567', status: 404 }
]

async function open (page: Page, c: PageCase): Promise<void> {
  const response = await page.goto(withSession(world.app.config.publicUrl, c.path(), world.people[c.who]?.token ?? ''))
  expect(response?.status()).toBe(c.status ?? 200)
  await page.locator('main h1').waitFor()
  await c.prepare?.(page)
}

describe('every page type passes axe-core without serious or critical violations', () => {
  it.each(PAGES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // Both widths at once, each in its own tab.
    const atDesktop = async () => {
      await open(desktop, c)
      return await runAxe(desktop)
    }
    const atNarrow = async () => {
      await open(narrow, c)
      const overflowing = await overflowsHorizontally(narrow) ? await overflowingElements(narrow) : []
      // At 320 px wide tables scroll inside their box: axe checks those boxes can be reached with the keyboard (and
      // the rules that depend on layout).
      return { overflowing, violations: await runAxe(narrow, ['scrollable-region-focusable', 'color-contrast', 'target-size', 'meta-viewport']) }
    }
    const [violations, narrowed] = await Promise.all([atDesktop(), atNarrow()])
    found.push({ page: c.name, path: c.path(), violations }, { page: `${c.name} (320 px)`, path: c.path(), violations: narrowed.violations })
    expect(describeViolations(seriousOnes(violations))).toEqual([])
    expect(narrowed.overflowing).toEqual([])
    expect(describeViolations(seriousOnes(narrowed.violations))).toEqual([])
  })
})

describe('each role\'s home, photographed for review', () => {
  it.each([['instructor', 'instructor'], ['mentor', 'm1'], ['student', 's1']])('%s home at desktop width and at 320 px', async (role, who) => {
    const c = PAGES.find((p) => p.who === who && p.path() === `/${role}`) as PageCase
    await open(desktop, c)
    await screenshot(desktop, `home-${role}-desktop`)
    await open(narrow, c)
    await screenshot(narrow, `home-${role}-320`)
    expect(await narrow.locator('main h1').isVisible()).toBe(true)
  })
})

describe('the common design', () => {
  it('shows a visible focus indicator on links and buttons, and the skip link when focused', async () => {
    await open(desktop, PAGES[0] as PageCase)
    await desktop.keyboard.press('Tab')
    const skip = desktop.getByRole('link', { name: 'Skip to main content' })
    expect(await desktop.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Skip to main content')
    const box = await skip.boundingBox()
    expect(box?.x).toBeGreaterThanOrEqual(0)
    const outline = await desktop.evaluate('getComputedStyle(document.activeElement).outlineStyle')
    expect(outline).not.toBe('none')
  })

  it('keeps charts readable without the picture: the activities chart has its numbers in a table', async () => {
    await open(desktop, PAGES.find((p) => p.name === 'instructor activities table') as PageCase)
    const chart = desktop.locator('svg[role="img"]').first()
    expect(await chart.getAttribute('aria-labelledby')).toBeTruthy()
    expect(await desktop.getByText('The numbers behind the chart').count()).toBeGreaterThan(0)
  })

  it('prints without the navigation', async () => {
    await open(desktop, PAGES.find((p) => p.name === 'instructor activities table') as PageCase)
    await desktop.emulateMedia({ media: 'print' })
    expect(await desktop.locator('header nav').isVisible()).toBe(false)
    expect(await desktop.locator('main table').first().isVisible()).toBe(true)
    await desktop.emulateMedia({ media: 'screen' })
  })
})
