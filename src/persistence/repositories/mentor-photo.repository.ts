import type { Id } from '../../domain/ids'
import type { MentorPhotoStore } from '../../domain/pools/mentor-photos'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { toObjectId } from '../ids'

/** Photos under the mentor's id; the mentor's `photoAt` says there is one (and changes the picture's address when replaced). */
export function createMentorPhotoRepository ({ mentorPhotos, mentors }: Pick<Models, 'mentorPhotos' | 'mentors'>): MentorPhotoStore {
  const stamp = async (mentorId: Id, at: Date | null) => {
    await retryWhenBusy(async () => await mentors.updateOne({ _id: toObjectId(mentorId) }, { $set: { photoAt: at } }))
  }
  return {
    put: async (mentorId, { type, data, at }) => {
      await retryWhenBusy(async () => await mentorPhotos.collection.replaceOne({ _id: mentorId as never }, { type, data: Buffer.from(data), at }, { upsert: true }))
      await stamp(mentorId, at)
    },
    get: async (mentorId) => {
      const doc = await mentorPhotos.collection.findOne({ _id: mentorId as never })
      if (doc === null) return null
      const data = doc.data as { buffer: ArrayBuffer } | Buffer
      return { type: doc.type as string, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer), at: doc.at as Date }
    },
    remove: async (mentorId) => {
      await stamp(mentorId, null)
      await retryWhenBusy(async () => await mentorPhotos.collection.deleteOne({ _id: mentorId as never }))
    }
  }
}
