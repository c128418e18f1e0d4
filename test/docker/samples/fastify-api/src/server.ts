// A bookmarks API on Fastify: JSON routes with schema validation, a static front page from public/ and
// a plain-text template read from templates/ at run time.
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Bookmark {
  id: number;
  url: string;
  title: string;
}

const root = join(__dirname, '..');
const bookmarks: Bookmark[] = [];
const app = Fastify({ logger: false });

app.register(fastifyStatic, { root: join(root, 'public') });

app.get('/api/health', async () => ({ status: 'ok', env: process.env.NODE_ENV ?? 'unset' }));

app.get('/api/bookmarks', async () => bookmarks);

app.get<{ Params: { id: string } }>('/api/bookmarks/:id', async (request, reply) => {
  const found = bookmarks.find((b) => b.id === Number(request.params.id));
  if (!found) return reply.code(404).send({ error: 'not found' });
  return found;
});

app.post<{ Body: { url: string; title: string } }>(
  '/api/bookmarks',
  {
    schema: {
      body: {
        type: 'object',
        required: ['url', 'title'],
        properties: { url: { type: 'string', minLength: 1 }, title: { type: 'string', minLength: 1 } },
      },
    },
  },
  async (request, reply) => {
    const bookmark = { id: bookmarks.length + 1, ...request.body };
    bookmarks.push(bookmark);
    return reply.code(201).send(bookmark);
  },
);

app.get('/export.txt', async (_request, reply) => {
  const template = readFileSync(join(root, 'templates', 'export.txt'), 'utf8');
  const lines = bookmarks.map((b) => `- ${b.title} <${b.url}>`).join('\n');
  return reply.type('text/plain').send(template.replace('{{bookmarks}}', lines));
});

const port = Number(process.env.PORT ?? 3000);
app.listen({ port, host: process.env.HOST ?? '127.0.0.1' }).catch((error) => {
  console.error(error);
  process.exit(1);
});
