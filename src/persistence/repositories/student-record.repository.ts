import type { Model, Types } from 'mongoose'
import type {
  NewRecord, RecordFilter, RecordPatch, StudentRecord, Students
} from '../../domain/activities/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import { toId, toObjectId, toObjectIds } from '../ids'
import { updateIfUnchanged } from '../versioned-update'

/** A stored entry as a lean read returns it. */
export type StoredRecord = Record<string, unknown> & {
  _id: Types.ObjectId
  courseId: Types.ObjectId
  studentUserId: Types.ObjectId
  createdBy: Types.ObjectId
  deletedBy?: Types.ObjectId | null
}

/** How one kind stores the ids among its own fields (the shared ones are converted for every kind). */
export interface RecordIds<T extends StudentRecord> {
  /** The kind's own id fields of a stored entry, as text. */
  read: (doc: StoredRecord) => Partial<T>
  /** The stored form of the kind's own id fields among the fields a service writes. */
  write: (fields: RecordPatch<T>) => Record<string, unknown>
}

export const noOwnIds = { read: () => ({}), write: () => ({}) }

export function recordOf<T extends StudentRecord> (doc: StoredRecord, ids: RecordIds<T>): T {
  const { __v: _v, _id, courseId, studentUserId, createdBy, deletedBy, ...fields } = doc
  return {
    ...fields,
    ...ids.read(doc),
    _id: toId(_id),
    courseId: toId(courseId),
    studentUserId: toId(studentUserId),
    createdBy: toId(createdBy),
    deletedBy: deletedBy ? toId(deletedBy) : null
  } as unknown as T
}

/**
 * One repository for activities, goals, contacts and reflections. Every query is bound to a course and skips
 * soft-deleted entries, so an id from another course, or a deleted one, is simply not found.
 */
export function createStudentRecordRepository<T extends StudentRecord> (
  model: Model<any>, sort: Record<string, 1 | -1>, ids: RecordIds<T>, claims: Pick<Models, 'singleUseClaims'> // eslint-disable-line @typescript-eslint/no-explicit-any
) {
  const live = (courseId: Id) => ({ courseId: toObjectId(courseId), deletedAt: null })
  const whose = (students: Students) => students === 'all' ? {} : { studentUserId: { $in: toObjectIds(students) } }
  const one = (doc: StoredRecord | null): T | null => doc ? recordOf(doc, ids) : null
  const repo = {
    list: async (courseId: Id, students: Students, filter: RecordFilter = {}): Promise<T[]> =>
      (await model.find({ ...live(courseId), ...whose(students), ...filter }).sort({ ...sort, _id: -1 }).lean<StoredRecord[]>()).map((d) => recordOf(d, ids)),
    find: async (courseId: Id, id: Id): Promise<T | null> => one(await model.findOne({ _id: toObjectId(id), ...live(courseId) }).lean<StoredRecord>()),
    create: async (entry: NewRecord<T>): Promise<T> => {
      const { courseId, studentUserId, createdBy, ...fields } = entry
      const doc = await model.create({
        ...fields, ...ids.write(entry), courseId: toObjectId(courseId), studentUserId: toObjectId(studentUserId), createdBy: toObjectId(createdBy)
      })
      return recordOf(doc.toObject() as StoredRecord, ids)
    },
    update: async (seen: T, patch: RecordPatch<T>): Promise<T | null> =>
      await repo.apply(seen, { $set: { ...patch, ...ids.write(patch) } }),
    softDelete: async (seen: T, by: Id, at: Date): Promise<T | null> =>
      one(await model.findOneAndUpdate({ _id: toObjectId(seen._id), ...live(seen.courseId) }, { $set: { deletedAt: at, deletedBy: toObjectId(by) } }, { new: true }).lean<StoredRecord>()),
    /** Applies a stored-form update only if nobody changed the entry since `seen` was read; null otherwise. */
    apply: async (seen: T, update: Record<string, unknown>): Promise<T | null> =>
      await updateIfUnchanged(claims, `${model.collection.collectionName}:${seen._id}`, seen.updatedAt, async () =>
        one(await model.findOneAndUpdate({ _id: toObjectId(seen._id), ...live(seen.courseId), updatedAt: seen.updatedAt }, update, { new: true, runValidators: true }).lean<StoredRecord>()))
  }
  return repo
}
