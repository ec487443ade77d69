// ltijs ships no maintained types; this declares only the surface Mentorlink uses.
declare module 'ltijs' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface LtijsPlatform {
    platformKid: () => Promise<string>
    /** PEM (PKCS#1) of the tool's private key for this platform. */
    platformPrivateKey: () => Promise<string>
    platformClientId: () => Promise<string>
    platformAccessToken: (scopes: string) => Promise<{ access_token: string, token_type: string, expires_in: number, scope?: string }>
  }

  interface RegisterPlatformInput {
    url: string
    name: string
    clientId: string
    authenticationEndpoint: string
    accesstokenEndpoint: string
    authorizationServer?: string
    authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY', key: string }
  }

  interface ProviderInstance {
    app: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void
    Database: {
      Get: (key: string | false, collection: string, query?: Record<string, unknown>) => Promise<Array<Record<string, unknown>> | false>
      Delete: (collection: string, query: Record<string, unknown>) => Promise<unknown>
    }
    setup: (key: string, database: { url: string, connection?: Record<string, unknown> }, options: Record<string, unknown>) => ProviderInstance
    deploy: (options: { serverless: boolean, silent: boolean }) => Promise<boolean>
    close: (options: { silent: boolean }) => Promise<boolean>
    registerPlatform: (platform: RegisterPlatformInput) => Promise<LtijsPlatform>
    getPlatform: (url: string, clientId: string) => Promise<LtijsPlatform | false>
    deletePlatform: (url: string, clientId: string) => Promise<boolean>
    onConnect: (cb: (...args: unknown[]) => unknown) => true
  }

  export const Provider: ProviderInstance
}
