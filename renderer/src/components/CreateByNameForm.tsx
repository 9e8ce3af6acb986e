import { useState } from 'react';

interface Props {
  /** What is created, in words: "volume", "network". */
  noun: string;
  disabled: boolean;
  busy: boolean;
  /** Resolves to whether it worked; the field is cleared only then, so a refused name can be corrected. */
  create(name: string): Promise<boolean>;
  /** Checks the name as the agent will (the contract's schema): its message, or null when it is fine. */
  validate?(name: string): string | null;
}

/** The header form of the Volumes and Networks views: a name and a Create button. */
export function CreateByNameForm({ noun, disabled, busy, create, validate }: Props) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const trimmed = name.trim();
  const errorId = `new-${noun}-error`;
  return (
    <form
      className="create-by-name"
      onSubmit={(e) => {
        e.preventDefault();
        if (!trimmed) return;
        const bad = validate?.(trimmed) ?? null;
        setProblem(bad);
        if (!bad) void create(trimmed).then((ok) => ok && setName(''));
      }}
    >
      <input
        aria-label={`New ${noun} name`}
        placeholder={`new-${noun}`}
        value={name}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setProblem(null);
        }}
      />{' '}
      <button type="submit" disabled={disabled || !trimmed || busy}>
        Create {noun}
      </button>
      {problem ? (
        <span className="field-error" id={errorId} role="alert">
          {problem[0].toUpperCase() + problem.slice(1)}.
        </span>
      ) : null}
    </form>
  );
}
