import { Schema } from 'mongoose'
import { COURSE_ROLES } from './membership.model'

/** The fields every entry of a student's mentoring record shares: whose it is, who wrote it, soft deletion. */
export const studentRecordFields = {
  courseId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  createdBy: { type: Schema.Types.ObjectId, required: true },
  createdByRole: { type: String, enum: COURSE_ROLES, required: true },
  /** Entries are never removed, so the audit trail always points at something. */
  deletedAt: { type: Date, default: null },
  deletedBy: { type: Schema.Types.ObjectId, default: null }
} as const

/** The index every student-record list query uses: one course, one or more students, newest first. */
export const studentRecordIndex = { courseId: 1, studentUserId: 1, deletedAt: 1 } as const
