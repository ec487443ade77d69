import type { Types } from 'mongoose'
import type { AttendanceStatus } from '../../domain/activities/vocabulary'
import type { Models } from '../database'
import type { AttendanceDoc } from '../models/field-trip-attendance.model'
import type { CheckInDoc } from '../models/check-in.model'
import { isDuplicateKey } from '../duplicate-key'

type Id = Types.ObjectId
export type Attendance = AttendanceDoc & { _id: Id }
export type CheckIn = CheckInDoc & { _id: Id }
export interface AttendanceMark { studentUserId: Id, status: AttendanceStatus }
export interface NewCheckIn { courseId: Id, fieldTripId: Id, opensAt: Date, closesAt: Date, openedBy: Id }

/** Attendance of field trips (one row per trip and student) and the check-in windows students check in through. */
export function createAttendanceRepository ({ attendance, checkIns }: Pick<Models, 'attendance' | 'checkIns'>) {
  return {
    ofTrip: async (fieldTripId: Id): Promise<Attendance[]> => await attendance.find({ fieldTripId }).lean<Attendance[]>(),
    ofCourse: async (courseId: Id): Promise<Attendance[]> => await attendance.find({ courseId }).lean<Attendance[]>(),
    /** The checklist: sets each listed student's status; rows of students not listed stay as they are. */
    mark: async (courseId: Id, fieldTripId: Id, marks: readonly AttendanceMark[], by: Id, at: Date): Promise<void> => {
      await attendance.bulkWrite(marks.map(({ studentUserId, status }) => ({
        updateOne: {
          filter: { fieldTripId, studentUserId },
          update: { $set: { courseId, status, via: 'checklist', recordedBy: by, recordedAt: at } },
          upsert: true
        }
      })), { ordered: false })
    },
    /**
     * Marks the student present, once: a second check-in finds them present already and changes nothing. The
     * unique (trip, student) index turns a racing second insert into a duplicate key, which means the same.
     */
    checkIn: async (courseId: Id, fieldTripId: Id, studentUserId: Id, at: Date): Promise<{ already: boolean, row: Attendance }> => {
      const present = async () => await attendance.findOne({ fieldTripId, studentUserId, status: 'present' }).lean<Attendance>()
      const existing = await present()
      if (existing) return { already: true, row: existing }
      try {
        const row = await attendance.findOneAndUpdate(
          { fieldTripId, studentUserId },
          { $set: { courseId, status: 'present', via: 'check-in', recordedBy: studentUserId, recordedAt: at } },
          { upsert: true, new: true }).lean<Attendance>()
        return { already: false, row: row as Attendance }
      } catch (err) {
        const row = isDuplicateKey(err) ? await present() : null
        if (row) return { already: true, row }
        throw err
      }
    },
    /** Opens a window under a fresh code, retrying with another code on the (rare) clash with any earlier one. */
    openCheckIn: async (window: NewCheckIn, nextCode: () => string, attempts = 10): Promise<CheckIn> => {
      for (let i = 0; i < attempts; i++) {
        try {
          return (await checkIns.create({ ...window, code: nextCode() })).toObject() as CheckIn
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
        }
      }
      throw new Error(`no unused check-in code after ${attempts} attempts`)
    },
    /** Ends the trip's windows still open at `at`, so a trip has one live code at a time. */
    closeOpen: async (fieldTripId: Id, at: Date): Promise<void> => {
      await checkIns.updateMany({ fieldTripId, closesAt: { $gt: at } }, { $set: { closesAt: at } })
    },
    latestOf: async (fieldTripId: Id): Promise<CheckIn | null> => await checkIns.findOne({ fieldTripId }).sort({ createdAt: -1, _id: -1 }).lean<CheckIn>(),
    findByCode: async (code: string): Promise<CheckIn | null> => await checkIns.findOne({ code }).lean<CheckIn>()
  }
}

export type AttendanceRepository = ReturnType<typeof createAttendanceRepository>
