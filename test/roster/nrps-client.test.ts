import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNrpsClient, NRPS_MEDIA_TYPE, NRPS_SCOPE, parseLinkHeader } from '../../src/lti/nrps-client'
import { USER_AGENT } from '../../src/lti/user-agent'

type Answer = { status?: number, body?: unknown, link?: string, delayMs?: number }

/** A scripted NRPS endpoint: answers requests in order and records their headers. */
async function scriptedPlatform (answers: Answer[]) {
  const seen: Array<{ url: string, headers: IncomingHttpHeaders }> = []
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    const answer = answers.shift() ?? { status: 404 }
    setTimeout(() => {
      res.writeHead(answer.status ?? 200, { 'content-type': NRPS_MEDIA_TYPE, ...(answer.link ? { link: answer.link } : {}) })
      res.end(JSON.stringify(answer.body ?? {}))
    }, answer.delayMs ?? 0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, seen, close: async () => { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)) } }
}

function fakeTokens () {
  let issued = 0
  const forgotten: string[][] = []
  return {
    forgotten,
    tokens: {
      accessToken: async (_issuer: string, _clientId: string, _scopes: string[]) => `token-${++issued}`,
      forgetAccessToken: async (_issuer: string, _clientId: string, scopes: string[]) => { forgotten.push(scopes) }
    }
  }
}

const member = (id: string) => ({ user_id: id, roles: ['Learner'], status: 'Active', picture: 'https://example.edu/p.png' })
const endpoint = (url: string) => ({ issuer: 'https://lms.example.edu', clientId: 'c1', membershipsUrl: `${url}/memberships` })

describe('NRPS client', () => {
  it('sends the NRPS media type, bearer token and User-Agent, and follows relative next links', async () => {
    const platform = await scriptedPlatform([
      { body: { members: [member('a')] }, link: '</memberships?page=2>; rel="next", </memberships?page=2>; rel="last"' },
      { body: { id: 'x', members: [member('b')] } }
    ])
    const progress: unknown[] = []
    try {
      const { tokens } = fakeTokens()
      const snapshot = await createNrpsClient({ tokens }).walk(endpoint(platform.url), { onPage: async (p) => { progress.push(p) } })
      expect(snapshot.pages).toBe(2)
      expect(snapshot.members.map((m) => m.user_id)).toEqual(['a', 'b'])
      expect(platform.seen.map((s) => s.url)).toEqual(['/memberships', '/memberships?page=2'])
      expect(platform.seen[0]?.headers).toMatchObject({ accept: NRPS_MEDIA_TYPE, authorization: 'Bearer token-1', 'user-agent': USER_AGENT })
      expect(progress).toEqual([{ pages: 1, members: 1, pagesTotal: 2 }, { pages: 2, members: 2, pagesTotal: undefined }])
    } finally { await platform.close() }
  })

  it('retries a 401 once with a fresh token, and fails on a second 401', async () => {
    const platform = await scriptedPlatform([{ status: 401 }, { body: { members: [] } }, { status: 401 }, { status: 401 }])
    try {
      const { tokens, forgotten } = fakeTokens()
      const client = createNrpsClient({ tokens })
      expect((await client.walk(endpoint(platform.url))).pages).toBe(1)
      expect(forgotten).toEqual([[NRPS_SCOPE]])
      expect(platform.seen.map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2'])
      await expect(client.walk(endpoint(platform.url))).rejects.toThrow('Names and Roles page 1 answered HTTP 401')
    } finally { await platform.close() }
  })

  it('names the invalid field of a page, refuses next links to another host and times out', async () => {
    const platform = await scriptedPlatform([
      { body: { members: [{ roles: [] }] } },
      { body: { members: [] }, link: '<https://elsewhere.example.com/steal>; rel="next"' },
      { body: { members: [] }, delayMs: 500 }
    ])
    try {
      const client = createNrpsClient({ tokens: fakeTokens().tokens, timeoutMs: 200 })
      await expect(client.walk(endpoint(platform.url))).rejects.toThrow(/page 1 is not a membership container \(members\.0\.user_id: /)
      await expect(client.walk(endpoint(platform.url))).rejects.toThrow('next page is on another host (elsewhere.example.com)')
      await expect(client.walk(endpoint(platform.url))).rejects.toThrow('timed out after 200 ms')
    } finally { await platform.close() }
  })

  it('reads every relation of a Link header', () => {
    const links = parseLinkHeader('<https://a.example/m?page=2>; rel="next", </m?page=1>;rel=first, <https://a.example/m?page=9>; rel="last prev"', 'https://a.example/m')
    expect(Object.fromEntries(links)).toEqual({
      next: 'https://a.example/m?page=2', first: 'https://a.example/m?page=1', last: 'https://a.example/m?page=9', prev: 'https://a.example/m?page=9'
    })
  })
})
