import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'

const Health = z.object({ status: z.enum(['ok', 'unavailable']) })

/** Liveness (the process answers) and readiness (the database answers). */
export interface HealthRoutesOptions {
  /** Resolves when the database answers; rejects otherwise. */
  pingDatabase: () => Promise<void>
}

const READY_WAIT_MS = 950

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { pingDatabase }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['Operations']
  api.get('/healthz', { schema: { tags, summary: 'Liveness', response: { 200: Health } } }, async () => ({ status: 'ok' as const }))
  api.get('/readyz', { schema: { tags, summary: 'Readiness: the database answers', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      try {
        // Answered within a second whatever the database does (the connection itself gives up after 0.5 s).
        await Promise.race([pingDatabase(), new Promise((_resolve, reject) => setTimeout(() => { reject(new Error('no answer')) }, READY_WAIT_MS).unref())])
        return { status: 'ok' as const }
      } catch {
        return await reply.status(503).send({ status: 'unavailable' as const })
      }
    })
}
