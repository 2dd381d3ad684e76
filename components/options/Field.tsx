import type { ComponentChildren } from 'preact';
import { t } from '../sidebar/t';

/** A labelled control; managed fields say who set them, so a disabled input is never a mystery. */
export function Field(props: { id: string; label: string; managed?: boolean; children: ComponentChildren; hint?: ComponentChildren | null }) {
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.managed ? (
        <p class="managed" id={hintId}>
          {t('options_managed')}
        </p>
      ) : props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
