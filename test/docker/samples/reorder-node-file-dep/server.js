// GET / (service name), GET /notes, POST /notes (body: the note's text), GET /ttl (ms formats a duration).
const http = require('node:http');
const ms = require('ms');
const { NotesStore } = require('notes-store');

const store = new NotesStore();
const server = http.createServer((req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && req.url === '/') return send(200, { service: 'notes', version: 1 });
  if (req.method === 'GET' && req.url === '/notes') return send(200, store.list());
  if (req.method === 'GET' && req.url === '/ttl') return send(200, { ttl: ms(90_000, { long: true }) });
  if (req.method === 'POST' && req.url === '/notes') {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => send(201, store.add(text)));
    return undefined;
  }
  return send(404, { error: 'not found' });
});
server.listen(Number(process.env.PORT ?? 3000), '0.0.0.0');
