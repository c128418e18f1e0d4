import { isScratch } from '../data/baseImages';
import { insertLinesEdit } from '../model';
import { chainInstructions, copyArgs, finalStage, rootImage } from '../stageFacts';
import type { Fix, Rule } from '../types';

/** Sources that bring a CA bundle (or a whole filesystem that has one). */
const CA_SOURCE = /ca-certificates|ca-bundle|cacert|\/etc\/ssl|\/etc\/pki|\.(pem|crt)$|^\/$/;
const CA_PATH = '/etc/ssl/certs/ca-certificates.crt';
const NOT_NATIVE = /\.(wasm|apk|aab)$/i;

export const scratchWithoutCaCertificates: Rule = {
  id: 'scratch-without-ca-certificates',
  defaultSeverity: 'info',
  summary: 'A FROM scratch image without a CA bundle cannot verify TLS certificates.',
  check(model) {
    const stage = finalStage(model);
    if (!stage) return [];
    const root = rootImage(model, stage);
    if (!root || !isScratch(root.image)) return [];
    const instructions = chainInstructions(model, stage);
    // A scratch stage without CMD/ENTRYPOINT exports files (`--output`), it does not run a program.
    const starts = instructions.filter((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
    if (starts.length === 0) return [];
    // A Wasm module or an Android package "entrypoint" is run by another runtime, not by this image.
    const program = (starts[starts.length - 1].getRawArgumentsContent() ?? '').replace(/[[\]"',]/g, ' ').trim().split(/\s+/)[0] ?? '';
    if (NOT_NATIVE.test(program)) return [];
    const copies = instructions.filter((i) => i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD');
    if (copies.some((i) => copyArgs(i)?.sources.some((s) => CA_SOURCE.test(s.value)))) return [];
    // The certificates come from the stage the program comes from: it is the one known to exist.
    const fromRef = stage.refs.find((r) => r.kind === 'copy' && r.target !== undefined);
    const fixes: Fix[] = [];
    if (fromRef) {
      const builder = model.stages[fromRef.target!];
      const name = builder.name ?? String(builder.index);
      const edit = insertLinesEdit(model, fromRef.instruction.getRange().end.line + 1, [`COPY --from=${name} ${CA_PATH} ${CA_PATH}`]);
      if (edit) fixes.push({ title: `Copy the CA bundle from '${name}'`, edits: [edit], preferred: true });
    }
    return [{
      range: stage.from.getImageRange() ?? stage.from.getRange(),
      message: `The final image is FROM scratch and no CA certificates are copied in: any HTTPS call it makes fails with "x509: certificate signed by unknown authority". Copy ${CA_PATH} from the build stage${fromRef ? '' : ' (install ca-certificates there)'}.`,
      fixes,
    }];
  },
};
