// The todo API of the monorepo: uses @acme/shared (a workspace package) and serves a help text from content/.
import express from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summary, validateTitle, type Todo } from '@acme/shared';

const todos: Todo[] = [];
const app = express();
app.use(express.json());

app.get('/', (_req, res) => {
  res.type('text/plain').send(readFileSync(join(__dirname, '..', 'content', 'help.txt'), 'utf8'));
});
app.get('/todos', (_req, res) => {
  res.json({ todos, summary: summary(todos) });
});
app.post('/todos', (req, res) => {
  const title = validateTitle(req.body?.title);
  if (!title) return void res.status(400).json({ error: 'title must be 1-200 characters' });
  const todo = { id: todos.length + 1, title, done: false };
  todos.push(todo);
  res.status(201).json(todo);
});
app.put('/todos/:id', (req, res) => {
  const todo = todos.find((t) => t.id === Number(req.params.id));
  if (!todo) return void res.status(404).json({ error: 'no such todo' });
  todo.done = req.body?.done === true;
  res.json(todo);
});

app.listen(Number(process.env.PORT ?? 4000), () => console.log('api listening'));
