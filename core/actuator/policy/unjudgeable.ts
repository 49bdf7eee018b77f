// The one error the syntax-tree walk throws: the text cannot be judged (an expansion, an unknown construct, an error).

/** Thrown while reading a syntax tree when what would run cannot be known; caught by the judge and reported. */
export class Unjudgeable extends Error {}

export function unjudgeable(reason: string): never {
  throw new Unjudgeable(reason);
}
