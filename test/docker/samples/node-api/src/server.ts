// A small Express API in TypeScript: the Node sample the rewrite tests build three ways.
import express from 'express';
import { greeting } from './greeting';

const app = express();
app.get('/', (_req, res) => {
  res.json({ message: greeting(process.env.GREETING ?? 'hello'), node: process.version.split('.')[0] });
});
app.listen(Number(process.env.PORT ?? 3000), () => console.log('listening'));
