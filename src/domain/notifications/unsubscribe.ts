import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * One-click unsubscribe links (RFC 8058) carry the address, the kind and a signature, so they work with no session or
 * cookie and cannot be made for someone else's address.
 */
export function createUnsubscribeSigner (secret: string) {
  const sign = (address: string, kind: string): string =>
    createHmac('sha256', secret).update(`unsubscribe\n${address}\n${kind}`).digest('base64url')
  return {
    sign,
    verify: (address: string, kind: string, signature: string): boolean => {
      const expected = Buffer.from(sign(address, kind))
      const given = Buffer.from(signature)
      return expected.length === given.length && timingSafeEqual(expected, given)
    }
  }
}

export type UnsubscribeSigner = ReturnType<typeof createUnsubscribeSigner>
export const UNSUBSCRIBE_PATH = '/email/unsubscribe'
