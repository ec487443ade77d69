import { z } from 'zod'
import { IdText } from '../domain/activities/record-fields'

/**
 * A MongoDB id in its 24-hex-digit text form. The domain's record fields already define it; routes and auth share
 * that one definition under a name that does not tie them to activities.
 */
export const objectIdString = IdText
