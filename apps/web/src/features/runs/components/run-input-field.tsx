import { type Ref, useId } from 'react';

export type ParsedInput = { ok: true; value: unknown } | { ok: false; message: string };

/** Empty means no input; anything else must be JSON. */
export function parseRunInput(text: string): ParsedInput {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Input is not valid JSON: ${(error as Error).message}` };
  }
}

export function RunInputField({
  value,
  onChange,
  error,
  ref,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  ref?: Ref<HTMLTextAreaElement>;
}) {
  const id = useId();
  return (
    <div className="field run-input">
      <label htmlFor={id}>Input (JSON, optional)</label>
      <textarea
        ref={ref}
        id={id}
        className="mono"
        rows={2}
        value={value}
        spellCheck={false}
        placeholder='e.g. {"name": "Squirrel"}'
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid="run-input"
      />
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
