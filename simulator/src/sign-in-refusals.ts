import type { SignInRefusal } from './types'

/**
 * Sign-ins the platform will refuse: the next authentication requests are answered at the tool's redirect URI with
 * an OIDC error instead of an id_token, by redirect (GET) or by form post (as Moodle's mod/lti/auth.php does).
 */
export class SignInRefusals {
  private queued: Array<{ refusal: SignInRefusal, remaining: number }> = []

  add (refusal: SignInRefusal, times = 1): void {
    if (times > 0) this.queued.push({ refusal, remaining: times })
  }

  take (): SignInRefusal | undefined {
    const next = this.queued[0]
    if (next === undefined) return undefined
    next.remaining -= 1
    if (next.remaining === 0) this.queued.shift()
    return next.refusal
  }
}

/** The error answer's fields, named as OpenID Connect Core 3.1.2.6 names them. */
export const refusalFields = (refusal: SignInRefusal, state: string): Record<string, string> => ({
  error: refusal.error,
  ...(refusal.description !== undefined ? { error_description: refusal.description } : {}),
  state
})
