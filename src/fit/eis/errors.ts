/** Typed errors of the EIS fitting code. Messages state what was expected and what was found. */

export const VALID_CIRCUIT_EXAMPLES: readonly string[] = [
  'R0-p(R1,C1)',
  'R0-p(R1,CPE1)-p(R2,CPE2)',
  'R0-p(R1-Wo1,C1)',
  'L0-R0-p(R1,CPE1)-p(R2-W1,CPE2)',
  'R0-p(R1,p(R2,C2)-C1)',
];

/** The circuit string does not follow the grammar; `index` is the 0-based character position. */
export class CircuitSyntaxError extends Error {
  override readonly name = 'CircuitSyntaxError';
  constructor(
    readonly circuit: string,
    readonly index: number,
    readonly reason: string,
  ) {
    super(
      `${reason} at character ${index} of circuit string\n  ${circuit}\n  ${' '.repeat(index)}^\n` +
        `valid examples: ${VALID_CIRCUIT_EXAMPLES.map((e) => `'${e}'`).join(', ')}`,
    );
  }
}

/** Spectrum arrays unusable for fitting (length, NaN, non-positive or non-monotonic frequencies). */
export class EisInputError extends Error {
  override readonly name = 'EisInputError';
  constructor(
    /** Stable machine code: `too-few-points`, `length-mismatch`, `non-finite`, `non-positive-frequency`, `unsorted-frequency`, `repeated-frequency`. */
    readonly code: string,
    message: string,
    /** Index of the offending point, when one is to blame. */
    readonly pointIndex?: number,
  ) {
    super(message);
  }
}

/** Options that cannot be honoured (unknown parameter name, inverted bounds, guess outside bounds …). */
export class EisOptionsError extends Error {
  override readonly name = 'EisOptionsError';
}
