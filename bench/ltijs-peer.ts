/**
 * The peer `npm run bench:launch` measures Mentorlink against: the tool an LTI developer would otherwise write, on
 * bare ltijs with its own Express server, login, launch and keyset routes, and a landing page naming who launched.
 * ltijs is a process-wide singleton, so the peer runs as a process of its own (bench/launch.ts starts it), on its
 * own port and database. Configured by environment: PEER_PORT, PEER_MONGODB_URI, PEER_ISSUER, PEER_CLIENT_ID,
 * PEER_AUTH_URL, PEER_TOKEN_URL, PEER_JWKS_URL. Prints `ready` once it listens with the platform registered; answers
 * GET /bench/round-trips with the database commands it has sent so far.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import mongoose from 'mongoose'
import { Provider } from 'ltijs'

interface Express { get: (path: string, handler: (req: IncomingMessage, res: ServerResponse & { json: (body: unknown) => void }) => void) => void }
interface LaunchToken { userInfo?: { name?: string } }
const lti = Provider as unknown as Omit<typeof Provider, 'onConnect'> & {
  deploy: (options: { port: number, silent: boolean }) => Promise<boolean>
  whitelist: (...routes: string[]) => void
  app: Express
  onConnect: (cb: (token: LaunchToken, req: IncomingMessage, res: ServerResponse & { send: (body: string) => void }) => unknown) => true
}

const env = (name: string): string => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

async function main (): Promise<void> {
  let commands = 0
  lti.setup('bench-peer-encryption-key-0123456789', { url: env('PEER_MONGODB_URI'), connection: { useNewUrlParser: undefined, useUnifiedTopology: undefined, monitorCommands: true } }, {
    appRoute: '/', loginRoute: '/login', keysetRoute: '/keys', cookies: { secure: false, sameSite: 'Lax' }, tokenMaxAge: 60
  })
  lti.onConnect((token, _req, res) => res.send(`<!doctype html><title>Peer</title><p>Welcome, ${token.userInfo?.name ?? 'someone'}.</p>`))
  lti.whitelist('/bench/round-trips')
  lti.app.get('/bench/round-trips', (_req, res) => { res.json({ commands }) })
  await lti.deploy({ port: Number(env('PEER_PORT')), silent: true })
  mongoose.connection.getClient().on('commandStarted', () => { commands++ })
  await lti.registerPlatform({
    url: env('PEER_ISSUER'),
    name: 'Simulated LMS',
    clientId: env('PEER_CLIENT_ID'),
    authenticationEndpoint: env('PEER_AUTH_URL'),
    accesstokenEndpoint: env('PEER_TOKEN_URL'),
    authConfig: { method: 'JWK_SET', key: env('PEER_JWKS_URL') }
  })
  process.stdout.write('ready\n')
}

main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).stack ?? err)}\n`); process.exit(1) })
