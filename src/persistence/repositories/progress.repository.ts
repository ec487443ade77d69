import type { Id } from '../../domain/ids'
import type { ProgressStore } from '../../domain/progress/ports'
import type { ProgressSummary, RecordEntry, StudentProgress, TripEntry } from '../../domain/progress/student-progress'
import type { Models } from '../database'

interface StoredProgress { _id: string, courseId: string, studentUserId: string, records?: Record<Id, RecordEntry>, trips?: Record<Id, TripEntry> }
interface StoredCourse { _id: string, students?: Record<Id, ProgressSummary>, builtAt: Date }

/** Up to this many students are read one by one by _id; more, with the course's documents in one query. */
const POINT_READS = 50
/** Rebuilds write this many documents per round trip. */
const CHUNK = 500

const progressId = (courseId: Id, studentUserId: Id): string => `${courseId}:${studentUserId}`
const fromStored = (doc: StoredProgress): StudentProgress => ({ studentUserId: doc.studentUserId, records: doc.records ?? {}, trips: doc.trips ?? {} })

/** The progress read model over two collections, written through the driver: these documents need no mongoose casting. */
export function createProgressRepository (models: Pick<Models, 'studentProgress' | 'courseProgress'>): ProgressStore {
  const students = models.studentProgress.collection
  const courses = models.courseProgress.collection

  /** Sets or unsets one field of a student's document, creating the document when it is the first entry. */
  const setField = async (courseId: Id, studentUserId: Id, field: string, value: unknown): Promise<StoredProgress> => {
    const change = value === null ? { $unset: { [field]: '' } } : { $set: { [field]: value } }
    const doc = await students.findOneAndUpdate(
      { _id: progressId(courseId, studentUserId) as never },
      { ...change, $setOnInsert: { courseId, studentUserId } },
      { upsert: true, returnDocument: 'after' }
    )
    return doc as unknown as StoredProgress
  }

  return {
    isBuilt: async (courseId) => await courses.countDocuments({ _id: courseId as never }, { limit: 1 }) > 0,

    ofStudents: async (courseId, which) => {
      const ofCourse = async () => (await students.find({ courseId }).toArray() as unknown as StoredProgress[]).map(fromStored)
      if (which === 'all') return await ofCourse()
      if (which.length > POINT_READS) {
        const wanted = new Set(which)
        return (await ofCourse()).filter((p) => wanted.has(p.studentUserId))
      }
      // Lookups by _id, side by side: the one query FerretDB answers from an index (an $in scans the collection).
      const found = await Promise.all(which.map(async (s) => await students.findOne({ _id: progressId(courseId, s) as never }) as unknown as StoredProgress | null))
      return found.flatMap((doc) => doc ? [fromStored(doc)] : [])
    },

    summary: async (courseId) => {
      const doc = await courses.findOne({ _id: courseId as never }) as unknown as StoredCourse | null
      return doc ? doc.students ?? {} : null
    },

    setRecord: async (courseId, studentUserId, recordId, entry) => fromStored(await setField(courseId, studentUserId, `records.${recordId}`, entry)),

    setTrip: async (courseId, studentUserId, tripId, entry) => { await setField(courseId, studentUserId, `trips.${tripId}`, entry) },

    setSummary: async (courseId, studentUserId, summary) => {
      const field = `students.${studentUserId}`
      await courses.updateOne({ _id: courseId as never }, summary === null ? { $unset: { [field]: '' } } : { $set: { [field]: summary } })
    },

    forgetCourse: async (courseId) => { await courses.deleteOne({ _id: courseId as never }) },

    replaceCourse: async (courseId, progress, summaries) => {
      const ids = progress.map((p) => progressId(courseId, p.studentUserId))
      for (let i = 0; i < progress.length; i += CHUNK) {
        await students.bulkWrite(progress.slice(i, i + CHUNK).map((p) => ({
          replaceOne: {
            filter: { _id: progressId(courseId, p.studentUserId) as never },
            replacement: { courseId, studentUserId: p.studentUserId, records: p.records, trips: p.trips },
            upsert: true
          }
        })), { ordered: false })
      }
      await students.deleteMany({ courseId, _id: { $nin: ids as never[] } })
      await courses.replaceOne({ _id: courseId as never }, { students: summaries, builtAt: new Date() }, { upsert: true })
    }
  }
}
