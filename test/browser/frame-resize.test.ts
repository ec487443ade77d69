import type { FastifyInstance } from 'fastify'
import type { Browser, Frame, Page } from 'playwright-core'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { launchBrowser, newContext, screenshot } from '../helpers/browser'
import { connectTool, seedCourse } from '../helpers/lms'
import { startTestAppWith, testConfig } from '../helpers/test-app'

/**
 * Mentorlink tells the LMS its height (`lti.frameResize`, to the parent window) when a page loads and when its height
 * changes; the simulator's Canvas course page sizes the tool's iframe by it, as Canvas does. The frame starts at 720 px.
 */
const tool = { clientId: 'client-resize', deploymentId: 'deploy-resize' }
const INITIAL_FRAME_HEIGHT = 720
let app: FastifyInstance
let canvas: Simulator
let browser: Browser

beforeAll(async () => {
  const config = await testConfig()
  app = await startTestAppWith({ ...config, publicUrl: `http://localhost:${config.port}` })
  canvas = await startSimulator({ host: '127.0.0.1', port: 0, profile: 'canvas' })
  await connectTool(app, canvas, tool)
  seedCourse(canvas, 'rs101', [{ id: 'u-rs-student', name: 'Rosa Sato', roles: ['Learner'] }])
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await canvas?.close()
  await app?.close()
})

async function openCoursePage (): Promise<{ page: Page, frame: Frame }> {
  const page = await (await newContext(browser)).newPage()
  const query = new URLSearchParams({ user: 'u-rs-student', client_id: tool.clientId, deployment_id: tool.deploymentId })
  await page.goto(`${canvas.url}/course/rs101?${query.toString()}`)
  const frame = page.frame({ name: 'tool-frame' })
  if (!frame) throw new Error('no tool frame on the course page')
  await frame.waitForURL(/\/student\?session=/, { timeout: 15_000 })
  await frame.waitForSelector('main h1')
  return { page, frame }
}

const pageHeight = async (frame: Frame): Promise<number> =>
  await frame.evaluate('Math.ceil(document.documentElement.getBoundingClientRect().height)') as number

/** Waits until the course page has sized the tool's iframe to `height` (its inner height, borders aside). */
async function frameBecomes (page: Page, height: number): Promise<void> {
  await page.waitForFunction(`document.getElementById('tool-frame').clientHeight === ${height}`, undefined, { timeout: 10_000 })
}

describe('the tool frame in a Canvas course follows the height of Mentorlink\'s page', () => {
  it('is sized to the page when it loads, and follows it as it grows and shrinks', async () => {
    const { page, frame } = await openCoursePage()
    const loaded = await pageHeight(frame)
    expect(loaded).not.toBe(INITIAL_FRAME_HEIGHT)
    await frameBecomes(page, loaded)
    // Chromium paints a cross-site frame only within the viewport: make room for it in the screenshot.
    await page.setViewportSize({ width: 1280, height: loaded + 200 })
    await screenshot(page, 'frame-resize-canvas')

    // Content that grows after the load (a list filled in, a section opened): the frame follows without a reload.
    await frame.evaluate(`(() => {
      const more = document.createElement('div')
      more.id = 'more-content'
      more.style.height = '1500px'
      document.querySelector('main').append(more)
    })()`)
    const grown = await pageHeight(frame)
    expect(grown).toBeGreaterThanOrEqual(loaded + 1500)
    await frameBecomes(page, grown)

    await frame.evaluate('document.getElementById(\'more-content\').remove()')
    await frameBecomes(page, loaded)

    // Another page of Mentorlink in the same frame: sized when it loads.
    await frame.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intake' }).click()
    await frame.waitForURL(/\/student\/intake\?/)
    await frame.waitForSelector('main h1')
    const intake = await pageHeight(frame)
    expect(intake).not.toBe(loaded)
    await frameBecomes(page, intake)
    await page.context().close()
  })
})
