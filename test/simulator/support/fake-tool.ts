import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose'
import type { Simulator, ToolRegistration } from '@mentorlink/simulator'

/** A stand-in for the tool: serves its JWKS over real HTTP and signs JWTs with its private key. */
export interface FakeTool {
  url: string
  kid: string
  registration: ToolRegistration
  /** `expiresIn`: a jose duration such as '60s', or an absolute epoch second. */
  sign(payload: JWTPayload, opts?: { expiresIn?: string | number, kid?: string }): Promise<string>
  close(): Promise<void>
}

export async function startFakeTool (clientId = 'tool-client', deploymentIds = ['deploy-1']): Promise<FakeTool> {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const kid = randomUUID()
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] }
  const server: Server = createServer((req, res) => {
    if (req.url === '/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    kid,
    registration: {
      clientId,
      deploymentIds,
      loginUrl: `${url}/login`,
      redirectUris: [`${url}/launch`],
      targetLinkUri: `${url}/launch`,
      jwksUrl: `${url}/keys`
    },
    sign: async (payload, opts = {}) => await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? kid })
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '60s')
      .sign(privateKey as KeyLike),
    close: async () => { await new Promise(resolve => server.close(resolve)) }
  }
}

/** RFC 7523 client assertion for the simulator's token endpoint. */
export async function clientAssertion (
  tool: FakeTool, sim: Simulator, overrides: JWTPayload = {}
): Promise<string> {
  const { clientId } = tool.registration
  return await tool.sign({ iss: clientId, sub: clientId, aud: sim.endpoints.token, jti: randomUUID(), ...overrides })
}

export async function requestToken (
  sim: Simulator, fields: Record<string, string>
): Promise<Response> {
  return await fetch(sim.endpoints.token, { method: 'POST', body: new URLSearchParams(fields) })
}

/** Gets an access token for the scopes through the real client_credentials flow. */
export async function accessToken (tool: FakeTool, sim: Simulator, scopes: string[]): Promise<string> {
  const res = await requestToken(sim, {
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(tool, sim),
    scope: scopes.join(' ')
  })
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}
