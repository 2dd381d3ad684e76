import type { VNode } from 'preact';
import type { Department, Me } from '../../shared/wire-types';
import type { TestConnectionResult } from '../../utils/messaging/protocol';
import { tx } from '../sidebar/isolate';
import { t } from '../sidebar/t';

export function departmentName(department: Department): string {
  return t(`department_${department}`);
}

/** "Signed in as Dana Reyes (Sales) · Northwind Demo": the names are the hub's, each isolated. */
export function signedInAs(me: Me): VNode {
  return tx('options_signed_in', me.member.name, departmentName(me.member.department), me.team.name);
}

export function testOutcome(result: TestConnectionResult): VNode {
  return result.ok ? signedInAs(result.me) : tx('options_test_failed', result.reason.message);
}
