import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../shared/wire-types';
import { tx } from '../sidebar/isolate';
import { statusLabel } from './format';

interface Props {
  /** Unique within the page: names the radio group (radios group by name). */
  groupId: string;
  personName: string;
  value: AttendanceStatus | null;
  disabled?: boolean;
  onChange(status: AttendanceStatus): void;
}

/**
 * One person's attendance as a row of segmented buttons that are native radios: one click sets it, Tab
 * reaches the group and the arrow keys move within it, and a screen reader hears "Attendance of Jane Doe,
 * Attended, radio button, 1 of 4". Nothing is checked while the status is unknown.
 */
export function StatusChoice({ groupId, personName, value, disabled, onChange }: Props) {
  return (
    <fieldset class="status-choice" data-liaison="status-choice" disabled={disabled}>
      <legend class="visually-hidden">{tx('attendance_group_label', personName)}</legend>
      {ATTENDANCE_STATUSES.map((status) => (
        <label key={status} class={`status-choice__option status-choice__option--${status}`}>
          <input
            type="radio"
            name={groupId}
            value={status}
            checked={value === status}
            onChange={() => onChange(status)}
          />
          <span>{statusLabel(status)}</span>
        </label>
      ))}
    </fieldset>
  );
}
