import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { endpointPaths, type SimulatorContext } from '../context'
import { oauthErrorHandler, validate } from '../errors'
import { escapeHtml, renderAutoSubmitForm } from '../html-form'
import { createLaunchRequest, launchParamsFromQuery, launchQuerySchema } from '../launch-request'

/** What the browser hits when a user clicks the tool in a course: third-party login initiation. */
export function launchRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)

    app.get('/launch', async (request, reply) => {
      const { loginUrl, params } = createLaunchRequest(ctx, launchParamsFromQuery(validate(launchQuerySchema, request.query)))
      return await reply.type('text/html; charset=utf-8').header('cache-control', 'no-store')
        .send(renderAutoSubmitForm(loginUrl, params, 'Launching tool…'))
    })

    app.get('/launch.json', async (request) => {
      return createLaunchRequest(ctx, launchParamsFromQuery(validate(launchQuerySchema, request.query)))
    })

    app.get(endpointPaths.launchReturn, async (request, reply) => {
      const q = validate(z.object({ course: z.string().optional(), lti_msg: z.string().optional() }), request.query)
      const message = q.lti_msg !== undefined ? `<p>${escapeHtml(q.lti_msg)}</p>` : ''
      return await reply.type('text/html; charset=utf-8')
        .send(`<!DOCTYPE html><html lang="en"><body><h1>Back in the course</h1>${message}</body></html>`)
    })
  }
}
