const students = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** The Pairing page's confirmations, by the key its forms redirect with. */
export const PAIRING_NOTICES = {
  settings: 'Settings saved and pairing re-run.',
  run: 'Pairing run. Review the proposal below.',
  adjusted: 'Adjusted and re-run. What changed is shown above the proposed pairs; you can undo it.',
  undone: 'Undone: the pairing is back as it was before your last adjustment.',
  reminded: (n: number) => `Reminder sent to ${students(n, 'student', 'students')}: by email to those with an address, and on everyone's Notifications page (see History). Until the pairing is published, their home page also asks them to fill in their intake.`,
  placed: (n: number) => `Paired ${students(n, 'student who had', 'students who had')} no mentor; nobody already paired moved. They are listed under Changes since publication.`,
  noneMore: 'Nobody more could be paired: no mentor with a free seat suits the students still without one. Add mentors or seats in the Mentor pool, then try again.',
  allPaired: 'Every student already has a mentor.',
  published: (n: number) => n === 0
    ? 'Published with nobody paired. Students enrolled or launching later are paired automatically once mentors have seats.'
    : `Published: ${students(n, 'student now sees their', 'students now see their')} mentor.`,
  moved: 'Moved. The student and both mentors see the change now, and the history below keeps the reason.',
  swapped: 'Swapped. Both students and their mentors see the change now, and the history below keeps the reason.',
  repairPreviewed: (n: number) => n === 0 ? 'Re-pair previewed: it would change nobody\'s mentor.' : `Re-pair previewed: it would change the mentor of ${students(n, 'student', 'students')}. Review them below before you apply it.`,
  republished: (n: number) => `Re-pair applied: ${students(n, 'student has', 'students have')} a new mentor (or none), each recorded in the history with your reason.`,
  unpublished: (n: number) => `The pairing is back to preview: ${students(n, 'student no longer sees their', 'students no longer see their')} mentor. Adjust it and publish again when ready.`,
  accepted: 'Request accepted: the student was moved, and the person who asked sees your note.',
  declined: 'Request declined: the person who asked sees your note.'
}
