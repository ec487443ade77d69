import type { Services } from './services'

/** The demo as the server sees it; src/demo/start-demo.ts implements it. */
export interface RunningDemo {
  /**
   * Fills Mentorlink's side of the demo course as DEMO_STATE says (a synced roster, a mentor pool and intakes, or
   * nothing), unless an earlier run did; answers one line saying what the course holds. Call it once the app
   * listens: the roster sync makes the demo LMS fetch the tool's keys from it.
   */
  seed: () => Promise<string>
  /** What to print once the app listens: where the demo LMS runs, `state` (what `seed` answered) and one launch URL per person. */
  banner: (state: string) => string
  close: () => Promise<void>
}

/** What the demo uses of the app: the platform registry, and the services a launch, a roster sync, the pool and the intake use. */
export type DemoServices = Pick<Services, 'config' | 'platformRegistry' | 'tenancy' | 'roster' | 'rosterSync' | 'pools' | 'pairingStore'>

/** Starts the demo beside the app, on the port and profile in the configuration. */
export type StartDemo = (services: DemoServices) => Promise<RunningDemo>

/**
 * A variable, not a literal, so that the production build (tsconfig.build.json) neither compiles the demo nor follows
 * it into its LMS, a development package that the production install and image do not have.
 */
const DEMO_MODULE = './demo/start-demo'

export class DemoUnavailableError extends Error {
  constructor () {
    super('the demo (DEMO=true) needs the development install: run it from a checkout with `npm ci` and `npm start`')
    this.name = 'DemoUnavailableError'
  }
}

/** Loads the demo; only called when it is on. */
export async function loadDemo (): Promise<StartDemo> {
  try {
    const demo = await import(DEMO_MODULE) as { startDemo: StartDemo }
    return demo.startDemo
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new DemoUnavailableError()
    throw err
  }
}
