/**
 * Neumaier (improved Kahan) summation. Metric means run over hundreds of thousands of rows whose
 * terms differ by orders of magnitude (log loss of a near-certain hit vs a clipped miss); a naive
 * running sum would lose the small terms, and the reference fixtures are checked to 1e-12.
 */
export class CompensatedSum {
  #sum = 0;
  #compensation = 0;

  /** Adds one term. */
  add(term: number): void {
    const total = this.#sum + term;
    // Whichever operand is larger in magnitude keeps its bits; recover the ones the other lost.
    if (Math.abs(this.#sum) >= Math.abs(term)) this.#compensation += this.#sum - total + term;
    else this.#compensation += term - total + this.#sum;
    this.#sum = total;
  }

  /** The compensated total of everything added so far. */
  get value(): number {
    return this.#sum + this.#compensation;
  }

  /** Starts again from zero so one accumulator can be reused without allocating. */
  reset(): void {
    this.#sum = 0;
    this.#compensation = 0;
  }
}
