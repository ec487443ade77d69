import type { Id } from '../../domain/ids'
import type { CourseRole } from '../../domain/launch/roles'
import type { ProgressStore, StudentDocument } from '../../domain/progress/ports'
import type { MenteeLine, ProgressSummary, RecordEntry, TripEntry } from '../../domain/progress/student-progress'
import type { Models } from '../database'

interface StoredProgress { _id: string, courseId: string, studentUserId: string, records?: Record<Id, RecordEntry>, trips?: Record<Id, TripEntry>, mentorId?: Id | null }
interface StoredCourse { _id: string, students?: Record<Id, ProgressSummary>, pairs?: Record<Id, Id>, members?: Record<Id, CourseRole>, builtAt: Date }
interface StoredMentees { _id: string, courseId: string, mentorId: Id, mentees?: Record<Id, MenteeLine> }

/** Up to this many students are read one by one by _id; more, with the course's documents in one query. */
const POINT_READS = 50
/** Rebuilds write this many documents per round trip. */
const CHUNK = 500

const progressId = (courseId: Id, studentUserId: Id): string => `${courseId}:${studentUserId}`
const menteesId = (courseId: Id, mentorId: Id): string => `${courseId}:${mentorId}`
const fromStored = (doc: StoredProgress): StudentDocument => ({
  progress: { studentUserId: doc.studentUserId, records: doc.records ?? {}, trips: doc.trips ?? {} },
  mentorId: doc.mentorId ?? null
})
const byId = <T>(id: string): { _id: T } => ({ _id: id as T })

/** The progress read model over three collections, written through the driver: these documents need no mongoose casting. */
export function createProgressRepository (models: Pick<Models, 'studentProgress' | 'courseProgress' | 'mentorMentees'>): ProgressStore {
  const students = models.studentProgress.collection
  const courses = models.courseProgress.collection
  const mentors = models.mentorMentees.collection

  /** Sets or unsets one field of a student's document, creating the document when it is the first entry. */
  const setField = async (courseId: Id, studentUserId: Id, field: string, value: unknown): Promise<StudentDocument> => {
    const change = value === null ? { $unset: { [field]: '' } } : { $set: { [field]: value } }
    const doc = await students.findOneAndUpdate(
      byId(progressId(courseId, studentUserId)),
      { ...change, $setOnInsert: { courseId, studentUserId } },
      { upsert: true, returnDocument: 'after' }
    )
    return fromStored(doc as unknown as StoredProgress)
  }
  const inChunks = async <T>(items: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < items.length; i += CHUNK) await write(items.slice(i, i + CHUNK))
  }

  return {
    isBuilt: async (courseId) => await courses.countDocuments(byId(courseId), { limit: 1 }) > 0,

    ofStudents: async (courseId, which) => {
      const ofCourse = async () => (await students.find({ courseId }).toArray() as unknown as StoredProgress[]).map((d) => fromStored(d).progress)
      if (which === 'all') return await ofCourse()
      if (which.length > POINT_READS) {
        const wanted = new Set(which)
        return (await ofCourse()).filter((p) => wanted.has(p.studentUserId))
      }
      // Lookups by _id, side by side: the one query FerretDB answers from an index (an $in scans the collection).
      const found = await Promise.all(which.map(async (s) => await students.findOne(byId(progressId(courseId, s))) as unknown as StoredProgress | null))
      return found.flatMap((doc) => doc ? [fromStored(doc).progress] : [])
    },

    ofStudent: async (courseId, studentUserId) => {
      const doc = await students.findOne(byId(progressId(courseId, studentUserId))) as unknown as StoredProgress | null
      return doc ? fromStored(doc) : null
    },

    course: async (courseId) => {
      const doc = await courses.findOne(byId(courseId), { projection: { students: 1, members: 1 } }) as unknown as StoredCourse | null
      return doc ? { summaries: doc.students ?? {}, members: doc.members ?? {} } : null
    },

    setMember: async (courseId, userId, role) => {
      const field = `members.${userId}`
      await courses.updateOne(byId(courseId), role === null ? { $unset: { [field]: '' } } : { $set: { [field]: role } })
    },

    replaceMembers: async (courseId, members) => { await courses.updateOne(byId(courseId), { $set: { members } }) },

    mentees: async (courseId, mentorIds) => {
      const docs = await Promise.all(mentorIds.map(async (m) => await mentors.findOne(byId(menteesId(courseId, m))) as unknown as StoredMentees | null))
      return new Map(docs.flatMap((doc) => Object.entries(doc?.mentees ?? {})))
    },

    pairs: async (courseId) => {
      const doc = await courses.findOne(byId(courseId), { projection: { pairs: 1 } }) as unknown as StoredCourse | null
      return doc?.pairs ?? {}
    },

    setPairs: async (courseId, changes) => {
      await inChunks(changes, async (chunk) => await students.bulkWrite(chunk.map(({ studentUserId, mentorId }) => ({
        updateOne: { filter: byId(progressId(courseId, studentUserId)), update: { $set: { mentorId }, $setOnInsert: { courseId, studentUserId } }, upsert: true }
      })), { ordered: false }))
      const set = Object.fromEntries(changes.filter((c) => c.mentorId !== null).map((c) => [`pairs.${c.studentUserId}`, c.mentorId]))
      const unset = Object.fromEntries(changes.filter((c) => c.mentorId === null).map((c) => [`pairs.${c.studentUserId}`, '']))
      await courses.updateOne(byId(courseId), { ...Object.keys(set).length > 0 ? { $set: set } : {}, ...Object.keys(unset).length > 0 ? { $unset: unset } : {} })
    },

    replaceMentees: async (courseId, mentorId, mentees) => {
      if (Object.keys(mentees).length === 0) await mentors.deleteOne(byId(menteesId(courseId, mentorId)))
      else await mentors.replaceOne(byId(menteesId(courseId, mentorId)), { courseId, mentorId, mentees }, { upsert: true })
    },

    setMenteeProgress: async (courseId, mentorId, studentUserId, progress) => {
      const line = `mentees.${studentUserId}`
      await mentors.updateOne(
        { ...byId(menteesId(courseId, mentorId)), [line]: { $exists: true } },
        { $set: { [`${line}.pending`]: progress.pending, [`${line}.returned`]: progress.returned, [`${line}.counts`]: progress.counts } }
      )
    },

    setRecord: async (courseId, studentUserId, recordId, entry) => await setField(courseId, studentUserId, `records.${recordId}`, entry),

    setTrip: async (courseId, studentUserId, tripId, entry) => await setField(courseId, studentUserId, `trips.${tripId}`, entry),

    setSummary: async (courseId, studentUserId, summary) => {
      const field = `students.${studentUserId}`
      await courses.updateOne(byId(courseId), summary === null ? { $unset: { [field]: '' } } : { $set: { [field]: summary } })
    },

    forgetCourse: async (courseId) => { await courses.deleteOne(byId(courseId)) },

    replaceCourse: async (courseId, build) => {
      await inChunks(build.students, async (chunk) => await students.bulkWrite(chunk.map(({ progress: p, mentorId }) => ({
        replaceOne: {
          filter: byId(progressId(courseId, p.studentUserId)),
          replacement: { courseId, studentUserId: p.studentUserId, records: p.records, trips: p.trips, mentorId },
          upsert: true
        }
      })), { ordered: false }))
      const ids = build.students.map((s) => progressId(courseId, s.progress.studentUserId))
      await students.deleteMany({ courseId, _id: { $nin: ids as never[] } })
      const lists = Object.entries(build.mentees).filter(([, mentees]) => Object.keys(mentees).length > 0)
      await inChunks(lists, async (chunk) => await mentors.bulkWrite(chunk.map(([mentorId, mentees]) => ({
        replaceOne: { filter: byId(menteesId(courseId, mentorId)), replacement: { courseId, mentorId, mentees }, upsert: true }
      })), { ordered: false }))
      await mentors.deleteMany({ courseId, _id: { $nin: lists.map(([mentorId]) => menteesId(courseId, mentorId)) as never[] } })
      const pairs = Object.fromEntries(build.students.flatMap((s) => s.mentorId === null ? [] : [[s.progress.studentUserId, s.mentorId]]))
      await courses.replaceOne(byId(courseId), { students: build.summaries, pairs, members: build.members, builtAt: new Date() }, { upsert: true })
    }
  }
}
