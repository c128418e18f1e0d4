// A guestbook: entries are written to SQLite through better-sqlite3 (a native module built by node-gyp).
const express = require('express');
const fs = require('node:fs');
const path = require('node:path');
const { open, migrate } = require('./db');

const db = open();
migrate(db);
const page = fs.readFileSync(path.join(__dirname, '..', 'views', 'index.html'), 'utf8');
const app = express();
app.use(express.json());

app.get('/', (_req, res) => {
  const count = db.prepare('SELECT COUNT(*) AS n FROM entries').get().n;
  res.type('html').send(page.replace('{{count}}', String(count)));
});

app.get('/api/entries', (_req, res) => {
  res.json(db.prepare('SELECT id, name, message FROM entries ORDER BY id').all());
});

app.post('/api/entries', (req, res) => {
  const { name, message } = req.body ?? {};
  if (typeof name !== 'string' || typeof message !== 'string' || !name || !message) {
    return res.status(422).json({ error: 'name and message are required' });
  }
  const info = db.prepare('INSERT INTO entries (name, message) VALUES (?, ?)').run(name, message);
  res.status(201).json({ id: Number(info.lastInsertRowid), name, message });
});

app.get('/api/version', (_req, res) => {
  res.json({ sqlite: db.prepare('SELECT sqlite_version() AS v').get().v });
});

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`guestbook on ${port}`));
