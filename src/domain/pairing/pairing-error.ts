/** Thrown for inputs that cannot be paired as given (conflicting constraints, unknown ids...). */
export class PairingInputError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'PairingInputError'
  }
}
