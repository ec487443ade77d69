import type { Simulator } from '@mentorlink/simulator'

export async function eventually (check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A student enrols in the LMS course (after the pairing was published, in these tests). */
export function enrolStudent (sim: Simulator, courseId: string, id: string): void {
  sim.addUser({ id, name: `Student ${id}`, givenName: 'Student', familyName: id, email: `${id}@example.edu` })
  sim.state.courses.get(courseId)?.members.push({ userId: id, roles: ['Learner'], status: 'Active' })
}
