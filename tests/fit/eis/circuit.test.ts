import { describe, expect, it } from 'vitest';
import { parseCircuit } from '../../../src/fit/eis/circuit.js';
import { CircuitSyntaxError } from '../../../src/fit/eis/errors.js';

describe('circuit grammar: valid strings → parameter names and units', () => {
  const table: [string, string[], string[]][] = [
    ['R0', ['R0'], ['ohm']],
    ['R0-p(R1,C1)', ['R0', 'R1', 'C1'], ['ohm', 'ohm', 'F']],
    ['R0-p(R1,CPE1)-p(R2,CPE2)', ['R0', 'R1', 'CPE1_Q', 'CPE1_alpha', 'R2', 'CPE2_Q', 'CPE2_alpha'], ['ohm', 'ohm', 'F*s^(a-1)', '1', 'ohm', 'F*s^(a-1)', '1']],
    ['R0-p(R1,C1)-p(R2-Wo1,C2)', ['R0', 'R1', 'C1', 'R2', 'Wo1_R', 'Wo1_tau', 'C2'], ['ohm', 'ohm', 'F', 'ohm', 'ohm', 's', 'F']],
    ['L0-R0-p(R1,CPE1)-W1', ['L0', 'R0', 'R1', 'CPE1_Q', 'CPE1_alpha', 'W1'], ['H', 'ohm', 'ohm', 'F*s^(a-1)', '1', 'ohm*s^-0.5']],
    ['R0-p(R1,p(R2,C2)-C1)', ['R0', 'R1', 'R2', 'C2', 'C1'], ['ohm', 'ohm', 'ohm', 'F', 'F']],
    [' R0 - p( R1 , Ws1 , C1 ) ', ['R0', 'R1', 'Ws1_R', 'Ws1_tau', 'C1'], ['ohm', 'ohm', 'ohm', 's', 'F']],
  ];
  it.each(table)('%s', (src, names, units) => {
    const c = parseCircuit(src);
    expect(c.parameters.map((p) => p.name)).toEqual(names);
    expect(c.parameters.map((p) => p.unit)).toEqual(units);
  });

  it('builds a series/parallel tree', () => {
    const c = parseCircuit('R0-p(R1,C1)');
    expect(c.root.kind).toBe('series');
    if (c.root.kind !== 'series') return;
    expect(c.root.children.map((n) => n.kind)).toEqual(['element', 'parallel']);
  });
});

describe('circuit grammar: errors point at the character and show valid examples', () => {
  const bad: [string, number, RegExp][] = [
    ['R0-p(R1,X1)', 8, /unknown element 'X'/],
    ['R0-p(R1,C1', 10, /missing '\)'/],
    ['R0-p(R1)', 3, /at least two branches/],
    ['R0-', 3, /string ended/],
    ['R-C1', 1, /numeric index/],
    ['R0-p(R1,C1)-R1', 12, /duplicate element 'R1'/],
    ['R0)', 2, /unexpected '\)'/],
    ['R0-pR1', 3, /unknown element 'pR'/],
    ['R0--C1', 3, /found '-'/],
    ['', 0, /string ended/],
  ];
  it.each(bad)('%j', (src, index, reason) => {
    let err: unknown;
    try {
      parseCircuit(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CircuitSyntaxError);
    const e = err as CircuitSyntaxError;
    expect(e.index).toBe(index);
    expect(e.message).toMatch(reason);
    expect(e.message).toContain(`at character ${index}`);
    expect(e.message).toContain("'R0-p(R1,CPE1)-p(R2,CPE2)'");
  });
});
