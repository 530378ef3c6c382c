/** Words of the act's vocabulary that the text catalogue names too: no imports, so both may use them. */

/** Pieces (whole numbers), metres, litres, kilograms (up to 3 decimals). */
export type PartUnit = 'pcs' | 'm' | 'l' | 'kg';
export const PART_UNITS: PartUnit[] = ['pcs', 'm', 'l', 'kg'];

/** What went wrong after the parts were shipped (POST /acts/:id/mismatch). */
export type ProblemReason = 'wrong_part' | 'incomplete' | 'damaged' | 'other_unit_failed' | 'other';
export const PROBLEM_REASONS: ProblemReason[] = ['wrong_part', 'incomplete', 'damaged', 'other_unit_failed', 'other'];

export interface ActProblem {
  reason: ProblemReason;
  text: string;
  at: string;
}

/** Why a case is not warranty (GET /reason-codes). */
export type ReasonCode = 'mechanical_damage' | 'improper_use' | 'overload' | 'no_documents' | 'out_of_warranty' | 'not_a_defect' | 'other';
export const REASON_CODES: ReasonCode[] = [
  'mechanical_damage',
  'improper_use',
  'overload',
  'no_documents',
  'out_of_warranty',
  'not_a_defect',
  'other',
];
