import { hostChecks } from '../../host/check';
import { defaultPurposes } from '../../host/prerequisites';
import type { BerthRouter } from '../context';

/** host.*: the host's prerequisites, as `berth doctor` checks them. */
export function registerHostHandlers(router: BerthRouter): void {
  router.call('host.checks', async () => hostChecks(defaultPurposes(process.platform)));
}
