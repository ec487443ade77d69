/** Small rules that are quick to complete: 2 verified sessions (60 points) and a reflection (40 points). */
export const QUICK_RULES = {
  requirements: {
    sessions: { need: 2, points: 60 },
    coaching: { need: 0, points: 0 },
    meetings: { need: 0, points: 0 },
    fieldTrips: { need: 0, points: 0 },
    shortGoals: { need: 0, points: 0 },
    longGoals: { need: 0, points: 0 },
    reflections: { need: 1, points: 40 }
  },
  partialCredit: true,
  runningScores: 'shown'
}
