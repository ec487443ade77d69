import type { Models } from '../database'
import type { PlatformDoc } from '../models/platform.model'

export type PlatformRegistration = Pick<PlatformDoc, 'issuer' | 'clientId' | 'name' | 'authEndpoint' | 'tokenEndpoint' | 'jwksUrl' | 'deploymentIds'> & {
  authorizationServer?: string | null
  toolKid?: string | null
}

export function createPlatformRepository ({ platforms }: Pick<Models, 'platforms'>) {
  const project = { _id: 0, __v: 0, createdAt: 0, updatedAt: 0 }
  return {
    find: async (issuer: string, clientId: string): Promise<PlatformRegistration | null> =>
      await platforms.findOne({ issuer, clientId }, project).lean(),
    findByIssuer: async (issuer: string): Promise<PlatformRegistration[]> =>
      await platforms.find({ issuer }, project).lean(),
    list: async (): Promise<PlatformRegistration[]> =>
      await platforms.find({}, project).sort({ issuer: 1, clientId: 1 }).lean(),
    upsert: async (reg: PlatformRegistration): Promise<void> => {
      await platforms.updateOne({ issuer: reg.issuer, clientId: reg.clientId }, { $set: reg }, { upsert: true })
    },
    addDeployment: async (issuer: string, clientId: string, deploymentId: string): Promise<void> => {
      await platforms.updateOne({ issuer, clientId }, { $addToSet: { deploymentIds: deploymentId } })
    },
    remove: async (issuer: string, clientId: string): Promise<boolean> =>
      (await platforms.deleteOne({ issuer, clientId })).deletedCount === 1
  }
}

export type PlatformRepository = ReturnType<typeof createPlatformRepository>
