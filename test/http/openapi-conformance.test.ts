import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { apiAs, startWorld, type World } from '../activities/support'

/**
 * The OpenAPI document at /docs/json describes the answers as the server gives them: every status an operation
 * answers is listed for it, with the media type and body schema it is sent in (validated with Ajv, which reads
 * OpenAPI 3.0's `nullable`), and answers without a body list none. `npm run check:openapi` probes the same with
 * schemathesis against a running app (docs/testing.md).
 */

interface Answer { description: string, content?: Record<string, { schema: object }>, headers?: Record<string, unknown> }
interface Operation { method: string, path: string, responses: Record<string, Answer>, requestBody?: { content: Record<string, unknown> } }

let world: World
let operations: Operation[]
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
/** An id nothing in the database has. */
const MISSING_ID = 'ffffffffffffffffffffffff'

beforeAll(async () => {
  world = await startWorld()
  const doc = await (await fetch(`${world.app.config.publicUrl}/docs/json`)).json() as { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> }
  operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })))
})
afterAll(async () => {
  await world?.app.settled()
  await world?.close()
})

const base = () => world.app.config.publicUrl
const urlOf = (op: Operation): string => op.path.replace(/\{[^}]+\}/g, MISSING_ID)
const tokenOf = (who: string): string => world.people[who]?.token ?? ''

interface Answered { status: number, contentType: string, text: string, allow: string | null }

/** Calls an operation as `who` (or without a session) with an empty body of the media type it reads. */
async function call (op: Operation, who?: string, url = urlOf(op), accept = 'application/json'): Promise<Answered> {
  const mediaType = Object.keys(op.requestBody?.content ?? {})[0]
  const withBody = ['POST', 'PUT', 'PATCH'].includes(op.method)
  const res = await fetch(`${base()}${url}`, {
    method: op.method,
    redirect: 'manual',
    headers: {
      accept,
      ...(who === undefined ? {} : { authorization: `Bearer ${tokenOf(who)}` }),
      ...(withBody ? { 'content-type': mediaType ?? 'application/json' } : {})
    },
    body: withBody ? (mediaType === 'text/csv' ? 'name,email\n' : '{}') : undefined
  })
  return { status: res.status, contentType: (res.headers.get('content-type') ?? '').split(';')[0] ?? '', text: await res.text(), allow: res.headers.get('allow') }
}

/** What differs between the answer and the document: nothing when it is one the document lists for the operation. */
function differences (op: Operation, answered: Answered): string[] {
  const where = `${op.method} ${op.path} answered ${answered.status}`
  const documented = op.responses[String(answered.status)]
  if (documented === undefined) return [`${where}, which is not documented (${Object.keys(op.responses).join(', ')}): ${answered.text.slice(0, 200)}`]
  if (documented.content === undefined) return answered.text === '' ? [] : [`${where} with a body, documented without one`]
  const media = documented.content[answered.contentType]
  if (media === undefined) return [`${where} as ${answered.contentType}, documented as ${Object.keys(documented.content).join(', ')}`]
  if (answered.contentType !== 'application/json') return []
  const validate = ajv.compile(media.schema)
  return validate(JSON.parse(answered.text)) ? [] : [`${where}: ${ajv.errorsText(validate.errors)} in ${answered.text.slice(0, 300)}`]
}

async function differencesOfAll (ops: Operation[], who?: string): Promise<string[]> {
  const found: string[] = []
  for (const op of ops) found.push(...differences(op, await call(op, who)))
  return found
}

describe('the OpenAPI document', () => {
  it('lists what every operation answers a caller without a session, in the documented body', async () => {
    expect(operations.length).toBeGreaterThan(80)
    expect(await differencesOfAll(operations)).toEqual([])
  })

  it('lists what every API operation answers a student (403 for what instructors do, 400, 404), in the documented body', async () => {
    expect(await differencesOfAll(operations.filter((op) => op.path.startsWith('/api/')), 's1')).toEqual([])
  })

  it('lists what every API read answers an instructor, for ids that are not there too', async () => {
    expect(await differencesOfAll(operations.filter((op) => op.path.startsWith('/api/') && op.method === 'GET'), 'instructor')).toEqual([])
  })

  it('documents each DELETE as 204 without a body, as the server answers it', async () => {
    const deletes = operations.filter((op) => op.method === 'DELETE')
    expect(deletes.length).toBeGreaterThan(5)
    for (const op of deletes) {
      expect({ op: op.path, answer: op.responses['204'] }).toEqual({ op: op.path, answer: { description: expect.any(String) } })
    }
    const api = apiAs(world)
    const mentor = await api('instructor', 'POST', '/api/v1/pool/mentors', { name: 'Ada Mentor', email: 'ada.mentor@example.com', capacity: 2 })
    expect(mentor.status).toBe(201)
    expect((await api('instructor', 'POST', `/api/v1/pool/mentors/${mentor.body.id as string}/invitation`)).status).toBe(201)
    const revoke = operations.find((op) => op.method === 'DELETE' && op.path === '/api/v1/pool/mentors/{id}/invitation') as Operation
    const answered = await call(revoke, 'instructor', `/api/v1/pool/mentors/${mentor.body.id as string}/invitation`)
    expect(answered).toEqual({ status: 204, contentType: '', text: '', allow: null })
    expect(differences(revoke, answered)).toEqual([])
  })

  it('lists the 404 of an id that is not there and the 409 of a rule, where the server answers them', async () => {
    const decide = operations.find((op) => op.method === 'POST' && op.path === '/api/v1/pairing/requests/{id}/decision') as Operation
    const res = await fetch(`${base()}${urlOf(decide)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf('instructor')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'decline', note: 'No' })
    })
    const answered = { status: res.status, contentType: 'application/json', text: await res.text(), allow: null }
    expect(answered.status).toBe(404)
    expect(differences(decide, answered)).toEqual([])
    const undo = operations.find((op) => op.method === 'POST' && op.path === '/api/v1/pairing/undo') as Operation
    const nothingToUndo = await call(undo, 'instructor')
    expect(nothingToUndo.status).toBe(409)
    expect(differences(undo, nothingToUndo)).toEqual([])
  })

  it('lists the page a browser is shown for a refused LTI request', async () => {
    const login = operations.find((op) => op.method === 'GET' && op.path === '/lti/login') as Operation
    const answered = await call(login, undefined, '/lti/login', 'text/html')
    expect([answered.status, answered.contentType]).toEqual([400, 'text/html'])
    expect(differences(login, answered)).toEqual([])
  })
})

describe('answers the router gives before any route', () => {
  it('a method the path does not take: 405 with the methods it takes in Allow, in the error body', async () => {
    const methodsAt = (path: string) => operations.filter((op) => op.path === path).map((op) => op.method)
    const list = await call({ method: 'PUT', path: '/api/v1/activities', responses: {} })
    expect([list.status, list.allow]).toEqual([405, 'GET, HEAD, POST'])
    expect(methodsAt('/api/v1/activities').sort()).toEqual(['GET', 'POST'])
    const one = await fetch(`${base()}/api/v1/goals/${MISSING_ID}`, { method: 'QUERY' })
    expect([one.status, one.headers.get('allow')]).toEqual([405, 'GET, HEAD, PATCH, DELETE'])
    // The router would hand this to PATCH …/mentors/:id; the address is the import's, which takes POST only.
    const importPatch = await call({ method: 'PATCH', path: '/api/v1/pool/mentors/import', responses: {}, requestBody: { content: { 'text/csv': {} } } }, 'instructor')
    expect([importPatch.status, importPatch.allow]).toEqual([405, 'POST'])
    const errorBody = operations.find((op) => op.path === '/api/v1/activities')?.responses['401']?.content?.['application/json']?.schema as object
    expect(ajv.validate(errorBody, JSON.parse(list.text))).toBe(true)
  })

  it('an address longer than Node reads (an over-long registration token): 431, as documented', async () => {
    const register = operations.find((op) => op.method === 'GET' && op.path === '/lti/register') as Operation
    const answered = await call(register, undefined, `/lti/register?openid_configuration=https%3A%2F%2Flms.example&registration_token=${'%E2%82%AC'.repeat(2000)}`)
    expect(answered.status).toBe(431)
    expect(differences(register, answered)).toEqual([])
  })

  it('a path parameter too long for the router: 400 in the error body, as documented', async () => {
    const dismiss = operations.find((op) => op.method === 'POST' && op.path === '/api/v1/pool/suggestions/{userId}/dismiss') as Operation
    const answered = await call(dismiss, 'instructor', `/api/v1/pool/suggestions/${'x'.repeat(150)}/dismiss`)
    expect(answered.status).toBe(400)
    expect(differences(dismiss, answered)).toEqual([])
  })
})
