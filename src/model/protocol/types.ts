/**
 * Typed protocol steps (parsed once from text, STYLE.md §1.5, or built in code) and the per-cycle
 * schedule the solver replays. Sign convention stated once: currents are magnitudes; the step kind says
 * the direction (plate = Li onto the working electrode, strip = Li off it).
 */
export type StopCondition =
  | { readonly kind: 'duration'; readonly seconds: number }
  | { readonly kind: 'capacity'; readonly capacity_mAh_cm2: number }
  | { readonly kind: 'voltage'; readonly voltage_V: number };

export type Step =
  | { readonly kind: 'rest'; readonly seconds: number; readonly text?: string }
  | { readonly kind: 'plate'; readonly current_mA_cm2: number; readonly until: StopCondition; readonly text?: string }
  | { readonly kind: 'strip'; readonly current_mA_cm2: number; readonly until: StopCondition; readonly text?: string }
  | { readonly kind: 'repeat'; readonly times: number; readonly text?: string };

/** One plate/strip cycle as the solver sees it. */
export interface CycleSchedule {
  /** OCV rest before plating (h). */
  readonly restBefore_h: number;
  readonly plateCurrent_mA_cm2: number;
  readonly plateCapacity_mAh_cm2: number;
  /** OCV rest between plating and stripping (h): the calendar-ageing rest of Boyle / Adams. */
  readonly restAfterPlate_h: number;
  readonly stripCurrent_mA_cm2: number;
  /** 'voltage': strip all that is strippable (to the cut-off); 'capacity': strip a fixed charge. */
  readonly stripMode: 'voltage' | 'capacity';
  /** Fixed strip charge when stripMode = 'capacity'. */
  readonly stripCapacity_mAh_cm2: number;
}

export interface Protocol {
  /** Steps as written (repeats not expanded). Empty when built from a cycler table. */
  readonly steps: readonly Step[];
  readonly cycles: readonly CycleSchedule[];
  readonly source: 'text' | 'cycler-table' | 'code';
}
