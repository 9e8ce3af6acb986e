import { useState } from 'react';
import type { SharedFolder } from '../../../../electron/contract/shares';

/** How the running VM sees one folder: the transport it mounted, or that it waits for a restart. */
function MountNote({ path, mounted }: { path: string; mounted: SharedFolder[] }) {
  const m = mounted.find((f) => f.path === path);
  if (!m) return <span className="muted">not mounted until the VM restarts</span>;
  if (m.transport === '9p') return <span className="muted">mounted over 9p, slower than virtiofs: `berth doctor --fix` installs virtiofsd; the log says why it was not used</span>;
  return <span className="muted">mounted over {m.transport}</span>;
}

/**
 * Host folders shared with the VM: add by path, or with the desktop's folder picker in the app; remove. Each
 * entry's problem, from the agent's check, shows at its line; while the VM runs (`mounted`), so does how it is mounted.
 */
export function SharesField({
  shares,
  mounted,
  problemOf,
  onChange,
}: {
  shares: string[];
  /** What the running VM mounted (shares.list's `active`); null when no VM runs. */
  mounted?: SharedFolder[] | null;
  problemOf(field: string): string | undefined;
  onChange(shares: string[]): void;
}) {
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const add = (typed = adding) => {
    const p = typed.trim().replace(/(.)\/+$/, '$1');
    if (!p.startsWith('/')) return setAddError('Type an absolute path, e.g. /home/me/projects.');
    if (shares.includes(p)) return setAddError(`${p} is already in the list.`);
    setAddError(null);
    setAdding('');
    onChange([...shares, p]);
  };
  return (
    <fieldset className="field" aria-label="Shared folders">
      <legend>Shared folders</legend>
      <span className="help">Seen in the VM at the same path, so bind mounts from this computer work unchanged. Checked when you save.</span>
      <ul className="share-list">
        {shares.map((s, i) => (
          <li key={s}>
            <code>{s}</code>{' '}
            <button type="button" className="small" aria-label={`Remove ${s}`} onClick={() => onChange(shares.filter((x) => x !== s))}>
              Remove
            </button>
            {mounted ? (
              <>
                {' '}
                <MountNote path={s} mounted={mounted} />
              </>
            ) : null}
            {problemOf(`shares.${i}`) ? (
              <span className="field-error" role="alert">
                {' '}
                {problemOf(`shares.${i}`)}
              </span>
            ) : null}
          </li>
        ))}
        {shares.length === 0 ? <li className="muted">No folders are shared.</li> : null}
      </ul>
      {problemOf('shares') ? (
        <span className="field-error" role="alert">
          {problemOf('shares')}
        </span>
      ) : null}
      <span className="row">
        <input
          type="text"
          aria-label="Folder to share"
          placeholder="/path/to/folder"
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="small" onClick={() => add()} disabled={!adding.trim()}>
          Add folder
        </button>
        {window.berth ? (
          <button
            type="button"
            className="small"
            onClick={() => void window.berth?.pickFolder({ title: 'Share a folder with the Berth VM' }).then((picked) => picked && add(picked))}
          >
            Choose…
          </button>
        ) : null}
      </span>
      {addError ? (
        <span className="field-error" role="alert">
          {addError}
        </span>
      ) : null}
    </fieldset>
  );
}
