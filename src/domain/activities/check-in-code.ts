import { randomInt } from 'node:crypto'

/** No 0/O, 1/I/L or 5/S: codes are read off a screen at the event and typed on a phone. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRTUVWXYZ2346789'
export const CODE_LENGTH = 6

export function randomCheckInCode (): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return code
}
