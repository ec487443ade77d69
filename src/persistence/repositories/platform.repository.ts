import type { Models } from '../database'
import type { PlatformDoc } from '../models/platform.model'

export type PlatformRegistration = Pick<PlatformDoc, 'issuer' | 'clientId' | 'name' | 'authEndpoint' | 'tokenEndpoint' | 'jwksUrl' | 'deploymentIds'> & {
  authorizationServer?: string | null
  toolKid?: string | null
}

/**
 * How long a registration read for a login or launch is reused in this process: a login and its launch read it
 * twice within seconds, thousands of times at the start of term. A change made here takes effect at once; one made
 * by another process (the platform CLI) within this time.
 */
export const REGISTRATION_REUSE_MS = 10_000

export function createPlatformRepository ({ platforms }: Pick<Models, 'platforms'>) {
  const project = { _id: 0, __v: 0, createdAt: 0, updatedAt: 0 }
  const recent = new Map<string, { registration: PlatformRegistration, until: number }>()
  const keyOf = (issuer: string, clientId: string): string => `${issuer}\n${clientId}`
  const forget = (issuer: string, clientId: string): void => { recent.delete(keyOf(issuer, clientId)) }
  return {
    find: async (issuer: string, clientId: string): Promise<PlatformRegistration | null> => {
      const kept = recent.get(keyOf(issuer, clientId))
      if (kept !== undefined && kept.until > Date.now()) return kept.registration
      const registration = await platforms.findOne({ issuer, clientId }, project).lean<PlatformRegistration>()
      if (registration === null) forget(issuer, clientId)
      else recent.set(keyOf(issuer, clientId), { registration, until: Date.now() + REGISTRATION_REUSE_MS })
      return registration
    },
    findByIssuer: async (issuer: string): Promise<PlatformRegistration[]> =>
      await platforms.find({ issuer }, project).lean(),
    list: async (): Promise<PlatformRegistration[]> =>
      await platforms.find({}, project).sort({ issuer: 1, clientId: 1 }).lean(),
    upsert: async (reg: PlatformRegistration): Promise<void> => {
      await platforms.updateOne({ issuer: reg.issuer, clientId: reg.clientId }, { $set: reg }, { upsert: true })
      forget(reg.issuer, reg.clientId)
    },
    addDeployment: async (issuer: string, clientId: string, deploymentId: string): Promise<void> => {
      await platforms.updateOne({ issuer, clientId }, { $addToSet: { deploymentIds: deploymentId } })
      forget(issuer, clientId)
    },
    remove: async (issuer: string, clientId: string): Promise<boolean> => {
      const removed = (await platforms.deleteOne({ issuer, clientId })).deletedCount === 1
      forget(issuer, clientId)
      return removed
    }
  }
}

export type PlatformRepository = ReturnType<typeof createPlatformRepository>
