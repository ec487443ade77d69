import type { CompletionCounts } from './requirements'

/**
 * The port completion reads the mentoring record through: per student (user id as text), the counts of what
 * completion can require. Without `studentUserIds`, every active student of the course. Students with nothing
 * recorded may be missing from the map; callers treat them as all zeros.
 */
export type ProgressSource = (courseId: string, studentUserIds?: readonly string[]) => Promise<Map<string, CompletionCounts>>
