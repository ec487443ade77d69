import type { Models } from '../database'

export interface DeepLinkRequest {
  sessionHash: string
  issuer: string
  clientId: string
  deploymentId: string
  returnUrl: string
  data?: string | null
  acceptTypes: string[]
  expiresAt: Date
}

/** Deep linking requests waiting for the instructor's answer, one per launch session. */
export function createDeepLinkRequestRepository ({ deepLinkRequests }: Pick<Models, 'deepLinkRequests'>) {
  const project = { _id: 0, __v: 0, createdAt: 0 }
  const live = (sessionHash: string) => ({ sessionHash, expiresAt: { $gt: new Date() } })
  return {
    save: async (request: DeepLinkRequest): Promise<void> => {
      await deepLinkRequests.updateOne({ sessionHash: request.sessionHash }, { $set: request }, { upsert: true })
    },
    find: async (sessionHash: string): Promise<DeepLinkRequest | null> =>
      await deepLinkRequests.findOne(live(sessionHash), project).lean(),
    /** Takes the request out atomically: a deep linking request is answered once. (FerretDB has no projection here.) */
    consume: async (sessionHash: string): Promise<DeepLinkRequest | null> =>
      await deepLinkRequests.findOneAndDelete(live(sessionHash)).lean()
  }
}

export type DeepLinkRequestRepository = ReturnType<typeof createDeepLinkRequestRepository>
