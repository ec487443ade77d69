import type { Model, Types, UpdateQuery } from 'mongoose'
import type { CourseRole } from '../../domain/launch/roles'

type Id = Types.ObjectId
/** Whose entries a query may return: some students, or every student of the course (instructors). */
export type Students = readonly Id[] | 'all'

/** What every entry of a student's mentoring record has (see models/student-record.fields.ts). */
export interface StudentRecord {
  _id: Id
  courseId: Id
  studentUserId: Id
  createdBy: Id
  createdByRole: CourseRole
  deletedAt?: Date | null
  createdAt: Date
  updatedAt: Date
}

/**
 * One repository shape for activities, goals, contacts and reflections. Every query is bound to a course and
 * skips soft-deleted entries, so an id from another course, or a deleted one, is simply not found.
 */
export function createStudentRecordRepository<T extends StudentRecord> (model: Model<any>, sort: Record<string, 1 | -1>) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const live = (courseId: Id) => ({ courseId, deletedAt: null })
  const whose = (students: Students) => students === 'all' ? {} : { studentUserId: { $in: students } }
  return {
    list: async (courseId: Id, students: Students, filter: Record<string, unknown> = {}): Promise<T[]> =>
      await model.find({ ...live(courseId), ...whose(students), ...filter }).sort({ ...sort, _id: -1 }).lean<T[]>(),
    find: async (courseId: Id, id: Id | string): Promise<T | null> => await model.findOne({ _id: id, ...live(courseId) }).lean<T>(),
    create: async (doc: Record<string, unknown>): Promise<T> => (await model.create(doc)).toObject() as T,
    /** Applies the change only if nobody changed the entry since `seen` was read; null otherwise. */
    update: async (seen: T, update: UpdateQuery<unknown>): Promise<T | null> =>
      await model.findOneAndUpdate({ _id: seen._id, ...live(seen.courseId), updatedAt: seen.updatedAt }, update, { new: true, runValidators: true }).lean<T>(),
    softDelete: async (seen: T, by: Id, at: Date): Promise<T | null> =>
      await model.findOneAndUpdate({ _id: seen._id, ...live(seen.courseId) }, { $set: { deletedAt: at, deletedBy: by } }, { new: true }).lean<T>()
  }
}

export type StudentRecordRepository<T extends StudentRecord> = ReturnType<typeof createStudentRecordRepository<T>>
