import type { Services } from './services'

/** The demo as the server sees it; src/demo/start-demo.ts implements it. */
export interface RunningDemo {
  /** What to print once the app listens: where the demo LMS runs and one launch URL per person. */
  banner: string
  close: () => Promise<void>
}

/** Starts the demo beside the app, on the port and profile in the configuration. */
export type StartDemo = (services: Pick<Services, 'config' | 'platformRegistry'>) => Promise<RunningDemo>

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
