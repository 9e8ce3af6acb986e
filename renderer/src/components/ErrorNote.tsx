/** An error as the agent reported it: what happened, and the hint on what to do. */
export function ErrorNote({ error, onDismiss }: { error: { message: string; hint?: string } | null | undefined; onDismiss?(): void }) {
  if (!error) return null;
  return (
    <div className="error-note" role="alert">
      <span>{error.message}</span>
      {error.hint ? <span className="hint"> {error.hint}</span> : null}
      {onDismiss ? (
        <button type="button" className="icon" aria-label="Dismiss error" onClick={onDismiss}>
          ×
        </button>
      ) : null}
    </div>
  );
}
