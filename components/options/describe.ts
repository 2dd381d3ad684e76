import type { Department, Me } from '../../shared/wire-types';
import type { TestConnectionResult } from '../../utils/messaging/protocol';
import { t } from '../sidebar/t';

export function departmentName(department: Department): string {
  return t(`department_${department}`);
}

/** "Signed in as Dana Reyes (Sales) · Northwind Demo" */
export function signedInAs(me: Me): string {
  return t('options_signed_in', me.member.name, departmentName(me.member.department), me.team.name);
}

export function testOutcome(result: TestConnectionResult): string {
  return result.ok ? signedInAs(result.me) : t('options_test_failed', result.reason.message);
}
