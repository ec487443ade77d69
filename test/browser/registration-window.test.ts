import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { launchBrowser, newContext, screenshot } from '../helpers/browser'
import { startTestAppWith, testConfig } from '../helpers/test-app'

/**
 * LTI Dynamic Registration as an LMS admin page opens it: in a popup (`window.open`) or in an iframe. Mentorlink's
 * "Finish" button posts `org.imsglobal.lti.close` to the window that opened it (or the frame's parent), and the
 * simulator's admin page closes the popup or removes the frame when it receives it from that window. Mentorlink on
 * `localhost` and the LMS on `127.0.0.1` are different sites, as in production.
 */
const SECRET = 'registration-secret-for-tests-0123456789'
let app: FastifyInstance
let sim: Simulator
let browser: Browser

beforeAll(async () => {
  const config = await testConfig({ REGISTRATION_SECRET: SECRET })
  app = await startTestAppWith({ ...config, publicUrl: `http://localhost:${config.port}` })
  sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await sim?.close()
  await app?.close()
})

async function openAdminPage (open: 'popup' | 'iframe'): Promise<Page> {
  const page = await (await newContext(browser)).newPage()
  const query = new URLSearchParams({ tool_url: `${app.config.publicUrl}/lti/register?secret=${SECRET}`, open })
  await page.goto(`${sim.url}/admin/tool-registration?${query.toString()}`)
  return page
}

const status = async (page: Page): Promise<string> => (await page.locator('#registration-status').textContent()) ?? ''

describe('dynamic registration opened by the LMS', () => {
  it('in a popup: keeps the link to the LMS page, and Finish closes the popup', async () => {
    const page = await openAdminPage('popup')
    const opened = page.context().waitForEvent('page')
    const answered = page.context().waitForEvent('response', (r) => new URL(r.url()).pathname === '/lti/register')
    await page.getByRole('button', { name: 'Register the tool' }).click()
    const popup = await opened
    await popup.getByRole('heading', { name: /^Mentorlink is registered with/ }).waitFor()
    expect(await popup.evaluate('window.opener !== null')).toBe(true)
    expect((await answered).headers()['cross-origin-opener-policy']).toBe('unsafe-none')
    await screenshot(popup, 'registration-popup')

    const closed = popup.waitForEvent('close')
    await popup.getByRole('button', { name: 'Finish and return to the platform' }).click()
    await closed
    await page.waitForFunction(`document.getElementById('registration-status').textContent === 'Registration closed by the tool'`, undefined, { timeout: 10_000 })
    expect(sim.dynamicRegistrations()).toHaveLength(1)
    await page.context().close()
  })

  it('in an iframe: Finish makes the LMS page remove the frame', async () => {
    const page = await openAdminPage('iframe')
    await page.getByRole('button', { name: 'Register the tool' }).click()
    const frame = page.frameLocator('#tool-registration')
    await frame.getByRole('heading', { name: /^Mentorlink is registered with/ }).waitFor()
    await frame.getByRole('button', { name: 'Finish and return to the platform' }).click()
    await page.locator('#tool-registration').waitFor({ state: 'detached', timeout: 10_000 })
    expect(await status(page)).toBe('Registration closed by the tool')
    expect(sim.dynamicRegistrations()).toHaveLength(2)
    await page.context().close()
  })
})
