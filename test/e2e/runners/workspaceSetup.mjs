// What both runners prepare before VS Code starts: a scratch folder, a fresh copy of the fixture
// workspace (tests edit, save and change settings in it), and quiet user settings.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's client, as the Docker integration tests use (MULTISTAGE_TEST_DOCKER overrides both).
export const DOCKER = process.env.MULTISTAGE_TEST_DOCKER ?? '/usr/bin/docker';

export function makeScratch() {
  return mkdtempSync(join(process.env.MULTISTAGE_E2E_TMP ?? tmpdir(), 'multistage-e2e-'));
}

/** A fresh copy of the fixture workspace: tests edit, save and change settings in it. */
export function copyWorkspace(fixture, scratch, name = 'workspace') {
  const target = join(scratch, name);
  cpSync(fixture, target, { recursive: true });
  return target;
}

/**
 * A quiet workbench: no welcome page, tips, chat or update checks competing with the tests (and the
 * screenshots) for focus and CPU. Shared by both runners; `extra` adds e.g. multistage.docker.path,
 * which is machine-scoped and so only honoured in user settings.
 */
export function writeUserSettings(userDataDir, extra = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'editor.hover.delay': 300,
    'editor.minimap.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    ...extra,
  }, null, 2));
}

