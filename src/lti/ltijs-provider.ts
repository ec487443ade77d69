import { createPrivateKey, type KeyObject } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Provider } from 'ltijs'

/**
 * The one place that drives the ltijs singleton. Mentorlink validates launches itself (ltijs 5.9 misses the nonce
 * binding, deployment allow-list, JWKS cache and clock leeway); ltijs keeps the tool's per-platform RSA keys,
 * serves them as the tool JWKS and signs the JWT client assertions that obtain service access tokens.
 */
export interface LtijsAdapter {
  serveKeyset: (req: IncomingMessage, res: ServerResponse) => Promise<void>
  registerPlatform: (p: { issuer: string, clientId: string, name: string, authEndpoint: string, tokenEndpoint: string, jwksUrl: string, authorizationServer?: string }) => Promise<string>
  deletePlatform: (issuer: string, clientId: string) => Promise<void>
  accessToken: (issuer: string, clientId: string, scopes: string[]) => Promise<string>
  forgetAccessToken: (issuer: string, clientId: string, scopes: string[]) => Promise<void>
  /** The tool's private key for one platform registration and its kid, to sign messages to that platform. */
  toolSigningKey: (issuer: string, clientId: string) => Promise<{ kid: string, privateKey: KeyObject }>
  close: () => Promise<void>
}

const KEYSET_ROUTE = '/lti/keys'
let setupFor: string | undefined
let deployed = false

/** Route options point ltijs's own login/launch handlers at paths nothing links to: Mentorlink owns those flows. */
const ROUTES = {
  appRoute: '/lti/ltijs/app',
  loginRoute: '/lti/ltijs/login',
  dynRegRoute: '/lti/ltijs/register',
  keysetRoute: KEYSET_ROUTE
}

async function deployOnce (): Promise<void> {
  if (deployed) return
  const before = new Set(process.listeners('SIGINT'))
  await Provider.deploy({ serverless: true, silent: true })
  // ltijs installs a SIGINT handler that calls process.exit(); our own graceful shutdown closes ltijs instead.
  for (const listener of process.listeners('SIGINT')) {
    if (!before.has(listener)) process.removeListener('SIGINT', listener)
  }
  deployed = true
}

const scopeKey = (scopes: string[]): string => [...scopes].sort().join(' ')

export async function startLtijs (mongoUri: string, encryptionKey: string): Promise<LtijsAdapter> {
  if (setupFor === undefined) {
    Provider.setup(encryptionKey, { url: mongoUri }, {
      ...ROUTES,
      cors: false,
      tokenMaxAge: 60,
      cookies: { secure: true, sameSite: 'None' }
    })
    setupFor = mongoUri
  } else if (setupFor !== mongoUri) {
    throw new Error(`ltijs is a process-wide singleton already bound to another database (${setupFor})`)
  }
  await deployOnce()

  const platform = async (issuer: string, clientId: string) => {
    const found = await Provider.getPlatform(issuer, clientId)
    if (!found) throw new Error(`No ltijs platform for ${issuer} / ${clientId}`)
    return found
  }

  return {
    serveKeyset: async (req, res) => {
      await new Promise<void>((resolve, reject) => {
        res.once('finish', resolve)
        req.url = KEYSET_ROUTE
        Provider.app(req, res, (err) => { if (err) reject(err) })
      })
    },
    registerPlatform: async (p) => {
      const registered = await Provider.registerPlatform({
        url: p.issuer,
        name: p.name,
        clientId: p.clientId,
        authenticationEndpoint: p.authEndpoint,
        accesstokenEndpoint: p.tokenEndpoint,
        ...(p.authorizationServer ? { authorizationServer: p.authorizationServer } : {}),
        authConfig: { method: 'JWK_SET', key: p.jwksUrl }
      })
      return await registered.platformKid()
    },
    deletePlatform: async (issuer, clientId) => {
      await Provider.deletePlatform(issuer, clientId)
    },
    accessToken: async (issuer, clientId, scopes) => {
      const token = await (await platform(issuer, clientId)).platformAccessToken(scopeKey(scopes))
      return token.access_token
    },
    forgetAccessToken: async (issuer, clientId, scopes) => {
      await Provider.Database.Delete('accesstoken', { platformUrl: issuer, clientId, scopes: scopeKey(scopes) })
    },
    toolSigningKey: async (issuer, clientId) => {
      const found = await platform(issuer, clientId)
      return { kid: await found.platformKid(), privateKey: createPrivateKey(await found.platformPrivateKey()) }
    },
    close: async () => {
      if (!deployed) return
      deployed = false
      await Provider.close({ silent: true })
    }
  }
}
