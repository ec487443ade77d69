import type { RsvpState } from '../../domain/activities/vocabulary'

/** How an organiser or a mentor reads a student's answer to a field trip. */
export const answerLabel = (answer: RsvpState | undefined, place: number | null): string =>
  answer === 'yes' ? 'Coming' : answer === 'no' ? 'Not coming' : answer === 'waiting' ? `On the waitlist (number ${place ?? '?'})` : 'No answer'
