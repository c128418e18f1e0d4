// `npm run test:realworld`: every sample app under test/docker/samples (or MULTISTAGE_SAMPLES=a,b),
// original and split built, run and probed the same way, then one line per sample and the summary
// "W/N splits build and behave; median reduction P %". Exits 1 unless every split builds and behaves;
// a sample whose base images or package mirror are missing counts as not working (named in the output).
import { engineAvailable, imagesAvailable, SETUP_HINT } from './dockerTestSupport';
import { packageReposAvailable, proveSplit, selectedSamples, summaryLine, type SplitOutcome } from './rewriteSamples';

async function main(): Promise<number> {
  if (!(await engineAvailable())) {
    process.stderr.write(`No Docker engine: ${SETUP_HINT}.\n`);
    return 2;
  }
  const samples = selectedSamples(process.env.MULTISTAGE_SAMPLES ?? 'all');
  const mirror = await packageReposAvailable();
  const outcomes: SplitOutcome[] = [];
  for (const sample of samples) {
    let outcome: SplitOutcome;
    if (!(await imagesAvailable(sample.images))) {
      outcome = { sample: sample.name, behaves: false, differences: [], original: [], split: [], seconds: 0, error: `base images missing (${sample.images.join(', ')}); run ${sample.setup ?? 'test/setup/docker.sh'}` };
    } else if (sample.needsMirror && !mirror) {
      outcome = { sample: sample.name, behaves: false, differences: [], original: [], split: [], seconds: 0, error: 'the local PyPI/Maven mirror is not running (test/setup/mirrors.sh)' };
    } else {
      process.stdout.write(`… ${sample.name}\n`);
      outcome = await proveSplit(sample);
    }
    outcomes.push(outcome);
    const size = outcome.reductionPercent !== undefined ? `, ${(outcome.singleBytes! / 1e6).toFixed(0)} MB → ${(outcome.splitBytes! / 1e6).toFixed(0)} MB (−${outcome.reductionPercent.toFixed(1)} %)` : '';
    const verdict = outcome.behaves ? `behaves on ${sample.probes.length}/${sample.probes.length} probes` : 'DOES NOT BUILD OR BEHAVE';
    process.stdout.write(`${outcome.behaves ? 'ok  ' : 'FAIL'} ${sample.name}: ${verdict}${size} in ${outcome.seconds.toFixed(0)} s\n`);
    for (const line of outcome.differences) process.stdout.write(`       ${line}\n`);
    if (outcome.error) {
      // The first line says what failed; a build log's end says why.
      const lines = outcome.error.split('\n');
      const shown = lines.length > 41 ? [lines[0], '…', ...lines.slice(-40)] : lines;
      process.stdout.write(`       ${shown.join('\n       ')}\n`);
    }
  }
  process.stdout.write(`${summaryLine(outcomes)}\n`);
  return outcomes.every((o) => o.behaves) ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
