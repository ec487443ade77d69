/** Sentinels of SeatLedger.assigned besides a list entry. */
export const NOT_INSERTED = -2
export const PARKED = -1

/**
 * Who sits where during best fit: each mentor's seated students in a slice of one shared
 * seat array (swap-removal keeps it dense), plus the students parked unplaced.
 */
export class SeatLedger {
  /** Chosen entry per student, PARKED or NOT_INSERTED. */
  readonly assigned: Int32Array
  readonly seatStart: Int32Array
  readonly load: Int32Array
  readonly holderEntry: Int32Array
  readonly holderStudent: Int32Array
  readonly parked: Int32Array
  parkedCount = 0
  /** Position of each seated student in the holder arrays, or in `parked`. */
  private readonly slotOf: Int32Array

  constructor (students: number, capacity: Int32Array, private readonly entryMentor: Int32Array) {
    const mentors = capacity.length
    this.seatStart = new Int32Array(mentors + 1)
    for (let m = 0; m < mentors; m++) this.seatStart[m + 1] = this.seatStart[m]! + Math.max(0, capacity[m]!)
    const seats = this.seatStart[mentors]!
    this.load = new Int32Array(mentors)
    this.holderEntry = new Int32Array(seats)
    this.holderStudent = new Int32Array(seats)
    this.assigned = new Int32Array(students).fill(NOT_INSERTED)
    this.slotOf = new Int32Array(students)
    this.parked = new Int32Array(students)
  }

  hasFreeSeat (m: number): boolean {
    return this.seatStart[m]! + this.load[m]! < this.seatStart[m + 1]!
  }

  /** Takes a student out of its seat or the park; returns its mentor, PARKED or NOT_INSERTED. */
  leave (s: number): number {
    const current = this.assigned[s]!
    if (current === NOT_INSERTED) return NOT_INSERTED
    const slot = this.slotOf[s]!
    if (current === PARKED) {
      const last = this.parked[--this.parkedCount]!
      this.parked[slot] = last
      this.slotOf[last] = slot
      return PARKED
    }
    const m = this.entryMentor[current]!
    const lastSlot = this.seatStart[m]! + --this.load[m]!
    const last = this.holderStudent[lastSlot]!
    this.holderStudent[slot] = last
    this.holderEntry[slot] = this.holderEntry[lastSlot]!
    this.slotOf[last] = slot
    return m
  }

  /** Seats a student through list entry e. */
  seat (s: number, e: number): void {
    const m = this.entryMentor[e]!
    const slot = this.seatStart[m]! + this.load[m]!++
    this.holderStudent[slot] = s
    this.holderEntry[slot] = e
    this.slotOf[s] = slot
    this.assigned[s] = e
  }

  park (s: number): void {
    this.slotOf[s] = this.parkedCount
    this.parked[this.parkedCount++] = s
    this.assigned[s] = PARKED
  }
}
