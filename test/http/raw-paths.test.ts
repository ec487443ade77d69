import http from 'node:http'
import type { FastifyInstance } from 'fastify'
import { startTestApp } from '../helpers/test-app'

/**
 * Paths as an attacker or a confused client types them, sent byte for byte (like `curl --path-as-is`): every one
 * gets a prompt answer, never a held connection, and never a file outside static/.
 */
let app: FastifyInstance

beforeAll(async () => { app = await startTestApp() })
afterAll(async () => { await app?.close() })

function rawGet (path: string, accept: string): Promise<{ status: number, body: string }> {
  const { hostname, port } = new URL(app.config.publicUrl)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'GET', headers: { accept }, timeout: 3000 }, (res) => {
      let body = ''
      res.on('data', (chunk) => { body += String(chunk) })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
    req.on('timeout', () => { req.destroy(new Error(`no answer to GET ${path} within 3 s`)) })
    req.on('error', reject)
    req.end()
  })
}

const TRAVERSALS = ['/static/%2e%2e/package.json', '/static/..%2fpackage.json', '/static/.%2e/src/config.ts', '/static/%5c../package.json', '/static/js/../../src/config.ts', '/static/%2e%2e%2f%2e%2e%2fetc/passwd']

describe('raw paths', () => {
  it.each(TRAVERSALS.flatMap((path) => [[path, 'application/json'], [path, '*/*'], [path, 'text/html']]))('%s (Accept: %s) is answered at once, with no file outside static/', async (path, accept) => {
    const res = await rawGet(path, accept)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.body).not.toContain('"name": "mentorlink"')
    expect(res.body).not.toContain('loadConfig')
  })

  it('still serves the real static files, and the icon browsers ask for at /favicon.ico', async () => {
    expect((await rawGet('/static/css/app.css', 'text/css')).status).toBe(200)
    const icon = await fetch(`${app.config.publicUrl}/favicon.ico`)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
  })
})
