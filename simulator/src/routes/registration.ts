import type { FastifyPluginAsync } from 'fastify'
import { endpointPaths, type SimulatorContext } from '../context'
import { grantOf, openidConfiguration, registerTool } from '../dynamic-registration'
import { oauthErrorHandler } from '../errors'

/** LTI Dynamic Registration 1.0, platform side: the OpenID configuration and the registration endpoint. */
export function registrationRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)

    // Canvas requires the registration token to read its configuration; Moodle does not. The simulator does.
    app.get(endpointPaths.openidConfiguration, async (request, reply) => {
      const grant = grantOf(ctx, request.headers.authorization)
      return await reply.header('cache-control', 'no-store').send(openidConfiguration(ctx, grant))
    })

    app.post(endpointPaths.registration, async (request, reply) => {
      const grant = grantOf(ctx, request.headers.authorization)
      return await reply.header('cache-control', 'no-store').send(registerTool(ctx, grant, request.body))
    })
  }
}
