import type { Language, Visibility } from '@squirrelbin/schemas';
import { useId } from 'react';
import type { DraftErrors, DraftFields } from '../draft';

const visibilityHelp: Record<Visibility, string> = {
  public: 'Listed on Explore; anyone can open it.',
  unlisted: 'Not listed; anyone with the link can open it.',
  private: 'Only you can open it.',
};

export interface AcornFieldsProps {
  draft: DraftFields;
  errors: DraftErrors;
  readOnly?: boolean;
  onChange: <K extends keyof DraftFields>(name: K, value: DraftFields[K]) => void;
}

/** Title, description, language and visibility of an acorn. */
export function AcornFields({ draft, errors, readOnly = false, onChange }: AcornFieldsProps) {
  const id = useId();
  return (
    <div className="acorn-fields">
      <div className="field field-title">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          value={draft.title}
          maxLength={200}
          readOnly={readOnly}
          onChange={(event) => onChange('title', event.target.value)}
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${id}-title-error` : undefined}
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
      <div className="field field-description">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={2}
          value={draft.description}
          readOnly={readOnly}
          onChange={(event) => onChange('description', event.target.value)}
          aria-invalid={errors.description ? true : undefined}
          data-testid="acorn-description"
        />
        {errors.description ? <p className="field-error">{errors.description}</p> : null}
      </div>
    </div>
  );
}
