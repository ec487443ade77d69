import '../helpers/dispose-symbols'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { ARTIFACTS, CHROMIUM, describeViolations, launchBlockingCookiesOf, runAxe, seriousOnes, THIRD_PARTY_COOKIES_BLOCKED } from '../helpers/browser'
import { connectTool, seedCourse } from '../helpers/lms'
import { startTestAppWith, testConfig } from '../helpers/test-app'

/**
 * Launches inside the LMS's course page (Mentorlink in its iframe) where the platform offers no LTI Platform Storage,
 * so the login's state cookie is all that binds it to the browser. Mentorlink on `localhost` and the LMS on
 * `127.0.0.1` are different sites: in the frame Mentorlink is third-party, and Chromium blocks its ordinary cookies
 * (third-party cookie phase-out turned on). Partitioned cookies survive that; where the browser keeps no cookie for
 * Mentorlink at all (the user blocked its cookies), the frame offers a new window.
 */
const tool = { clientId: 'client-frame', deploymentId: 'deploy-frame' }
const COURSE = 'frame101'
const STUDENT = { id: 'u-frame-student', name: 'Farah Ndiaye' }
const INSTRUCTOR = { id: 'u-frame-teacher', name: 'Ines Moretti' }

let app: FastifyInstance
let generic: Simulator
let moodle: Simulator
/** Third-party cookies blocked, partitioned ones allowed: Chromium's default once third-party cookies go. */
let browser: Browser
/** The same, and Mentorlink's cookies blocked inside the LMS's pages, partitioned ones too (Chromium's site settings). */
let noCookies: { context: BrowserContext, close: () => Promise<void> }

beforeAll(async () => {
  const config = await testConfig()
  app = await startTestAppWith({ ...config, publicUrl: `http://localhost:${config.port}` })
  generic = await startSimulator({ host: '127.0.0.1', port: 0 })
  moodle = await startSimulator({ host: '127.0.0.1', port: 0, profile: 'moodle' })
  for (const lms of [generic, moodle]) {
    await connectTool(app, lms, tool)
    seedCourse(lms, COURSE, [{ ...STUDENT, roles: ['Learner'] }, { ...INSTRUCTOR, roles: ['Instructor'] }])
  }
  noCookies = await launchBlockingCookiesOf(app.config.publicUrl, [generic.url, moodle.url])
  browser = await chromium.launch({ executablePath: CHROMIUM, args: THIRD_PARTY_COOKIES_BLOCKED })
})

afterAll(async () => {
  await noCookies?.close()
  await browser?.close()
  await generic?.close()
  await moodle?.close()
  await app?.close()
})

interface CoursePage { page: Page, frame: Frame, blockedCookies: string[] }

/** Opens the LMS's course page as `userId` and waits until the tool frame shows a Mentorlink page matching `url`. */
async function openCoursePage (lms: Simulator, userId: string, url: RegExp, context?: BrowserContext): Promise<CoursePage> {
  const page = await (context ?? await browser.newContext({ bypassCSP: true })).newPage()
  const blockedCookies: string[] = []
  const devtools = await page.context().newCDPSession(page)
  await devtools.send('Network.enable')
  devtools.on('Network.responseReceivedExtraInfo', (event) => {
    for (const b of event.blockedCookies) blockedCookies.push(b.cookie?.name ?? b.cookieLine.split('=')[0] ?? '')
  })
  const query = new URLSearchParams({ user: userId, client_id: tool.clientId, deployment_id: tool.deploymentId })
  await page.goto(`${lms.url}/course/${COURSE}?${query.toString()}`)
  const frame = page.frame({ name: 'tool-frame' })
  if (!frame) throw new Error('no tool frame on the course page')
  await frame.waitForURL(url, { timeout: 15_000 })
  await frame.waitForSelector('main h1')
  return { page, frame, blockedCookies }
}

const lastClaim = async (issuer: string) =>
  await app.db.models.singleUseClaims.findOne({ 'detail.issuer': issuer }).sort({ createdAt: -1 }).lean()

describe('a launch inside the LMS frame, no Platform Storage, third-party cookies blocked', () => {
  it.each([
    ['generic', 'student', STUDENT, /\/student\?session=/],
    ['generic', 'instructor', INSTRUCTOR, /\/instructor\?session=/],
    ['moodle', 'student', STUDENT, /\/student\?session=/]
  ])('lands on the home page in the %s course page (%s) through a partitioned state cookie', async (profile, _role, who, home) => {
    const lms = profile === 'moodle' ? moodle : generic
    const { page, frame, blockedCookies } = await openCoursePage(lms, who.id, home)
    expect(new URL(frame.url()).origin).toBe(app.config.publicUrl)
    expect(await frame.locator('header').textContent()).toContain(who.name)
    expect(blockedCookies.filter((name) => name.startsWith('ml_'))).toEqual([])
    expect((await lastClaim(lms.issuer))?.detail).toMatchObject({ clientId: tool.clientId, binding: 'cookie' })
    await page.context().close()
  })

  it('keeps the student signed in from page to page inside the frame (the session travels in the links)', async () => {
    const { page, frame } = await openCoursePage(generic, STUDENT.id, /\/student\?session=/)
    const link = frame.locator('nav[aria-label="Main"] a:not([aria-current])').first()
    const target = await link.getAttribute('href')
    await link.click()
    await frame.waitForURL((url) => url.pathname === new URL(target ?? '', app.config.publicUrl).pathname)
    await frame.waitForSelector('main h1')
    expect(await frame.locator('header').textContent()).toContain(STUDENT.name)
    await page.screenshot({ path: path.join(ARTIFACTS, 'framed-launch.png'), fullPage: true })
    await page.context().close()
  })
})

describe('a launch inside the LMS frame where the browser keeps no cookie of Mentorlink at all', () => {
  it.each([['generic'], ['moodle']])('offers a new window in the %s course page, which completes the launch top-level', async (profile) => {
    const lms = profile === 'moodle' ? moodle : generic
    const { page, frame, blockedCookies } = await openCoursePage(lms, STUDENT.id, /\/lti\/login\?/, noCookies.context)
    expect(blockedCookies).toContain('ml_cookie_test')
    expect(await frame.locator('main h1').textContent()).toBe('Open Mentorlink in a new window')
    const text = await frame.locator('main').innerText()
    expect(text).not.toMatch(/state|cookie|CHIPS|LTI|OIDC|401/i)
    expect(describeViolations(seriousOnes(await runAxe(frame)))).toEqual([])
    if (profile === 'generic') await page.screenshot({ path: path.join(ARTIFACTS, 'framed-launch-new-window.png'), fullPage: true })

    const opened = noCookies.context.waitForEvent('page')
    await frame.getByRole('link', { name: 'Open Mentorlink in a new window' }).click()
    const window = await opened
    await window.waitForURL(/\/student\?session=/, { timeout: 15_000 })
    expect(window.url()).toMatch(new RegExp(`^${app.config.publicUrl}/student\\?session=`))
    expect(await window.locator('header').textContent()).toContain(STUDENT.name)
    expect((await lastClaim(lms.issuer))?.detail).toMatchObject({ clientId: tool.clientId, binding: 'cookie' })
    // The button's login is spent: the frame now says where Mentorlink went instead of offering it again.
    expect(await frame.getByRole('status').innerText()).toMatch(/^Mentorlink is open in a new tab or window/)
    expect(await frame.getByRole('link', { name: 'Open Mentorlink in a new window' }).isVisible()).toBe(false)
    if (profile === 'generic') {
      await window.screenshot({ path: path.join(ARTIFACTS, 'framed-launch-new-window-opened.png'), fullPage: true })
      await page.screenshot({ path: path.join(ARTIFACTS, 'framed-launch-new-window-after.png'), fullPage: true })
    }
    await window.close()
    await page.close()
  })
})
