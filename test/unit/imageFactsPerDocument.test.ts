// Image facts follow the document, not the last request: three documents with different
// `multistage.platform`, `multistage.imageSizes.online` and `multistage.registries.insecure` each get
// their own hover, inlay hints and rule facts, whatever order (or overlap) their requests come in. The
// real handlers, settings parsing and image service run; only the registry and local Docker are fakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatMegabytes } from '../../server/src/analysis/bytes';
import { buildModel } from '../../server/src/analysis/model';
import { createHoverHandler } from '../../server/src/handlers/hover';
import type { ImageHandlerDeps } from '../../server/src/handlers/imageLookups';
import { createInlayHintHandler } from '../../server/src/handlers/inlayHints';
import { imageSettingsOf, parseSettings, type SettingsStore } from '../../server/src/handlers/settings';
import { ImageSizes } from '../../server/src/images/imageSizes';
import { ImageSnapshot } from '../../server/src/images/snapshot/snapshot';
import { formatPlatform } from '../../server/src/images/platform';
import { parseImageReference, usesPlainHttp } from '../../server/src/analysis/imageReference';
import { OciRegistryClient, RegistryError, type RegistryClient } from '../../server/src/images/registryClient';

const APP = 'reg.example:5000/team/app:1';
const LIB = 'example.com/lib/base:1';
const TEXT = `FROM ${APP} AS app\nFROM ${LIB}\n`;

/** Per image and platform; the app's registry answers over plain HTTP only. */
const SIZES: Record<string, Record<string, number>> = {
  [APP]: { 'linux/amd64': 63_333_333, 'linux/arm64': 64_444_444 },
  [LIB]: { 'linux/amd64': 51_111_111, 'linux/arm64': 42_222_222 },
};

// A and B differ only in the insecure list, A and C only in the platform, A and D only in online.
const DOCUMENTS = {
  'file:///ws/a/Dockerfile': { platform: 'linux/amd64', registries: { insecure: ['reg.example:5000'] } },
  'file:///ws/b/Dockerfile': { platform: 'linux/amd64' },
  'file:///ws/c/Dockerfile': { platform: 'linux/arm64', registries: { insecure: ['reg.example:5000'] } },
  'file:///ws/d/Dockerfile': { platform: 'linux/amd64', imageSizes: { online: false }, registries: { insecure: ['reg.example:5000'] } },
} as const;
type Uri = keyof typeof DOCUMENTS;

/** What each document must see: bytes per image, or undefined for no figure. */
const EXPECTED: Record<Uri, Record<string, number | undefined>> = {
  'file:///ws/a/Dockerfile': { [APP]: 63_333_333, [LIB]: 51_111_111 },
  // HTTPS to a plain-HTTP registry fails.
  'file:///ws/b/Dockerfile': { [APP]: undefined, [LIB]: 51_111_111 },
  'file:///ws/c/Dockerfile': { [APP]: 64_444_444, [LIB]: 42_222_222 },
  // Offline: no registry figures at all (neither image is in the bundled snapshot).
  'file:///ws/d/Dockerfile': { [APP]: undefined, [LIB]: undefined },
};

function fakeRegistry(): RegistryClient {
  return {
    imageFacts: async (ref, platform, options) => {
      const image = ref.registry === 'reg.example:5000' ? APP : LIB;
      if (image === APP && !usesPlainHttp(ref.registry, options?.insecureRegistries ?? [])) {
        throw new RegistryError('network', 'cannot reach reg.example:5000: it speaks plain HTTP');
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
      const bytes = SIZES[image][formatPlatform(platform)];
      return { digest: `sha256:${String(bytes).padStart(64, '0')}`, platformDigest: `sha256:${String(bytes).padStart(64, '1')}`, compressedBytes: bytes, layers: 3, platform: formatPlatform(platform) };
    },
  };
}

const snapshot = new ImageSnapshot();

function server() {
  const images = new ImageSizes(undefined, () => {}, { registry: fakeRegistry(), local: { inspect: async () => undefined }, snapshot });
  const settingsOf = (uri: string) => parseSettings(DOCUMENTS[uri as Uri], { otherSyntaxProvider: false });
  const deps: ImageHandlerDeps = {
    connection: { console: { error: (m: string) => assert.fail(m), warn: () => {} } } as never,
    documents: { get: (uri: string) => TextDocument.create(uri, 'dockerfile', 1, TEXT) } as never,
    settings: { forDocument: async (uri: string) => settingsOf(uri) } as unknown as SettingsStore,
    images,
  };
  const hover = createHoverHandler(deps);
  const inlay = createInlayHintHandler(deps);
  return {
    images,
    hover: async (uri: Uri, line: number) => {
      const answer = await hover({ textDocument: { uri }, position: { line, character: 6 } });
      return (answer?.contents as { value: string } | undefined)?.value ?? '';
    },
    inlay: (uri: Uri) => inlay({ textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } }),
    /** What the diagnostics path hands the rules for this document. */
    ruleFacts: (uri: Uri, image: string) => images.factsFor(imageSettingsOf(settingsOf(uri))).get(image)?.compressedBytes,
  };
}

async function assertEachDocumentSeesItsOwn(s: ReturnType<typeof server>): Promise<void> {
  for (const uri of Object.keys(DOCUMENTS) as Uri[]) {
    const hints = await s.inlay(uri);
    for (const [line, image] of [APP, LIB].entries()) {
      const bytes = EXPECTED[uri][image];
      const others = Object.values(SIZES[image]).filter((b) => b !== bytes);
      const hover = await s.hover(uri, line);
      assert.match(hover, new RegExp(image.replace(/[.:/]/g, '\\$&')), `${uri} hovers ${image}`);
      if (bytes !== undefined) assert.ok(hover.includes(`${bytes.toLocaleString('en-US')} bytes`), `${uri}, ${image}: ${hover}`);
      for (const other of others) assert.ok(!hover.includes(other.toLocaleString('en-US')), `${uri}, ${image} shows another document's ${other}: ${hover}`);
      assert.equal(s.ruleFacts(uri, image), bytes, `${uri}, ${image}: rule facts`);
      const hint = hints.find((h) => h.position.line === line);
      assert.equal(hint?.label, bytes === undefined ? undefined : formatMegabytes(bytes), `${uri}, ${image}: inlay hint`);
    }
  }
}

function permutations<T>(items: readonly T[]): T[][] {
  return items.length <= 1 ? [[...items]] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

test('image facts per document: hovers in every order leave each document its own platform, online and insecure-registry facts', async () => {
  const orders = permutations(Object.keys(DOCUMENTS) as Uri[]);
  assert.equal(orders.length, 24);
  for (const order of orders) {
    const s = server();
    for (const uri of order) {
      await s.hover(uri, 0);
      await s.hover(uri, 1);
    }
    await assertEachDocumentSeesItsOwn(s);
    s.images.dispose();
  }
});

test('image facts per document: inlay hints and rule lookups started in every order, and overlapping, give the same answers', async () => {
  for (const order of permutations(Object.keys(DOCUMENTS) as Uri[])) {
    const s = server();
    // Inlay hints answer from what is known and start the lookups; the diagnostics path asks the same way.
    for (const uri of order) {
      await s.inlay(uri);
      s.images.request(buildModel(TEXT), imageSettingsOf(parseSettings(DOCUMENTS[uri], { otherSyntaxProvider: false })));
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    await assertEachDocumentSeesItsOwn(s);
    s.images.dispose();
  }
  // All at once: the lookups of different documents overlap in flight.
  const s = server();
  await Promise.all((Object.keys(DOCUMENTS) as Uri[]).flatMap((uri) => [s.hover(uri, 0), s.hover(uri, 1), s.inlay(uri)]));
  await assertEachDocumentSeesItsOwn(s);
  s.images.dispose();
});

test('image facts per document: the registry client takes the insecure list per lookup, and two lookups in flight keep theirs', async () => {
  const urls: string[] = [];
  const client = new OciRegistryClient({
    fetch: (async (url: string | URL) => {
      urls.push(String(url));
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Response('{}', { status: 404 });
    }) as typeof fetch,
  });
  const ref = parseImageReference(APP)!;
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const answers = await Promise.allSettled([
    client.imageFacts(ref, amd64, { insecureRegistries: ['reg.example:5000'] }),
    client.imageFacts(ref, amd64, {}),
  ]);
  assert.deepEqual(answers.map((a) => a.status), ['rejected', 'rejected']);
  assert.deepEqual(urls.sort(), ['http://reg.example:5000/v2/team/app/manifests/1', 'https://reg.example:5000/v2/team/app/manifests/1']);
});
