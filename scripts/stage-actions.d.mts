// Types of scripts/stage-actions.mjs for the tests that import it.
export interface StageActionSpec {
  workflow: string;
  job: string;
  action: string;
  name: string;
  description: string;
}
export const STAGE_ACTIONS: StageActionSpec[];
export function secretInput(name: string): string;
export function rewriteExpression(expr: string, typed: Set<string>): string;
export function compositeOf(root: string, spec: StageActionSpec): Record<string, unknown>;
export function renderComposite(root: string, spec: StageActionSpec): string;
export function writeStageActions(root: string): string[];
