import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser } from 'playwright-core'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { waitForSync } from './support'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts')
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
let app: FastifyInstance
let sim: Simulator
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`)
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'big', [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    ...Array.from({ length: 120 }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  ])
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--test-third-party-cookie-phaseout'] })
  mkdirSync(ARTIFACTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await sim?.close()
  await app?.close()
})

it('shows a running sync\'s progress from the status route, with the session token and no cookie, then the result', async () => {
  const { sessionToken } = await launchAs(sim, { ...tool, courseId: 'big', userId: 'prof' })
  await waitForSync(app, 'big')
  const page = await (await browser.newContext()).newPage()
  const polls: Array<{ authorization?: string, cookie?: string }> = []
  page.on('request', (req) => {
    if (req.url().endsWith('/api/v1/roster/sync')) polls.push({ authorization: req.headers().authorization, cookie: req.headers().cookie })
  })
  await page.goto(`${app.config.publicUrl}/instructor/roster?session=${sessionToken ?? ''}`)

  sim.faults.add({ route: 'memberships', latencyMs: 1200, times: 3 })
  await page.click('button:has-text("Sync now")')
  await page.waitForURL(/notice=started/)
  // Pages come every 1.2 s; a busy machine's poll may first see the sync after its second page.
  await page.locator('#sync-text', { hasText: /\((1 page|2 pages)\)/ }).waitFor({ timeout: 10_000 })
  expect(await page.locator('#sync-bar').getAttribute('max')).toBe('3')
  await page.screenshot({ path: path.join(ARTIFACTS, 'roster-sync-progress.png'), fullPage: false })

  await page.waitForURL((url) => !url.searchParams.has('notice'), { timeout: 15_000 })
  await page.locator('text=Succeeded').waitFor()
  expect(await page.locator('#sync-progress').isHidden()).toBe(true)
  // 121 members, 50 to a page.
  expect(await page.locator('#members-title').textContent()).toBe('Members (121)')
  expect(await page.locator('#members tbody tr').count()).toBe(50)
  expect(await page.locator('nav.pager').first().textContent()).toContain('Showing 1–50 of 121')
  await page.screenshot({ path: path.join(ARTIFACTS, 'roster-synced.png'), fullPage: false })
  expect(polls.length).toBeGreaterThanOrEqual(2)
  for (const poll of polls) expect(poll).toEqual({ authorization: `Bearer ${sessionToken ?? ''}`, cookie: undefined })
})
