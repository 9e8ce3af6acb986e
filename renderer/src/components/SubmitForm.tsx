import type { ReactNode } from 'react';

/** A form whose submit (Enter or the submit button) runs `onSubmit` without a page load. */
export function SubmitForm({ onSubmit, children }: { onSubmit(): void; children: ReactNode }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
