// `colima-k8s profile list|set|remove|use`: settings only, no VM is touched
// (except `remove --delete-vm`, which deletes the profile's app-started VM).
import { AppError } from '../core/errors.js';
import { defaultProfileFor } from '../core/profiles/schema.js';
import { formatFieldErrors, validateProfile } from '../core/profiles/validate.js';
import type { CoreServices } from '../core/services.js';
import type { Command } from './args.js';
import { InputError, requireKnownProfile } from './input.js';
import { watchInterrupt } from './interrupt.js';
import { formatProfiles, profilesJson } from './output.js';
import type { CliIo } from './io.js';

export async function runProfileCommand(
  command: Extract<Command, { kind: 'profile-list' | 'profile-set' | 'profile-remove' | 'profile-use' }>,
  services: CoreServices,
  io: CliIo,
): Promise<number> {
  const { store, controller, ledger } = services;
  switch (command.kind) {
    case 'profile-list': {
      const profiles = store.list();
      io.stdout(command.json ? profilesJson(profiles, store.activeProfile()) : formatProfiles(profiles, store.activeProfile()));
      return 0;
    }
    case 'profile-set': {
      const existing = store.get(command.name);
      const base = existing ?? { ...defaultProfileFor(store.host), name: command.name };
      const wanted = { ...base, ...command.changes, name: command.name };
      // Checked here too, so the message is only the fields' own words (exit 2), e.g. "CPUs: 64 is more than this machine has (8); use 1–8."
      const checked = validateProfile(wanted, store.host);
      if (!checked.ok) throw new InputError(formatFieldErrors(checked.errors));
      const saved = controller.saveProfile(wanted, existing ? command.name : undefined);
      io.stdout(`${existing ? 'Updated' : 'Created'} profile ${saved.name}.\n`);
      if (existing && ledger.get(saved.name)) {
        io.stderr(`${saved.name} has a VM; the new settings apply when it next starts from stopped (colima-k8s stop ${saved.name}, then start).\n`);
      }
      return 0;
    }
    case 'profile-remove': {
      // A profile set aside as unusable (profiles/settings-warnings.ts) is removed from the file as it stands.
      if (!store.get(command.name) && store.warnings().some((w) => w.kind === 'profile-set-aside' && w.profile === command.name)) {
        store.remove(command.name);
        io.stdout(`Removed the set-aside profile ${command.name} from ${store.file}.\n`);
        return 0;
      }
      requireKnownProfile(services, command.name);
      if (!command.deleteVm && ledger.get(command.name)) {
        throw new AppError(
          'CONFLICT',
          `Profile ${command.name} has a VM that colima-k8s started; remove both with: colima-k8s profile remove ${command.name} --delete-vm`,
        );
      }
      // Deleting the VM runs colima: Ctrl-C cancels it (the profile is then kept, the VM stays recorded).
      const interrupt = watchInterrupt(io, () => io.stderr(`interrupted: cancelling the removal of ${command.name}\n`));
      try {
        await controller.deleteProfile(command.name, command.deleteVm ? command.name : undefined, { signal: interrupt.signal });
      } catch (e) {
        if (!interrupt.signal.aborted) throw e;
        io.stderr(`colima-k8s: interrupted: profile ${command.name} and its VM were not removed; run the command again, or colima-k8s down.\n`);
        return 130;
      } finally {
        interrupt.dispose();
      }
      io.stdout(`Removed profile ${command.name}.\n`);
      return 0;
    }
    case 'profile-use':
      requireKnownProfile(services, command.name);
      controller.setActiveProfile(command.name);
      io.stdout(`Active profile: ${command.name}.\n`);
      return 0;
  }
}
