import { decodeJwt, jwtVerify, type JWTPayload } from 'jose'
import type { SimulatorContext } from './context'
import { SimulatorError } from './errors'
import { purgeExpired } from './state'
import { toolKeySet } from './tool-key-sets'
import type { ToolRegistration } from './types'

function invalidClient (message: string): SimulatorError {
  return new SimulatorError(400, message, 'client_assertion', 'invalid_client')
}

function unverifiedIssuer (assertion: string): string {
  try {
    const { iss } = decodeJwt(assertion)
    if (typeof iss === 'string') return iss
  } catch {
    // Not a JWT: answered below like a JWT without an issuer.
  }
  throw invalidClient('client_assertion: not a JWT with an iss claim')
}

/** Verifies an RFC 7523 client assertion (iss = sub = client_id, aud = token URL, unused jti). */
export async function verifyClientAssertion (
  ctx: SimulatorContext, assertion: string, tokenUrl: string
): Promise<{ tool: ToolRegistration, claims: JWTPayload }> {
  const { state } = ctx
  const clientId = unverifiedIssuer(assertion)
  const tool = state.tools.get(clientId)
  if (tool === undefined) throw invalidClient('client_assertion: unknown client (iss)')
  let claims: JWTPayload
  try {
    ({ payload: claims } = await jwtVerify(assertion, toolKeySet(ctx, tool.jwksUrl), {
      algorithms: ['RS256'],
      issuer: clientId,
      subject: clientId,
      audience: tokenUrl,
      requiredClaims: ['exp', 'jti']
    }))
  } catch (error) {
    throw invalidClient(`client_assertion: ${(error as Error).message}`)
  }
  const jti = String(claims.jti)
  purgeExpired(state.seenJtis, until => until)
  if (state.seenJtis.has(jti)) throw invalidClient('client_assertion: jti already used')
  state.seenJtis.set(jti, ((claims.exp ?? 0) * 1000) + 60_000)
  return { tool, claims }
}
