import type { Auth } from '../../auth/require-session'
import type { Actor } from '../../domain/activities/access'
import type { Id } from '../../domain/ids'
import { isTimeZone } from '../../domain/booking/wall-time'
import { termOf } from '../../domain/term/term'

/** Who is asking, as the activity services take it: the signed-in launch plus the course's term. */
export const actorOf = ({ course, user, role }: Auth): Actor => ({ courseId: String(course._id), userId: String(user._id), role, term: termOf(course) })

/** The pool a course's mentors come from, if it has one yet. */
export const poolIdOf = ({ course }: Auth): Id | null => course.poolId ? String(course.poolId) : null

/** The zone a mentor's times are on unless they name one: the course's, when it has one, else UTC. */
export function courseZoneOf ({ course }: Auth): string {
  const zone = (course as { timeZone?: unknown }).timeZone
  return typeof zone === 'string' && isTimeZone(zone) ? zone : 'UTC'
}
