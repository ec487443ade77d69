import type { Auth } from '../../auth/require-session'
import type { PoolCourse } from '../../domain/pools/ports'

const poolCourses = new WeakMap<Auth, PoolCourse>()

/** The signed-in course as the pool code takes it: one object per request, so the pool it finds is remembered. */
export function poolCourseOf (auth: Auth): PoolCourse {
  const known = poolCourses.get(auth)
  if (known) return known
  const { _id, issuer, clientId, deploymentId, title, poolId } = auth.course
  const course = { id: String(_id), issuer, clientId, deploymentId, title, poolId: poolId ? String(poolId) : null }
  poolCourses.set(auth, course)
  return course
}
