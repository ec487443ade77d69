import type { Id } from '../../domain/ids'
import type { CourseTotals, TableRow } from '../../domain/progress/course-table'
import type { ProgressStore, RowChange, StudentDocument } from '../../domain/progress/ports'
import type { MenteeLine, RecordEntry, TripEntry } from '../../domain/progress/student-progress'
import type { Models } from '../database'

interface StoredProgress { _id: string, courseId: string, studentUserId: string, records?: Record<Id, RecordEntry>, trips?: Record<Id, TripEntry>, mentorId?: Id | null }
interface StoredRows { _id: string, courseId: string, rows: string }
interface StoredCourse { _id: string, builtAt: Date, totals?: Record<string, CourseTotals> }
interface StoredMentees { _id: string, courseId: string, mentorId: Id, mentees?: Record<Id, MenteeLine> }

/** Up to this many students are read one by one by _id; more, with the course's documents in one query. */
const POINT_READS = 50
/** Rebuilds write this many documents per round trip. */
const CHUNK = 500
/** The course table's buckets: few enough to read side by side, enough that updating one stays small. */
const BUCKETS = 16

const progressId = (courseId: Id, studentUserId: Id): string => `${courseId}:${studentUserId}`
const menteesId = (courseId: Id, mentorId: Id): string => `${courseId}:${mentorId}`
const bucketOf = (userId: Id): number => {
  let hash = 0
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0
  return hash % BUCKETS
}
const bucketId = (courseId: Id, bucket: number): string => `${courseId}:rows:${bucket}`
const BUCKET_NUMBERS = Array.from({ length: BUCKETS }, (_, b) => b)
const fromStored = (doc: StoredProgress): StudentDocument => ({
  progress: { studentUserId: doc.studentUserId, records: doc.records ?? {}, trips: doc.trips ?? {} },
  mentorId: doc.mentorId ?? null
})
const byId = <T>(id: string): { _id: T } => ({ _id: id as T })

/** The progress read model over three collections, written through the driver: these documents need no mongoose casting. */
/** How the domain totals rows of the course table (course-table.ts), kept per bucket with each write. */
export interface TableTotalling { totalsOf: (rows: Iterable<TableRow>) => CourseTotals, sumTotals: (parts: Iterable<CourseTotals>) => CourseTotals }

export function createProgressRepository (models: Pick<Models, 'studentProgress' | 'courseProgress' | 'courseRows' | 'mentorMentees'>, { totalsOf, sumTotals }: TableTotalling): ProgressStore {
  const students = models.studentProgress.collection
  const courses = models.courseProgress.collection
  const tables = models.courseRows.collection
  const mentors = models.mentorMentees.collection

  const readBucket = async (courseId: Id, bucket: number): Promise<Map<Id, TableRow>> => {
    const doc = await tables.findOne(byId(bucketId(courseId, bucket))) as unknown as StoredRows | null
    return new Map(Object.entries(doc ? JSON.parse(doc.rows) as Record<Id, TableRow> : {}))
  }
  const bucketWrite = (courseId: Id, bucket: number, rows: ReadonlyMap<Id, TableRow>) => ({
    replaceOne: { filter: byId<never>(bucketId(courseId, bucket)), replacement: { courseId, rows: JSON.stringify(Object.fromEntries(rows)) }, upsert: true }
  })

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
  const writeLists = async (courseId: Id, lists: Readonly<Record<Id, Readonly<Record<Id, MenteeLine>>>>): Promise<void> => {
    await inChunks(Object.entries(lists), async (chunk) => await mentors.bulkWrite(chunk.map(([mentorId, mentees]) => Object.keys(mentees).length === 0
      ? { deleteOne: { filter: byId(menteesId(courseId, mentorId)) } }
      : { replaceOne: { filter: byId(menteesId(courseId, mentorId)), replacement: { courseId, mentorId, mentees }, upsert: true } }
    ), { ordered: false }))
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

    table: async (courseId) => new Map((await Promise.all(BUCKET_NUMBERS.map(async (b) => [...await readBucket(courseId, b)]))).flat()),

    updateRows: async (courseId, changes) => {
      const byBucket = new Map<number, Id[]>()
      for (const userId of changes.keys()) byBucket.set(bucketOf(userId), [...byBucket.get(bucketOf(userId)) ?? [], userId])
      const writes = await Promise.all([...byBucket].map(async ([bucket, userIds]) => {
        const rows = await readBucket(courseId, bucket)
        for (const userId of userIds) {
          const after = (changes.get(userId) as RowChange)(rows.get(userId))
          if (after === null) rows.delete(userId)
          else rows.set(userId, after)
        }
        return { bucket, write: bucketWrite(courseId, bucket, rows), totals: totalsOf(rows.values()) }
      }))
      if (writes.length === 0) return
      await tables.bulkWrite(writes.map((w) => w.write), { ordered: false })
      await courses.updateOne(byId(courseId), { $set: Object.fromEntries(writes.map((w) => [`totals.${w.bucket}`, w.totals])) })
    },

    totals: async (courseId) => {
      const doc = await courses.findOne(byId(courseId)) as unknown as StoredCourse | null
      return doc ? sumTotals(Object.values(doc.totals ?? {})) : null
    },

    mentees: async (courseId, mentorIds) => {
      const docs = await Promise.all(mentorIds.map(async (m) => await mentors.findOne(byId(menteesId(courseId, m))) as unknown as StoredMentees | null))
      return new Map(docs.flatMap((doc) => Object.entries(doc?.mentees ?? {})))
    },

    setPairs: async (courseId, changes) => {
      await inChunks(changes, async (chunk) => await students.bulkWrite(chunk.map(({ studentUserId, mentorId }) => ({
        updateOne: { filter: byId(progressId(courseId, studentUserId)), update: { $set: { mentorId }, $setOnInsert: { courseId, studentUserId } }, upsert: true }
      })), { ordered: false }))
    },

    replaceMentees: writeLists,

    setMenteeProgress: async (courseId, mentorId, studentUserId, progress) => {
      const line = `mentees.${studentUserId}`
      await mentors.updateOne(
        { ...byId(menteesId(courseId, mentorId)), [line]: { $exists: true } },
        { $set: { [`${line}.pending`]: progress.pending, [`${line}.returned`]: progress.returned, [`${line}.counts`]: progress.counts } }
      )
    },

    setRecord: async (courseId, studentUserId, recordId, entry) => await setField(courseId, studentUserId, `records.${recordId}`, entry),

    setTrip: async (courseId, studentUserId, tripId, entry) => await setField(courseId, studentUserId, `trips.${tripId}`, entry),

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
      await writeLists(courseId, build.mentees)
      await mentors.deleteMany({ courseId, _id: { $nin: Object.keys(build.mentees).map((mentorId) => menteesId(courseId, mentorId)) as never[] } })
      const buckets = BUCKET_NUMBERS.map(() => new Map<Id, TableRow>())
      for (const [userId, row] of build.table) buckets[bucketOf(userId)]?.set(userId, row)
      await tables.bulkWrite(buckets.map((rows, b) => bucketWrite(courseId, b, rows)), { ordered: false })
      await courses.replaceOne(byId(courseId), { builtAt: new Date(), totals: Object.fromEntries(buckets.map((rows, b) => [b, totalsOf(rows.values())])) }, { upsert: true })
    }
  }
}
