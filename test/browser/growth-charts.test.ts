import type { Browser, Page } from 'playwright-core'
import { apiAs, day, startWorld, type World } from '../activities/support'
import { describeViolations, launchBrowser, NARROW, newContext, overflowingElements, overflowsHorizontally, runAxe, screenshot, seriousOnes, withSession } from '../helpers/browser'
import { addCohort, ratingsFor } from '../growth/support'

/**
 * The growth pages in chromium: every chart is drawn (an SVG with a size, role="img" and a title naming it), each
 * has its table, and axe-core finds no serious or critical violation, at desktop width and at 320 px.
 */
let world: World
let browser: Browser
let desktop: Page
let narrow: Page

beforeAll(async () => {
  world = await startWorld()
  const api = apiAs(world)
  const keys = ((await api('s1', 'GET', '/api/v1/competencies')).body.competencies as Array<{ key: string }>).map((c) => c.key)
  const cohort = await addCohort(world)
  for (const [i, student] of cohort.students.entries()) {
    for (const [point, level] of [['start', 2], ['end', 2 + (i % 3)]] as const) {
      await api(student.key, 'POST', '/api/v1/assessments', { point, ratings: ratingsFor(keys, level + 1) })
      await api('dMentor', 'POST', '/api/v1/assessments', { point, studentUserId: student.userId, ratings: ratingsFor(keys, level) })
    }
  }
  // A verified session rated low by the student: something on the feedback and at-risk pages.
  const rated = (await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-3), durationMinutes: 45, topics: ['pricing'] })).body.id as string
  const waiting = (await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-2), durationMinutes: 30, topics: ['board'] })).body.id as string
  for (const id of [rated, waiting]) await api('m1', 'POST', `/api/v1/verifications/${id}`, { decision: 'approve' })
  await api('s1', 'POST', `/api/v1/feedback/${rated}`, { rating: 1, comment: 'We ran out of time' })
  browser = await launchBrowser()
  desktop = await (await newContext(browser)).newPage()
  narrow = await (await newContext(browser, NARROW)).newPage()
})
afterAll(async () => {
  await browser?.close()
  await world?.close()
})

const CASES = [
  { name: 'course growth (figures shown)', who: 'dInstructor', path: () => '/instructor/growth', charts: 9 },
  { name: 'the programme report', who: 'dInstructor', path: () => '/instructor/report', charts: 1 },
  { name: 'course growth (figures withheld)', who: 'instructor', path: () => '/instructor/growth', charts: 2 },
  { name: 'a student\'s growth, for the instructor', who: 'dInstructor', path: () => `/instructor/students/${world.people.d1?.userId ?? ''}/growth`, charts: 7 },
  { name: 'a student\'s own assessments and growth', who: 'd2', path: () => '/student/assessments', charts: 7 },
  { name: 'a student\'s assessment form', who: 's1', path: () => '/student/assessments', charts: 0 },
  { name: 'a mentor\'s page of a mentee', who: 'dMentor', path: () => `/mentor/mentees/${world.people.d3?.userId ?? ''}/assessments`, charts: 7 },
  { name: 'a mentor\'s list of mentees', who: 'm1', path: () => '/mentor/assessments', charts: 0 },
  { name: 'session feedback', who: 's1', path: () => '/feedback', charts: 0 },
  { name: 'pairs at risk with low session ratings', who: 'instructor', path: () => '/instructor/at-risk', charts: 0 },
  { name: 'the competency editor', who: 'instructor', path: () => '/instructor/competencies', charts: 0 },
  { name: 'a competency form', who: 'instructor', path: () => '/instructor/competencies/leadership/edit', charts: 0 }
]

async function open (page: Page, who: string, path: string): Promise<void> {
  const response = await page.goto(withSession(world.app.config.publicUrl, path, world.people[who]?.token ?? ''))
  expect(response?.status()).toBe(200)
  await page.locator('main h1').waitFor()
}

describe('the growth pages in chromium', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: charts drawn, each with a title and a table, and no serious axe violation', async (_name, c) => {
    await open(desktop, c.who, c.path())
    const charts = await desktop.evaluate(`[...document.querySelectorAll('main svg[role="img"]')].map((svg) => {
      const box = svg.getBoundingClientRect()
      const ids = (svg.getAttribute('aria-labelledby') || '').split(' ')
      return { width: box.width, height: box.height, title: svg.querySelector('title')?.textContent || '', named: ids.every((id) => document.getElementById(id) !== null), inFigure: svg.closest('figure') !== null && svg.closest('figure').querySelector('table') !== null }
    })`) as Array<{ width: number, height: number, title: string, named: boolean, inFigure: boolean }>
    expect(charts).toHaveLength(c.charts)
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100)
      expect(chart.height).toBeGreaterThan(50)
      expect(chart.title).not.toBe('')
      expect(chart.named).toBe(true)
    }
    // Every chart's section carries a table of its numbers.
    if (c.charts > 0) expect(await desktop.evaluate(`[...document.querySelectorAll('main svg[role="img"]')].every((svg) => (svg.closest('section') || document).querySelector('table') !== null)`)).toBe(true)
    expect(describeViolations(seriousOnes(await runAxe(desktop)))).toEqual([])
    await screenshot(desktop, `growth-${c.name.replace(/[^a-z]+/gi, '-')}`)

    await open(narrow, c.who, c.path())
    expect(await overflowsHorizontally(narrow) ? await overflowingElements(narrow) : []).toEqual([])
    expect(describeViolations(seriousOnes(await runAxe(narrow, ['scrollable-region-focusable', 'color-contrast', 'target-size', 'meta-viewport'])))).toEqual([])
  })
})
