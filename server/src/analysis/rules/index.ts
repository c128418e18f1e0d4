import type { Rule } from '../types';
// Image, context and safety rules: what the final image is built from, what it carries, how it runs.
import { toolchainInFinalStage } from './toolchainInFinalStage';
import { wholeStageCopied } from './wholeStageCopied';
import { largerBaseThanNeeded } from './largerBaseThanNeeded';
import { missingDockerignore } from './missingDockerignore';
import { dockerignoreGaps } from './dockerignoreGaps';
import { runsAsRoot } from './runsAsRoot';
import { unpinnedBaseImage } from './unpinnedBaseImage';
import { secretInArgOrEnv } from './secretInArgOrEnv';
import { addInsteadOfCopy } from './addInsteadOfCopy';
import { scratchWithoutCaCertificates } from './scratchWithoutCaCertificates';
// Package-manager and layer rules: what a RUN leaves behind in its layer, and what breaks the layer cache.
import { aptListsNotRemoved } from './aptListsNotRemoved';
import { aptRecommendsInstalled } from './aptRecommendsInstalled';
import { aptUpdateInSeparateLayer } from './aptUpdateInSeparateLayer';
import { apkCacheKept } from './apkCacheKept';
import { pipCacheKept } from './pipCacheKept';
import { packageCacheKept } from './packageCacheKept';
import { devDependenciesInFinalStage } from './devDependenciesInFinalStage';
import { cleanupInLaterLayer } from './cleanupInLaterLayer';
import { chownInSeparateLayer } from './chownInSeparateLayer';
import { preferCacheMount } from './preferCacheMount';
import { cgoBinaryOnMinimalBase } from './cgoBinaryOnMinimalBase';
import { copyBeforeDependencyInstall } from './copyBeforeDependencyInstall';
import { duplicateStageName } from './duplicateStageName';
import { numericStageReference } from './numericStageReference';
import { stageReferencedBeforeDefined } from './stageReferencedBeforeDefined';
import { syntaxError } from './syntaxError';
import { unknownStageReference } from './unknownStageReference';
import { unusedStage } from './unusedStage';

export const allRules: readonly Rule[] = [
  syntaxError,
  unknownStageReference,
  stageReferencedBeforeDefined,
  duplicateStageName,
  numericStageReference,
  unusedStage,
  toolchainInFinalStage,
  wholeStageCopied,
  largerBaseThanNeeded,
  missingDockerignore,
  dockerignoreGaps,
  runsAsRoot,
  unpinnedBaseImage,
  secretInArgOrEnv,
  addInsteadOfCopy,
  scratchWithoutCaCertificates,
  aptListsNotRemoved,
  aptRecommendsInstalled,
  aptUpdateInSeparateLayer,
  apkCacheKept,
  pipCacheKept,
  packageCacheKept,
  devDependenciesInFinalStage,
  cleanupInLaterLayer,
  chownInSeparateLayer,
  preferCacheMount,
  cgoBinaryOnMinimalBase,
  copyBeforeDependencyInstall,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
