/** Small shared pieces: a page heading that takes focus, status lines, a copyable value, department names. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { DEPARTMENTS, ROLES, type Department, type Role } from '../../shared/wire-types';
import { t, type Key } from './i18n';

/** Each page's h1: the document title follows it, and focus moves to it so a screen reader announces the page. */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · Liaison`;
    ref.current?.focus();
  }, [children]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Status({ text, error }: { text: string | null; error?: boolean }) {
  return (
    <p role={error ? 'alert' : 'status'} class={error ? 'status problem' : 'status'}>
      {text ?? ''}
    </p>
  );
}

export function Copyable({ id, label, value }: { id: string; label: string; value: string }) {
  const [done, setDone] = useState(false);
  return (
    <div class="field copyable">
      <label for={id}>{label}</label>
      <div class="row">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => undefined);
            setDone(true);
          }}
        >
          {t('copy')}
        </button>
      </div>
      <p role="status" class="hint">
        {done ? t('copied') : ''}
      </p>
    </div>
  );
}

export const departmentName = (d: Department) => t(`department_${d}` as Key);
export const roleName = (r: Role) => t(`role_${r}` as Key);

export function DepartmentSelect(props: { id: string; value: Department; onChange(d: Department): void; label?: string; disabled?: boolean }) {
  return (
    <select id={props.id} value={props.value} aria-label={props.label} disabled={props.disabled} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as Department)}>
      {DEPARTMENTS.map((d) => (
        <option value={d}>{departmentName(d)}</option>
      ))}
    </select>
  );
}

export function RoleSelect(props: { id: string; value: Role; onChange(r: Role): void; label?: string; disabled?: boolean }) {
  return (
    <select id={props.id} value={props.value} aria-label={props.label} disabled={props.disabled} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as Role)}>
      {ROLES.map((r) => (
        <option value={r}>{roleName(r)}</option>
      ))}
    </select>
  );
}

export function Field({ id, label, children, hint }: { id: string; label: string; children: ComponentChildren; hint?: string | null }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? <p class="hint">{hint}</p> : null}
    </div>
  );
}

export const lines = (text: string) => [...new Set(text.split(/[\n,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))];
export const errorText = (e: unknown) => t('error_generic', e instanceof Error ? e.message : String(e));
