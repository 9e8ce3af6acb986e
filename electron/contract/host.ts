/** Params and results of host.checks: what this host has of Berth's prerequisites (`berth doctor` in the UI). */

export interface HostCheck {
  id: string;
  purpose: 'run' | 'image-build' | 'test';
  usedFor: string;
  ok: boolean;
  /** Where it was found. */
  path: string | null;
  /** The package that provides it with this host's package manager, when there is one. */
  package: string | null;
}

export interface HostChecks {
  checks: HostCheck[];
  /** The one command that installs everything missing, or null when nothing is (or no manager is known). */
  fix: string | null;
}
