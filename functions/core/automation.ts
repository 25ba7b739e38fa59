// The automation policy, as in Defender: per category, `full` remediates malicious evidence
// without approval, `semi` asks an operator for everything, `none` only investigates.
import * as z from 'zod';
import type { Verdict } from './model.js';

export const AutomationLevel = z.enum(['full', 'semi', 'none']);
export type AutomationLevel = z.infer<typeof AutomationLevel>;

/** `automatic`: approved by "Automation"; `operator`: waits for a decision; `notProposed`: no action. */
export type Approval = 'automatic' | 'operator' | 'notProposed';

export const AUTOMATION_ACTOR = 'Automation';

export function approvalFor(level: AutomationLevel, verdict: Verdict): Approval {
  if (level === 'none') return 'notProposed';
  if (level === 'full' && verdict === 'malicious') return 'automatic';
  return 'operator';
}
