export interface Layer {
  readonly name: string;
  readonly doc: string;
  readonly paths: readonly string[];
  readonly except?: readonly string[];
}
export interface Violation {
  readonly from: string;
  readonly to: string;
  readonly fromLayer: string;
  readonly toLayer: string;
}
export const LAYERS: readonly Layer[];
export function layerOf(file: string, layers?: readonly Layer[]): number;
export function importsOf(file: string, text: string): string[];
export function violations(files: ReadonlyMap<string, string>, layers?: readonly Layer[]): Violation[];
export function readTree(root: string, dirs?: readonly string[]): Map<string, string>;
export function sqlOutsideStore(files: ReadonlyMap<string, string>): { file: string; line: number; text: string }[];
