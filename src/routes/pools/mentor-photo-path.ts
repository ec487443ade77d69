/** Where a mentor's photo is served; the time it was set in the address, so a new photo is never an old one from cache. */
export const mentorPhotoPath = (mentorId: string, photoAt: Date): string => `/mentor-photos/${mentorId}?v=${photoAt.getTime()}`
