// Synthetic Dockerfiles of a chosen length for the growth benchmark and the robustness tests. The
// instruction mix follows real files: ARGs resolved in FROM, named builder stages that COPY --from
// earlier ones, multi-line RUNs with apt/apk/npm/pip installs, comments, ENV/LABEL/EXPOSE, a runtime
// stage at the end. Deterministic: the same length always gives the same text.

const BASES = ['golang:1.22', 'node:20', 'python:3.12', 'maven:3.9-eclipse-temurin-21', 'rust:1.79', 'debian:bookworm', 'alpine:3.20'];

function stage(index: number): string[] {
  const base = BASES[index % BASES.length];
  const lines = [
    `# stage ${index}: builds part ${index} of the application`,
    `FROM \${BASE_${index % 3}:-${base}} AS part-${index}`,
    // Right after FROM, so that trimming the last stage keeps the chain: every stage reaches the target
    // at every size, and the rules have the same work per line at 100 and at 8,000 lines.
    ...(index > 0 ? [`COPY --from=part-${index - 1} /out/ /out/`] : []),
    `ARG VERSION_${index}=1.${index}.0`,
    `ENV APP_HOME=/opt/app-${index} \\`,
    `    PATH=/opt/app-${index}/bin:$PATH`,
    `WORKDIR /src/part-${index}`,
    `COPY package.json package-lock.json ./`,
    `RUN npm ci && npm run build --workspace part-${index}`,
    `COPY go.mod go.sum ./`,
    `RUN go mod download`,
    `COPY . .`,
    `RUN apt-get update \\`,
    `    && apt-get install -y curl ca-certificates build-essential libssl-dev \\`,
    `    && pip install -r requirements.txt \\`,
    `    && go build -o /out/part-${index} ./cmd/part-${index}`,
  ];
  if (index > 0) {
    lines.push(`RUN --mount=type=cache,target=/root/.cache --mount=from=part-${Math.floor(index / 2)},source=/out,target=/prev ls /prev`);
  }
  lines.push(
    `RUN apk add curl && chmod -R 755 /opt/app-${index}`,
    `LABEL org.opencontainers.image.version="\${VERSION_${index}}" part="${index}"`,
    `EXPOSE ${8000 + (index % 1000)}`,
    '',
  );
  return lines;
}

// The runtime copies from the last builder, which copies from the one before: every stage reaches it.
const runtime = (lastPart: number) => [
  '# runtime',
  'FROM debian:bookworm-slim',
  `COPY --from=part-${lastPart} /out/ /usr/local/bin/`,
  'USER 65532',
  'HEALTHCHECK CMD ["/usr/local/bin/part-0", "health"]',
  'ENTRYPOINT ["/usr/local/bin/part-0"]',
  'CMD ["serve"]',
];

/** A multi-stage Dockerfile of exactly `lineCount` lines (at least the header and runtime stage). */
export function syntheticDockerfile(lineCount: number): string {
  const header = ['# syntax=docker/dockerfile:1', 'ARG BASE_0=golang:1.22', 'ARG BASE_1=node:20', 'ARG BASE_2=python:3.12', ''];
  const body: string[] = [];
  const tailLength = runtime(0).length;
  for (let i = 0; header.length + body.length + tailLength < lineCount; i++) body.push(...stage(i));
  // Trim the last stage at an instruction boundary so the total is exact and the file still parses.
  while (header.length + body.length + tailLength > lineCount) body.pop();
  while (body.length > 0 && body[body.length - 1].endsWith('\\')) body.pop();
  // A last stage cut down to its FROM (no COPY --from yet) would break the chain: drop it.
  while (body.length > 0 && /^(FROM |# stage )/.test(body[body.length - 1])) body.pop();
  while (header.length + body.length + tailLength < lineCount) body.push('# padding');
  const parts = body.filter((line) => line.startsWith('FROM ')).length;
  return [...header, ...body, ...runtime(Math.max(0, parts - 1))].join('\n') + '\n';
}

/**
 * A file of n fixable lines for `multistage fix` (bench/fixAll.ts, test/unit/fixAllScaling.test.ts): four
 * kinds in turn, each with a safe fix (ADD → COPY, apt lists left, pip cache kept, ADD of a JSON file).
 */
export function fixableDockerfile(n: number): string {
  const lines = ['FROM debian:12 AS build'];
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    if (k === 0) lines.push(`ADD file${i}.txt /app/`);
    else if (k === 1) lines.push(`RUN apt-get update && apt-get install -y pkg${i}`);
    else if (k === 2) lines.push(`RUN pip install pkg${i}`);
    else lines.push(`ADD conf${i}.json /etc/app/`);
  }
  lines.push('CMD ["x"]');
  return `${lines.join('\n')}\n`;
}
