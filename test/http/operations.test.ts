import type { FastifyInstance } from 'fastify'
import { redactUrl } from '../../src/http/logger'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance

beforeAll(async () => { app = await startTestApp() })
afterAll(async () => { await app?.close() })

describe('operations endpoints', () => {
  it('answers liveness and readiness', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    expect((await app.inject('/readyz')).json()).toEqual({ status: 'ok' })
  })

  it('serves an OpenAPI document generated from the zod schemas, and a browsable page', async () => {
    const doc = (await app.inject('/docs/json')).json() as { openapi: string, paths: Record<string, unknown> }
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/lti/login', '/lti/launch', '/healthz']))
    // Issue 19's routes, their withheld-or-shown figures included.
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/competencies', '/api/v1/assessments', '/api/v1/growth', '/api/v1/report', '/api/v1/feedback', '/api/v1/checkins']))
    expect((await app.inject('/docs')).statusCode).toBe(200)
  })

  it('answers unknown pages with 404 as a page for browsers and JSON otherwise', async () => {
    const page = await app.inject({ url: '/nowhere', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(404)
    expect(page.body).toContain('<main')
    expect((await app.inject('/api/v1/nowhere')).json()).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' })
  })

  it('allows framing by the LMS and sends no Referer carrying session tokens', async () => {
    const res = await app.inject('/healthz')
    expect(res.headers['x-frame-options']).toBeUndefined()
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors *')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
  })
})

describe('log redaction', () => {
  it('drops credentials from logged URLs', () => {
    expect(redactUrl('/student?session=abc.def&x=1')).toBe('/student?session=%5BRedacted%5D&x=1')
    expect(redactUrl('/lti/login?iss=x&login_hint=u1&lti_message_hint=h')).not.toMatch(/=u1|=h(&|$)/)
  })
})
