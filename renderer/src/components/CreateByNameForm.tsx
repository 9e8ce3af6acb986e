import { useState } from 'react';

interface Props {
  /** What is created, in words: "volume", "network". */
  noun: string;
  disabled: boolean;
  busy: boolean;
  /** Resolves to whether it worked; the field is cleared only then, so a refused name can be corrected. */
  create(name: string): Promise<boolean>;
}

/** The header form of the Volumes and Networks views: a name and a Create button. */
export function CreateByNameForm({ noun, disabled, busy, create }: Props) {
  const [name, setName] = useState('');
  const trimmed = name.trim();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (trimmed) void create(trimmed).then((ok) => ok && setName(''));
      }}
    >
      <input aria-label={`New ${noun} name`} placeholder={`new-${noun}`} value={name} onChange={(e) => setName(e.target.value)} />{' '}
      <button type="submit" disabled={disabled || !trimmed || busy}>
        Create {noun}
      </button>
    </form>
  );
}
