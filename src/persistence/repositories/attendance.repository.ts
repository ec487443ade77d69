import type { Types } from 'mongoose'
import type { Attendance, AttendanceMark, AttendanceRepository, CheckIn, NewCheckIn } from '../../domain/activities/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import type { AttendanceDoc } from '../models/field-trip-attendance.model'
import type { CheckInDoc } from '../models/check-in.model'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId } from '../ids'

type StoredAttendance = AttendanceDoc & { _id: Types.ObjectId, __v?: number }
type StoredCheckIn = CheckInDoc & { _id: Types.ObjectId, __v?: number }

const attendanceOf = ({ __v: _v, ...row }: StoredAttendance): Attendance => ({
  ...row,
  _id: toId(row._id),
  courseId: toId(row.courseId),
  fieldTripId: toId(row.fieldTripId),
  studentUserId: toId(row.studentUserId),
  recordedBy: toId(row.recordedBy)
})
const checkInOf = ({ __v: _v, ...window }: StoredCheckIn): CheckIn => ({
  ...window,
  _id: toId(window._id),
  courseId: toId(window.courseId),
  fieldTripId: toId(window.fieldTripId),
  openedBy: toId(window.openedBy)
})

/** Attendance of field trips (one row per trip and student) and the check-in windows students check in through. */
export function createAttendanceRepository ({ attendance, checkIns }: Pick<Models, 'attendance' | 'checkIns'>): AttendanceRepository {
  return {
    ofTrip: async (fieldTripId: Id): Promise<Attendance[]> =>
      (await attendance.find({ fieldTripId: toObjectId(fieldTripId) }).lean<StoredAttendance[]>()).map(attendanceOf),
    ofCourse: async (courseId: Id): Promise<Attendance[]> =>
      (await attendance.find({ courseId: toObjectId(courseId) }).lean<StoredAttendance[]>()).map(attendanceOf),
    mark: async (courseId: Id, fieldTripId: Id, marks: readonly AttendanceMark[], by: Id, at: Date): Promise<void> => {
      await attendance.bulkWrite(marks.map(({ studentUserId, status }) => ({
        updateOne: {
          filter: { fieldTripId: toObjectId(fieldTripId), studentUserId: toObjectId(studentUserId) },
          update: { $set: { courseId: toObjectId(courseId), status, via: 'checklist', recordedBy: toObjectId(by), recordedAt: at } },
          upsert: true
        }
      })), { ordered: false })
    },
    /**
     * A second check-in finds the student present already and changes nothing. The unique (trip, student) index
     * turns a racing second insert into a duplicate key, which means the same.
     */
    checkIn: async (courseId: Id, fieldTripId: Id, studentUserId: Id, at: Date): Promise<{ already: boolean, row: Attendance }> => {
      const who = { fieldTripId: toObjectId(fieldTripId), studentUserId: toObjectId(studentUserId) }
      const present = async () => await attendance.findOne({ ...who, status: 'present' }).lean<StoredAttendance>()
      const existing = await present()
      if (existing) return { already: true, row: attendanceOf(existing) }
      try {
        const row = await attendance.findOneAndUpdate(
          who,
          { $set: { courseId: toObjectId(courseId), status: 'present', via: 'check-in', recordedBy: who.studentUserId, recordedAt: at } },
          { upsert: true, new: true }).lean<StoredAttendance>()
        return { already: false, row: attendanceOf(row as StoredAttendance) }
      } catch (err) {
        const row = isDuplicateKey(err) ? await present() : null
        if (row) return { already: true, row: attendanceOf(row) }
        throw err
      }
    },
    /** Retries with another code on the (rare) clash with any earlier one. */
    openCheckIn: async (window: NewCheckIn, nextCode: () => string, attempts = 10): Promise<CheckIn> => {
      const stored = { ...window, courseId: toObjectId(window.courseId), fieldTripId: toObjectId(window.fieldTripId), openedBy: toObjectId(window.openedBy) }
      for (let i = 0; i < attempts; i++) {
        try {
          return checkInOf((await checkIns.create({ ...stored, code: nextCode() })).toObject() as StoredCheckIn)
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
        }
      }
      throw new Error(`no unused check-in code after ${attempts} attempts`)
    },
    /** So a trip has one live code at a time. */
    closeOpen: async (fieldTripId: Id, at: Date): Promise<void> => {
      await checkIns.updateMany({ fieldTripId: toObjectId(fieldTripId), closesAt: { $gt: at } }, { $set: { closesAt: at } })
    },
    latestOf: async (fieldTripId: Id): Promise<CheckIn | null> => {
      const window = await checkIns.findOne({ fieldTripId: toObjectId(fieldTripId) }).sort({ createdAt: -1, _id: -1 }).lean<StoredCheckIn>()
      return window ? checkInOf(window) : null
    },
    findByCode: async (code: string): Promise<CheckIn | null> => {
      const window = await checkIns.findOne({ code }).lean<StoredCheckIn>()
      return window ? checkInOf(window) : null
    }
  }
}
