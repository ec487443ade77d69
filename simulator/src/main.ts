/**
 * Standalone simulator: `npm run simulator` at the repository root (or `npm start` in this package: `tsx src/main.ts`).
 * Env: SIMULATOR_PROFILE (generic | canvas | moodle), SIMULATOR_PORT (default 3100), SIMULATOR_HOST (default 127.0.0.1), SIMULATOR_PUBLIC_URL,
 * SIMULATOR_SEED (JSON file with users/courses/tools/lineItems), SIMULATOR_LOG=1 for request logs.
 */
import { z } from 'zod'
import { PROFILE_NAMES } from './profiles'
import { parseOrThrow } from './schemas'
import { applySeed, loadSeed } from './seed'
import { startSimulator } from './simulator'

const envSchema = z.object({
  SIMULATOR_PROFILE: z.enum(PROFILE_NAMES).default('generic'),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_PUBLIC_URL: z.url().optional(),
  SIMULATOR_SEED: z.string().min(1).optional(),
  SIMULATOR_LOG: z.enum(['0', '1']).default('0')
})

async function main (): Promise<void> {
  const env = parseOrThrow(envSchema, process.env, 'environment')
  const sim = await startSimulator({
    profile: env.SIMULATOR_PROFILE,
    host: env.SIMULATOR_HOST, port: env.SIMULATOR_PORT, publicUrl: env.SIMULATOR_PUBLIC_URL, logger: env.SIMULATOR_LOG === '1'
  })
  if (env.SIMULATOR_SEED !== undefined) applySeed(sim, await loadSeed(env.SIMULATOR_SEED))
  else console.warn('No SIMULATOR_SEED given: no users, courses or tools are registered.')
  console.log(`LMS simulator (${sim.profile}) listening on ${sim.url}`)
  console.log(`  issuer ${sim.issuer}\n  auth   ${sim.endpoints.auth}\n  token  ${sim.endpoints.token}\n  jwks   ${sim.endpoints.jwks}`)
  const stop = (): void => { sim.close().then(() => process.exit(0), () => process.exit(1)) }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
