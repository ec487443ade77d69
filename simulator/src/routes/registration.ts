import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { endpointPaths, type SimulatorContext } from '../context'
import { grantOf, openidConfiguration, registerTool } from '../dynamic-registration'
import { oauthErrorHandler } from '../errors'
import type { DynamicRegistrationOptions } from '../types'

type CannedAnswer = NonNullable<DynamicRegistrationOptions['configurationAnswer']>
const answerWith = async (reply: FastifyReply, answer: CannedAnswer) =>
  await reply.code(answer.status).headers({ 'content-type': 'text/plain; charset=utf-8', ...answer.headers }).send(answer.body ?? '')

/** LTI Dynamic Registration 1.0, platform side: the OpenID configuration and the registration endpoint. */
export function registrationRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)

    // Canvas requires the registration token to read its configuration; Moodle does not. The simulator does.
    app.get(endpointPaths.openidConfiguration, async (request, reply) => {
      ctx.stats.openidConfigurationRequests = (ctx.stats.openidConfigurationRequests ?? 0) + 1
      const grant = grantOf(ctx, request.headers.authorization)
      if (grant.options.configurationAnswer !== undefined) return await answerWith(reply, grant.options.configurationAnswer)
      return await reply.header('cache-control', 'no-store').send(openidConfiguration(ctx, grant))
    })

    app.post(endpointPaths.registration, async (request, reply) => {
      ctx.stats.registrationRequests = (ctx.stats.registrationRequests ?? 0) + 1
      const grant = grantOf(ctx, request.headers.authorization)
      if (grant.options.registrationAnswer !== undefined) return await answerWith(reply, grant.options.registrationAnswer)
      return await reply.header('cache-control', 'no-store').send(registerTool(ctx, grant, request.body))
    })
  }
}
