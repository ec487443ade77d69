import { z } from 'zod'
import type { PlatformRegistration, PlatformRepository } from '../persistence/repositories/platform.repository'
import type { LtijsAdapter } from './ltijs-provider'

export const PlatformInput = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1).max(255),
  name: z.string().min(1).max(200),
  authEndpoint: z.string().url(),
  tokenEndpoint: z.string().url(),
  jwksUrl: z.string().url(),
  authorizationServer: z.string().url().optional(),
  deploymentIds: z.array(z.string().min(1).max(255)).min(1, 'at least one deployment id is required')
})
export type PlatformInput = z.infer<typeof PlatformInput>

/** Registers LMS platforms: Mentorlink's record (with the deployment allow-list) and ltijs's (with the tool key). */
export function createPlatformRegistry (platforms: PlatformRepository, ltijs: LtijsAdapter) {
  return {
    add: async (input: PlatformInput): Promise<PlatformRegistration> => {
      const p = PlatformInput.parse(input)
      const toolKid = await ltijs.registerPlatform(p)
      const reg = { ...p, toolKid }
      await platforms.upsert(reg)
      return reg
    },
    remove: async (issuer: string, clientId: string): Promise<boolean> => {
      const removed = await platforms.remove(issuer, clientId)
      if (removed) await ltijs.deletePlatform(issuer, clientId)
      return removed
    },
    find: async (issuer: string, clientId: string) => await platforms.find(issuer, clientId),
    list: async () => await platforms.list()
  }
}

export type PlatformRegistry = ReturnType<typeof createPlatformRegistry>
