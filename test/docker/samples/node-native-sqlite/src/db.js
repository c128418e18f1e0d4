// The database file lives in DATA_DIR (data/ by default); migrations/*.sql are applied in order.
const Database = require('better-sqlite3');
const fs = require('node:fs');
const path = require('node:path');

const dataDir = process.env.DATA_DIR || path.join(__dirname, '..', 'data');

function open() {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'guestbook.db'));
  db.pragma('journal_mode = WAL');
  return db;
}

function migrate(db) {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)');
  const dir = path.join(__dirname, '..', 'migrations');
  const done = new Set(db.prepare('SELECT name FROM migrations').all().map((r) => r.name));
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    if (done.has(name)) continue;
    db.exec(fs.readFileSync(path.join(dir, name), 'utf8'));
    db.prepare('INSERT INTO migrations (name) VALUES (?)').run(name);
  }
}

module.exports = { open, migrate };
