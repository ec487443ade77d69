/**
 * Every identifier as the domain sees it: the entity's id as text (24 hex characters for stored entities).
 * Persistence converts to and from the database's own id type at its edge, so no domain module depends on it.
 */
export type Id = string

/** Two ids name the same entity. */
export const sameId = (a: Id, b: Id): boolean => a === b
