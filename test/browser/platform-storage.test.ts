import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { BrowserContext, Frame, Page } from 'playwright-core'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { ARTIFACTS, launchBlockingCookiesOf } from '../helpers/browser'
import { connectTool, seedCourse } from '../helpers/lms'
import { startTestAppWith, testConfig } from '../helpers/test-app'

const storageTool = { clientId: 'client-storage', deploymentId: 'deploy-storage' }
const cookieTool = { clientId: 'client-cookie-only', deploymentId: 'deploy-cookie-only' }

let app: FastifyInstance
let sim: Simulator
/** A Canvas school: it offers Platform Storage on every login, without being told to. */
let canvas: Simulator
let browser: { context: BrowserContext, close: () => Promise<void> }

/**
 * Mentorlink on `localhost` and the LMS on `127.0.0.1` are different sites, so inside the course page's iframe
 * Mentorlink is third-party. Chromium blocks its third-party cookies (phase-out turned on for tests) and, in this
 * profile, its partitioned ones inside the LMS's pages too: no cookie can bind a login there, Platform Storage must.
 * Launches where partitioned cookies are kept, or none and no Platform Storage either: framed-launch.test.ts.
 */
beforeAll(async () => {
  const config = await testConfig()
  app = await startTestAppWith({ ...config, publicUrl: `http://localhost:${config.port}` })
  sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  await connectTool(app, sim, storageTool)
  await connectTool(app, sim, cookieTool)
  const registered = sim.state.tools.get(storageTool.clientId)
  if (registered) registered.platformStorage = true
  seedCourse(sim, 'web101', [{ id: 'u-web-student', name: 'Wanda Webb', roles: ['Learner'] }])
  canvas = await startSimulator({ host: '127.0.0.1', port: 0, profile: 'canvas' })
  await connectTool(app, canvas, cookieTool)
  seedCourse(canvas, 'web101', [{ id: 'u-web-student', name: 'Wanda Webb', roles: ['Learner'] }])
  browser = await launchBlockingCookiesOf(app.config.publicUrl, [sim.url, canvas.url])
})

afterAll(async () => {
  await browser?.close()
  await sim?.close()
  await canvas?.close()
  await app?.close()
})

/** Opens the simulator's course page and waits until the tool frame lands on a Mentorlink page matching `url`. */
async function openCoursePage (tool: { clientId: string, deploymentId: string }, url: RegExp, lms = sim): Promise<{ page: Page, frame: Frame }> {
  const page = await browser.context.newPage()
  await page.goto(`${lms.url}/course/web101?${launchQuery(tool).toString()}`)
  const frame = page.frame({ name: 'tool-frame' })
  if (!frame) throw new Error('no tool frame on the course page')
  await frame.waitForURL(url, { timeout: 15_000 })
  await frame.waitForLoadState('load')
  return { page, frame }
}

const launchQuery = (tool: { clientId: string, deploymentId: string }): URLSearchParams =>
  new URLSearchParams({ user: 'u-web-student', client_id: tool.clientId, deployment_id: tool.deploymentId })

describe('a launch inside the LMS iframe with third-party cookies blocked', () => {
  it('lands on the home page through LTI Platform Storage', async () => {
    const { page, frame } = await openCoursePage(storageTool, /\/student\?session=/)
    expect(new URL(frame.url()).origin).toBe(app.config.publicUrl)
    expect(await frame.locator('body').textContent()).toContain('Wanda Webb')
    const claim = await app.db.models.singleUseClaims.findOne({ 'detail.clientId': storageTool.clientId }).sort({ createdAt: -1 }).lean()
    expect(claim?.detail).toMatchObject({ storageTarget: '_parent', binding: 'platform-storage' })
    await page.screenshot({ path: path.join(ARTIFACTS, 'platform-storage-launch.png'), fullPage: true })
  })

  it('lands on the home page inside a Canvas course, which offers Platform Storage on every login', async () => {
    const { frame } = await openCoursePage(cookieTool, /\/student\?session=/, canvas)
    expect(await frame.locator('body').textContent()).toContain('Wanda Webb')
    const claim = await app.db.models.singleUseClaims.findOne({ 'detail.issuer': 'https://canvas.instructure.com' }).sort({ createdAt: -1 }).lean()
    expect(claim?.detail).toMatchObject({ storageTarget: '_parent', binding: 'platform-storage' })
  })

  it('(control) the same cookie launch succeeds first-party, outside the iframe', async () => {
    const page = await browser.context.newPage()
    const query = launchQuery(cookieTool)
    query.set('course', 'web101')
    await page.goto(`${sim.url}/launch?${query.toString()}`)
    await page.waitForURL(/\/student\?session=/, { timeout: 15_000 })
    expect(await page.locator('body').textContent()).toContain('Wanda Webb')
  })
})
