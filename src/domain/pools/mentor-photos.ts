import type { Id } from '../ids'
import type { PoolCourse } from './ports'
import type { Mentor } from './ports'

/** A photo is at most this big: a portrait for a profile card, not a print. */
export const PHOTO_MAX_BYTES = 1024 * 1024

/** The image kinds a photo may be, by their first bytes (the declared type is the browser's guess, not proof). */
const SIGNATURES: Array<{ type: string, matches: (b: Uint8Array) => boolean }> = [
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', matches: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x) },
  { type: 'image/webp', matches: (b) => String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP' }
]

/** The image type of these bytes, or why they are not a photo Mentorlink takes, in the mentor's words. */
export function photoTypeOf (bytes: Uint8Array): { type: string } | { problem: string } {
  if (bytes.length === 0) return { problem: 'Photo: choose an image file first.' }
  if (bytes.length > PHOTO_MAX_BYTES) return { problem: 'Photo: the image must be at most 1 MB. Save a smaller copy and try again.' }
  const kind = SIGNATURES.find((s) => s.matches(bytes))
  return kind ? { type: kind.type } : { problem: 'Photo: choose a JPEG, PNG or WebP image.' }
}

export interface StoredPhoto { type: string, data: Uint8Array, at: Date }

/** Where photos are kept, by mentor id. */
export interface MentorPhotoStore {
  put: (mentorId: Id, photo: StoredPhoto) => Promise<void>
  get: (mentorId: Id) => Promise<StoredPhoto | null>
  remove: (mentorId: Id) => Promise<void>
}

/**
 * Mentors' optional photos: a mentor sets or removes their own; anyone in a course the mentor's pool serves may see it
 * (students choosing and meeting their mentor, instructors), nobody else.
 */
export function createMentorPhotos ({ photos, ownEntry, mentorInPool }: {
  photos: MentorPhotoStore
  ownEntry: (course: PoolCourse, userId: Id) => Promise<Mentor | null>
  /** The mentor, when they are in this pool. */
  mentorInPool: (poolId: Id, mentorId: Id) => Promise<Mentor | null>
}) {
  return {
    /** Answers the problem to show, or null once the photo is saved. */
    set: async (course: PoolCourse, userId: Id, bytes: Uint8Array): Promise<string | null> => {
      const own = await ownEntry(course, userId)
      if (own === null) return 'Photo: you are not in this course\'s mentor pool.'
      const checked = photoTypeOf(bytes)
      if ('problem' in checked) return checked.problem
      await photos.put(own.id, { type: checked.type, data: bytes, at: new Date() })
      return null
    },
    remove: async (course: PoolCourse, userId: Id): Promise<void> => {
      const own = await ownEntry(course, userId)
      if (own !== null) await photos.remove(own.id)
    },
    /** A mentor's photo for someone in a course served by `poolId`; null when there is none or it is not theirs to see. */
    visible: async (poolId: Id | null, mentorId: Id): Promise<StoredPhoto | null> =>
      poolId === null || await mentorInPool(poolId, mentorId) === null ? null : await photos.get(mentorId)
  }
}

export type MentorPhotos = ReturnType<typeof createMentorPhotos>
