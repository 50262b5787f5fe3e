/** The CLI's exit codes, documented in the README. */
export const EXIT = {
  pass: 0,
  constraintFailed: 1,
  usage: 2,
  infrastructure: 3,
  invalid: 4,
  interrupted: 130,
} as const;
