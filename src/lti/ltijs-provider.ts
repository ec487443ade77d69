import { createPrivateKey, type KeyObject } from 'node:crypto'
import nodeCrypto from 'node:crypto'
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

/** The RSA size ltijs 5.9 hard-codes for a new platform's tool key pair (Utils/Auth.js generatePlatformKeyPair). */
export const LTIJS_TOOL_KEY_BITS = 4096

type KeyPairOptions = { modulusLength?: number, privateKeyEncoding?: { type?: string } } | undefined
type GenerateKeyPairSync = (type: string, options: KeyPairOptions) => unknown
let keyBitsOverride: { bits: number, users: number, original: GenerateKeyPairSync } | undefined

/**
 * Runs `work` (an ltijs platform registration) with the tool key pair ltijs generates being `bits` long.
 * ltijs offers no option for it: it calls crypto.generateKeyPairSync('rsa', { modulusLength: 4096, ...pkcs1 PEM })
 * synchronously, and so, only while a registration is under way and only when configured otherwise, we wrap that
 * function and change the modulus of exactly that call (a 4096-bit RSA pair with a PKCS#1 private key); every other
 * caller passes through unchanged. Overlapping registrations share one wrapper (counted), so it is always removed.
 */
async function withToolKeyBits<T> (bits: number, work: () => Promise<T>): Promise<T> {
  if (bits === LTIJS_TOOL_KEY_BITS) return await work()
  if (keyBitsOverride && keyBitsOverride.bits !== bits) throw new Error(`tool keys of ${keyBitsOverride.bits} bits are being generated already`)
  if (!keyBitsOverride) {
    const crypto = nodeCrypto as unknown as { generateKeyPairSync: GenerateKeyPairSync }
    const original = crypto.generateKeyPairSync
    const override = { bits, users: 0, original }
    crypto.generateKeyPairSync = function (type, options) {
      const ltijsToolKey = type === 'rsa' && options?.modulusLength === LTIJS_TOOL_KEY_BITS && options.privateKeyEncoding?.type === 'pkcs1'
      return original.call(this, type, ltijsToolKey ? { ...options, modulusLength: override.bits } : options)
    }
    keyBitsOverride = override
  }
  keyBitsOverride.users++
  try {
    return await work()
  } finally {
    if (--keyBitsOverride.users === 0) {
      (nodeCrypto as unknown as { generateKeyPairSync: GenerateKeyPairSync }).generateKeyPairSync = keyBitsOverride.original
      keyBitsOverride = undefined
    }
  }
}

/**
 * @param toolKeyBits size of the RSA key pair generated for each newly registered platform (config LTI_TOOL_KEY_BITS;
 *   ltijs's 4096 unless set lower, which tests do to avoid seconds of key generation per registration).
 */
export async function startLtijs (mongoUri: string, encryptionKey: string, toolKeyBits = LTIJS_TOOL_KEY_BITS): Promise<LtijsAdapter> {
  if (setupFor === undefined) {
    // ltijs passes two options the MongoDB driver has ignored since 4.0 (and warns about): unset them. Command
    // monitoring, as on Mentorlink's own connection, lets benchmarks count a launch's round trips.
    Provider.setup(encryptionKey, { url: mongoUri, connection: { useNewUrlParser: undefined, useUnifiedTopology: undefined, monitorCommands: true } }, {
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
      const registered = await withToolKeyBits(toolKeyBits, async () => await Provider.registerPlatform({
        url: p.issuer,
        name: p.name,
        clientId: p.clientId,
        authenticationEndpoint: p.authEndpoint,
        accesstokenEndpoint: p.tokenEndpoint,
        ...(p.authorizationServer ? { authorizationServer: p.authorizationServer } : {}),
        authConfig: { method: 'JWK_SET', key: p.jwksUrl }
      }))
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
