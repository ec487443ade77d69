import type { AuditTrail } from '../activities/ports'
import type { Id } from '../ids'
import type { Milestone } from './term'

/** The instructor's own term settings; a date the LMS supplies is left out. */
/** `timeZone`: the course's zone, in which people without a zone of their own see times. */
export interface StoredTerm { start?: string, end?: string, timeZone?: string, milestones: Milestone[] }

/** Where the instructor's term settings are kept (on the course). */
export interface TermRepository { save: (courseId: Id, term: StoredTerm) => Promise<void> }

export interface TermServiceDeps { terms: TermRepository, audit: AuditTrail }
