import type { FastifyServerOptions } from 'fastify'

export const SECRET_QUERY_PARAMS = ['session', 'id_token', 'state', 'nonce', 'lti_message_hint', 'login_hint', 'token', 'registration_token', 'secret', 'link']

/** Drops the values of credentials that may travel in a URL before the URL reaches a log line. */
export function redactUrl (url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const params = new URLSearchParams(url.slice(q + 1))
  for (const name of SECRET_QUERY_PARAMS) if (params.has(name)) params.set(name, '[Redacted]')
  return `${url.slice(0, q)}?${params.toString()}`
}

export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
        '*.id_token', '*.idToken', '*.client_assertion', '*.access_token', '*.accessToken',
        '*.secret', '*.password', '*.token', '*.sessionToken', '*.encryptionKey'
      ],
      censor: '[Redacted]'
    },
    serializers: {
      req: (req: { method: string, url: string, hostname?: string, ip?: string, id?: string }) => ({
        method: req.method, url: redactUrl(req.url), host: req.hostname, remoteAddress: req.ip
      })
    }
  }
}
