// A small Express API in TypeScript: the Node sample the rewrite tests build three ways.
import express from 'express';
import { greeting } from './greeting';

const app = express();
app.use(express.json());
const notes: Array<{ id: number; text: string }> = [];

app.get('/', (_req, res) => {
  res.json({ message: greeting(process.env.GREETING ?? 'hello'), node: process.version.split('.')[0] });
});
app.get('/notes', (_req, res) => {
  res.json(notes);
});
app.post('/notes', (req, res) => {
  const text = typeof req.body?.text === 'string' ? req.body.text : '';
  if (!text) return void res.status(400).json({ error: 'text is required' });
  const note = { id: notes.length + 1, text };
  notes.push(note);
  res.status(201).json(note);
});
app.listen(Number(process.env.PORT ?? 3000), () => console.log('listening'));
