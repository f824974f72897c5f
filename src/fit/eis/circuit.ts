/**
 * Circuit mini-language (impedance.py style), parsed into a tree and interpreted — never eval'd.
 *
 *   circuit  := series
 *   series   := term ( '-' term )*
 *   term     := element | 'p(' series ( ',' series )+ ')'
 *   element  := SYMBOL INDEX        SYMBOL ∈ {R, C, L, CPE, W, Wo, Ws, ZARC, RQ, G, TLMo, TLMc, LR}, INDEX = [0-9]+
 *
 * Whitespace is ignored. Element ids (`R1`, `CPE2`) must be unique. Parameter names come from the
 * string: single-parameter elements use the id (`R0`, `C1`, `W1`); others append the suffix
 * from the element table (`CPE1_Q`, `CPE1_alpha`, `Wo1_R`, `Wo1_tau`, `ZARC1_tau`, `TLMc1_Rion`).
 */
import { ELEMENTS, ELEMENT_SYMBOLS, type ElementSymbol, isElementSymbol } from './elements.js';
import { CircuitSyntaxError } from './errors.js';

export interface ElementNode {
  readonly kind: 'element';
  readonly symbol: ElementSymbol;
  /** e.g. `CPE1`. */
  readonly id: string;
  /** Index of this element's first parameter in the circuit parameter vector. */
  readonly offset: number;
  /** Character index in the source string. */
  readonly position: number;
}
export interface SeriesNode {
  readonly kind: 'series';
  readonly children: readonly CircuitNode[];
}
export interface ParallelNode {
  readonly kind: 'parallel';
  readonly children: readonly CircuitNode[];
}
export type CircuitNode = ElementNode | SeriesNode | ParallelNode;

export interface CircuitParameter {
  readonly name: string;
  readonly unit: string;
  readonly elementId: string;
  readonly symbol: ElementSymbol;
  /** Position within the element's own parameter list. */
  readonly local: number;
  readonly lower: number;
  readonly upper: number;
}

export interface Circuit {
  readonly source: string;
  readonly root: CircuitNode;
  readonly elements: readonly ElementNode[];
  readonly parameters: readonly CircuitParameter[];
}

/** Parses a circuit string; throws `CircuitSyntaxError` pointing at the offending character. */
export function parseCircuit(source: string): Circuit {
  const elements: ElementNode[] = [];
  const parameters: CircuitParameter[] = [];
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new CircuitSyntaxError(source, at, reason);
  };
  const skipWs = (): void => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  const peek = (): string | undefined => {
    skipWs();
    return source[i];
  };

  const parseSeries = (): CircuitNode => {
    const children: CircuitNode[] = [parseTerm()];
    while (peek() === '-') {
      i++;
      children.push(parseTerm());
    }
    return children.length === 1 ? children[0]! : { kind: 'series', children };
  };

  const parseTerm = (): CircuitNode => {
    const start = (skipWs(), i);
    if (i >= source.length) return fail('expected an element or p(...) but the string ended');
    let letters = '';
    while (i < source.length && /[A-Za-z]/.test(source[i]!)) letters += source[i++];
    if (letters === '') return fail(`expected an element or p(...) but found '${source[i]}'`);
    if (letters === 'p') {
      if (peek() !== '(') return fail("expected '(' after 'p' (parallel block)");
      i++;
      const children: CircuitNode[] = [parseSeries()];
      while (peek() === ',') {
        i++;
        children.push(parseSeries());
      }
      if (peek() !== ')') return fail(i >= source.length ? "missing ')' to close p(" : `expected ',' or ')' but found '${source[i]}'`);
      if (children.length < 2) return fail('a parallel block p(...) needs at least two branches', start);
      i++;
      return { kind: 'parallel', children };
    }
    if (!isElementSymbol(letters)) {
      return fail(`unknown element '${letters}' (known: ${ELEMENT_SYMBOLS.join(', ')})`, start);
    }
    let digits = '';
    while (i < source.length && /[0-9]/.test(source[i]!)) digits += source[i++];
    if (digits === '') return fail(`element '${letters}' needs a numeric index (e.g. '${letters}1')`);
    const id = letters + digits;
    if (elements.some((e) => e.id === id)) return fail(`duplicate element '${id}'`, start);
    const spec = ELEMENTS[letters];
    const node: ElementNode = { kind: 'element', symbol: letters, id, offset: parameters.length, position: start };
    elements.push(node);
    spec.params.forEach((p, local) =>
      parameters.push({
        name: p.suffix ? `${id}_${p.suffix}` : id,
        unit: p.unit,
        elementId: id,
        symbol: letters,
        local,
        lower: p.lower,
        upper: p.upper,
      }),
    );
    return node;
  };

  const root = parseSeries();
  if (peek() !== undefined) fail(`unexpected '${source[i]}' after a complete circuit`);
  return { source, root, elements, parameters };
}

/**
 * A parameter name as a user may write it: the name itself (`CPE1_Q`), or impedance.py's positional
 * form `<element id>_<k>` (`CPE1_0` = CPE1_Q, `Wo1_1` = Wo1_tau, `R1_0` = R1). Undefined when neither.
 */
export function resolveParameterName(c: Circuit, name: string): string | undefined {
  const n = name.trim();
  if (c.parameters.some((p) => p.name === n)) return n;
  const m = /^(.+)_(\d+)$/.exec(n);
  if (!m) return undefined;
  const k = Number(m[2]);
  return c.parameters.find((p) => p.elementId === m[1] && p.local === k)?.name;
}

/** Names of the circuit's parameters, in vector order. */
export const parameterNames = (c: Circuit): string[] => c.parameters.map((p) => p.name);
