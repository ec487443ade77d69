import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SimulatorError } from './errors'

/** Lets Fastify parse `application/vnd.ims.*+json` bodies as JSON. */
export function registerImsJsonParser (app: FastifyInstance): void {
  app.addContentTypeParser(/^application\/vnd\.ims\.[\w.-]+\+json/, { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'ignore'))
}

function mediaTypes (header: string | undefined): string[] {
  return (header ?? '').split(',').map(part => (part.split(';')[0] ?? '').trim().toLowerCase()).filter(Boolean)
}

/** preHandler: 406 unless Accept is absent or allows the IMS media type (or plain JSON / wildcards). */
export function requireAccept (mediaType: string) {
  const acceptable = new Set([mediaType, 'application/json', 'application/*', '*/*'])
  return async (request: FastifyRequest): Promise<void> => {
    const accepted = mediaTypes(request.headers.accept)
    if (accepted.length > 0 && !accepted.some(t => acceptable.has(t))) {
      throw new SimulatorError(406, `Accept: must allow ${mediaType}`, 'Accept')
    }
  }
}

/** preHandler: 415 unless the body is sent as the IMS media type (or plain JSON, which Canvas tolerates). */
export function requireContentType (mediaType: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const [type] = mediaTypes(request.headers['content-type'])
    if (type !== mediaType && type !== 'application/json') {
      throw new SimulatorError(415, `Content-Type: must be ${mediaType}`, 'Content-Type')
    }
  }
}
