import { CLAIM, type LaunchClaims } from '../claims'

type DeepLinkingLaunch = Extract<LaunchClaims, { [CLAIM.messageType]: 'LtiDeepLinkingRequest' }>
export type DeepLinkingSettings = DeepLinkingLaunch[typeof CLAIM.deepLinkingSettings]

/** The deep linking settings of an LtiDeepLinkingRequest launch; undefined for any other message. */
export function deepLinkingSettingsOf (claims: LaunchClaims): DeepLinkingSettings | undefined {
  return claims[CLAIM.messageType] === 'LtiDeepLinkingRequest' ? (claims as DeepLinkingLaunch)[CLAIM.deepLinkingSettings] : undefined
}
