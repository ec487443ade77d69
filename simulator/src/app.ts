import formbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import type { SimulatorContext } from './context'
import { authRoutes } from './routes/auth'
import { coursePageRoutes } from './routes/course-page'
import { deepLinkReturnRoutes } from './routes/deep-link-return'
import { homeRoutes } from './routes/home'
import { jwksRoutes } from './routes/jwks'
import { launchRoutes } from './routes/launch'
import { lineItemRoutes } from './routes/line-items'
import { membershipRoutes } from './routes/memberships'
import { registrationRoutes } from './routes/registration'
import { resultRoutes } from './routes/results'
import { scoreRoutes } from './routes/scores'
import { tokenRoutes } from './routes/token'
import { toolRegistrationPageRoutes } from './routes/tool-registration-page'

/**
 * The simulator's Fastify app; each route group is an encapsulated plugin with its own hooks.
 * Set `ctx.url` to the public base URL before serving: it is the issuer and prefixes every service URL.
 */
export async function buildSimulatorApp (ctx: SimulatorContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false })
  await app.register(formbody)
  for (const routes of [
    homeRoutes, launchRoutes, authRoutes, jwksRoutes, tokenRoutes, membershipRoutes,
    lineItemRoutes, scoreRoutes, resultRoutes, deepLinkReturnRoutes, registrationRoutes, coursePageRoutes, toolRegistrationPageRoutes
  ]) {
    await app.register(routes(ctx))
  }
  return app
}
