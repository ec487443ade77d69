import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { endpointPaths, type SimulatorContext } from '../context'
import { acceptDeepLinkResponse } from '../deep-link-response'
import { serviceErrorHandler, validate } from '../errors'
import { escapeHtml } from '../html-form'

/** Where the tool form-posts its LtiDeepLinkingResponse (field `JWT`). */
export function deepLinkReturnRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(serviceErrorHandler)

    app.post(endpointPaths.deepLinkReturn, async (request, reply) => {
      const { JWT } = validate(z.object({ JWT: z.string().min(1) }), request.body)
      const result = await acceptDeepLinkResponse(ctx, JWT)
      const items = result.contentItems.map(item => `<li>${escapeHtml(String(item.title ?? item.type))}</li>`).join('')
      const msg = result.msg !== undefined ? `<p>${escapeHtml(result.msg)}</p>` : ''
      return await reply.type('text/html; charset=utf-8')
        .send(`<!DOCTYPE html><html lang="en"><body><h1>Content added</h1>${msg}<ul>${items}</ul></body></html>`)
    })
  }
}
