// Property test: Dockerfiles assembled at random from realistic instruction fragments never make the
// rewrites throw, every offered output parses, and a rewrite is never offered again on its own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildModel } from '../../../server/src/analysis/model';
import { applyTextEdits, refactorActions } from '../../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS, type RuleContext } from '../../../server/src/analysis/types';
import { memoryContext } from '../../support/analysis';
import { newErrors } from '../../support/parseCheck';

const FROMS = ['FROM golang:1.23', 'FROM node:20 AS app', 'FROM python:3.11-bookworm', 'FROM maven:3.9-eclipse-temurin-21', 'FROM rust:1.79', 'FROM mcr.microsoft.com/dotnet/sdk:8.0', 'FROM ubuntu:22.04', 'FROM scratch', 'FROM node:20-slim', 'ARG V=1\nFROM python:${V}'];
const BODY = [
  'WORKDIR /app', 'WORKDIR src', 'COPY . .', 'COPY . /srv/app', 'COPY package*.json ./', 'COPY --chown=node:node . .', 'ADD . /code',
  'RUN npm ci', 'RUN npm install && npm run build', 'RUN yarn install --frozen-lockfile', 'RUN pnpm install', 'RUN pip install -r requirements.txt',
  'RUN poetry install', 'RUN go build -o app .', 'RUN go mod download', 'RUN cargo build --release', 'RUN mvn -B package', 'RUN ./gradlew build',
  'RUN dotnet publish -c Release -o out', 'RUN apt-get update && apt-get install -y gcc libpq-dev', 'RUN make', 'RUN cd web && npm ci',
  'ENV PORT=8080', 'ENV CGO_ENABLED=0', 'EXPOSE 8080', 'USER node', 'USER 1000', 'LABEL a=b', 'HEALTHCHECK CMD curl -f http://localhost/',
  '# a comment', '', 'RUN ["npm", "ci"]', 'COPY --from=0 /x /x', 'RUN --mount=type=cache,target=/root/.npm npm ci', 'ONBUILD RUN echo hi',
];
const ENDS = ['CMD ["./app"]', 'CMD ["node", "dist/index.js"]', 'CMD python app.py', 'ENTRYPOINT ["java", "-jar", "target/app.jar"]', 'CMD ["go", "run", "."]', 'CMD ["dotnet", "run"]', 'CMD ["cargo", "run"]', ''];

const dockerfile = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...FROMS), fc.array(fc.constantFrom(...BODY), { maxLength: 8 })), { minLength: 1, maxLength: 3 }), fc.constantFrom(...ENDS))
  .map(([stages, end]) => `${stages.map(([from, body]) => [from, ...body].join('\n')).join('\n\n')}\n${end}\n`);

const ctx: RuleContext = {
  settings: DEFAULT_SETTINGS,
  context: memoryContext({
    'package.json': '{"workspaces":["packages/*"]}', 'package-lock.json': '{}', 'packages/a/package.json': '{}', 'web/package.json': '{}',
    'requirements.txt': 'flask\n', 'pyproject.toml': '', 'poetry.lock': '', 'go.mod': 'module x\n', 'go.sum': '', 'Cargo.toml': '[package]\nname = "x"\n',
    'pom.xml': '<project/>', 'build.gradle': '', 'gradlew': '', 'App.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"/>', 'tsconfig.json': '{}',
  }),
};

test('rewrites: random Dockerfiles never throw, outputs parse, nothing is offered twice', () => {
  fc.assert(
    fc.property(dockerfile, fc.constantFrom('auto', 'distroless', 'slim', 'alpine'), (text, runtimeFlavor) => {
      const settings = { ...ctx, settings: { ...DEFAULT_SETTINGS, runtimeFlavor } };
      const model = buildModel(text);
      for (const action of refactorActions(model, settings)) {
        const out = applyTextEdits(model, action.edits);
        assert.deepEqual(newErrors(text, out), [], `${action.title} output parses:\n${out}`);
        const again = refactorActions(buildModel(out), settings).find((a) => a.title === action.title);
        if (again) assert.equal(applyTextEdits(buildModel(out), again.edits), out, `${action.title} applied twice changes nothing:\n${text}`);
      }
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 300), seed: Number(process.env.PROPERTY_SEED ?? 20261122) },
  );
});
