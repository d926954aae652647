import { isingEnergy, type SquareMatrix } from "@nqp/core";

/**
 * −½ sᵀJs for the spins of one agent's positions (x < 0 reads −1, else +1, as core's agentSpins): what every back
 * end measures on its device, here through core's isingEnergy in double precision (the `ts` back end, the tests).
 */
export function sbEnergy(J: SquareMatrix, x: ArrayLike<number>, offset = 0): number {
  const spins = new Int8Array(J.n);
  for (let i = 0; i < J.n; i++) spins[i] = x[offset + i] < 0 ? -1 : 1;
  return isingEnergy({ kind: "ising", n: J.n, J, h: new Float64Array(J.n), offset: 0 }, spins);
}
