import { z } from 'zod'
import type { LoginRepository } from '../persistence/repositories/login.repository'
import type { LoginStates } from './login-state'

/**
 * The OIDC error answer a platform sends to the redirect URI instead of an id_token (OpenID Connect Core 3.1.2.6),
 * by GET (query) or by form POST (Moodle's mod/lti/auth.php).
 */
export const PlatformRefusal = z.object({
  error: z.string().min(1).max(100),
  error_description: z.string().max(2000).optional(),
  error_uri: z.string().max(2000).optional(),
  state: z.string().max(256).optional()
})
export type PlatformRefusal = z.infer<typeof PlatformRefusal>

interface Advice { what: string, todo: string }

const SIGNED_OUT: Advice = {
  what: 'Your learning platform says you are not signed in to it any more.',
  todo: 'Sign in to your learning platform again, then open Mentorlink from your course page.'
}
const NEEDS_YOU: Advice = {
  what: 'Your learning platform needs you to do something before it lets you into Mentorlink (for example accept its terms or choose an account).',
  todo: 'Open your course in the learning platform in this browser, finish what it asks, then open Mentorlink again.'
}
const SET_UP: Advice = {
  what: 'Your learning platform did not accept how Mentorlink is set up in it.',
  todo: 'Tell your learning platform administrator, and give them the reason below. You cannot fix this yourself.'
}
const LMS_TROUBLE: Advice = {
  what: 'Your learning platform had a problem signing you in.',
  todo: 'Wait a few minutes, then open Mentorlink again from your course page. If it keeps happening, tell your learning platform administrator.'
}

const ADVICE: Record<string, Advice> = {
  login_required: SIGNED_OUT,
  interaction_required: NEEDS_YOU,
  consent_required: NEEDS_YOU,
  account_selection_required: NEEDS_YOU,
  access_denied: {
    what: 'Your learning platform refused to let you into Mentorlink.',
    todo: 'If you should have access, ask your instructor to check that you are enrolled in the course, or ask your learning platform administrator.'
  },
  invalid_request: SET_UP,
  invalid_client: SET_UP,
  unauthorized_client: SET_UP,
  unsupported_response_type: SET_UP,
  invalid_scope: SET_UP,
  invalid_request_uri: SET_UP,
  invalid_request_object: SET_UP,
  request_not_supported: SET_UP,
  request_uri_not_supported: SET_UP,
  registration_not_supported: SET_UP,
  server_error: LMS_TROUBLE,
  temporarily_unavailable: LMS_TROUBLE
}

/** Platforms' descriptions are untrusted text: one line, printable, short. */
const tidy = (text: string | undefined): string | null => {
  const line = (text ?? '').replace(/[\p{Cc}\p{Cf}]+/gu, ' ').replace(/\s+/g, ' ').trim()
  return line === '' ? null : line.length > 300 ? `${line.slice(0, 299)}…` : line
}

export interface ExplainedRefusal { statusCode: 401 | 403, what: string, todo: string, code: string, platformSaid: string | null }

/** What the refusal page says: the platform's reason in plain words, what to do, and its own words as given. */
export function explainRefusal (refusal: PlatformRefusal): ExplainedRefusal {
  const code = tidy(refusal.error) ?? 'unknown'
  return { statusCode: code === 'access_denied' ? 403 : 401, ...(ADVICE[code] ?? LMS_TROUBLE), code, platformSaid: tidy(refusal.error_description) }
}

/**
 * Takes a platform's error answer: the state it names can never serve a launch afterwards. Only the state's form and
 * expiry are checked (an error answer carries no id_token naming the platform the state's MAC covers).
 */
export function createRefusalHandler ({ loginStates, logins }: { loginStates: LoginStates, logins: LoginRepository }) {
  return async (refusal: PlatformRefusal): Promise<ExplainedRefusal> => {
    const expiresAt = refusal.state === undefined ? undefined : loginStates.expiryOf(refusal.state)
    if (refusal.state !== undefined && expiresAt !== undefined) await logins.useRefusedState(refusal.state, expiresAt)
    return explainRefusal(refusal)
  }
}
