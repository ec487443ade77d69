import type { Id } from '../../domain/ids'
import type { CourseTotals, TableRow } from '../../domain/progress/course-table'
import type { ProgressStore, StudentDocument } from '../../domain/progress/ports'
import type { MenteeLine, RecordEntry, TripEntry } from '../../domain/progress/student-progress'
import type { Models } from '../database'
import { duplicatesRefused } from '../duplicate-key'
import { packJson, unpackJson } from '../packed-json'

interface StoredProgress { _id: string, courseId: string, studentUserId: string, records?: Record<Id, RecordEntry>, trips?: Record<Id, TripEntry>, mentorId?: Id | null }
interface StoredRows { _id: string, courseId: string, rowsGz: Buffer | { buffer: Uint8Array } }
interface StoredCourse { _id: string, builtAt: Date, totals?: Record<string, CourseTotals> }
interface StoredLists { _id: string, courseId: string, listsGz: Buffer | { buffer: Uint8Array } }
/** { [mentorId]: { [studentUserId]: MenteeLine } } */
type MenteeLists = Record<Id, Record<Id, MenteeLine>>

/** Up to this many students are read one by one by _id; more, with the course's documents in one query. */
const POINT_READS = 50
/** Rebuilds write this many documents per round trip. */
const CHUNK = 500
/**
 * Beyond this many documents a change rewrites them all: one delete and batched inserts. FerretDB runs each update
 * of a bulk write in a transaction of its own (about 14 ms each on SQLite: 10,000 students' mentors took minutes),
 * while an insert batch is one.
 */
const REWRITE_BEYOND = 50
/** The layout of the documents below: a course built under an earlier one counts as unbuilt, so it is rebuilt. */
const LAYOUT = 5
/** The course table's buckets of students: few enough to read side by side, enough that updating one stays small. */
const BUCKETS = 16
/** Instructors and mentors share one more bucket, read alone when only they are wanted (the pool's LMS mentors). */
const STAFF = BUCKETS

const progressId = (courseId: Id, studentUserId: Id): string => `${courseId}:${studentUserId}`
const hashBucketOf = (id: Id): number => {
  let hash = 0
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0
  return hash % BUCKETS
}
const studentBucketOf = hashBucketOf
const bucketOf = (userId: Id, row: TableRow): number => row.role === 'student' ? studentBucketOf(userId) : STAFF
const bucketId = (courseId: Id, bucket: number): string => `${courseId}:rows:${bucket}`
const ALL_BUCKETS = Array.from({ length: BUCKETS + 1 }, (_, b) => b)
/** The mentors' lists of mentees go in buckets too, by mentor: rewriting 500 mentors' lists as a document each took 1.5 s. */
const listsBucketOf = hashBucketOf
const listsId = (courseId: Id, bucket: number): string => `${courseId}:mentees:${bucket}`
const fromStored = (doc: StoredProgress): StudentDocument => ({
  progress: { studentUserId: doc.studentUserId, records: doc.records ?? {}, trips: doc.trips ?? {} },
  mentorId: doc.mentorId ?? null
})
const byId = <T>(id: string): { _id: T } => ({ _id: id as T })

/** How the domain totals rows of the course table (course-table.ts), kept per bucket with each write. */
export interface TableTotalling { totalsOf: (rows: Iterable<TableRow>) => CourseTotals, sumTotals: (parts: Iterable<CourseTotals>) => CourseTotals }

/** The progress read model over four collections, written through the driver: these documents need no mongoose casting. */
export function createProgressRepository (models: Pick<Models, 'studentProgress' | 'courseProgress' | 'courseRows' | 'mentorMentees'>, { totalsOf, sumTotals }: TableTotalling): ProgressStore {
  const students = models.studentProgress.collection
  const courses = models.courseProgress.collection
  const tables = models.courseRows.collection
  const mentors = models.mentorMentees.collection

  const readBucket = async (courseId: Id, bucket: number): Promise<Map<Id, TableRow>> => {
    const doc = await tables.findOne(byId(bucketId(courseId, bucket))) as unknown as StoredRows | null
    return new Map(Object.entries(doc ? unpackJson<Record<Id, TableRow>>(doc.rowsGz) : {}))
  }
  const storedStudent = (courseId: Id, { progress: p, mentorId }: StudentDocument) =>
    ({ _id: progressId(courseId, p.studentUserId) as never, courseId, studentUserId: p.studentUserId, records: p.records, trips: p.trips, mentorId })
  /** Replaces every student document of the course. */
  const rewriteStudents = async (courseId: Id, docs: readonly StudentDocument[]): Promise<void> => {
    await students.deleteMany({ courseId })
    await inChunks(docs, async (chunk) => await students.insertMany(chunk.map((d) => storedStudent(courseId, d)), { ordered: false }))
  }
  /** Every bucket of the table, then its totals (and, for a build, the course's marker). */
  const writeTable = async (courseId: Id, table: ReadonlyMap<Id, TableRow>, builtAt?: Date): Promise<void> => {
    const buckets = ALL_BUCKETS.map(() => new Map<Id, TableRow>())
    for (const [userId, row] of table) buckets[bucketOf(userId, row)]?.set(userId, row)
    await tables.bulkWrite(buckets.map((rows, b) => bucketWrite(courseId, b, rows)), { ordered: false })
    const totals = Object.fromEntries(buckets.map((rows, b) => [b, totalsOf(rows.values())]))
    if (builtAt) await courses.replaceOne(byId(courseId), { builtAt, layout: LAYOUT, totals }, { upsert: true })
    else await courses.updateOne(byId(courseId), { $set: { totals } })
  }
  const bucketWrite = (courseId: Id, bucket: number, rows: ReadonlyMap<Id, TableRow>) => ({
    replaceOne: { filter: byId<never>(bucketId(courseId, bucket)), replacement: { courseId, rowsGz: packJson(Object.fromEntries(rows)) }, upsert: true }
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
  const readLists = async (courseId: Id, bucket: number): Promise<MenteeLists> => {
    const doc = await mentors.findOne(byId(listsId(courseId, bucket))) as unknown as StoredLists | null
    return doc ? unpackJson<MenteeLists>(doc.listsGz) : {}
  }
  const listsWrite = (courseId: Id, bucket: number, lists: MenteeLists) => ({
    replaceOne: { filter: byId<never>(listsId(courseId, bucket)), replacement: { courseId, listsGz: packJson(lists) }, upsert: true }
  })
  /** Groups mentors' lists by the bucket each is kept in. */
  const listsByBucket = <T>(lists: Readonly<Record<Id, T>>): Map<number, Array<[Id, T]>> => {
    const grouped = new Map<number, Array<[Id, T]>>()
    for (const [mentorId, list] of Object.entries(lists)) {
      const bucket = listsBucketOf(mentorId)
      const inBucket = grouped.get(bucket) ?? []
      inBucket.push([mentorId, list])
      grouped.set(bucket, inBucket)
    }
    return grouped
  }
  const writeLists = async (courseId: Id, lists: Readonly<Record<Id, Readonly<Record<Id, MenteeLine>>>>): Promise<void> => {
    const grouped = listsByBucket(lists)
    if (grouped.size === 0) return
    const written = await Promise.all([...grouped].map(async ([bucket, changed]) => {
      const stored = await readLists(courseId, bucket)
      for (const [mentorId, mentees] of changed) {
        if (Object.keys(mentees).length === 0) delete stored[mentorId]
        else stored[mentorId] = { ...mentees }
      }
      return listsWrite(courseId, bucket, stored)
    }))
    await mentors.bulkWrite(written, { ordered: false })
  }
  const inChunks = async <T>(items: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < items.length; i += CHUNK) await write(items.slice(i, i + CHUNK))
  }

  return {
    // By `_id` alone, the one filter FerretDB answers from its index.
    isBuilt: async (courseId) => (await courses.findOne(byId(courseId), { projection: { layout: 1 } }))?.layout === LAYOUT,

    ofStudents: async (courseId, which) => {
      const ofCourse = async () => (await students.find({ courseId }).toArray() as unknown as StoredProgress[]).map(fromStored)
      if (which === 'all') return await ofCourse()
      if (which.length > POINT_READS) {
        const wanted = new Set(which)
        return (await ofCourse()).filter((d) => wanted.has(d.progress.studentUserId))
      }
      // Lookups by _id, side by side: the one query FerretDB answers from an index (an $in scans the collection).
      const found = await Promise.all(which.map(async (s) => await students.findOne(byId(progressId(courseId, s))) as unknown as StoredProgress | null))
      return found.flatMap((doc) => doc ? [fromStored(doc)] : [])
    },

    ofStudent: async (courseId, studentUserId) => {
      const doc = await students.findOne(byId(progressId(courseId, studentUserId))) as unknown as StoredProgress | null
      return doc ? fromStored(doc) : null
    },

    table: async (courseId) => new Map((await Promise.all(ALL_BUCKETS.map(async (b) => [...await readBucket(courseId, b)]))).flat()),

    staff: async (courseId) => await readBucket(courseId, STAFF),

    // A row lives in its student bucket or, for an instructor or mentor, in the staff bucket: both are read, since a
    // change of role moves it.
    updateRows: async (courseId, changes) => {
      if (changes.size === 0) return
      const wanted = [...new Set([STAFF, ...[...changes.keys()].map(studentBucketOf)])]
      const buckets = new Map(await Promise.all(wanted.map(async (b) => [b, await readBucket(courseId, b)] as const)))
      const touched = new Set<number>()
      for (const [userId, change] of changes) {
        const home = studentBucketOf(userId)
        const before = buckets.get(home)?.get(userId) ?? buckets.get(STAFF)?.get(userId)
        for (const b of [home, STAFF]) if (buckets.get(b)?.delete(userId) === true) touched.add(b)
        const after = change(before)
        if (after === null) continue
        const target = bucketOf(userId, after)
        buckets.get(target)?.set(userId, after)
        touched.add(target)
      }
      const written = [...touched].map((b) => [b, buckets.get(b) ?? new Map<Id, TableRow>()] as const)
      await tables.bulkWrite(written.map(([b, rows]) => bucketWrite(courseId, b, rows)), { ordered: false })
      await courses.updateOne(byId(courseId), { $set: Object.fromEntries(written.map(([b, rows]) => [`totals.${b}`, totalsOf(rows.values())])) })
    },

    replaceTable: async (courseId, table) => { await writeTable(courseId, table) },

    totals: async (courseId) => {
      const doc = await courses.findOne(byId(courseId)) as unknown as StoredCourse | null
      return doc ? sumTotals(Object.values(doc.totals ?? {})) : null
    },

    mentees: async (courseId, mentorIds) => {
      const buckets = new Map(await Promise.all([...new Set(mentorIds.map(listsBucketOf))].map(async (b) => [b, await readLists(courseId, b)] as const)))
      return new Map(mentorIds.flatMap((m) => Object.entries(buckets.get(listsBucketOf(m))?.[m] ?? {})))
    },

    setPairs: async (courseId, changes) => {
      if (changes.length > REWRITE_BEYOND) {
        // Students placed for the first time have no document yet (one is written once a student has progress or a
        // mentor): inserted in batches, they cost a fraction of rewriting the course. Those who had one are refused
        // by the _id and updated below, one by one when few, else by the rewrite.
        const refused: Array<{ studentUserId: Id, mentorId: Id | null }> = []
        await inChunks(changes, async (chunk) => {
          try {
            await students.insertMany(chunk.map(({ studentUserId, mentorId }) => storedStudent(courseId, { progress: { studentUserId, records: {}, trips: {} }, mentorId })), { ordered: false })
          } catch (err) {
            const duplicates = duplicatesRefused(err)
            if (duplicates === null) throw err
            for (const i of duplicates) refused.push(chunk[i] as { studentUserId: Id, mentorId: Id | null })
          }
        })
        if (refused.length <= REWRITE_BEYOND) {
          if (refused.length > 0) await students.bulkWrite(refused.map(({ studentUserId, mentorId }) => ({ updateOne: { filter: byId(progressId(courseId, studentUserId)), update: { $set: { mentorId } } } })), { ordered: false })
          return
        }
        const docs = new Map((await students.find({ courseId }).toArray() as unknown as StoredProgress[]).map((d) => [d.studentUserId, fromStored(d)]))
        for (const { studentUserId, mentorId } of changes) {
          docs.set(studentUserId, { progress: docs.get(studentUserId)?.progress ?? { studentUserId, records: {}, trips: {} }, mentorId })
        }
        await rewriteStudents(courseId, [...docs.values()])
        return
      }
      if (changes.length === 0) return
      await students.bulkWrite(changes.map(({ studentUserId, mentorId }) => ({
        updateOne: { filter: byId(progressId(courseId, studentUserId)), update: { $set: { mentorId }, $setOnInsert: { courseId, studentUserId } }, upsert: true }
      })), { ordered: false })
    },

    replaceMentees: writeLists,

    setMenteeProgress: async (courseId, mentorId, studentUserId, progress) => {
      const bucket = listsBucketOf(mentorId)
      const lists = await readLists(courseId, bucket)
      const line = lists[mentorId]?.[studentUserId]
      if (line === undefined) return
      lists[mentorId] = { ...lists[mentorId], [studentUserId]: { ...line, ...progress } }
      await mentors.bulkWrite([listsWrite(courseId, bucket, lists)])
    },

    setRecord: async (courseId, studentUserId, recordId, entry) => await setField(courseId, studentUserId, `records.${recordId}`, entry),

    setTrip: async (courseId, studentUserId, tripId, entry) => await setField(courseId, studentUserId, `trips.${tripId}`, entry),

    forgetCourse: async (courseId) => { await courses.deleteOne(byId(courseId)) },

    replaceCourse: async (courseId, build) => {
      await rewriteStudents(courseId, build.students)
      await mentors.deleteMany({ courseId })
      const grouped = listsByBucket(build.mentees)
      if (grouped.size > 0) await mentors.bulkWrite([...grouped].map(([bucket, lists]) => listsWrite(courseId, bucket, Object.fromEntries(lists))), { ordered: false })
      await writeTable(courseId, build.table, new Date())
    }
  }
}
