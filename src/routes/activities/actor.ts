import type { Auth } from '../../auth/require-session'
import type { Actor } from '../../domain/activities/access'
import type { Id } from '../../domain/ids'
import { courseZoneOf, termOf } from '../../domain/term/term'

/** Who is asking, as the activity services take it: the signed-in launch plus the course's term. */
export const actorOf = ({ course, user, role, zone }: Auth): Actor => ({ courseId: String(course._id), userId: String(user._id), role, term: termOf(course), zone: courseZoneOf(course) ?? zone.zone })

/** The pool a course's mentors come from, if it has one yet. */
export const poolIdOf = ({ course }: Auth): Id | null => course.poolId ? String(course.poolId) : null

/** The zone a mentor's offered times are on unless they name one: their own (which is the course's when nothing tells theirs). */
export const defaultZoneOf = (auth: Auth): string => auth.zone.zone
