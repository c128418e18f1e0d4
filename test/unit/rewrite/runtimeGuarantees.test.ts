// What the split keeps for the app at run time, mechanism by mechanism, each as a catches / does-not-catch
// pair on the split's output: writable paths (writable.ts, ownership.ts), system libraries the full image
// had (runtimeNeeds.ts), a shell for shell-form commands and files read at run time (recipes/go.ts).
// The whole-file golden cases are in test/fixtures/rewrite/; these pin the edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from 'dockerfile-utils';
import { buildModel } from '../../../server/src/analysis/model';
import { applyTextEdits, refactorActions, SPLIT_TITLE } from '../../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS } from '../../../server/src/analysis/types';
import { memoryContext } from '../../support/analysis';

function split(dockerfile: string, files: Record<string, string> = {}): string {
  const ctx = { settings: { ...DEFAULT_SETTINGS, runtimeFlavor: 'auto' as const }, context: memoryContext({ Dockerfile: dockerfile, ...files }) };
  const model = buildModel(dockerfile);
  const action = refactorActions(model, ctx).find((a) => a.title === SPLIT_TITLE);
  assert.ok(action, 'the split is offered');
  const out = applyTextEdits(model, action.edits);
  assert.deepEqual(validate(out).filter((d) => d.severity === 1).map((d) => d.message), [], 'the output parses');
  const again = buildModel(out);
  const second = refactorActions(again, ctx).find((a) => a.title === SPLIT_TITLE);
  assert.ok(!second || applyTextEdits(again, second.edits) === out, 'applying twice changes nothing');
  return out;
}

const runtimeOf = (out: string) => out.slice(out.indexOf('AS runtime'));
const PY = (steps: string) => `FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n${steps}CMD ["python", "app.py"]\n`;

test('writable: a folder made by mkdir is handed to the runtime user; one made next to a build command is build output', () => {
  const out = split(PY('RUN mkdir -p /srv/uploads\n'), { 'requirements.txt': 'flask\n' });
  assert.match(runtimeOf(out), /COPY --from=build --chown=app:app \/srv\/uploads \/srv\/uploads/);
  const built = split('FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN mkdir -p out && go build -o out/server .\nCMD ["./out/server"]\n', { 'go.mod': 'module x\n' });
  assert.doesNotMatch(built, /chown/);
});

test('writable: the working directory itself and system folders are never handed over', () => {
  const out = split(PY('RUN mkdir -p /app /usr/local/share/x /tmp/y\n'), { 'requirements.txt': 'flask\n' });
  assert.doesNotMatch(out, /chown/);
});

test('writable: flask init-db makes instance/ writable; flask run and flask routes do not', () => {
  assert.match(runtimeOf(split(PY('RUN flask --app flaskr init-db\n'), { 'requirements.txt': 'flask\n' })), /RUN useradd [^\n]*\n# multistage: the app writes here at run time \(flask init-db writes to the instance folder\)\.\nRUN chown -R app:app \.\/instance\nUSER app/);
  assert.doesNotMatch(split(PY('RUN flask --app flaskr routes\n'), { 'requirements.txt': 'flask\n' }), /instance/);
});

test('writable: manage.py migrate with SQLite hands over the file and its folder; with PostgreSQL nothing', () => {
  const settings = (engine: string) => `BASE_DIR = 1\nDATABASES = {"default": {"ENGINE": "django.db.backends.${engine}", "NAME": BASE_DIR / "db.sqlite3"}}\n`;
  const sqlite = split(PY('RUN python manage.py migrate\n'), { 'requirements.txt': 'django\n', 'site/settings.py': settings('sqlite3') });
  assert.match(runtimeOf(sqlite), /RUN chown app:app \. && chown -R app:app \.\/db\.sqlite3\n/);
  const postgres = split(PY('RUN python manage.py migrate\n'), { 'requirements.txt': 'django\n', 'site/settings.py': settings('postgresql') });
  assert.doesNotMatch(postgres, /chown/);
});

test('writable: a migrate whose database is not known says so instead of guessing', () => {
  assert.match(split(PY('RUN python manage.py migrate\n'), { 'requirements.txt': 'django\n' }), /# multistage: `python manage\.py migrate` runs at build time; the database it wrote is not known here/);
});

test('writable: upload folders named in the copied sources count; the same code in a file the image does not hold does not', () => {
  const files = { 'requirements.txt': 'fastapi\n', 'main.py': 'UPLOAD_DIR = "uploads"\n', 'tools/seed.py': 'DATA_DIR = "seed-data"\n' };
  const out = split('FROM python:3.11\nWORKDIR /code\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY main.py .\nCMD ["python", "main.py"]\n', files);
  assert.match(out, /RUN mkdir -p \.\/uploads\n/);
  assert.match(runtimeOf(out), /RUN chown -R app:app \.\/uploads\n/);
  assert.doesNotMatch(out, /seed-data/);
});

test('writable: the original user keeps its name and owns what it writes', () => {
  const out = split('FROM python:3.11\nRUN useradd --uid 1500 worker\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir data\nUSER worker\nRUN python prepare.py\nCMD ["python", "app.py"]\n', { 'requirements.txt': 'flask\n' });
  assert.match(runtimeOf(out), /RUN useradd --uid 1500 worker\n# multistage: [^\n]*\nRUN chown -R worker \.\/data\nUSER worker\nCMD/);
  // USER root writes everywhere: nothing to hand over.
  assert.doesNotMatch(split(PY('RUN mkdir -p /srv/data\nUSER root\n'), { 'requirements.txt': 'flask\n' }), /chown/);
});

test('runtime libraries: psycopg needs libpq5 on the slim runtime; psycopg[binary] brings its own; a slim builder had none to lose', () => {
  assert.match(split(PY(''), { 'requirements.txt': 'psycopg==3.3.6\n' }), /psycopg loads libpq5 at run time; python:3\.11 has it[\s\S]*apt-get install -y --no-install-recommends libpq5/);
  assert.doesNotMatch(split(PY(''), { 'requirements.txt': 'psycopg[binary]==3.3.6\n' }), /libpq5/);
  assert.match(split(PY(''), { 'requirements.txt': '-r requirements/base.txt\n', 'requirements/base.txt': 'mysqlclient\n' }), /libmariadb3/);
  const slim = 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y gcc && pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
  assert.doesNotMatch(split(slim, { 'requirements.txt': 'psycopg\n' }), /libpq5/);
});

test('runtime libraries: reqwest needs OpenSSL and CA certificates unless its default features are off', () => {
  const rust = 'FROM rust:1.79\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nCMD ["./target/release/app"]\n';
  const cargo = (dep: string) => `[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n${dep}\n`;
  assert.match(split(rust, { 'Cargo.toml': cargo('reqwest = "0.12"') }), /install -y --no-install-recommends libssl3 ca-certificates/);
  const rustls = split(rust, { 'Cargo.toml': cargo('reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }') });
  assert.match(rustls, /install -y --no-install-recommends ca-certificates &&/);
  assert.doesNotMatch(split(rust, { 'Cargo.toml': cargo('serde = "1"') }), /apt-get/);
});

test('command semantics: a shell-form Go command keeps a shell; exec form stays on distroless', () => {
  const go = (cmd: string) => `FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o server .\n${cmd}\n`;
  const shell = split(go('CMD ./server --port $PORT'), { 'go.mod': 'module x\n' });
  assert.match(shell, /FROM debian:bookworm-slim AS runtime/);
  assert.match(shell, /CMD \.\/server --port \$PORT\n$/);
  assert.match(split(go('CMD ["./server"]'), { 'go.mod': 'module x\n' }), /FROM gcr\.io\/distroless\/static-debian12:nonroot AS runtime/);
});

test('files read at run time: Go templates come along, embedded folders do not', () => {
  const go = 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o server .\nCMD ["./server"]\n';
  const main = '//go:embed static\nvar static embed.FS\nvar t = template.Must(template.ParseGlob("templates/*.html"))\n';
  const out = split(go, { 'go.mod': 'module x\n', 'main.go': main, 'templates/index.html': '<p>', 'static/site.css': '' });
  assert.match(out, /COPY --from=build \/src\/templates \.\/templates/);
  assert.doesNotMatch(out, /\/src\/static/);
});

test('writable: a Go program creating a file directly in its working directory gets that folder where the runtime can change it, and an owned empty folder under WORKDIR where there is no shell', () => {
  const go = (cmd: string) => `FROM golang:1.23\nWORKDIR /srv\nCOPY . .\nRUN go build -o server .\n${cmd}\n`;
  const files = { 'go.mod': 'module x\n', 'main.go': 'func save() { _ = os.WriteFile("state.json", nil, 0o644) }\n' };
  assert.match(runtimeOf(split(go('CMD ./server'), files)), /RUN chown app:app \.\n/);
  const distroless = split(go('CMD ["./server"]'), files);
  assert.match(distroless, /RUN mkdir -p \/tmp\/multistage-empty\n/);
  assert.match(runtimeOf(distroless), /COPY --from=build --chown=nonroot:nonroot \/tmp\/multistage-empty \/srv\nWORKDIR \/srv\n/);
  // Reading a file there changes nothing.
  assert.doesNotMatch(split(go('CMD ["./server"]'), { 'go.mod': 'module x\n', 'main.go': 'var b, _ = os.ReadFile("config.json")\n' }), /multistage-empty|chown/);
});

test('writable: a start command that migrates first hands over the folder the database will be created in, not a file that does not exist yet', () => {
  const settings = 'BASE_DIR = 1\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}\n';
  const dockerfile = 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python manage.py migrate && gunicorn site.wsgi\n';
  const out = split(dockerfile, { 'requirements.txt': 'django\n', 'site/settings.py': settings });
  assert.match(runtimeOf(out), /RUN chown app:app \.\n/);
  assert.doesNotMatch(out, /db\.sqlite3/);
  // Serving only writes nothing.
  assert.doesNotMatch(split(dockerfile.replace('python manage.py migrate && ', ''), { 'requirements.txt': 'django\n', 'site/settings.py': settings }), /chown/);
});

test('writable: an entrypoint script copied from the context is read like a start command', () => {
  const dockerfile = 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT ["./docker-entrypoint.sh"]\nCMD ["gunicorn", "site.wsgi"]\n';
  const files = { 'requirements.txt': 'django\n', 'docker-entrypoint.sh': '#!/bin/sh\nset -e\nmkdir -p /var/lib/site/cache\nexec "$@"\n' };
  assert.match(runtimeOf(split(dockerfile, files)), /COPY --from=build --chown=app:app \/var\/lib\/site\/cache \/var\/lib\/site\/cache/);
  assert.doesNotMatch(split(dockerfile, { ...files, 'docker-entrypoint.sh': '#!/bin/sh\nexec "$@"\n' }), /chown/);
});

test('writable: making an install prefix (/opt, /usr/local, /srv) exists is not a write location', () => {
  assert.doesNotMatch(split(PY('RUN mkdir -p /opt /srv\n'), { 'requirements.txt': 'flask\n' }), /--chown|chown -R/);
  assert.match(split(PY('RUN mkdir -p /opt/app-data\n'), { 'requirements.txt': 'flask\n' }), /--chown=app:app \/opt\/app-data/);
});

test('runtime libraries: a -dev package maps to its runtime library where known, and an unknown one is named in a comment instead of dropped silently', () => {
  const withApt = (pkgs: string) => `FROM python:3.11\nRUN apt-get update && apt-get install -y ${pkgs}\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n`;
  const known = split(withApt('gcc libgmp-dev libpq-dev'), { 'requirements.txt': 'gmpy2\n' });
  assert.match(known, /install -y --no-install-recommends libgmp10 libpq5 &&/);
  assert.doesNotMatch(known, /runtime package name is not known/);
  const unknown = split(withApt('gcc libfrobnicate-dev'), { 'requirements.txt': 'frob\n' });
  assert.match(unknown, /# multistage: the builder installed libfrobnicate-dev; if the app loads its library at run time, install it here/);
});

test('writable: a SQLite database the sources open in the working directory gets that folder; one under data/ gets data/; :memory: nothing', () => {
  const app = (code: string) => split('FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n', { 'requirements.txt': 'flask\n', 'app.py': code });
  assert.match(runtimeOf(app('db = sqlite3.connect("todo.db")\n')), /RUN chown app:app \.\n/);
  assert.match(runtimeOf(app('URI = "sqlite:///data/todo.db"\n')), /RUN chown -R app:app \.\/data\n/);
  assert.doesNotMatch(app('db = sqlite3.connect(":memory:")\n'), /chown/);
});

test('writable: with Flask-SQLAlchemy a relative SQLite URI lives in the instance folder', () => {
  const code = 'from flask_sqlalchemy import SQLAlchemy\napp.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///todo.db"\n';
  const out = split('FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n', { 'requirements.txt': 'flask-sqlalchemy\n', 'app.py': code });
  assert.match(out, /RUN mkdir -p \.\/instance\n/);
  assert.match(runtimeOf(out), /RUN chown -R app:app \.\/instance\n/);
  assert.doesNotMatch(runtimeOf(out), /chown app:app \.\n/);
});
