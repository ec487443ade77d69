import './dispose-symbols'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core'
import type { Simulator } from '@mentorlink/simulator'

/** Debian's chromium (`.ci/run` installs it when test/browser exists). */
export const CHROMIUM = '/usr/bin/chromium'
/** Screenshots for reviewers; gitignored. */
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts')

export const DESKTOP = { width: 1280, height: 900 }
export const NARROW = { width: 320, height: 720 }

/** One headless chromium per test file. */
export async function launchBrowser (): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`)
  mkdirSync(ARTIFACTS, { recursive: true })
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
  })
}

/** Chromium flags of the tests in LMS frames: third-party cookies blocked, partitioned ones allowed (Chrome's way). */
export const THIRD_PARTY_COOKIES_BLOCKED = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--test-third-party-cookie-phaseout']

/**
 * A Chromium (third-party cookies blocked too) whose site settings block every cookie of the `tool` origin on pages of
 * the `embedders`, partitioned ones too, while the tool keeps its cookies on its own pages: a content-settings
 * exception (the cookie's site, then the top-level site) written to a new profile's preferences before launch.
 */
export async function launchBlockingCookiesOf (tool: string, embedders: string[]): Promise<{ context: BrowserContext, close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`)
  mkdirSync(ARTIFACTS, { recursive: true })
  const dir = mkdtempSync(path.join(tmpdir(), 'mentorlink-no-cookies-'))
  mkdirSync(path.join(dir, 'Default'))
  const exceptions = Object.fromEntries(embedders.map((site) => [`${tool},${site}`, { setting: 2 }]))
  writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { content_settings: { exceptions: { cookies: exceptions } } } }))
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: THIRD_PARTY_COOKIES_BLOCKED, bypassCSP: true })
  context.setDefaultTimeout(15_000)
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * A browser context for Mentorlink's pages. The app's Content-Security-Policy forbids inline scripts, so the
 * context bypasses it: that is how axe-core gets injected (page.addScriptTag with the script's content).
 */
export async function newContext (browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, bypassCSP: true })
  context.setDefaultTimeout(15_000)
  return context
}

export interface CourseLaunch { courseId: string, userId: string, clientId: string, deploymentId: string }

/**
 * Opens the LMS simulator's course page, whose iframe launches Mentorlink as `who`, and waits until the tool frame
 * shows a page whose URL matches `url` (the role's home).
 */
export async function openInCourse (page: Page, sim: Simulator, who: CourseLaunch, url: RegExp): Promise<Frame> {
  const query = new URLSearchParams({ user: who.userId, client_id: who.clientId, deployment_id: who.deploymentId })
  await page.goto(`${sim.url}/course/${who.courseId}?${query.toString()}`)
  const frame = page.frame({ name: 'tool-frame' })
  if (!frame) throw new Error('no tool frame on the course page')
  await frame.waitForURL(url, { timeout: 15_000 })
  await frame.waitForSelector('main h1')
  await rosterSyncSettled(frame)
  return frame
}

/**
 * An instructor's launch starts a roster sync; the home page shows its progress and reloads when it ends. Waits until
 * no sync is showing, so that clicks do not race that reload.
 */
export async function rosterSyncSettled (target: Page | Frame): Promise<void> {
  await target.waitForFunction(`document.readyState === 'complete' && (document.getElementById('sync-progress') === null || document.getElementById('sync-progress').hidden)`, undefined, { timeout: 20_000 })
}

let axeSource: string | undefined

export interface AxeNode { target: unknown[], html: string, failureSummary?: string }
export interface AxeViolation { id: string, impact: string | null, help: string, helpUrl: string, nodes: AxeNode[] }

/** Runs axe-core on the page or frame and answers its violations (all impacts); `rules` limits the run to those. */
export async function runAxe (target: Page | Frame, rules?: string[]): Promise<AxeViolation[]> {
  const options = JSON.stringify(rules ? { resultTypes: ['violations'], runOnly: { type: 'rule', values: rules } } : { resultTypes: ['violations'] })
  axeSource ??= readFileSync(require.resolve('axe-core'), 'utf8')
  const loaded = await target.evaluate('typeof window.axe !== \'undefined\'') as boolean
  if (!loaded) await target.addScriptTag({ content: axeSource })
  // Browser-side code as text: the tests compile without the DOM library.
  return await target.evaluate(`(async () => {
    const result = await window.axe.run(document, ${options})
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary }))
    }))
  })()`) as AxeViolation[]
}

/** The violations a page must not have: axe's `serious` and `critical` impacts. */
export const seriousOnes = (violations: AxeViolation[]): AxeViolation[] =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')

/** A readable summary for a failing expectation. */
export function describeViolations (violations: AxeViolation[]): string[] {
  return violations.map((v) => `${v.impact ?? '?'} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').slice(1, 2).join(' ') ?? ''}`).join(' | ')}`)
}

/** Saves a full-page screenshot under test-artifacts/. */
export async function screenshot (page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Where a page's URL points, with the session token kept (links carry it). */
export function withSession (base: string, pathname: string, token: string): string {
  return `${base}${pathname}${pathname.includes('?') ? '&' : '?'}session=${encodeURIComponent(token)}`
}

/** Page width overflow: true when the document is wider than the viewport (horizontal scrolling at 320 px). */
export async function overflowsHorizontally (target: Page | Frame): Promise<boolean> {
  return await target.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1') as boolean
}

/** The elements sticking out past the viewport's right edge (innermost first), to explain an overflow. */
export async function overflowingElements (target: Page | Frame): Promise<string[]> {
  return await target.evaluate(`(() => {
    const width = document.documentElement.clientWidth
    const inScroller = (el) => {
      for (let p = el.parentElement; p !== null; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true
      return false
    }
    const right = (el) => el.getBoundingClientRect().right
    return [...document.body.querySelectorAll('*')]
      .filter((el) => right(el) > width + 1 && !inScroller(el) && [...el.children].every((c) => right(c) <= width + 1))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '') +
        ' (right ' + Math.round(right(el)) + 'px): ' + (el.textContent || '').trim().slice(0, 60))
  })()`) as string[]
}
