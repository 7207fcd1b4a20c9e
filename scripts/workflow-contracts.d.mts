// Types of workflow-contracts.mjs for the CLI (cli/check.ts), which imports it.
export interface InputContract {
  /** workflow_call inputs only: string, boolean or number. */
  type?: string;
  required: boolean;
  default?: unknown;
}
export interface WorkflowContract {
  inputs: Record<string, InputContract>;
  secrets: Record<string, { required: boolean }>;
}
export interface Contracts {
  workflows: Record<string, WorkflowContract>;
  actions: Record<string, { inputs: Record<string, InputContract> }>;
}
export const CONTRACTS_FILE: string;
export function workflowContract(workflow: unknown): WorkflowContract | undefined;
export function readContracts(root: string): Contracts;
