import type { Models } from '../database'
import { claimOnce } from '../single-use'

export type StateBinding = 'cookie' | 'platform-storage'

export interface StateUse {
  issuer: string
  clientId: string
  storageTarget?: string
  /** How the state was bound to the browser; none when the launch is refused for that. */
  binding?: StateBinding
}

/** Claims outlive their state by this much, so a clock running behind on another instance cannot reuse one. */
const CLAIM_MARGIN_MS = 10 * 60 * 1000

/**
 * Login states are signed, not stored (lti/login-state.ts); what makes each serve one launch is the unique insert of
 * its claim, which has exactly one winner on every server. The claim keeps the platform and how the state was bound.
 */
export function createLoginRepository (models: Pick<Models, 'singleUseClaims'>) {
  return {
    /** Uses `state` up; false if a launch used it before. */
    useState: async (state: string, stateExpiresAt: Date, use: StateUse): Promise<boolean> => {
      const { issuer, clientId, storageTarget, binding } = use
      return await claimOnce(models, `oidc-state:${state}`, new Date(stateExpiresAt.getTime() + CLAIM_MARGIN_MS),
        { issuer, clientId, storageTarget: storageTarget ?? null, binding: binding ?? null })
    },
    /** Uses `state` up when the platform answered it with an error instead of a launch. */
    useRefusedState: async (state: string, stateExpiresAt: Date): Promise<void> => {
      await claimOnce(models, `oidc-state:${state}`, new Date(stateExpiresAt.getTime() + CLAIM_MARGIN_MS), { refusedByPlatform: true })
    }
  }
}

export type LoginRepository = ReturnType<typeof createLoginRepository>
