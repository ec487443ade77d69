import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'
import { describeAnswers } from './api-answers'

/**
 * The OpenAPI document is generated from the routes' zod schemas, with the answers every route of a kind gives
 * (api-answers.ts), and served at /docs/json, browsable at /docs.
 */
export async function registerApiDocs (app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Mentorlink API', version: '0.1.0', description: 'Executive mentoring inside your LMS course (LTI 1.3 tool).' },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'The session token a launch hands out' } }
      }
    },
    transform: describeAnswers(jsonSchemaTransform)
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
}
