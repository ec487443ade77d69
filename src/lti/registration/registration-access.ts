import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { RegistrationLinkRepository } from '../../persistence/repositories/registration-link.repository'

export const REGISTRATION_LINK_TTL_HOURS = 24

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest()

/**
 * A right to run one registration: `complete` uses a one-time link up; `fail` counts a failed attempt against it and
 * answers how many are left (null: the registration secret, which has no count).
 */
export interface RegistrationGrant { complete: () => Promise<void>, fail: () => Promise<number | null> }

export interface RegistrationAccessOptions { links: RegistrationLinkRepository, secret?: string, publicUrl: string }

/**
 * Only an admin may start a dynamic registration: the registration URL carries either the configured
 * REGISTRATION_SECRET (`secret=`) or a one-time link token (`link=`) made by `npm run platform -- registration-link`.
 */
export function createRegistrationAccess (options: RegistrationAccessOptions) {
  const secretHash = options.secret !== undefined ? sha256(options.secret) : undefined
  return {
    /** A new one-time registration URL; only the token's hash is stored. */
    createLink: async (now = new Date()): Promise<{ url: string, expiresAt: Date }> => {
      const token = randomBytes(32).toString('base64url')
      const expiresAt = new Date(now.getTime() + REGISTRATION_LINK_TTL_HOURS * 3600 * 1000)
      await options.links.create(sha256(token).toString('hex'), expiresAt)
      return { url: `${options.publicUrl.replace(/\/+$/, '')}/lti/register?link=${token}`, expiresAt }
    },
    authorize: async (given: { secret?: string, link?: string }): Promise<RegistrationGrant | null> => {
      if (given.secret !== undefined && secretHash !== undefined && timingSafeEqual(sha256(given.secret), secretHash)) {
        return { complete: async () => {}, fail: async () => null }
      }
      if (given.link === undefined) return null
      const hash = sha256(given.link).toString('hex')
      if (!await options.links.claim(hash)) return null
      return { complete: async () => { await options.links.remove(hash) }, fail: async () => await options.links.fail(hash) }
    }
  }
}

export type RegistrationAccess = ReturnType<typeof createRegistrationAccess>
