import { fieldLimits, type Language, type Visibility } from '@squirrelbin/schemas';
import { type Ref, useId, useImperativeHandle, useRef } from 'react';
import type { DraftErrors, DraftFields } from '../draft';

const visibilityHelp: Record<Visibility, string> = {
  public: 'Listed on Explore; anyone can open it.',
  unlisted: 'Not listed; anyone with the link can open it.',
  private: 'Only you can open it.',
};

export interface AcornFieldsHandle {
  focus(field: 'title' | 'description'): void;
}

export interface AcornFieldsProps {
  draft: DraftFields;
  errors: DraftErrors;
  readOnly?: boolean;
  onChange: <K extends keyof DraftFields>(name: K, value: DraftFields[K]) => void;
  ref?: Ref<AcornFieldsHandle>;
}

/** Title, description, language, visibility and whether it is served as an endpoint. */
export function AcornFields({ draft, errors, readOnly = false, onChange, ref }: AcornFieldsProps) {
  const id = useId();
  const title = useRef<HTMLInputElement>(null);
  const description = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => ({
    focus: (field) => (field === 'title' ? title.current : description.current)?.focus(),
  }));
  const titleLength = draft.title.trim().length;
  return (
    <div className="acorn-fields">
      <div className="field field-title">
        <div className="label-row">
          <label htmlFor={`${id}-title`}>Title</label>
          {/* No maxLength: a long paste is kept whole and the counter says how much to cut. */}
          <span
            id={`${id}-title-count`}
            className={titleLength > fieldLimits.titleMax ? 'counter over' : 'counter muted'}
            data-testid="title-counter"
          >
            {titleLength}/{fieldLimits.titleMax}
          </span>
        </div>
        <input
          ref={title}
          id={`${id}-title`}
          value={draft.title}
          readOnly={readOnly}
          onChange={(event) => onChange('title', event.target.value)}
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${id}-title-error ${id}-title-count` : `${id}-title-count`}
          data-testid="acorn-title"
        />
        {errors.title ? (
          <p id={`${id}-title-error`} className="field-error">
            {errors.title}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-language`}>Language</label>
        <select
          id={`${id}-language`}
          value={draft.language}
          disabled={readOnly}
          onChange={(event) => onChange('language', event.target.value as Language)}
          data-testid="acorn-language"
        >
          <option value="javascript">JavaScript</option>
          <option value="typescript">TypeScript</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-visibility`}>Visibility</label>
        <select
          id={`${id}-visibility`}
          value={draft.visibility}
          disabled={readOnly}
          onChange={(event) => onChange('visibility', event.target.value as Visibility)}
          aria-describedby={`${id}-visibility-help`}
          data-testid="acorn-visibility"
        >
          <option value="public">Public</option>
          <option value="unlisted">Unlisted</option>
          <option value="private">Private</option>
        </select>
        <p id={`${id}-visibility-help`} className="muted small">
          {visibilityHelp[draft.visibility]}
        </p>
      </div>
      <div className="field field-endpoint">
        <label htmlFor={`${id}-endpoint`}>Endpoint</label>
        <span className="switch">
          <input
            id={`${id}-endpoint`}
            type="checkbox"
            role="switch"
            checked={draft.endpoint}
            aria-checked={draft.endpoint}
            disabled={readOnly}
            onChange={(event) => onChange('endpoint', event.target.checked)}
            aria-describedby={`${id}-endpoint-help`}
            data-testid="acorn-endpoint"
          />
          <span aria-hidden="true">{draft.endpoint ? 'On' : 'Off'}</span>
        </span>
        <p id={`${id}-endpoint-help`} className="muted small">
          {!draft.endpoint
            ? 'Not served over HTTP.'
            : draft.visibility === 'private'
              ? 'Not served while private.'
              : 'Served at /x/{id}: see Endpoint, below the code.'}
        </p>
      </div>
      <div className="field field-description">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          ref={description}
          id={`${id}-description`}
          rows={2}
          value={draft.description}
          readOnly={readOnly}
          onChange={(event) => onChange('description', event.target.value)}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? `${id}-description-error` : undefined}
          data-testid="acorn-description"
        />
        {errors.description ? (
          <p id={`${id}-description-error`} className="field-error">
            {errors.description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
